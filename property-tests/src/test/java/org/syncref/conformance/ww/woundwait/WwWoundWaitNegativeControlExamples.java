package org.syncref.conformance.ww.woundwait;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.syncref.conformance.WwChecks;
import org.syncref.kernel.InjectedBug;

/**
 * Negative controls for the Wound-Wait ww_mutex conformance: both directions run against a
 * deliberately broken Java ww_mutex and must fail; the failing program (or walk) is shrunk and
 * its trace printed as numbered steps.
 */
class WwWoundWaitNegativeControlExamples {
  static final WwChecks CHECKS = new WwChecks(false);
  static final int TRIES = 400;

  @Test
  void impl_to_spec_catches_a_wounded_context_that_backs_off_at_an_uncontended_lock() {
    String r = CHECKS.implToSpecCatches(InjectedBug.WW_WOUND_WAIT_EAGER_BACKOFF, TRIES, 42);
    assertNotNull(r, "not caught in " + TRIES + " programs");
    assertTrue(r.contains("Lock("), r);
  }

  @Test
  void spec_to_impl_catches_a_wounded_context_that_backs_off_at_an_uncontended_lock() {
    String r = CHECKS.specToImplCatches(InjectedBug.WW_WOUND_WAIT_EAGER_BACKOFF, TRIES, 7);
    assertNotNull(r, "not caught in " + TRIES + " walks");
    assertTrue(r.contains("Lock("), r);
  }

  /**
   * The build distinction: the Java fastpath build (a kernel without lockdep, which keeps a stale
   * wound) judged against the lockdep spec must be caught; the reverse control is in
   * WwNoLockdepWoundWaitNegativeControlExamples.
   */
  @Test
  void impl_to_spec_catches_the_fastpath_build_keeping_a_stale_wound() {
    String r = CHECKS.implToSpecCatches(org.syncref.kernel.Kernel.Build.DEBUG_MUTEXES, TRIES, 42);
    assertNotNull(r, "not caught in " + TRIES + " programs");
    assertTrue(r.contains("wounded"), r);
  }

  @Test
  void impl_to_spec_catches_a_lock_that_forgets_to_count_acquired() {
    String r = CHECKS.implToSpecCatches(InjectedBug.WW_LOCK_FORGETS_ACQUIRED, TRIES, 42);
    assertNotNull(r, "not caught in " + TRIES + " programs");
  }

  /**
   * A Java mutex without lock stealing (trylock and the lock's pre-queue trylock refuse a free
   * mutex with waiters), as the spec had it before: impl to spec sees a Trylock (or Lock) that the
   * spec says takes the free lock return 0 (or sleep), spec to impl sees Java refuse it.
   */
  @Test
  void impl_to_spec_catches_a_mutex_without_lock_stealing() {
    String r = CHECKS.implToSpecCatches(InjectedBug.WW_NO_LOCK_STEALING, TRIES, 42);
    assertNotNull(r, "not caught in " + TRIES + " programs");
    assertTrue(r.contains("Trylock(") || r.contains("Lock("), r);
  }

  @Test
  void spec_to_impl_catches_a_mutex_without_lock_stealing() {
    String r = CHECKS.specToImplCatches(InjectedBug.WW_NO_LOCK_STEALING, TRIES, 7);
    assertNotNull(r, "not caught in " + TRIES + " walks");
    assertTrue(r.contains("Trylock(") || r.contains("Lock("), r);
  }
}
