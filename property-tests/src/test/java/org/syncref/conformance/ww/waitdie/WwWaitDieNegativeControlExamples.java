package org.syncref.conformance.ww.waitdie;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.syncref.conformance.WwChecks;
import org.syncref.kernel.InjectedBug;

/**
 * Negative controls for the Wait-Die ww_mutex conformance: both directions run against a
 * deliberately broken Java ww_mutex and must fail; the failing program (or walk) is shrunk and
 * its trace printed as numbered steps.
 */
class WwWaitDieNegativeControlExamples {
  static final WwChecks CHECKS = new WwChecks(true);
  static final int TRIES = 400;

  @Test
  void impl_to_spec_catches_a_younger_context_that_waits_instead_of_dying() {
    String r = CHECKS.implToSpecCatches(InjectedBug.WW_WAIT_DIE_YOUNGER_WAITS, TRIES, 42);
    assertNotNull(r, "not caught in " + TRIES + " programs");
    assertTrue(r.contains("Lock("), r);
  }

  @Test
  void spec_to_impl_catches_a_younger_context_that_waits_instead_of_dying() {
    String r = CHECKS.specToImplCatches(InjectedBug.WW_WAIT_DIE_YOUNGER_WAITS, TRIES, 7);
    assertNotNull(r, "not caught in " + TRIES + " walks");
    assertTrue(r.contains("Lock("), r);
  }

  /**
   * The control of the prove-locking build: the Java ww_mutex with deadlock injection judged
   * against the debug-lock-alloc spec (no injection) must be caught: a lock that succeeded with
   * another held returns -EDEADLK where the spec says it takes the lock or waits.
   */
  @Test
  void impl_to_spec_catches_the_prove_locking_build_injecting_edeadlk() {
    String r = CHECKS.implToSpecCatches(org.syncref.kernel.Kernel.Build.PROVE_LOCKING, TRIES, 42);
    assertNotNull(r, "not caught in " + TRIES + " programs");
    assertTrue(r.contains("-35"), r);
  }

  @Test
  void impl_to_spec_catches_a_lock_that_forgets_to_count_acquired() {
    String r = CHECKS.implToSpecCatches(InjectedBug.WW_LOCK_FORGETS_ACQUIRED, TRIES, 42);
    assertNotNull(r, "not caught in " + TRIES + " programs");
  }

  @Test
  void spec_to_impl_catches_a_lock_that_forgets_to_count_acquired() {
    String r = CHECKS.specToImplCatches(InjectedBug.WW_LOCK_FORGETS_ACQUIRED, TRIES, 7);
    assertNotNull(r, "not caught in " + TRIES + " walks");
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
