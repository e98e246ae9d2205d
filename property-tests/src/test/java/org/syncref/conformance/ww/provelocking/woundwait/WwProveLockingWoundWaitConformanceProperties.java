package org.syncref.conformance.ww.provelocking.woundwait;

import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.ww.WwConformancePropertiesBase;
import org.syncref.kernel.Kernel;

/**
 * ww_mutex conformance for Wound-Wait on a CONFIG_PROVE_LOCKING kernel: the Java ww_mutex on
 * {@link Kernel.Build#PROVE_LOCKING} (deadlock injection with the kernel's countdown) against
 * spec/WwMutex/MCWwMutexConformanceWW_prove_locking.cfg (Build = "prove-locking": any lock that
 * succeeds with another held may be injected); surefire execution
 * ww-prove-locking-wound-wait-conformance.
 */
class WwProveLockingWoundWaitConformanceProperties extends WwConformancePropertiesBase {
  static final Shared SHARED = new Shared(false, Kernel.Build.PROVE_LOCKING);

  WwProveLockingWoundWaitConformanceProperties() {
    super(SHARED);
  }

  @AfterContainer
  static void summary() {
    SHARED.printSummary();
  }
}
