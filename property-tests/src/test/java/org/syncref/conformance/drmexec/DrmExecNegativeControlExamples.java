package org.syncref.conformance.drmexec;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.syncref.conformance.DrmExecChecks;
import org.syncref.kernel.InjectedBug;

/**
 * Negative controls for the drm_exec conformance: both directions run against a deliberately
 * broken Java DrmExec (or I915GemWwCtx) and must fail; the failing program (or walk) is shrunk
 * and its trace printed as numbered steps, with the number of programs or walks it took.
 */
class DrmExecNegativeControlExamples {
  static final DrmExecChecks CHECKS = new DrmExecChecks();
  static final int TRIES = 300;

  private static void implToSpec(InjectedBug bug, String step) {
    DrmExecChecks.Caught c = CHECKS.implToSpecCatches(bug, TRIES, 42);
    assertNotNull(c, bug + " not caught in " + TRIES + " programs");
    assertTrue(c.report().contains(step), c.report());
  }

  private static void specToImpl(InjectedBug bug, String step) {
    DrmExecChecks.Caught c = CHECKS.specToImplCatches(bug, TRIES, 7);
    assertNotNull(c, bug + " not caught in " + TRIES + " walks");
    assertTrue(c.report().contains(step), c.report());
  }

  @Test
  void impl_to_spec_catches_a_retry_that_keeps_the_locks() {
    implToSpec(InjectedBug.DRM_EXEC_RETRY_KEEPS_LOCKS, "UnlockAll(");
  }

  @Test
  void spec_to_impl_catches_a_retry_that_keeps_the_locks() {
    specToImpl(InjectedBug.DRM_EXEC_RETRY_KEEPS_LOCKS, "UnlockAll(");
  }

  @Test
  void impl_to_spec_catches_a_contended_object_not_slow_locked_first() {
    implToSpec(InjectedBug.DRM_EXEC_CONTENDED_NOT_SLOW_LOCKED, "Body(");
  }

  @Test
  void spec_to_impl_catches_a_contended_object_not_slow_locked_first() {
    specToImpl(InjectedBug.DRM_EXEC_CONTENDED_NOT_SLOW_LOCKED, "Body(");
  }

  @Test
  void impl_to_spec_catches_a_duplicate_accepted_without_ignore_duplicates() {
    implToSpec(InjectedBug.DRM_EXEC_DUPLICATE_WITHOUT_FLAG, "LockDone(");
  }

  @Test
  void spec_to_impl_catches_a_duplicate_accepted_without_ignore_duplicates() {
    specToImpl(InjectedBug.DRM_EXEC_DUPLICATE_WITHOUT_FLAG, "LockDone(");
  }

  /**
   * WW_NO_LOCK_STEALING: a client's dma_resv_lock of a released lock whose woken waiter has not
   * run yet does not take it (it sleeps, or a younger context gets -EDEADLK), where mutex.c (and
   * WwCalls' LockCall) takes it: the spec's successor has another lock owner. Reached only
   * because sleepers run when the schedule says.
   */
  @Test
  void impl_to_spec_catches_a_mutex_without_lock_stealing() {
    implToSpec(InjectedBug.WW_NO_LOCK_STEALING, "lockOwner: spec");
  }

  @Test
  void spec_to_impl_catches_a_mutex_without_lock_stealing() {
    specToImpl(InjectedBug.WW_NO_LOCK_STEALING, "lockOwner: spec");
  }

  @Test
  void impl_to_spec_catches_slots_reserved_in_the_first_pass_only() {
    implToSpec(InjectedBug.DRM_EXEC_RESERVE_FIRST_PASS_ONLY, "Reserve(");
  }

  @Test
  void spec_to_impl_catches_slots_reserved_in_the_first_pass_only() {
    specToImpl(InjectedBug.DRM_EXEC_RESERVE_FIRST_PASS_ONLY, "Reserve(");
  }
}
