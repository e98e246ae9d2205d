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
