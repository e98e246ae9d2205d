package org.syncref.modelcheck.tlc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.UniqueString;

/** Builders for normalized TLC values, so that Java data can be compared with spec states. */
public final class V {
  private V() {}

  public static Value i(long n) {
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("TLC integers are 32-bit: " + n);
    }
    return IntValue.gen((int) n);
  }

  public static Value b(boolean b) {
    return b ? BoolValue.ValTrue : BoolValue.ValFalse;
  }

  public static Value s(String s) {
    return new StringValue(s);
  }

  /** A model value declared in the config, e.g. {@code t1} or {@code None}. */
  public static Value mv(String name) {
    return ModelValue.make(name);
  }

  /** A function given by its (finite) graph. */
  public static Value fcn(Map<Value, Value> graph) {
    Value[] dom = graph.keySet().toArray(new Value[0]);
    Value[] rng = graph.values().toArray(new Value[0]);
    FcnRcdValue f = new FcnRcdValue(dom, rng, false);
    f.normalize();
    return f;
  }

  /** A record {@code [k1 |-> v1, ...]}; keys in any order. */
  public static Value rec(Map<String, Value> fields) {
    UniqueString[] names = new UniqueString[fields.size()];
    Value[] vals = new Value[fields.size()];
    int k = 0;
    for (Map.Entry<String, Value> e : fields.entrySet()) {
      names[k] = UniqueString.uniqueStringOf(e.getKey());
      vals[k++] = e.getValue();
    }
    RecordValue r = new RecordValue(names, vals, false);
    r.normalize();
    return r;
  }

  public static Value set(Collection<Value> elems) {
    SetEnumValue s = new SetEnumValue(elems.toArray(new Value[0]), false);
    s.normalize();
    return s;
  }

  public static Value seq(List<Value> elems) {
    return new TupleValue(new ArrayList<>(elems).toArray(new Value[0]));
  }
}
