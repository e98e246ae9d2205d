package org.syncref.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import org.syncref.modelcheck.tlc.V;
import tlc2.value.impl.Applicable;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.Enumerable;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import tlc2.value.impl.ValueEnumeration;

/**
 * The constants of the conformance model loaded in this JVM, read through TLC's evaluator: the
 * worlds and generators take their threads, fences, resvs, locks, bounds from here instead of
 * copying the config, so that a world cannot disagree with the model it is checked against.
 *
 * <p>TLC holds one spec per JVM ({@link TlcEvaluator#load}); a world reads the model that is
 * loaded (DmaResv's conformance model has DmaFence's constants, so {@link FenceWorld} reads
 * either), and loads its component's own model if none is.
 */
public final class ModelConstants {
  private ModelConstants() {}

  /** The model loaded in this JVM, or {@code orLoad}'s if none is loaded yet. */
  public static TlcEvaluator model(Supplier<TlcEvaluator> orLoad) {
    return TlcEvaluator.current().orElseGet(orLoad);
  }

  /** The names of a set of model values ({@code Threads = {t1, t2, t3}}), t1 before t2 before t10. */
  public static List<String> names(TlcEvaluator ev, String constant) {
    List<String> out = new ArrayList<>();
    for (Value v : elements(ev.constant(constant), constant)) {
      out.add(v.toString());
    }
    out.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    return List.copyOf(out);
  }

  /** An integer constant ({@code MaxRefs = 4}). */
  public static int integer(TlcEvaluator ev, String constant) {
    return asInt(ev.constant(constant), constant);
  }

  /** A set of integers ({@code Timeouts <- CTimeouts}), ascending. */
  public static int[] integers(TlcEvaluator ev, String constant) {
    List<Value> vs = elements(ev.constant(constant), constant);
    return vs.stream().mapToInt(v -> asInt(v, constant)).sorted().toArray();
  }

  /** A function constant applied to a model value ({@code FenceCtx[f1]}). */
  public static Value apply(TlcEvaluator ev, String constant, String arg) {
    Value f = ev.constant(constant);
    if (!(f instanceof Applicable a)) {
      throw new IllegalStateException(constant + " is not a function: " + f);
    }
    return (Value) a.apply(V.mv(arg), tlc2.tool.EvalControl.Clear);
  }

  /** {@link #apply} of an integer-valued function. */
  public static int intAt(TlcEvaluator ev, String constant, String arg) {
    return asInt(apply(ev, constant, arg), constant + "[" + arg + "]");
  }

  /** {@link #apply} of a Boolean-valued function. */
  public static boolean boolAt(TlcEvaluator ev, String constant, String arg) {
    Value v = apply(ev, constant, arg);
    if (!(v instanceof BoolValue b)) {
      throw new IllegalStateException(constant + "[" + arg + "] is not a Boolean: " + v);
    }
    return b.val;
  }

  /** {@link #apply} of a function to model values, as the value's name. */
  public static String nameAt(TlcEvaluator ev, String constant, String arg) {
    return apply(ev, constant, arg).toString();
  }

  /** {@link #apply} of a string-valued function ({@code Client[t1] = "drm_exec"}), unquoted. */
  public static String stringAt(TlcEvaluator ev, String constant, String arg) {
    Value v = apply(ev, constant, arg);
    if (!(v instanceof tlc2.value.impl.StringValue str)) {
      throw new IllegalStateException(constant + "[" + arg + "] is not a string: " + v);
    }
    return str.getVal().toString();
  }

  /** {@link #apply} of a function to tuples of model values, as their names. */
  public static List<String> namesAt(TlcEvaluator ev, String constant, String arg) {
    Value v = apply(ev, constant, arg);
    if (!(v instanceof TupleValue t)) {
      throw new IllegalStateException(constant + "[" + arg + "] is not a tuple: " + v);
    }
    List<String> out = new ArrayList<>();
    for (Value e : t.elems) {
      out.add(e.toString());
    }
    return List.copyOf(out);
  }

  private static List<Value> elements(Value set, String constant) {
    if (!(set instanceof Enumerable e)) {
      throw new IllegalStateException(constant + " is not a finite set: " + set);
    }
    List<Value> out = new ArrayList<>();
    ValueEnumeration en = e.elements();
    for (Value v = en.nextElement(); v != null; v = en.nextElement()) {
      out.add(v);
    }
    return out;
  }

  private static int asInt(Value v, String what) {
    if (!(v instanceof IntValue i)) {
      throw new IllegalStateException(what + " is not an integer: " + v);
    }
    return i.val;
  }
}
