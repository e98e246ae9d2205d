package org.syncref.conformance.gpumem.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.gpumem.GpuMemVmChecker;
import org.syncref.hw.ttm.HwBug;

/**
 * Negative controls of the GpuMemVm conformance check: each of hw's injected VM bugs of slice 2
 * makes a seeded workload leave the spec's behaviours or break one of GpuMemVm's properties,
 * within {@value #BUDGET} workloads; mainline passes the same workloads. The number of workloads
 * each bug took is printed. The TLB bugs (slice 5) need GpuMemTlb's conformance model, which
 * does not exist yet.
 */
class GpuMemVmNegativeControlExamples {
  static final GpuMemVmChecker CHECKER = GpuMemVmConformanceProperties.CHECKER;
  static final int BUDGET = 300;

  static List<Integer> workload(long seed) {
    Random r = new Random(seed);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      out.add(r.nextInt(1001));
    }
    return out;
  }

  /** The first seed whose workload the check rejects, and why; asserts it is within the budget. */
  static void caught(HwBug bug) {
    for (int seed = 0; seed < BUDGET; seed++) {
      GpuMemVmChecker.Verdict v = CHECKER.check(workload(seed), 60, bug);
      if (!v.ok()) {
        System.out.println("GpuMemVm conformance negative control " + bug + ": caught by workload " + (seed + 1)
            + " (seed " + seed + "), operation " + v.failedOp() + ": " + v.reason() + "\n  run: " + v.log());
        return;
      }
    }
    assertTrue(false, bug + " passed " + BUDGET + " workloads");
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

  /** The same seeded workloads pass on mainline, so the controls above fail for the bug alone. */
  @Test
  void mainlinePassesTheControlWorkloads() {
    for (int seed = 0; seed < 100; seed++) {
      GpuMemVmChecker.Verdict v = CHECKER.check(workload(seed), 60);
      assertTrue(v.ok(), "seed " + seed + ": " + v.reason() + "\nrun: " + v.log());
    }
  }
}
