package org.syncref.conformance.ww.nolockdep.woundwait;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.syncref.conformance.WwChecks;
import org.syncref.kernel.Kernel;

/**
 * The control of the build distinction, without lockdep: the Java ww_mutex of the lockdep build
 * (every lock through __mutex_lock_common, which clears a stale wound) judged against the spec
 * with Build = "production" (the fastpath keeps it) must be caught. The reverse control is in
 * {@link WwWoundWaitNegativeControlExamples}.
 */
class WwNoLockdepWoundWaitNegativeControlExamples {
  static final WwChecks CHECKS = new WwChecks(false, Kernel.Build.DEBUG_MUTEXES);
  static final int TRIES = 400;

  @Test
  void impl_to_spec_catches_the_lockdep_build_clearing_a_stale_wound() {
    String r = CHECKS.implToSpecCatches(Kernel.Build.DEBUG_LOCK_ALLOC, TRIES, 42);
    assertNotNull(r, "not caught in " + TRIES + " programs");
    assertTrue(r.contains("wounded"), r);
  }
}
