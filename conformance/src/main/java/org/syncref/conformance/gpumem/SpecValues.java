package org.syncref.conformance.gpumem;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.Enumerable;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.Value;
import tlc2.value.impl.ValueEnumeration;

/**
 * TLA+ values as plain Java values, the form {@link GpuMemWorld#observe} gives the Java state
 * in: a model value or string as its name, an integer as a long, a Boolean, a record or
 * function as a sorted map (keys rendered the same way, as strings), a set as a set. Model
 * values in {@code ghosts} become "ghost".
 */
final class SpecValues {
  private SpecValues() {}

  static Object of(Value v, Set<String> ghosts) {
    if (v instanceof ModelValue m) {
      String n = m.toString();
      return ghosts.contains(n) ? "ghost" : n;
    }
    if (v instanceof StringValue s) {
      return s.getVal().toString();
    }
    if (v instanceof IntValue i) {
      return (long) i.val;
    }
    if (v instanceof BoolValue b) {
      return b.val;
    }
    if (v instanceof RecordValue r) {
      Map<String, Object> m = new TreeMap<>();
      for (int i = 0; i < r.names.length; i++) {
        m.put(r.names[i].toString(), of(r.values[i], ghosts));
      }
      return m;
    }
    if (v instanceof Enumerable e) {
      Set<Object> out = new HashSet<>();
      ValueEnumeration en = e.elements();
      for (Value x = en.nextElement(); x != null; x = en.nextElement()) {
        out.add(of(x, ghosts));
      }
      return out;
    }
    Value f = v.toFcnRcd();
    if (f instanceof FcnRcdValue fr) {
      Value[] dom = fr.getDomainAsValues();
      Map<String, Object> m = new TreeMap<>();
      for (int i = 0; i < dom.length; i++) {
        m.put(String.valueOf(of(dom[i], Set.of())), of(fr.values[i], ghosts));
      }
      return m;
    }
    throw new IllegalArgumentException("no Java form for " + v.getClass().getSimpleName() + " " + v);
  }
}
