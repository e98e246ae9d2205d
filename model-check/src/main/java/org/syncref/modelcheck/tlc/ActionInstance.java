package org.syncref.modelcheck.tlc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tlc2.tool.Action;

/** One disjunct of {@code Next} with its {@code \E}-bound arguments, e.g. {@code Signal(t = t1, f = f2)}. */
public final class ActionInstance {
  private final String name;
  private final LinkedHashMap<String, String> args;
  private final String key;
  final Action action;

  ActionInstance(String name, LinkedHashMap<String, String> args, Action action) {
    this.name = name;
    this.args = args;
    this.action = action;
    this.key = key(name, args.values().toArray(new String[0]));
  }

  /** The TLA+ operator name, e.g. {@code Signal}. */
  public String name() {
    return name;
  }

  /** Parameter name to value (TLC's printed form), in the operator's parameter order. */
  public Map<String, String> args() {
    return args;
  }

  /** Lookup key: name and argument values, e.g. {@code Signal(t1,f2)}. */
  public String key() {
    return key;
  }

  static String key(String name, String... argValues) {
    return name + "(" + String.join(",", argValues) + ")";
  }

  @Override
  public String toString() {
    if (args.isEmpty()) {
      return name;
    }
    return name
        + args.entrySet().stream()
            .map(e -> e.getKey() + " = " + e.getValue())
            .collect(Collectors.joining(", ", "(", ")"));
  }
}
