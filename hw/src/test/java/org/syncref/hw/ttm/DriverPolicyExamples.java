package org.syncref.hw.ttm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;

/**
 * The driver policies on fixed scenarios: what each driver's submission waits for, the usage
 * its fence gets, what the eviction copy waits for (spec/GpuMem README "Driver policies"), and
 * the amdgpu mutant.
 */
class DriverPolicyExamples {
  static DmaResvUsage usageOf(DmaResv resv, DrmSchedJob j) {
    return resv.entries().stream().filter(e -> e.fence() == j.finished()).findFirst().orElseThrow().usage();
  }

  @Test
  void eachDriverOffersItsModesAndRefusesOthers() {
    for (String d : DriverPolicy.DRIVERS) {
      GpuMemSystem rig = new GpuMemSystem(DriverPolicy.of(d), 1, 3);
      TtmBufferObject b = rig.bo("b1", TtmMemType.VRAM);
      assertEquals(d, rig.dev.policy().name());
      for (SubmitMode m : SubmitMode.values()) {
        DrmSchedJob j = ExecSubmit.submit(rig.dev, rig.gfxUser, "j", m, b);
        assertEquals(rig.dev.policy().modes().contains(m), j != null, d + " " + m);
      }
    }
    assertEquals(List.of(SubmitMode.AMDGPU, SubmitMode.AMDGPU_EXPLICIT), new AmdgpuPolicy().modes());
    assertEquals(List.of(SubmitMode.EXPLICIT), new XePolicy().modes());
    assertEquals(List.of(SubmitMode.READ, SubmitMode.WRITE), new I915Policy().modes());
  }

  /**
   * amdgpu (AMDGPU_SYNC_NE_OWNER): a job waits for the other process's job and for the move,
   * not for its own process's earlier job; every fence is added as WRITE. On an explicit-sync BO
   * (AMDGPU_SYNC_EXPLICIT) it waits for the move only.
   */
  @Test
  void amdgpuSyncsToOtherOwnersAndAlwaysToMoves() {
    GpuMemSystem rig = new GpuMemSystem(new AmdgpuPolicy(), 1, 3);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.SYSTEM);
    DrmSchedJob g1 = rig.submit(rig.gfxUser, "g1", SubmitMode.AMDGPU, b2);
    DrmSchedJob k1 = rig.submit(rig.compUser, "k1", SubmitMode.AMDGPU, b2);
    assertEquals(DmaResvUsage.WRITE, usageOf(b2.resv(), g1));
    assertEquals(List.of(g1.finished()), k1.dependencies(), "another owner's job");
    assertEquals(0, rig.dev.moveTo(b2, TtmMemType.VRAM)); // evicts b1, moves b2 in
    DrmSchedJob move = rig.sdma.armedJobs().get(1);
    DrmSchedJob g2 = rig.submit(rig.gfxUser, "g2", SubmitMode.AMDGPU, b2);
    assertTrue(g2.dependencies().contains(move.finished()), "always sync to moves");
    assertTrue(g2.dependencies().contains(k1.finished()), "the other owner");
    assertFalse(g2.dependencies().contains(g1.finished()), "not its own process's job");
    DrmSchedJob k2 = rig.submit(rig.compUser, "k2", SubmitMode.AMDGPU_EXPLICIT, b2);
    assertEquals(List.of(move.finished()), k2.dependencies(), "explicit sync: the moves only");
    assertEquals(DmaResvUsage.WRITE, usageOf(b2.resv(), k2));
    rig.drain();
    assertEquals(List.of(), rig.violations(), rig.log());
  }

  /** The mutant: the explicit-sync BO's job does not wait for the move, and reads v1 before the copy wrote it. */
  @Test
  void amdgpuSkipMovesRunsBeforeTheMove() {
    GpuMemSystem rig = new GpuMemSystem(new AmdgpuPolicy(), 1, 3, HwBug.AMDGPU_SKIP_MOVES);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.SYSTEM);
    DrmSchedJob g1 = rig.submit(rig.gfxUser, "g1", SubmitMode.AMDGPU, b1);
    assertEquals(0, rig.dev.moveTo(b2, TtmMemType.VRAM));
    DrmSchedJob k1 = rig.submit(rig.compUser, "k1", SubmitMode.AMDGPU_EXPLICIT, b2);
    assertEquals(List.of(), k1.dependencies());
    rig.runAndComplete(rig.comp);
    assertTrue(rig.violations().stream().anyMatch(v -> v.rule().equals("MEM-KERNEL-FIRST")), rig.log());
  }

  /** xe: KERNEL dependencies only, the fence added as BOOKKEEP, and the eviction waits for it. */
  @Test
  void xeWaitsForKernelAndAddsBookkeep() {
    GpuMemSystem rig = new GpuMemSystem(new XePolicy(), 1, 3);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.SYSTEM);
    DrmSchedJob g1 = rig.submit(rig.gfxUser, "g1", SubmitMode.EXPLICIT, b1);
    DrmSchedJob k1 = rig.submit(rig.compUser, "k1", SubmitMode.EXPLICIT, b1);
    assertEquals(DmaResvUsage.BOOKKEEP, usageOf(b1.resv(), g1));
    assertEquals(List.of(), k1.dependencies(), "no implicit sync");
    assertEquals(0, rig.dev.moveTo(b2, TtmMemType.VRAM));
    DrmSchedJob evict = rig.sdma.armedJobs().get(0);
    assertTrue(evict.dependencies().containsAll(List.of(g1.finished(), k1.finished())), "xe_migrate_copy: BOOKKEEP");
    rig.drain();
    assertEquals(List.of(), rig.violations(), rig.log());
  }

  /**
   * i915: dma_resv_usage_rw, and an eviction copy that waits up to READ: a BOOKKEEP fence (which
   * i915 itself never adds; here one added by hand) is not waited for.
   */
  @Test
  void i915EvictionLeavesBookkeepOut() {
    GpuMemSystem rig = new GpuMemSystem(new I915Policy(), 1, 3);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.SYSTEM);
    DrmSchedJob r = rig.submit(rig.gfxUser, "r", SubmitMode.READ, b1);
    DrmSchedJob w = rig.submit(rig.compUser, "w", SubmitMode.WRITE, b1);
    assertEquals(List.of(r.finished()), w.dependencies(), "a writer waits for readers");
    DrmSchedJob other = DrmSchedJob.init(rig.compUser, "bookkeep");
    other.arm();
    b1.resv().lock();
    b1.resv().reserveFences(1);
    b1.resv().addFence(other.finished(), DmaResvUsage.BOOKKEEP);
    b1.resv().unlock();
    assertEquals(0, rig.dev.moveTo(b2, TtmMemType.VRAM));
    DrmSchedJob evict = rig.sdma.armedJobs().get(0);
    assertTrue(evict.dependencies().contains(w.finished()));
    assertFalse(evict.dependencies().contains(other.finished()), "i915_deps_add_resv: dma_resv_usage_rw(true)");
  }
}
