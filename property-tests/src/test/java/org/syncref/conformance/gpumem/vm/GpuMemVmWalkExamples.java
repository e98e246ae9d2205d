package org.syncref.conformance.gpumem.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.gpumem.GpuMemVmChecker;
import org.syncref.hw.ttm.HwBug;

/**
 * The backward direction of the GpuMemVm conformance check (model MCGpuMemVmConformance;
 * surefire execution gpumem-vm-conformance): seeded random walks of spec/GpuMem/GpuMemVm.tla,
 * each operation (the spec's, run to its end by the spec's own steps) replayed on hw's VM system
 * without its TLB ({@link GpuMemVmChecker#walk}). In every state of a walk Java must offer exactly
 * the operations the spec offers, and after each operation its observed state must equal one of
 * the spec's end states. Mainline passes {@value #MAINLINE} walks; each of the VM bugs of slice 2
 * is caught by some walk within {@value #BUDGET} (the walk number is printed):
 * <ul>
 *   <li>{@link HwBug#EVICT_SKIPS_BOOKKEEP}: the eviction copy's dependencies lack the preemption
 *       fence (jobDeps differs after an Evict(b1) of the running context's BO);
 *   <li>{@link HwBug#REPLACE_STUB}: the unmap replaces the preemption fence with the signaled
 *       stub, not with the clear's update, so a later eviction copy of b1 does not depend on the
 *       update (jobDeps differs);
 *   <li>{@link HwBug#RESUME_NO_REBIND}: RebindBegin resumes at once (lr, lrFence and the update
 *       job differ from the spec's end state at the rebind's wait).
 * </ul>
 */
class GpuMemVmWalkExamples {
  static final GpuMemVmChecker CHECKER = GpuMemVmConformanceProperties.CHECKER;
  static final int OPS = 60;
  static final int MAINLINE = 50;
  static final int BUDGET = 100;

  static List<Integer> walk(long seed) {
    Random r = new Random(seed);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < OPS; i++) {
      out.add(r.nextInt(1001));
    }
    return out;
  }

  static void caught(HwBug bug) {
    for (int seed = 0; seed < BUDGET; seed++) {
      GpuMemVmChecker.Verdict v = CHECKER.walk(walk(seed), OPS, bug);
      if (!v.ok()) {
        System.out.println("GpuMemVm spec walks, negative control " + bug + ": caught by walk " + (seed + 1)
            + " (seed " + seed + "), operation " + v.failedOp() + ": " + v.reason() + "\n  walk: " + v.log());
        return;
      }
    }
    assertTrue(false, bug + " passed " + BUDGET + " spec walks");
  }

  @Test
  void mainlineFollowsTheSpecsWalks() {
    for (int seed = 0; seed < MAINLINE; seed++) {
      GpuMemVmChecker.Verdict v = CHECKER.walk(walk(seed), OPS);
      assertTrue(v.ok(), "walk " + (seed + 1) + " (seed " + seed + "), operation " + v.failedOp() + ": " + v.reason()
          + "\nwalk: " + v.log());
    }
  }

  @Test
  void evictSkipsBookkeepIsCaught() {
    caught(HwBug.EVICT_SKIPS_BOOKKEEP);
  }

  @Test
  void replaceStubIsCaught() {
    caught(HwBug.REPLACE_STUB);
  }

  @Test
  void resumeNoRebindIsCaught() {
    caught(HwBug.RESUME_NO_REBIND);
  }

  /**
   * The offer comparison catches a Java system that does less than the spec: a VM whose
   * preemption work is never offered (as a preemption fence whose enable_signaling suspends the
   * context but queues no work item, against xe_preempt_fence.c preempt_fence_enable_signaling's
   * {@code queue_work(q->vm->xe->preempt_fence_wq, &pfence->preempt_work)}) leaves the eviction
   * copy waiting forever; a forward check sees nothing wrong in what such a system does, a walk
   * finds the spec's LrPreempt that Java does not offer.
   */
  @Test
  void aPreemptionNeverOfferedIsCaught() {
    for (int seed = 0; seed < BUDGET; seed++) {
      GpuMemVmChecker.Verdict v = CHECKER.walkWithholding(walk(seed), OPS, n -> n.startsWith("PreemptWork("));
      if (!v.ok()) {
        assertTrue(v.reason().contains("[LrPreempt] that the spec offers"), v.reason());
        System.out.println("GpuMemVm spec walks, PreemptWork withheld: caught by walk " + (seed + 1) + " (seed " + seed
            + "), operation " + v.failedOp() + ": " + v.reason() + "\n  walk: " + v.log());
        return;
      }
    }
    assertTrue(false, "a Java VM without PreemptWork passed " + BUDGET + " spec walks");
  }

  /** The walks reached the VM's operations. */
  @AfterAll
  static void summary() {
    System.out.println(CHECKER.walkSummary());
    for (String kind : List.of("LrStart", "LrAccess", "LrPreempt", "RebindBegin", "RebindFinish", "Unmap", "Evict",
        "RunJob")) {
      assertTrue(CHECKER.walkKinds.getOrDefault(kind, 0L) > 0, "no " + kind + " in " + CHECKER.walkSummary());
    }
  }
}
