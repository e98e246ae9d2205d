package org.syncref.hw.userptr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.syncref.hw.ttm.HwBug;

/**
 * The userptr and its MMU interval notifier on fixed interleavings (spec/GpuMem/GpuMemUserptr.tla):
 * each race mainline wins, and the counterexample of each slice-4 {@code _bug} model, caught by
 * the MEM-USERPTR-NOTIFIER check.
 */
class UserptrExamples {
  static final String RULE = "MEM-USERPTR-NOTIFIER";

  /** Runs the named steps in order; each must be enabled. */
  static void run(UserptrSystem s, String... names) {
    for (String n : names) {
      UserptrSystem.Step step = s.enabledSteps().stream().filter(x -> x.name().startsWith(n)).findFirst()
          .orElseThrow(() -> new AssertionError(n + " is not enabled; enabled: " + s.enabledSteps() + "\n" + s.log()));
      step.effect().run();
    }
  }

  static boolean enabled(UserptrSystem s, String name) {
    return s.enabledSteps().stream().anyMatch(x -> x.name().startsWith(name));
  }

  static boolean caught(UserptrSystem s) {
    return s.violations().stream().anyMatch(v -> v.rule().equals(RULE));
  }

  /**
   * The invalidation runs between the exec's read_begin and its check: the check sees the new
   * sequence (-EAGAIN), the exec retries, obtains the new pages and its job touches those.
   */
  @Test
  void invalidationBeforeTheCheckMakesTheExecRetry() {
    UserptrSystem s = UserptrSystem.documented(1, 1);
    run(s, "UReadBegin", "UGetPages", "ULock", "UReserve");
    assertEquals(1, s.bo.boundTenure());
    run(s, "InvStart", "InvSetSeq", "InvWait", "InvUnmap");
    assertFalse(enabled(s, "InvEnd") && enabled(s, "UReadBegin"), "read_begin waits for the invalidation's end");
    run(s, "UCheck", "UUpRead", "UUnlock");
    assertEquals(1, s.current().retries());
    assertFalse(enabled(s, "UReadBegin"), "mmu_interval_read_begin sleeps until mn_itree_inv_end");
    run(s, "InvEnd", "UReadBegin", "UGetPages", "ULock", "UReserve", "UCheck", "UArm", "UAdd", "UUpRead", "UUnlock");
    assertEquals(2, s.bo.boundTenure());
    s.drain();
    assertEquals(List.of(), s.violations(), s.log());
    assertEquals(1, s.accesses());
  }

  /**
   * The exec holds the notifier lock for read: the invalidation's set_seq waits for its up_read,
   * and then waits for the job's BOOKKEEP fence before it returns.
   */
  @Test
  void invalidationAfterTheCheckWaitsForTheJob() {
    for (UserptrSystem s : List.of(UserptrSystem.documented(1, 1), UserptrSystem.xe(1, 1), UserptrSystem.amdgpu(1, 1))) {
      run(s, "UReadBegin", "UGetPages", "ULock", "UReserve", "UCheck", "InvStart");
      assertFalse(enabled(s, "InvSetSeq"), "down_write waits for the reader");
      run(s, "UArm", "UAdd", "UUpRead", "InvSetSeq");
      assertFalse(enabled(s, "InvWait"), "dma_resv_wait_timeout(BOOKKEEP) waits for the job");
      run(s, "UUnlock", "run_job", "complete", "InvWait", "InvUnmap", "InvEnd");
      assertEquals(List.of(), s.violations(), s.log());
      assertEquals(1, s.accesses());
    }
  }

  /**
   * GpuMemUserptr_check_unlocked_bug: the exec checks without the lock, the invalidation sets the
   * sequence, finds the resv empty and returns; the exec then publishes and the job touches the
   * released pages.
   */
  @Test
  void checkUnlockedIsCaught() {
    UserptrSystem s = UserptrSystem.documented(1, 1, HwBug.CHECK_UNLOCKED);
    run(s, "UReadBegin", "UGetPages", "ULock", "UReserve", "UCheck", "InvStart", "InvSetSeq", "InvWait",
        "UArm", "UAdd", "UUpRead", "UUnlock", "run_job", "complete");
    assertTrue(caught(s), s.log());
    UserptrSystem m = UserptrSystem.documented(1, 1);
    run(m, "UReadBegin", "UGetPages", "ULock", "UReserve", "UCheck", "InvStart");
    assertFalse(enabled(m, "InvSetSeq"), "mainline: the check holds the lock, set_seq waits");
  }

  /**
   * GpuMemUserptr_no_recheck_bug: the invalidation runs between read_begin and the check, the
   * exec takes the lock but does not compare the sequence, and its job touches the old pages.
   */
  @Test
  void noRecheckIsCaught() {
    UserptrSystem s = UserptrSystem.documented(1, 1, HwBug.NO_RECHECK);
    run(s, "UReadBegin", "UGetPages", "ULock", "UReserve", "InvStart", "InvSetSeq", "InvWait", "InvUnmap",
        "UCheck", "UArm", "UAdd", "UUpRead", "UUnlock", "run_job", "complete");
    assertTrue(caught(s), s.log());
  }

  /**
   * GpuMemUserptr_inval_waits_read_bug: the callback waits up to READ, so xe's BOOKKEEP job is
   * not waited for; amdgpu's WRITE job is (GpuMemUserptrImplicit: the mutant is harmless there).
   */
  @Test
  void invalWaitsReadIsCaughtForBookkeepJobsOnly() {
    UserptrSystem s = UserptrSystem.documented(1, 1, HwBug.INVAL_WAITS_READ);
    run(s, "UReadBegin", "UGetPages", "ULock", "UReserve", "UCheck", "UArm", "UAdd", "UUpRead", "UUnlock",
        "InvStart", "InvSetSeq", "InvWait", "run_job", "complete");
    assertTrue(caught(s), s.log());
    UserptrSystem w = new UserptrSystem(org.syncref.hw.ttm.SubmitMode.WRITE, false, 1, 1, HwBug.INVAL_WAITS_READ);
    run(w, "UReadBegin", "UGetPages", "ULock", "UReserve", "UCheck", "UArm", "UAdd", "UUpRead", "UUnlock",
        "InvStart", "InvSetSeq");
    assertFalse(enabled(w, "InvWait"), "a WRITE fence is within READ");
  }

  /** The notifier lock's misuse WARNs, as CONFIG_DEBUG_RWSEMS does; the mainline walks see none. */
  @Test
  void notifierLockMisuseWarns() {
    UserptrSystem s = UserptrSystem.documented(1, 1);
    s.notifierLock.upRead();
    s.notifierLock.upWrite();
    assertEquals(2, s.k.warnings().size(), s.k.warnings().toString());
    s.notifierLock.downRead();
    assertFalse(s.notifierLock.canDownWrite());
    s.notifierLock.upRead();
    assertTrue(s.notifierLock.canDownWrite());
  }
}
