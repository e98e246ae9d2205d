package org.syncref.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tlc2.value.impl.Value;

/**
 * Per-action step counts of a conformance run (generated programs or spec walks), with floors a
 * test asserts, so that a path the generator or the walker stops reaching fails the build instead
 * of silently leaving the spec unchecked there.
 *
 * <p>Every step counts under its TLA+ action name. A component may add {@link Label}s that name
 * a hard state reached by a step ({@code Put:forced-release}, {@code IsSignaled:peek}), computed
 * from the states before and after the step. Thread-safe: jqwik may run tries concurrently.
 *
 * <pre>
 * static final StepCounts COUNTS = new StepCounts("impl -> spec", FenceWorld.LABELS);
 * ... COUNTS.add(trace);
 * &#64;AfterContainer static void summary() {
 *   System.out.print(COUNTS.table());
 *   COUNTS.assertFloors(Map.of("HwComplete", 50L, "Put:forced-release", 5L));
 * }
 * </pre>
 */
public final class StepCounts {
  /** Extra names for a step, from the abstract states before and after it (never null). */
  @FunctionalInterface
  public interface Label {
    List<String> labels(Step step, Map<String, Value> before);
  }

  private final String title;
  private final List<Label> labels;
  private final Map<String, Long> counts = new TreeMap<>();
  private long traces;

  public StepCounts(String title, List<Label> labels) {
    this.title = title;
    this.labels = List.copyOf(labels);
  }

  /** Counts every step of {@code t}, under its action and its labels. */
  public synchronized void add(Trace t) {
    traces++;
    for (int i = 0; i < t.steps().size(); i++) {
      Step s = t.steps().get(i);
      counts.merge(s.action(), 1L, Long::sum);
      Map<String, Value> before = t.stateAfter(i);
      for (Label l : labels) {
        for (String name : l.labels(s, before)) {
          counts.merge(name, 1L, Long::sum);
        }
      }
    }
  }

  /** How many steps counted under {@code name} (an action or a label). */
  public synchronized long get(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** Every name with its count, sorted by name. */
  public synchronized Map<String, Long> counts() {
    return new LinkedHashMap<>(counts);
  }

  /** The counts as a table: a title line, then one "  name  count" line per name. */
  public synchronized String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(title).append(": steps per action (").append(traces).append(" traces)\n");
    int w = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
    counts.forEach((k, v) -> sb.append(String.format("  %-" + w + "s %8d%n", k, v)));
    return sb.toString();
  }

  /**
   * Throws an AssertionError naming every name whose count is below its floor (a floor for a name
   * never counted fails too), with the whole table.
   */
  public synchronized void assertFloors(Map<String, Long> floors) {
    List<String> low = new ArrayList<>();
    new TreeMap<>(floors).forEach((k, min) -> {
      long n = counts.getOrDefault(k, 0L);
      if (n < min) {
        low.add(k + " " + n + " < " + min);
      }
    });
    if (!low.isEmpty()) {
      throw new AssertionError(title + ": paths reached less often than their floor: "
          + String.join(", ", low) + "\n" + table());
    }
  }
}
