package org.syncref.conformance.ww.woundwait;

import org.syncref.conformance.ww.WwActionFloorsBase;

/** The step floors of the WoundWait ww_mutex conformance (surefire execution of the WwWoundWait* classes). */
class WwWoundWaitActionFloorExamples extends WwActionFloorsBase {
  WwWoundWaitActionFloorExamples() {
    super(false);
  }
}
