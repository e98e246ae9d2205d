package org.syncref.conformance.gpumem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.syncref.hw.ttm.HwBug;

/**
 * hw/'s userptr system (org.syncref.hw.userptr) against spec/GpuMem/GpuMemUserptr.tla (model
 * MCGpuMemUserptrConformance), both ways ({@link UserptrChecker}): seeded Java walks checked
 * step by step, seeded spec walks replayed on Java; and each slice-4 mutant's Java counterpart
 * caught both ways, with the number of walks it took (the catching walks pass on mainline).
 */
class GpuMemUserptrConformanceExamples {
  static final int RUNS = 100;
  static final int WALKS = 50;
  static final int BUDGET = 500;
  static final int STEPS = 60;

  @Test
  void javaUserptrRunsAreBehavioursOfTheSpec() {
    UserptrChecker c = GpuMemConformance.userptrChecker();
    for (long seed = 0; seed < RUNS; seed++) {
      UserptrChecker.Verdict v = c.check(seed, STEPS);
      assertTrue(v.ok(), "seed " + seed + ", step " + v.failedStep() + ": " + v.reason() + "\nrun: " + v.log());
    }
    for (String k : java.util.List.of("UReadBegin", "UGetPages", "UKeepPages", "UCheck", "InvSetSeq", "InvWait",
        "InvUnmap", "complete")) {
      assertTrue(c.kinds.getOrDefault(k, 0L) > 0, "no " + k + ": " + c.summary());
    }
    assertTrue(c.retries > 0 && c.accesses > 0, c.summary());
  }

  @Test
  void javaUserptrFollowsWalksOfTheSpec() {
    UserptrChecker c = GpuMemConformance.userptrChecker();
    for (long seed = 0; seed < WALKS; seed++) {
      UserptrChecker.Verdict v = c.walk(seed, STEPS);
      assertTrue(v.ok(), "seed " + seed + ", spec step " + v.failedStep() + ": " + v.reason() + "\nwalk: " + v.log());
    }
  }

  static void caughtBothWays(HwBug bug) {
    UserptrChecker c = GpuMemConformance.userptrChecker();
    for (boolean walks : new boolean[] {false, true}) {
      long seed = 0;
      UserptrChecker.Verdict v = null;
      for (; seed < BUDGET; seed++) {
        v = walks ? c.walk(seed, STEPS, bug) : c.check(seed, STEPS, bug);
        if (!v.ok()) {
          break;
        }
      }
      assertTrue(seed < BUDGET, bug + " passed " + BUDGET + (walks ? " spec walks" : " Java runs"));
      System.out.println("GpuMemUserptr conformance negative control " + bug + ": caught by " + (walks ? "spec walk " : "run ")
          + (seed + 1) + " (seed " + seed + "), step " + v.failedStep() + ": " + v.reason() + "\n  " + v.log());
      UserptrChecker.Verdict m = walks ? c.walk(seed, STEPS) : c.check(seed, STEPS);
      assertTrue(m.ok(), "mainline, seed " + seed + ": " + m.reason());
    }
  }

  @Test
  void checkUnlockedIsCaughtBothWays() {
    caughtBothWays(HwBug.CHECK_UNLOCKED);
  }

  @Test
  void noRecheckIsCaughtBothWays() {
    caughtBothWays(HwBug.NO_RECHECK);
  }

  @Test
  void invalWaitsReadIsCaughtBothWays() {
    caughtBothWays(HwBug.INVAL_WAITS_READ);
  }

  @AfterAll
  static void summary() {
    System.out.println(GpuMemConformance.userptrChecker().summary());
  }
}
