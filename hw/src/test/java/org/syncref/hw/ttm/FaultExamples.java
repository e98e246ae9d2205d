package org.syncref.hw.ttm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.fence.DmaFence;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.kernel.Errno;

/** The four faults of {@link GpuFaults}, stepped by hand, each with what the kernel does. */
class FaultExamples {
  private final GpuMemSystem sys = new GpuMemSystem(2, 4);
  private final GpuFaults faults = new GpuFaults(sys);
  private final TtmBufferObject b1 = sys.bo("b1", TtmMemType.VRAM);
  private final TtmBufferObject b2 = sys.bo("b2", TtmMemType.VRAM);
  private final TtmBufferObject b3 = sys.bo("b3", TtmMemType.SYSTEM);

  private void nothingLost() {
    faults.drain();
    assertEquals(List.of(), faults.nothingLost(2000));
  }

  @Test
  @DisplayName("hang and reset: the hung job -ETIME (its work ran once), the one behind it -ECANCELED, queued ones run later")
  void hang_and_reset() {
    DrmSchedJob j1 = sys.submit(sys.gfxUser, "j1", SubmitMode.WRITE, b1);
    DrmSchedJob j2 = sys.submit(sys.gfxUser, "j2", SubmitMode.WRITE, b2);
    DrmSchedJob j3 = sys.submit(sys.gfxUser, "j3", SubmitMode.WRITE, b3);
    sys.gfx.runJob(sys.gfxUser);
    sys.gfx.runJob(sys.gfxUser);
    faults.hang(sys.gfxRing);
    assertFalse(sys.gfxRing.executeNext(), "a hung engine completes nothing");
    assertEquals(1, sys.dev.history().accesses().size(), "the hung job touched b1");
    faults.timeout(sys.gfx);
    assertEquals(-Errno.ETIME, j1.finished().error());
    assertEquals(-Errno.ECANCELED, j2.finished().error());
    assertEquals(DrmSchedJob.State.QUEUED, j3.state());
    nothingLost();
    assertEquals(0, j3.finished().error());
    assertEquals(2, sys.dev.history().accesses().size(), "j1 once, j3; never j2");
  }

  @Test
  @DisplayName("kill: queued jobs -ESRCH, each after the job before it and after its dependencies; their work never runs")
  void kill_waits_for_dependencies() {
    DrmSchedJob other = sys.submit(sys.compUser, "other", SubmitMode.WRITE, b1); // not run yet
    DrmSchedJob first = sys.submit(sys.gfxUser, "first", SubmitMode.WRITE, b2);
    sys.gfx.runJob(sys.gfxUser); // first is on the ring: entity->last_scheduled
    DrmSchedJob k1 = sys.submit(sys.gfxUser, "k1", SubmitMode.WRITE, b3);
    DrmSchedJob k2 = sys.submit(sys.gfxUser, "k2", SubmitMode.READ, b1); // waits for other (WRITE)
    assertTrue(k2.dependencies().contains(other.finished()));
    faults.kill(sys.gfxUser);
    assertTrue(sys.gfxUser.isStopped());
    assertEquals(List.of(), sys.gfx.killWorkQueued(), "k1 waits for last_scheduled, k2 for k1");
    sys.gfxRing.executeNext(); // first completes
    assertTrue(sys.gfx.killJobsWork()); // k1: no dependency left
    assertEquals(-DrmSchedEntity.ESRCH, k1.finished().error());
    assertTrue(k1.sFence().scheduled().isSignaled(), "drm_sched_fence_scheduled(s_fence, NULL)");
    assertTrue(sys.gfx.killJobsWork()); // k2: re-armed on its dependency
    assertFalse(k2.finished().isSignaled(), "k2 waits for other");
    sys.comp.runJob(sys.compUser);
    sys.compRing.executeNext();
    assertTrue(sys.gfx.killJobsWork());
    assertEquals(-DrmSchedEntity.ESRCH, k2.finished().error());
    assertEquals(0, first.finished().error());
    nothingLost();
    assertEquals(2, sys.dev.history().accesses().size(), "first and other ran, the killed jobs never");
  }

  @Test
  @DisplayName("interrupted submissions: drm_exec's locking, before arm, after arm (pushed, then killed)")
  void interrupted_submissions() {
    assertNull(faults.submitInterrupted(sys.gfxUser, SubmitMode.WRITE, GpuFaults.Interrupt.LOCKING, b1, b2));
    assertNull(faults.submitInterrupted(sys.gfxUser, SubmitMode.WRITE, GpuFaults.Interrupt.BEFORE_ARM, b1, b2));
    for (TtmBufferObject bo : sys.objects()) {
      assertFalse(bo.resv().isLocked());
      assertEquals(bo.resv().numFences(), bo.resv().maxFences(), "slots reserved in the hold are gone");
    }
    assertTrue(sys.gfx.armedJobs().isEmpty(), "nothing armed");
    DrmSchedJob j = faults.submitInterrupted(sys.gfxUser, SubmitMode.WRITE, GpuFaults.Interrupt.AFTER_ARM, b1);
    assertTrue(sys.gfxUser.isStopped(), "the client died after the ioctl");
    assertTrue(b1.resv().getFences(org.syncref.resv.DmaResvUsage.WRITE).contains(j.finished()));
    nothingLost();
    assertEquals(-DrmSchedEntity.ESRCH, j.finished().error());
  }

  @Test
  @DisplayName("eviction: SYSTEM -ENOSPC skips to the next victim; -ENOMEM ends the walk; everything stays owned once")
  void eviction_allocation_failures() {
    // b3 into VRAM (full): the walk evicts b1, whose SYSTEM allocation fails
    assertEquals(-Errno.ENOMEM, faults.allocFailure(b3, TtmMemType.VRAM, TtmMemType.SYSTEM, -Errno.ENOMEM));
    assertEquals(TtmMemType.VRAM, b1.resource().range().memType(), "the victim keeps its range");
    assertEquals(TtmMemType.SYSTEM, b3.resource().range().memType());
    // -ENOSPC: ttm_bo_evict_cb turns it into -EBUSY and the walk tries b2
    assertEquals(0, faults.allocFailure(b3, TtmMemType.VRAM, TtmMemType.SYSTEM, -TtmDevice.ENOSPC));
    assertEquals(TtmMemType.VRAM, b1.resource().range().memType());
    assertEquals(TtmMemType.SYSTEM, b2.resource().range().memType(), "b2 was evicted instead");
    assertEquals(TtmMemType.VRAM, b3.resource().range().memType());
    nothingLost();
  }

  @Test
  @DisplayName("eviction without placement (discardable): idle, the range is freed (ttm_bo_pipeline_gutting); busy, -EBUSY and the next victim")
  void eviction_without_placement() {
    sys.dev.markDiscardable(b1);
    DrmSchedJob reader = sys.submit(sys.gfxUser, "reader", SubmitMode.READ, b1);
    assertEquals(0, sys.dev.moveTo(b3, TtmMemType.VRAM), "b1 is busy: ttm_bo_wait_ctx times out, b2 is evicted");
    assertEquals(TtmMemType.VRAM, b1.resource().range().memType());
    assertEquals(TtmMemType.SYSTEM, b2.resource().range().memType());
    sys.runAndComplete(sys.gfx);
    assertTrue(reader.finished().isSignaled());
    TtmResource old = b1.resource();
    assertEquals(0, sys.dev.moveTo(b2, TtmMemType.VRAM), "b1 is idle now: dropped, no copy");
    assertNull(b1.resource(), "b1 stays, without backing store");
    assertEquals(1, old.frees());
    assertEquals(0, sys.dev.moveTo(b1, TtmMemType.SYSTEM), "validated again: a new range, no copy");
    nothingLost();
  }

  @Test
  @DisplayName("eviction: the driver's move fails after the destination was allocated; it is freed once")
  void eviction_move_failure() {
    int systemAllocs = sys.dev.manager(TtmMemType.SYSTEM).allocated().size();
    assertEquals(-Errno.ENOMEM, faults.moveFailure(b3, TtmMemType.VRAM, -Errno.ENOMEM));
    List<TtmResource> sysRanges = sys.dev.manager(TtmMemType.SYSTEM).allocated();
    TtmResource dst = sysRanges.get(sysRanges.size() - 1);
    assertEquals(systemAllocs + 1, sysRanges.size(), "the eviction's destination was allocated");
    assertEquals(1, dst.frees(), "and freed once (ttm_bo_evict: ttm_resource_free(bo, &evict_mem))");
    assertSame(b1, sys.dev.manager(TtmMemType.VRAM).resourceAt(b1.resource().range()).bo());
    nothingLost();
  }

  @Test
  @DisplayName("unload with fences outstanding: running jobs -ECANCELED, queued ones -ESRCH; nothing reaches the unloaded modules")
  void unload_with_fences_outstanding() {
    DrmSchedJob run = sys.submit(sys.gfxUser, "run", SubmitMode.WRITE, b1);
    sys.gfx.runJob(sys.gfxUser);
    DrmSchedJob queued = sys.submit(sys.gfxUser, "queued", SubmitMode.READ, b1);
    faults.waitFence(queued.finished(), "queued");
    faults.unloadDriver();
    assertFalse(sys.amdgpu.isLoaded());
    assertFalse(sys.gpuSched.isLoaded());
    assertEquals(-Errno.ECANCELED, run.finished().error());
    assertEquals(-DrmSchedEntity.ESRCH, queued.finished().error());
    DmaFence f = queued.finished();
    assertTrue(f.opsDetached(), "names-only ops detach at signal");
    assertEquals("detached-driver", f.driverName(), "no oops: the fence no longer reaches gpu_sched");
    nothingLost();
  }
}
