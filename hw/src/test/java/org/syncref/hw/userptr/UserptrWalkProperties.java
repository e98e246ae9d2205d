package org.syncref.hw.userptr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.HwBug;

/**
 * Seeded walks of the userptr system ({@link UserptrSystem#walk}): two execs and two
 * invalidations at most (MCGpuMemUserptr's bounds: fences g1, g2, MaxInval = 2), random
 * interleavings of the exec's kernel calls, the invalidation's steps and the GPU's. Mainline
 * passes every walk in the three placements of the callback's wait; each slice-4 mutant is
 * caught by the walks of the documented exec and callback (GpuMemUserptr's), with the number
 * of seeds it took.
 */
class UserptrWalkProperties {
  static final int SEEDS = 1000;
  static final int STEPS = 60;

  /** The seeds whose walk broke MEM-USERPTR-NOTIFIER; prints the first and the count. */
  static int caught(String what, Function<Long, UserptrSystem> make) {
    int n = 0;
    long first = -1;
    String firstLog = null;
    for (long seed = 0; seed < SEEDS; seed++) {
      UserptrSystem s = make.apply(seed);
      if (!s.walk(seed, STEPS).isEmpty()) {
        n++;
        if (first < 0) {
          first = seed;
          firstLog = s.log();
        }
      }
    }
    System.out.println("userptr " + what + ": caught by " + n + " of " + SEEDS + " walks"
        + (first < 0 ? "" : "; first at seed " + first + " (" + (first + 1) + " walks): " + firstLog));
    return n;
  }

  @Test
  void mainlineKeepsTheGpuOffReleasedPages() {
    long retries = 0;
    long accesses = 0;
    long invals = 0;
    for (String flavor : List.of("documented", "xe", "amdgpu")) {
      for (long seed = 0; seed < SEEDS; seed++) {
        UserptrSystem s = switch (flavor) {
          case "documented" -> UserptrSystem.documented(2, 2);
          case "xe" -> UserptrSystem.xe(2, 2);
          default -> UserptrSystem.amdgpu(2, 2);
        };
        List<UserptrSystem.Violation> v = s.walk(seed, STEPS);
        assertEquals(List.of(), v, flavor + " seed " + seed + ": " + s.log());
        assertEquals(List.of(), s.k.warnings(), flavor + " seed " + seed + ": " + s.log());
        assertEquals(2, s.execs().size(), s.log());
        for (UserptrExec x : s.execs()) {
          assertTrue(x.done() && x.job().state() == DrmSchedJob.State.DONE, x + ": " + s.log());
          retries += x.retries();
        }
        assertEquals(0, s.notifierLock.readers());
        assertTrue(!s.notifierLock.writeHeld() && !s.bo.resv().isLocked() && s.inval.idle(), s.log());
        accesses += s.accesses();
        invals += s.inval.completed();
      }
    }
    System.out.println("userptr mainline: " + 3 * SEEDS + " walks, " + accesses + " accesses, " + invals
        + " invalidations, " + retries + " -EAGAIN retries");
    assertTrue(retries > 0 && invals == 3 * 2 * SEEDS, retries + " retries, " + invals + " invalidations");
  }

  @Test
  void checkUnlockedIsCaughtByWalks() {
    assertTrue(caught("CHECK_UNLOCKED", seed -> UserptrSystem.documented(2, 2, HwBug.CHECK_UNLOCKED)) > 0);
  }

  @Test
  void noRecheckIsCaughtByWalks() {
    assertTrue(caught("NO_RECHECK", seed -> UserptrSystem.documented(2, 2, HwBug.NO_RECHECK)) > 0);
  }

  @Test
  void invalWaitsReadIsCaughtByWalks() {
    assertTrue(caught("INVAL_WAITS_READ", seed -> UserptrSystem.documented(2, 2, HwBug.INVAL_WAITS_READ)) > 0);
  }

  /** As GpuMemUserptrImplicit: with amdgpu's WRITE fences the READ wait waits for them all. */
  @Test
  void invalWaitsReadIsHarmlessForWriteJobs() {
    assertEquals(0, caught("INVAL_WAITS_READ with WRITE jobs",
        seed -> new UserptrSystem(org.syncref.hw.ttm.SubmitMode.WRITE, false, 2, 2, HwBug.INVAL_WAITS_READ)));
  }

  /** The 6.12 drivers' callbacks (the wait inside the write section) catch the exec mutants too. */
  @Test
  void theExecMutantsAreCaughtWithTheDriversCallbacks() {
    assertTrue(caught("CHECK_UNLOCKED (xe 6.12 callback)", seed -> UserptrSystem.xe(2, 2, HwBug.CHECK_UNLOCKED)) > 0);
    assertTrue(caught("NO_RECHECK (amdgpu 6.12 callback)", seed -> UserptrSystem.amdgpu(2, 2, HwBug.NO_RECHECK)) > 0);
  }
}
