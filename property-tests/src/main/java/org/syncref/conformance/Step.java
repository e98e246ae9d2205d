package org.syncref.conformance;

import java.util.List;
import java.util.Map;
import tlc2.value.impl.Value;

/**
 * One recorded kernel call: TLA+ action name, argument values in the action's parameter order, and
 * the abstract state after the call.
 */
public record Step(String action, List<String> args, Map<String, Value> state) {
  /** {@code Signal(t3, f2)}. */
  public String call() {
    return action + "(" + String.join(", ", args) + ")";
  }
}
