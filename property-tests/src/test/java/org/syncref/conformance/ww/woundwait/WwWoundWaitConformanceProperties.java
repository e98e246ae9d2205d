package org.syncref.conformance.ww.woundwait;

import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.ww.WwConformancePropertiesBase;

/** ww_mutex conformance for Wound-Wait (spec/WwMutex/MCWwMutexConformanceWW.cfg; surefire execution ww-wound-wait-conformance). */
class WwWoundWaitConformanceProperties extends WwConformancePropertiesBase {
  static final Shared SHARED = new Shared(false);

  WwWoundWaitConformanceProperties() {
    super(SHARED);
  }

  @AfterContainer
  static void summary() {
    SHARED.printSummary();
  }
}
