package org.syncref.conformance;

import java.util.List;
import java.util.Map;
import tlc2.value.impl.Value;

/**
 * One recorded kernel call: TLA+ action name, argument values in the action's parameter order, and
 * the abstract state after the call (variable name to value, in the recorder's fixed order; {@link
 * #values()} holds the same values positionally, for binding without name lookups).
 */
public record Step(String action, List<String> args, Map<String, Value> state, Value[] values) {
  public Step(String action, List<String> args, Map<String, Value> state) {
    this(action, args, state, state.values().toArray(new Value[0]));
  }

  /** {@code Signal(t3, f2)}. */
  public String call() {
    return action + "(" + String.join(", ", args) + ")";
  }
}
