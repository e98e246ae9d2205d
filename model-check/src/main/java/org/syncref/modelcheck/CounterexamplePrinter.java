package org.syncref.modelcheck;

import java.util.List;
import java.util.Map;

/**
 * Formats a TLC counterexample for people: one numbered step per action with its parameters,
 * then only the variables (or function keys) the step changed.
 */
public final class CounterexamplePrinter {
  private static final int COMPACT_VALUE = 60;

  private CounterexamplePrinter() {}

  /**
   * Formats {@code trace}.
   *
   * @param labels the step label (e.g. {@code Signal(t = t1, f = f2)}) per trace state, or null
   *     entries where unknown (then TLC's action name is shown)
   * @param compact omit the initial state's variables and shorten long values
   * @param indent prefix of every line
   */
  public static String format(List<TraceState> trace, List<String> labels, boolean compact, String indent) {
    StringBuilder sb = new StringBuilder();
    int width = Integer.toString(trace.size()).length();
    TraceState prev = null;
    for (int i = 0; i < trace.size(); i++) {
      TraceState s = trace.get(i);
      String label = labels != null && i < labels.size() && labels.get(i) != null ? labels.get(i) : s.action();
      String num = String.format("%" + width + "d. ", s.number());
      sb.append(indent).append(num).append(label).append('\n');
      String pad = indent + " ".repeat(num.length() + 2);
      if (prev == null || s.isInitial()) {
        if (!compact) {
          for (Map.Entry<String, String> e : s.vars().entrySet()) {
            sb.append(pad).append(e.getKey()).append(" = ").append(flat(e.getValue())).append('\n');
          }
        } else if (!s.vars().isEmpty()) {
          sb.append(pad).append("(initial state: ").append(s.vars().size()).append(" variables)\n");
        }
      } else {
        for (Map.Entry<String, String> e : s.vars().entrySet()) {
          for (ValueDiff.Change c : ValueDiff.diff(e.getKey(), prev.vars().get(e.getKey()), e.getValue())) {
            sb.append(pad).append(compact ? c.toString(COMPACT_VALUE) : c.toString()).append('\n');
          }
        }
      }
      if (!s.vars().isEmpty()) {
        prev = s;
      }
    }
    return sb.toString();
  }

  private static String flat(String v) {
    return v.replaceAll("\\s*\n\\s*", " ");
  }
}
