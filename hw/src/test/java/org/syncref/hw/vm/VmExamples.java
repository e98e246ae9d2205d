package org.syncref.hw.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.fence.DmaFence;
import org.syncref.hw.ttm.GpuMemHistory.Bind;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.TtmBufferObject;
import org.syncref.hw.ttm.TtmMemType;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;

/**
 * Hand-driven scenarios of {@link GpuVmSystem}, one per behaviour of spec/GpuMem/GpuMemVm.tla and
 * GpuMemTlb.tla, and one per negative control with the check that catches it. VRAM has two
 * ranges: "vm" (the VM's BO) in v1, "b2" in v2; "b3" in SYSTEM. Moving b3 into VRAM evicts vm
 * (the head of VRAM's LRU).
 */
class VmExamples {
  static final String STALE = "MEM-NO-STALE-ACCESS";
  static final String PT_BOOKKEEP = "MEM-PT-BOOKKEEP";
  static final String TLB_FLUSHED = "MEM-TLB-FLUSHED";
  static final String KERNEL_FIRST = "MEM-KERNEL-FIRST";

  static final Set<GpuVm.Flow> BOTH = EnumSet.allOf(GpuVm.Flow.class);

  /** The fixture: the system, b2, b3. */
  record Fix(GpuVmSystem s, TtmBufferObject b2, TtmBufferObject b3) {
    GpuVm vm() {
      return s.vm;
    }

    /** The context starts and touches v1 (its TLB caches it). */
    void startAndTouch() {
      s.step("LrStart", vm()::lrStart);
      s.step("LrAccess", vm()::lrAccess);
    }

    /** b3 moves into VRAM, evicting vm (its copy on the copy engine). */
    void evictVm() {
      s.step("Move(b3, VRAM)", () -> assertEquals(0, s.sys.dev.moveTo(b3, TtmMemType.VRAM)));
    }

    /** Every scheduler's dependency callbacks, run_job and engine steps, until nothing moves. */
    void drainJobs() {
      boolean progress = true;
      while (progress) {
        progress = false;
        for (var sched : s.sys.schedulers()) {
          for (var e : sched.entitiesToWaitOn()) {
            s.step("DependencyCb", () -> sched.addDependencyCb(e));
          }
          while (!sched.runnableEntities().isEmpty()) {
            s.step("RunJob", () -> sched.runJobWork());
            progress = true;
          }
        }
        for (var e : s.sys.engines()) {
          while (!e.pending().isEmpty()) {
            s.step("Complete", e::executeNext);
            progress = true;
          }
        }
      }
    }
  }

  static Fix fix(HwBug... bugs) {
    return fix(true, bugs);
  }

  /** The fixture; with {@code tlb} GpuMemTlb.tla's VM, else GpuMemVm.tla's. */
  static Fix fix(boolean tlb, HwBug... bugs) {
    GpuVmSystem s = new GpuVmSystem(2, 4, BOTH, tlb, bugs);
    TtmBufferObject b2 = s.bo("b2", TtmMemType.VRAM);
    TtmBufferObject b3 = s.bo("b3", TtmMemType.SYSTEM);
    return new Fix(s, b2, b3);
  }

  private static boolean inResv(DmaResv resv, DmaFence f, DmaResvUsage u) {
    return resv.entries().stream().anyMatch(e -> e.fence() == f && e.usage() == u);
  }

  @Test
  @DisplayName("eviction preempts the LR context: the copy depends on the preemption fence (BOOKKEEP); the scheduler's dependency callback enables its signaling")
  void eviction_preempts_lr_context() {
    Fix f = fix();
    f.startAndTouch();
    DmaFence p1 = f.vm().lr().preemptFence();
    assertTrue(inResv(f.vm().resv(), p1, DmaResvUsage.BOOKKEEP), "p1 is BOOKKEEP in the VM's resv");
    f.evictVm();
    var copy = f.s.sys.sdma.armedJobs().get(0);
    assertTrue(copy.dependencies().contains(p1), "the eviction copy depends on p1: " + copy.dependencies());
    assertFalse(p1.isEnableSignalFlag(), "nothing enabled p1's signaling yet");
    assertTrue(f.s.sys.sdma.runnableEntities().isEmpty(), "the copy waits");
    // the scheduler's worker finds the copy blocked: drm_sched_entity_add_dependency_cb
    f.s.step("DependencyCb", () -> assertSame(p1, f.s.sys.sdma.addDependencyCb(f.s.sys.dev.copyEntity())));
    assertEquals(LrContext.State.SUSPENDING, f.vm().lr().state(), "enable_signaling suspended the context");
    assertEquals(List.of(p1), f.vm().lr().pendingPreemptWork());
    f.s.step("PreemptWork", () -> f.vm().lr().preemptFenceWork(p1));
    assertEquals(LrContext.State.PREEMPTED, f.vm().lr().state());
    assertTrue(p1.isSignaled() && f.vm().rebindQueued());
    assertEquals(List.of(), f.s.violations(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("resume waits for the flush: the rebind maps the new place, publishes update and TLB fences BOOKKEEP, and resumes only after both signal")
  void resume_waits_for_the_flush() {
    Fix f = fix();
    f.startAndTouch();
    f.evictVm();
    f.drainJobs();
    f.s.step("PreemptWork", () -> f.vm().lr().preemptFenceWork(f.vm().lr().pendingPreemptWork().get(0)));
    f.drainJobs();
    assertEquals(LrContext.State.PREEMPTED, f.vm().lr().state());
    Bind s1 = new Bind(f.vm().bo(), f.vm().bo().resource().range(), f.vm().bo().resource().tenure());
    f.s.step("RebindBegin", f.vm()::rebindBegin);
    GpuVm.Rebind r = f.vm().rebindInProgress();
    assertTrue(inResv(f.vm().resv(), r.update(), DmaResvUsage.BOOKKEEP), "update fence BOOKKEEP");
    assertTrue(inResv(f.vm().resv(), r.flush().fence(), DmaResvUsage.BOOKKEEP), "flush fence BOOKKEEP");
    assertSame(r.update(), r.flush().dependency(), "the flush depends on the update");
    assertFalse(f.vm().rebindFinishEnabled(), "the worker waits for the update");
    assertFalse(r.flush().ready());
    f.drainJobs(); // the update runs: ptes map vm's new place
    assertEquals(s1, f.vm().ptes());
    assertFalse(f.vm().rebindFinishEnabled(), "the update landed, the flush has not run: no resume");
    assertTrue(r.flush().ready());
    f.s.step("TlbFlush", () -> f.vm().tlbFenceWork(r.flush()));
    assertTrue(f.vm().tlb().isEmpty());
    assertTrue(f.vm().rebindFinishEnabled());
    f.s.step("RebindFinish", f.vm()::rebindFinish);
    assertEquals(LrContext.State.RUNNING, f.vm().lr().state());
    DmaFence p2 = f.vm().lr().preemptFence();
    assertTrue(inResv(f.vm().resv(), p2, DmaResvUsage.BOOKKEEP), "p2 BOOKKEEP");
    assertFalse(f.vm().resv().isLocked());
    f.s.step("LrAccess", f.vm()::lrAccess);
    assertEquals(List.of(), f.s.violations(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("unmap replaces fences: dma_resv_replace_fences puts the clear's fence where the preemption fence was; the eviction waits for it, not for the context")
  void unmap_replaces_fences() {
    Fix f = fix();
    f.startAndTouch();
    DmaFence p1 = f.vm().lr().preemptFence();
    f.s.step("Unmap", f.vm()::unmap);
    assertFalse(inResv(f.vm().resv(), p1, DmaResvUsage.BOOKKEEP), "p1 replaced");
    TlbFence t1 = f.vm().tlbFences().get(0);
    DmaFence u1 = t1.dependency();
    assertTrue(inResv(f.vm().resv(), u1, DmaResvUsage.BOOKKEEP), "the clear's fence replaced p1");
    assertTrue(inResv(f.vm().resv(), t1.fence(), DmaResvUsage.BOOKKEEP), "the flush fence is BOOKKEEP");
    f.evictVm(); // pipelined: v1 freed at once, while the clear is pending and the context runs
    var copy = f.s.sys.sdma.armedJobs().stream().filter(j -> j.name().startsWith("evict")).findFirst().orElseThrow();
    assertTrue(copy.dependencies().contains(u1) && copy.dependencies().contains(t1.fence()));
    assertFalse(copy.dependencies().contains(p1));
    f.drainJobs();
    assertNull(f.vm().ptes());
    assertEquals(LrContext.State.RUNNING, f.vm().lr().state(), "the context was not preempted");
    assertFalse(p1.isEnableSignalFlag());
    assertEquals(List.of(), f.s.violations(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("stale-TLB access caught under resume_before_flush: the context resumes with the TLB holding v1 after b3's copy wrote it (MEM-NO-STALE-ACCESS)")
  void stale_tlb_access_caught_under_resume_before_flush() {
    Fix f = fix(HwBug.RESUME_BEFORE_FLUSH);
    f.startAndTouch();
    f.evictVm();
    f.drainJobs();
    f.s.step("PreemptWork", () -> f.vm().lr().preemptFenceWork(f.vm().lr().pendingPreemptWork().get(0)));
    f.drainJobs(); // the copies run: b3's writes v1 in tenure 2
    f.s.step("RebindBegin", f.vm()::rebindBegin);
    f.drainJobs();
    assertTrue(f.vm().rebindFinishEnabled(), "the bug resumes before the flush");
    f.s.step("RebindFinish", f.vm()::rebindFinish);
    assertFalse(f.s.violations(STALE).isEmpty(), f.s.log());
    assertTrue(f.s.violations(STALE).get(0).message().contains("stale TLB entry"), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("mainline counterpart: with the flush waited for, the same steps leave no violation")
  void no_stale_tlb_access_in_mainline() {
    Fix f = fix();
    f.startAndTouch();
    f.evictVm();
    f.drainJobs();
    f.s.step("PreemptWork", () -> f.vm().lr().preemptFenceWork(f.vm().lr().pendingPreemptWork().get(0)));
    f.drainJobs();
    f.s.step("RebindBegin", f.vm()::rebindBegin);
    f.drainJobs();
    assertFalse(f.vm().rebindFinishEnabled());
    f.s.step("TlbFlush", () -> f.vm().tlbFenceWork(f.vm().rebindInProgress().flush()));
    f.s.step("RebindFinish", f.vm()::rebindFinish);
    f.s.step("LrAccess", f.vm()::lrAccess);
    assertEquals(List.of(), f.s.violations(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("evict_skips_bookkeep: the copy does not wait for p1, nothing preempts the context, v1 is freed under it (MEM-PT-BOOKKEEP)")
  void evict_skips_bookkeep_caught() {
    Fix f = fix(HwBug.EVICT_SKIPS_BOOKKEEP);
    f.startAndTouch();
    f.evictVm();
    assertEquals(LrContext.State.RUNNING, f.vm().lr().state());
    assertFalse(f.s.violations(PT_BOOKKEEP).isEmpty(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("replace_stub: the unmap replaces p1 by the signaled stub; the eviction frees v1 while the clear is pending (MEM-PT-BOOKKEEP)")
  void replace_stub_caught() {
    Fix f = fix(false, HwBug.REPLACE_STUB);
    f.startAndTouch();
    f.s.step("Unmap", f.vm()::unmap);
    f.evictVm();
    assertFalse(f.s.violations(PT_BOOKKEEP).isEmpty(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("replace_stub is masked by a published TLB flush fence: it depends on the clear, so the eviction still waits for the clear")
  void replace_stub_masked_by_the_tlb_fence() {
    Fix f = fix(true, HwBug.REPLACE_STUB);
    f.startAndTouch();
    f.s.step("Unmap", f.vm()::unmap);
    f.evictVm();
    assertEquals(List.of(), f.s.violations(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("resume_no_rebind: the context resumes on its old page tables, which map v1 after b3's copy wrote it (MEM-NO-STALE-ACCESS)")
  void resume_no_rebind_caught() {
    Fix f = fix(HwBug.RESUME_NO_REBIND);
    f.startAndTouch();
    f.evictVm();
    f.drainJobs();
    f.s.step("PreemptWork", () -> f.vm().lr().preemptFenceWork(f.vm().lr().pendingPreemptWork().get(0)));
    f.drainJobs();
    f.s.step("RebindBegin", f.vm()::rebindBegin);
    assertNull(f.vm().rebindInProgress(), "resumed at once");
    assertFalse(f.s.violations(STALE).isEmpty(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("no_tlb_fence: the flush fence is not in the resv; the eviction waits for the clear only and frees v1 while the TLB holds it (MEM-TLB-FLUSHED)")
  void no_tlb_fence_caught() {
    Fix f = fix(HwBug.NO_TLB_FENCE);
    f.startAndTouch();
    f.s.step("Unmap", f.vm()::unmap);
    assertFalse(inResv(f.vm().resv(), f.vm().tlbFences().get(0).fence(), DmaResvUsage.BOOKKEEP));
    f.drainJobs(); // the clear lands; the flush has not run: the TLB still holds v1
    assertNull(f.vm().ptes());
    assertFalse(f.vm().tlb().isEmpty());
    f.evictVm();
    assertFalse(f.s.violations(TLB_FLUSHED).isEmpty(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("mainline counterpart of no_tlb_fence: the eviction depends on the flush fence; no violation")
  void tlb_fence_guards_eviction() {
    Fix f = fix();
    f.startAndTouch();
    f.s.step("Unmap", f.vm()::unmap);
    f.drainJobs();
    assertFalse(f.vm().tlb().isEmpty());
    f.evictVm();
    assertEquals(List.of(), f.s.violations(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("flush_before_update: the flush runs before the clear lands, the context re-caches v1; the eviction frees v1 while the TLB holds it (MEM-TLB-FLUSHED)")
  void flush_before_update_caught() {
    Fix f = fix(HwBug.FLUSH_BEFORE_UPDATE);
    f.startAndTouch();
    f.s.step("Unmap", f.vm()::unmap);
    TlbFence t1 = f.vm().tlbFences().get(0);
    assertNull(t1.dependency());
    assertTrue(t1.ready());
    f.s.step("TlbFlush", () -> f.vm().tlbFenceWork(t1)); // before the clear
    f.s.step("LrAccess", f.vm()::lrAccess); // the old PTEs again
    f.drainJobs(); // the clear lands
    assertFalse(f.vm().tlb().isEmpty());
    f.evictVm();
    assertFalse(f.s.violations(TLB_FLUSHED).isEmpty(), f.s.log());
    f.s.close();
  }

  @Test
  @DisplayName("the rebind's update waits for the BO's move (KERNEL): MEM-KERNEL-FIRST holds for page-table updates")
  void rebind_update_waits_for_the_move() {
    Fix f = fix();
    f.startAndTouch();
    f.evictVm();
    f.s.step("DependencyCb", () -> f.s.sys.sdma.addDependencyCb(f.s.sys.dev.copyEntity()));
    f.s.step("PreemptWork", () -> f.vm().lr().preemptFenceWork(f.vm().lr().pendingPreemptWork().get(0)));
    f.s.step("RebindBegin", f.vm()::rebindBegin); // the copy has not run
    GpuVm.Rebind r = f.vm().rebindInProgress();
    assertNotNull(r);
    var upd = f.vm().updates().get(r.update());
    assertFalse(upd.kernelAtArm().isEmpty(), "the eviction copy is a KERNEL fence of the BO");
    f.drainJobs();
    assertEquals(List.of(), f.s.violations(), f.s.log());
    f.s.close();
  }
}
