package org.syncref.conformance.ww.waitdie;

import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.ww.WwConformancePropertiesBase;

/** ww_mutex conformance for Wait-Die (spec/WwMutex/MCWwMutexConformanceWD.cfg; surefire execution ww-wait-die-conformance). */
class WwWaitDieConformanceProperties extends WwConformancePropertiesBase {
  static final Shared SHARED = new Shared(true);

  WwWaitDieConformanceProperties() {
    super(SHARED);
  }

  @AfterContainer
  static void summary() {
    SHARED.printSummary();
  }
}
