package org.syncref.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Greedy delta shrinking of a failing list (drop chunks, then single elements, while it still
 * fails), for negative controls that look for a failure outside jqwik's own shrinking.
 */
public final class Shrinker {
  private Shrinker() {}

  /** A failing input found by {@link #firstFailure}: after how many tries, shrunk, and its report. */
  public record Found<T>(int tries, List<T> input, String report) {}

  /**
   * Tries up to {@code tries} inputs from {@code inputs}; the first one whose {@code failure}
   * is not null is shrunk, and the shrunk input is returned with its failure report (null if
   * none failed). The negative controls' search, for any kind of input (programs, walks).
   */
  public static <T> Found<T> firstFailure(int tries, java.util.function.Supplier<List<T>> inputs,
      java.util.function.Function<List<T>, String> failure) {
    for (int i = 0; i < tries; i++) {
      List<T> in = inputs.get();
      if (failure.apply(in) != null) {
        List<T> small = shrink(in, q -> failure.apply(q) != null);
        return new Found<>(i + 1, small, failure.apply(small));
      }
    }
    return null;
  }

  public static <T> List<T> shrink(List<T> failing, Predicate<List<T>> fails) {
    List<T> cur = new ArrayList<>(failing);
    for (int chunk = Math.max(1, cur.size() / 2); chunk >= 1; chunk /= 2) {
      boolean progress = true;
      while (progress) {
        progress = false;
        for (int i = 0; i + chunk <= cur.size(); ) {
          List<T> cand = new ArrayList<>(cur.subList(0, i));
          cand.addAll(cur.subList(i + chunk, cur.size()));
          if (fails.test(cand)) {
            cur = cand;
            progress = true;
          } else {
            i += chunk;
          }
        }
      }
    }
    return cur;
  }
}
