package org.syncref.litmus;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A register or literal value: an integer (errors are negative integers), a boolean, NULL, the
 * fences a call returned in the kernel's order ({@link FenceSeq}: dma_resv_get_fences' array, in
 * table order, duplicates kept; also a literal {@code [f1, f2]}) or a set of fences (a literal
 * {@code {f1, f2}}, which a comparison matches against the distinct fences of a sequence).
 * Registers that were never assigned hold {@link #UNSET}.
 */
public sealed interface Value permits Value.Int, Value.Bool, Value.Null, Value.FenceSet, Value.FenceSeq,
    Value.Unset {
  Value UNSET = new Unset();
  Value NULL = new Null();

  record Int(long v) implements Value {
    @Override
    public String toString() {
      String e = Calls.errnoName(v);
      if (v == Calls.MAX_SCHEDULE_TIMEOUT) {
        return Calls.MAX_SCHEDULE_TIMEOUT_WORD;
      }
      return e != null ? e : Long.toString(v);
    }
  }

  record Bool(boolean v) implements Value {
    @Override
    public String toString() {
      return Boolean.toString(v);
    }
  }

  record Null() implements Value {
    @Override
    public String toString() {
      return "NULL";
    }
  }

  /**
   * A set of fences by their litmus names, sorted: the literal {@code {f1, f2}}. No call returns
   * one; compared with a {@link FenceSeq} it asks which fences the sequence holds, not in which
   * order or how often (see {@link #same}).
   */
  record FenceSet(SortedSet<String> fences) implements Value {
    public static FenceSet of(List<String> names) {
      return new FenceSet(new TreeSet<>(names));
    }

    @Override
    public String toString() {
      return "{" + String.join(", ", fences) + "}";
    }
  }

  /**
   * Fences in the order a call returned them, duplicates kept: dma_resv_get_fences' array is the
   * unlocked walk of the table, so a fence that holds two entries (added with two usages, or
   * appended where the kernel replaces in place) appears twice. Printed and written {@code [f1,
   * f2]}.
   */
  record FenceSeq(List<String> fences) implements Value {
    public FenceSeq {
      fences = List.copyOf(fences);
    }

    @Override
    public String toString() {
      return "[" + String.join(", ", fences) + "]";
    }
  }

  /**
   * Whether two values compare equal in a condition ({@code ==}): a fence set and a fence
   * sequence are equal when the set is the sequence's distinct fences; other values by equality.
   */
  static boolean same(Value a, Value b) {
    if (a instanceof FenceSeq s && b instanceof FenceSet t) {
      return new TreeSet<>(s.fences()).equals(t.fences());
    }
    if (a instanceof FenceSet && b instanceof FenceSeq) {
      return same(b, a);
    }
    return a.equals(b);
  }

  record Unset() implements Value {
    @Override
    public String toString() {
      return "unset";
    }
  }
}
