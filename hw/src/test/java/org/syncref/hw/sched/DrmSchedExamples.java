package org.syncref.hw.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.hw.Engine;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;
import org.syncref.sched.RealSched;

/** Examples of the drm_sched model, stepped by hand. */
class DrmSchedExamples {
  private final Kernel k = new Kernel(new RealSched());
  private final FenceModule amdgpu = new FenceModule("amdgpu");
  private final FenceModule gpuSched = new FenceModule("gpu_sched");
  private final Engine gfxRing = new Engine(k, amdgpu, "gfx", 4);
  private final Engine sdmaRing = new Engine(k, amdgpu, "sdma0", 4);
  private final DrmGpuScheduler gfx = new DrmGpuScheduler(k, gfxRing, "gfx", gpuSched);
  private final DrmGpuScheduler sdma = new DrmGpuScheduler(k, sdmaRing, "sdma0", gpuSched);

  private DrmSchedJob job(DrmSchedEntity e, String name, List<String> log) {
    DrmSchedJob j = DrmSchedJob.init(e, name);
    j.onHardwareRun(() -> log.add(name));
    return j;
  }

  @Test
  @DisplayName("drm_sched_entity_init allocates two contexts; arm numbers both fences 1, 2, ...")
  void entity_contexts_and_seqnos() {
    DrmSchedEntity a = new DrmSchedEntity(gfx, "a");
    DrmSchedEntity b = new DrmSchedEntity(gfx, "b");
    assertEquals(a.fenceContext() + 2, b.fenceContext(), "dma_fence_context_alloc(2) each");
    DrmSchedJob j1 = DrmSchedJob.init(a, "j1");
    assertNull(j1.finished(), "drm_sched_job_init does not initialise the fences");
    j1.arm();
    DrmSchedJob j2 = DrmSchedJob.init(a, "j2");
    j2.arm();
    assertEquals(a.fenceContext(), j1.sFence().scheduled().context());
    assertEquals(a.fenceContext() + 1, j1.finished().context());
    assertEquals(1, j1.finished().seqno());
    assertEquals(2, j2.finished().seqno());
    assertTrue(j2.finished().isLater(j1.finished()));
    assertEquals("drm_sched", j1.finished().driverName());
    assertEquals("gfx", j1.finished().timelineName());
    assertSame(j1.sFence(), DrmSchedFence.of(j1.finished()));
    assertThrows(KernelBug.class, j1::arm);
    DrmSchedJob unarmed = DrmSchedJob.init(a, "x");
    assertThrows(KernelBug.class, () -> a.pushJob(unarmed));
  }

  @Test
  @DisplayName("a job runs once its foreign dependency signaled; finished signals with the hardware fence")
  void runs_after_dependency_and_finishes_with_hardware() {
    List<String> log = new ArrayList<>();
    DrmSchedEntity copy = new DrmSchedEntity(sdma, "copy");
    DrmSchedEntity user = new DrmSchedEntity(gfx, "user");
    DrmSchedJob c = job(copy, "c", log);
    c.arm();
    copy.pushJob(c);
    DrmSchedJob g = job(user, "g", log);
    g.addDependency(c.finished().get());
    g.arm();
    user.pushJob(g);
    assertEquals(DrmSchedJob.State.QUEUED, g.state());
    assertNull(gfx.runJobWork(), "g waits for c, another scheduler's fence: its finished fence");
    assertSame(c, sdma.runJobWork());
    assertTrue(c.sFence().scheduled().isSignaled());
    assertFalse(c.finished().isSignaled(), "run_job only hands it to the ring");
    assertNull(gfx.runJobWork(), "scheduled is not enough across schedulers");
    assertTrue(sdmaRing.executeNext());
    assertTrue(c.finished().isSignaled(), "drm_sched_job_done_cb from the hardware fence");
    assertEquals(DrmSchedJob.State.DONE, c.state());
    assertSame(g, gfx.runJobWork());
    gfxRing.runAll();
    assertEquals(List.of("c", "g"), log);
    assertEquals(1, g.finished().getStatus());
    assertTrue(k.warnings().isEmpty(), k.warnings().toString());
  }

  @Test
  @DisplayName("a dependency on the same scheduler waits only for scheduled; the ring keeps the order")
  void same_scheduler_dependency_is_pipelined() {
    List<String> log = new ArrayList<>();
    DrmSchedEntity a = new DrmSchedEntity(gfx, "a");
    DrmSchedEntity b = new DrmSchedEntity(gfx, "b");
    DrmSchedJob first = job(a, "first", log);
    first.arm();
    a.pushJob(first);
    DrmSchedJob second = job(b, "second", log);
    second.addDependency(first.finished().get());
    second.arm();
    b.pushJob(second);
    assertEquals(List.of(a), gfx.runnableEntities());
    gfx.runJob(a);
    assertEquals(List.of(b), gfx.runnableEntities(), "first is scheduled: enough on the same scheduler");
    gfx.runJob(b);
    assertFalse(first.finished().isSignaled());
    gfxRing.runAll();
    assertEquals(List.of("first", "second"), log);
  }

  @Test
  @DisplayName("an entity ignores its own fences; add_dependency keeps the later fence of a context")
  void own_fences_ignored_and_dedup() {
    DrmSchedEntity a = new DrmSchedEntity(gfx, "a");
    DrmSchedEntity c = new DrmSchedEntity(sdma, "c");
    DrmSchedJob c1 = DrmSchedJob.init(c, "c1");
    c1.arm();
    DrmSchedJob c2 = DrmSchedJob.init(c, "c2");
    c2.arm();
    DrmSchedJob a1 = DrmSchedJob.init(a, "a1");
    a1.arm();
    a.pushJob(a1);
    DrmSchedJob a2 = DrmSchedJob.init(a, "a2");
    a2.addDependency(c1.finished().get());
    a2.addDependency(c2.finished().get());
    a2.addDependency(c1.finished().get());
    assertEquals(List.of(c2.finished()), a2.dependencies(), "the later fence of the context replaces");
    a2.addDependency(a1.finished().get());
    a2.arm();
    a.pushJob(a2);
    gfx.runJob(a);
    gfxRing.runAll();
    c.pushJob(c1);
    c.pushJob(c2);
    sdma.runJob(c);
    sdma.runJob(c);
    sdmaRing.runAll();
    assertTrue(a1.finished().isSignaled());
    DmaFence own = DmaFence.init(k, DmaFenceOps.names(amdgpu, "amdgpu", "x"), a.fenceContext() + 1, 99);
    DrmSchedJob a3 = DrmSchedJob.init(a, "a3");
    a3.addDependency(own);
    a3.arm();
    a.pushJob(a3);
    assertSame(a2, gfx.runJobWork());
    assertSame(a3, gfx.runJobWork(), "a fence of its own context never blocks an entity");
  }

  @Test
  @DisplayName("a timeout cancels the pending jobs (-ECANCELED), their work never runs; queued jobs run later")
  void timeout_cancels_pending() {
    List<String> log = new ArrayList<>();
    DrmSchedEntity a = new DrmSchedEntity(gfx, "a");
    List<DrmSchedJob> jobs = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      DrmSchedJob j = job(a, "j" + i, log);
      j.arm();
      a.pushJob(j);
      jobs.add(j);
    }
    gfx.runJob(a);
    gfx.runJob(a);
    assertEquals(2, gfx.pending().size());
    assertEquals(2, gfx.timedOut());
    assertTrue(gfx.pending().isEmpty());
    assertTrue(gfxRing.pending().isEmpty());
    for (DrmSchedJob j : jobs.subList(0, 2)) {
      assertEquals(-Errno.ECANCELED, j.finished().getStatus());
      assertEquals(-Errno.ECANCELED, j.result());
    }
    assertTrue(log.isEmpty(), "cancelled jobs never touched memory");
    assertSame(jobs.get(2), gfx.runJobWork());
    gfxRing.runAll();
    assertEquals(List.of("j3"), log);
    assertEquals(1, jobs.get(2).finished().getStatus());
    assertEquals(0, gfx.timedOut());
    assertTrue(k.warnings().isEmpty(), k.warnings().toString());
  }

  @Test
  @DisplayName("a job with an errored foreign dependency still runs once it signaled")
  void errored_dependency() {
    DrmSchedEntity a = new DrmSchedEntity(gfx, "a");
    DrmSchedEntity b = new DrmSchedEntity(gfx, "b");
    DrmSchedJob bad = DrmSchedJob.init(a, "bad");
    bad.arm();
    a.pushJob(bad);
    gfx.runJob(a);
    gfx.timedOut();
    DrmSchedJob next = DrmSchedJob.init(b, "next");
    next.addDependency(bad.finished().get());
    next.arm();
    b.pushJob(next);
    assertSame(next, gfx.runJobWork());
  }

  @Test
  @DisplayName("add_resv_dependencies takes every fence of the usage, signaled or not")
  void resv_dependencies() {
    DrmSchedEntity c = new DrmSchedEntity(sdma, "c");
    DrmSchedEntity a = new DrmSchedEntity(gfx, "a");
    DmaResv resv = new DmaResv(k);
    DrmSchedJob w = DrmSchedJob.init(c, "w");
    w.arm();
    DrmSchedJob r = DrmSchedJob.init(a, "r");
    r.arm();
    resv.lock();
    resv.reserveFences(2);
    resv.addFence(w.finished(), DmaResvUsage.WRITE);
    resv.addFence(r.finished(), DmaResvUsage.READ);
    DrmSchedJob reader = DrmSchedJob.init(new DrmSchedEntity(gfx, "x"), "reader");
    reader.addResvDependencies(resv, DmaResvUsage.rw(false));
    DrmSchedJob writer = DrmSchedJob.init(new DrmSchedEntity(gfx, "y"), "writer");
    writer.addResvDependencies(resv, DmaResvUsage.rw(true));
    DrmSchedJob skipper = DrmSchedJob.init(new DrmSchedEntity(gfx, "z"), "skipper");
    skipper.addResvDependencies(resv, DmaResvUsage.BOOKKEEP, DmaResvUsage.WRITE);
    resv.unlock();
    assertEquals(List.of(w.finished()), reader.dependencies());
    assertEquals(List.of(w.finished(), r.finished()), writer.dependencies());
    assertEquals(List.of(r.finished()), skipper.dependencies());
  }
}
