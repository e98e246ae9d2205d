package org.syncref.conformance.ww.nolockdep.woundwait;

import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.ww.WwConformancePropertiesBase;
import org.syncref.kernel.Kernel;

/**
 * ww_mutex conformance for Wound-Wait on a kernel built without lockdep: the Java ww_mutex on
 * {@link Kernel.Build#DEBUG_MUTEXES} (the fastpaths) against
 * spec/WwMutex/MCWwMutexConformanceWW_nolockdep.cfg (Build = "production"); surefire execution
 * ww-nolockdep-wound-wait-conformance.
 */
class WwNoLockdepWoundWaitConformanceProperties extends WwConformancePropertiesBase {
  static final Shared SHARED = new Shared(false, Kernel.Build.DEBUG_MUTEXES);

  WwNoLockdepWoundWaitConformanceProperties() {
    super(SHARED);
  }

  @AfterContainer
  static void summary() {
    SHARED.printSummary();
  }
}
