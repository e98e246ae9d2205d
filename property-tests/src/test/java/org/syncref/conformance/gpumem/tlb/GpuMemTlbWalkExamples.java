package org.syncref.conformance.gpumem.tlb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.gpumem.GpuMemVmChecker;
import org.syncref.hw.ttm.HwBug;

/**
 * The backward direction of the GpuMemTlb conformance check (model MCGpuMemTlbConformance;
 * surefire execution gpumem-tlb-conformance): seeded random walks of spec/GpuMem/GpuMemTlb.tla,
 * each operation (the spec's, run to its end by the spec's own steps) replayed on hw's VM system
 * with its TLB ({@link GpuMemVmChecker#walk}). In every state of a walk Java must offer exactly
 * the operations the spec offers, and after each operation its observed state (with the TLB)
 * must equal one of the spec's end states. Mainline passes {@value #MAINLINE} walks; each TLB bug
 * of slice 5 is caught by some walk within {@value #BUDGET} (the walk number is printed):
 * <ul>
 *   <li>{@link HwBug#NO_TLB_FENCE}: the flush fence is not in the VM's resv, so a later eviction
 *       copy of b1 does not depend on it (jobDeps differs);
 *   <li>{@link HwBug#FLUSH_BEFORE_UPDATE}: the flush fence has no dependency on the update
 *       (jobDeps of the t fence differs at the end of the Unmap or RebindBegin that made it);
 *   <li>{@link HwBug#RESUME_BEFORE_FLUSH}: the rebind worker is ready to resume once the update
 *       signaled, before the flush: Java offers RebindFinish where the spec's TlbRebindWait is
 *       not enabled (the comparison of the offered operations; no observed variable differs).
 * </ul>
 */
class GpuMemTlbWalkExamples {
  static final GpuMemVmChecker CHECKER = GpuMemTlbConformanceProperties.CHECKER;
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
        System.out.println("GpuMemTlb spec walks, negative control " + bug + ": caught by walk " + (seed + 1)
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
  void noTlbFenceIsCaught() {
    caught(HwBug.NO_TLB_FENCE);
  }

  @Test
  void flushBeforeUpdateIsCaught() {
    caught(HwBug.FLUSH_BEFORE_UPDATE);
  }

  @Test
  void resumeBeforeFlushIsCaught() {
    caught(HwBug.RESUME_BEFORE_FLUSH);
  }

  /** The walks reached the VM's and the TLB's operations. */
  @AfterAll
  static void summary() {
    System.out.println(CHECKER.walkSummary());
    for (String kind : List.of("LrStart", "LrAccess", "LrPreempt", "RebindBegin", "RebindFinish", "Unmap", "TlbFlush",
        "Evict", "RunJob")) {
      assertTrue(CHECKER.walkKinds.getOrDefault(kind, 0L) > 0, "no " + kind + " in " + CHECKER.walkSummary());
    }
  }
}
