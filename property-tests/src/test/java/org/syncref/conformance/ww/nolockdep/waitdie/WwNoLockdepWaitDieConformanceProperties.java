package org.syncref.conformance.ww.nolockdep.waitdie;

import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.ww.WwConformancePropertiesBase;
import org.syncref.kernel.Kernel;

/**
 * ww_mutex conformance for Wait-Die on a kernel built without lockdep: the Java ww_mutex on
 * {@link Kernel.Build#DEBUG_MUTEXES} (the fastpaths) against
 * spec/WwMutex/MCWwMutexConformanceWD_nolockdep.cfg (Build = "production"); surefire execution
 * ww-nolockdep-wait-die-conformance.
 */
class WwNoLockdepWaitDieConformanceProperties extends WwConformancePropertiesBase {
  static final Shared SHARED = new Shared(true, Kernel.Build.DEBUG_MUTEXES);

  WwNoLockdepWaitDieConformanceProperties() {
    super(SHARED);
  }

  @AfterContainer
  static void summary() {
    SHARED.printSummary();
  }
}
