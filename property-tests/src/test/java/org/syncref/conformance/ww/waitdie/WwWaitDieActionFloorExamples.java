package org.syncref.conformance.ww.waitdie;

import org.syncref.conformance.ww.WwActionFloorsBase;

/** The step floors of the WaitDie ww_mutex conformance (surefire execution of the WwWaitDie* classes). */
class WwWaitDieActionFloorExamples extends WwActionFloorsBase {
  WwWaitDieActionFloorExamples() {
    super(true);
  }
}
