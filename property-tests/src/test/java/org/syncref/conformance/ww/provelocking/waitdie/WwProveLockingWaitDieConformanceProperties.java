package org.syncref.conformance.ww.provelocking.waitdie;

import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.ww.WwConformancePropertiesBase;
import org.syncref.kernel.Kernel;

/**
 * ww_mutex conformance for Wait-Die on a CONFIG_PROVE_LOCKING kernel: the Java ww_mutex on
 * {@link Kernel.Build#PROVE_LOCKING} (deadlock injection with the kernel's countdown) against
 * spec/WwMutex/MCWwMutexConformanceWD_prove_locking.cfg (Build = "prove-locking": any lock that
 * succeeds with another held may be injected); surefire execution
 * ww-prove-locking-wait-die-conformance.
 */
class WwProveLockingWaitDieConformanceProperties extends WwConformancePropertiesBase {
  static final Shared SHARED = new Shared(true, Kernel.Build.PROVE_LOCKING);

  WwProveLockingWaitDieConformanceProperties() {
    super(SHARED);
  }

  @AfterContainer
  static void summary() {
    SHARED.printSummary();
  }
}
