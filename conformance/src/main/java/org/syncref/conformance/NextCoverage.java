package org.syncref.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * The step floors of a conformance direction, keyed by the actions of the loaded model's
 * next-state relation as TLC splits it ({@link TlcEvaluator#actions()}), not by a hand-written
 * list: every action of Next gets a default floor, a hand map only raises some floors (or adds
 * floors of labels, {@code Action:label}), and an action that the direction cannot produce is
 * excused with its reason. So an action added to Next that no generator command makes fails the
 * floor check ({@link StepCounts#assertFloors}) by name, instead of going unchecked.
 */
public final class NextCoverage {
  private NextCoverage() {}

  /** The names of the actions of Next in the evaluator's model, sorted. */
  public static SortedSet<String> actionsOfNext(TlcEvaluator ev) {
    SortedSet<String> names = new TreeSet<>();
    for (ActionInstance a : ev.actions()) {
      names.add(a.name());
    }
    return names;
  }

  /**
   * The floors: {@code defaultFloor} for every action of Next, except those in {@code excused}
   * (name to the reason the direction never produces it); {@code raised} overrides or adds
   * floors. Throws if {@code raised} or {@code excused} names an action that is not in Next (a
   * label's action is the part before its ':'), so that no floor outlives its action.
   */
  public static Map<String, Long> floors(TlcEvaluator ev, long defaultFloor, Map<String, Long> raised,
      Map<String, String> excused) {
    SortedSet<String> next = actionsOfNext(ev);
    List<String> unknown = new ArrayList<>();
    for (String k : raised.keySet()) {
      String action = k.contains(":") ? k.substring(0, k.indexOf(':')) : k;
      if (!next.contains(action)) {
        unknown.add("floor " + k);
      }
      if (excused.containsKey(action)) {
        unknown.add("floor " + k + " of an excused action");
      }
    }
    for (String k : excused.keySet()) {
      if (!next.contains(k)) {
        unknown.add("excused " + k);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("not actions of Next " + next + ": " + unknown);
    }
    Map<String, Long> out = new TreeMap<>();
    for (String a : next) {
      if (!excused.containsKey(a)) {
        out.put(a, defaultFloor);
      }
    }
    out.putAll(raised);
    return out;
  }

  /** Two maps of excused actions in one (the reasons of both where both name an action). */
  public static Map<String, String> union(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, (x, y) -> x + "; " + y));
    return out;
  }

  /** {@link #floors} with the default floor 1: every action of Next at least once. */
  public static Map<String, Long> floors(TlcEvaluator ev, Map<String, Long> raised, Map<String, String> excused) {
    return floors(ev, 1, raised, excused);
  }
}
