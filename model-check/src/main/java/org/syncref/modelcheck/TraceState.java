package org.syncref.modelcheck;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One state of a TLC counterexample as TLC printed it.
 *
 * @param number the 1-based position TLC gave it
 * @param label TLC's label, e.g. {@code <Signal line 7, col 3 to line 9, col 50 of module DmaFence>},
 *     {@code <Initial predicate>}, {@code Stuttering} or {@code Back to state 3}
 * @param action the action name from the label, e.g. {@code Signal} (the label itself when it names none)
 * @param vars variable name to value (TLA+ text), in TLC's order
 */
public record TraceState(int number, String label, String action, Map<String, String> vars) {
  private static final Pattern HEAD = Pattern.compile("^(\\d+): (.*)$");
  private static final Pattern ACTION = Pattern.compile("^<([^ >]+)(?: line \\d+.*)?>$");
  private static final Pattern VAR = Pattern.compile("^(?:/\\\\ )?([A-Za-z_][A-Za-z0-9_]*) = (.*)$");

  /** True for the initial state. */
  public boolean isInitial() {
    return label.equals("<Initial predicate>");
  }

  /** Parses the body of a TLC_STATE_PRINT message; returns null if it is not a numbered state. */
  public static TraceState parse(String body) {
    String[] lines = body.split("\n");
    Matcher head = HEAD.matcher(lines[0].strip());
    if (!head.matches()) {
      return null;
    }
    String label = head.group(2).strip();
    Matcher am = ACTION.matcher(label);
    String action = label.equals("<Initial predicate>") ? "Initial predicate" : am.matches() ? am.group(1) : label;
    Map<String, String> vars = new LinkedHashMap<>();
    String current = null;
    StringBuilder value = null;
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i];
      if (l.isBlank()) {
        continue;
      }
      Matcher vm = VAR.matcher(l);
      if (vm.matches() && (l.startsWith("/\\ ") || current == null)) {
        if (current != null) {
          vars.put(current, value.toString().strip());
        }
        current = vm.group(1);
        value = new StringBuilder(vm.group(2));
      } else if (current != null) {
        value.append('\n').append(l);
      }
    }
    if (current != null) {
      vars.put(current, value.toString().strip());
    }
    return new TraceState(Integer.parseInt(head.group(1)), label, action, vars);
  }
}
