package org.syncref.conformance.gpumem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.syncref.hw.ttm.HwBug;

/**
 * Negative controls of the GpuMem conformance check: each of hw's injected bugs that the
 * conformance model can reach makes a seeded workload leave the spec's behaviours or break one
 * of GpuMem's properties, within {@value #BUDGET} workloads; mainline passes the same workloads
 * (see {@link GpuMemConformanceProperties} for the jqwik runs). The number of workloads each
 * bug took is printed. EDEADLK_RETRY needs a rival ww transaction (GpuMem's Contention), which
 * the conformance world does not run.
 */
class GpuMemNegativeControlExamples {
  static final int BUDGET = 500;

  static List<Integer> workload(long seed) {
    Random r = new Random(seed);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      out.add(r.nextInt(1001));
    }
    return out;
  }

  /** The first seed whose workload the check rejects, and why; asserts it is within the budget. */
  static int caught(HwBug bug) {
    for (int seed = 0; seed < BUDGET; seed++) {
      GpuMemChecker.Verdict v = GpuMemConformanceProperties.checker().check(workload(seed), 40, bug);
      if (!v.ok()) {
        System.out.println("GpuMem conformance negative control " + bug + ": caught by workload " + (seed + 1)
            + " (seed " + seed + "), operation " + v.failedOp() + ": " + v.reason() + "\n  run: " + v.log());
        return seed + 1;
      }
    }
    assertTrue(false, bug + " passed " + BUDGET + " workloads");
    return -1;
  }

  /** As {@link #caught}, with spec walks replayed on the buggy Java system. */
  static int caughtByWalks(HwBug bug) {
    for (int seed = 0; seed < BUDGET; seed++) {
      GpuMemChecker.Verdict v = GpuMemConformanceProperties.checker().walk(workload(seed), 40, bug);
      if (!v.ok()) {
        System.out.println("GpuMem spec-walk negative control " + bug + ": caught by walk " + (seed + 1)
            + " (seed " + seed + "), operation " + v.failedOp() + ": " + v.reason() + "\n  walk: " + v.log());
        return seed + 1;
      }
    }
    assertTrue(false, bug + " followed " + BUDGET + " spec walks");
    return -1;
  }

  /**
   * The bugs that change what Java does when it makes the spec's operation are caught by the
   * walks too. UNORDERED_ENGINE is not, by construction: a walk completes a job only when the
   * spec's RunJob may (every earlier fence of its context signaled), so the job is alone on its
   * ring and an engine that completes the newest job first does the same as an ordered one.
   */
  @Test
  void theBugsInJavasOwnStepsAreCaughtBySpecWalksToo() {
    for (HwBug bug : List.of(HwBug.EVICT_WAITS_WRITE, HwBug.IGNORE_KERNEL, HwBug.NO_MOVE_FENCE, HwBug.RW_SWAPPED)) {
      caughtByWalks(bug);
    }
  }

  @Test
  void evictWaitsWriteIsCaught() {
    caught(HwBug.EVICT_WAITS_WRITE);
  }

  @Test
  void ignoreKernelIsCaught() {
    caught(HwBug.IGNORE_KERNEL);
  }

  @Test
  void noMoveFenceIsCaught() {
    caught(HwBug.NO_MOVE_FENCE);
  }

  @Test
  void rwSwappedIsCaught() {
    caught(HwBug.RW_SWAPPED);
  }

  @Test
  void unorderedEngineIsCaught() {
    caught(HwBug.UNORDERED_ENGINE);
  }

  /** The same seeded workloads pass on mainline, so the controls above fail for the bug alone. */
  @Test
  void mainlinePassesTheControlWorkloads() {
    for (int seed = 0; seed < 100; seed++) {
      GpuMemChecker.Verdict v = GpuMemConformanceProperties.checker().check(workload(seed), 40);
      assertFalse(!v.ok(), "seed " + seed + ": " + v.reason() + "\nrun: " + v.log());
    }
  }
}
