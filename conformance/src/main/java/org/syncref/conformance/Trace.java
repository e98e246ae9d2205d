package org.syncref.conformance;

import java.util.List;
import java.util.Map;
import tlc2.value.impl.Value;

/** A recorded behaviour of the Java implementation: the initial abstract state and the steps. */
public record Trace(Map<String, Value> initial, List<Step> steps) {
  /** The state after step i (1-based); step 0 is the initial state. */
  public Map<String, Value> stateAfter(int i) {
    return i == 0 ? initial : steps.get(i - 1).state();
  }
}
