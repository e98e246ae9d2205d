package org.syncref.conformance;

/** The step floors of the WaitDie ww_mutex conformance (surefire execution of the WwWaitDie* classes). */
class WwWaitDieActionFloorExamples extends WwActionFloorsBase {
  WwWaitDieActionFloorExamples() {
    super(true);
  }
}
