package org.syncref.litmus;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A register or literal value: an integer (errors are negative integers), a boolean, NULL, or a
 * set of fences (dma_resv_get_fences). Registers that were never assigned hold {@link #UNSET}.
 */
public sealed interface Value permits Value.Int, Value.Bool, Value.Null, Value.FenceSet, Value.Unset {
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

  /** A set of fences by their litmus names, sorted. */
  record FenceSet(SortedSet<String> fences) implements Value {
    public static FenceSet of(List<String> names) {
      return new FenceSet(new TreeSet<>(names));
    }

    @Override
    public String toString() {
      return "{" + String.join(", ", fences) + "}";
    }
  }

  record Unset() implements Value {
    @Override
    public String toString() {
      return "unset";
    }
  }
}
