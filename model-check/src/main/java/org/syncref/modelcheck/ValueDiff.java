package org.syncref.modelcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares two TLA+ values as TLC prints them and lists what changed, descending into functions
 * ({@code (a :> 1 @@ b :> 2)}), records ({@code [x |-> 1]}) and equal-length tuples, so that only
 * the changed keys are shown.
 */
public final class ValueDiff {
  private ValueDiff() {}

  /** One changed place: {@code path: before -> after}; {@code before} or {@code after} is null when absent. */
  public record Change(String path, String before, String after) {
    @Override
    public String toString() {
      return toString(Integer.MAX_VALUE);
    }

    /** As {@link #toString()}, with each value cut to at most {@code max} characters. */
    public String toString(int max) {
      return path + ": " + cut(before == null ? "(absent)" : before, max) + " -> "
          + cut(after == null ? "(absent)" : after, max);
    }

    private static String cut(String v, int max) {
      return v.length() <= max ? v : v.substring(0, Math.max(0, max - 3)) + "...";
    }
  }

  /** The changes between {@code before} and {@code after} of the variable {@code name}. */
  public static List<Change> diff(String name, String before, String after) {
    List<Change> out = new ArrayList<>();
    diff(name, flat(before), flat(after), out, 0);
    return out;
  }

  private static String flat(String v) {
    return v == null ? null : v.replaceAll("\\s*\n\\s*", " ").strip();
  }

  private static void diff(String path, String a, String b, List<Change> out, int depth) {
    if (a == null || b == null || a.equals(b)) {
      if (a == null ? b != null : !a.equals(b)) {
        out.add(new Change(path, a, b));
      }
      return;
    }
    if (depth < 8) {
      Map<String, String> ma = entries(a);
      Map<String, String> mb = entries(b);
      if (ma != null && mb != null && kind(a) == kind(b)
          && (kind(a) != '<' || ma.size() == mb.size())) {
        Set<String> keys = new LinkedHashSet<>(ma.keySet());
        keys.addAll(mb.keySet());
        for (String k : keys) {
          String sub = kind(a) == '[' ? path + "." + k : path + "[" + k + "]";
          diff(sub, ma.get(k), mb.get(k), out, depth + 1);
        }
        return;
      }
    }
    out.add(new Change(path, a, b));
  }

  private static char kind(String v) {
    if (v.startsWith("<<")) {
      return '<';
    }
    return v.charAt(0);
  }

  /** The key/value pairs of a function, record or tuple value, or null for any other value. */
  static Map<String, String> entries(String v) {
    v = v.strip();
    Map<String, String> m = new LinkedHashMap<>();
    if (v.startsWith("(") && v.endsWith(")") && enclosing(v, 1)) {
      String inner = v.substring(1, v.length() - 1);
      for (String part : split(inner, "@@")) {
        List<String> kv = split(part, ":>");
        if (kv.size() != 2) {
          return null;
        }
        m.put(kv.get(0).strip(), kv.get(1).strip());
      }
      return m;
    }
    if (v.startsWith("[") && v.endsWith("]") && enclosing(v, 1) && v.contains("|->")) {
      for (String part : split(v.substring(1, v.length() - 1), ",")) {
        List<String> kv = split(part, "|->");
        if (kv.size() != 2) {
          return null;
        }
        m.put(kv.get(0).strip(), kv.get(1).strip());
      }
      return m;
    }
    if (v.startsWith("<<") && v.endsWith(">>") && enclosing(v, 2)) {
      String inner = v.substring(2, v.length() - 2).strip();
      if (inner.isEmpty()) {
        return m;
      }
      int i = 1;
      for (String part : split(inner, ",")) {
        m.put(Integer.toString(i++), part.strip());
      }
      return m;
    }
    return null;
  }

  /** True if the opening bracket (of width {@code w}) at 0 closes at the very end of {@code v}. */
  private static boolean enclosing(String v, int w) {
    int depth = 0;
    boolean str = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (str) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          str = false;
        }
        continue;
      }
      int d = delta(v, i);
      if (c == '"') {
        str = true;
      }
      if (d != 0) {
        depth += d;
        if (Math.abs(d) == 2) {
          i++;
        }
        if (depth == 0) {
          return i == v.length() - 1;
        }
      }
    }
    return false;
  }

  /** +1/-1 for single brackets, +2/-2 for {@code <<} / {@code >>} (one nesting level, two chars), 0 otherwise. */
  private static int delta(String v, int i) {
    char c = v.charAt(i);
    if (c == '(' || c == '[' || c == '{') {
      return 1;
    }
    if (c == ')' || c == ']' || c == '}') {
      return -1;
    }
    if (c == '<' && i + 1 < v.length() && v.charAt(i + 1) == '<') {
      return 2;
    }
    if (c == '>' && i + 1 < v.length() && v.charAt(i + 1) == '>' && (i == 0 || v.charAt(i - 1) != ':')
        && (i == 0 || v.charAt(i - 1) != '-')) {
      return -2;
    }
    return 0;
  }

  /** Splits {@code s} at top-level occurrences of {@code sep}. */
  static List<String> split(String s, String sep) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean str = false;
    int last = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (str) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          str = false;
        }
        continue;
      }
      if (c == '"') {
        str = true;
        continue;
      }
      if (depth == 0 && s.startsWith(sep, i)) {
        parts.add(s.substring(last, i));
        i += sep.length() - 1;
        last = i + 1;
        continue;
      }
      int d = delta(s, i);
      if (d != 0) {
        depth += Integer.signum(d);
        if (Math.abs(d) == 2) {
          i++;
        }
      }
    }
    parts.add(s.substring(last));
    return parts;
  }
}
