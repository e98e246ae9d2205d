package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Diffs of TLC-printed values show only the changed keys. */
class ValueDiffTest {
  private static List<String> diff(String name, String a, String b) {
    return ValueDiff.diff(name, a, b).stream().map(Object::toString).toList();
  }

  @Test
  void scalars() {
    assertEquals(List.of("x: 0 -> 1"), diff("x", "0", "1"));
    assertEquals(List.of(), diff("x", "1", "1"));
  }

  @Test
  void functionKeys() {
    assertEquals(List.of("signaled[f2]: FALSE -> TRUE"),
        diff("signaled", "(f1 :> FALSE @@ f2 :> FALSE)", "(f1 :> FALSE @@ f2 :> TRUE)"));
  }

  @Test
  void nestedFunctionsAndRecords() {
    assertEquals(List.of("s[f1][cb2]: \"idle\" -> \"ran\""),
        diff("s", "(f1 :> (cb1 :> \"idle\" @@ cb2 :> \"idle\"))", "(f1 :> (cb1 :> \"idle\" @@ cb2 :> \"ran\"))"));
    assertEquals(List.of("r.b: <<1>> -> <<1, 2>>"), diff("r", "[a |-> 1, b |-> <<1>>]", "[a |-> 1, b |-> <<1, 2>>]"));
  }

  @Test
  void tuplesOfEqualLengthByIndex() {
    assertEquals(List.of("q[2]: b -> c"), diff("q", "<<a, b>>", "<<a, c>>"));
    assertEquals(List.of("q: <<a>> -> <<a, c>>"), diff("q", "<<a>>", "<<a, c>>"));
  }

  @Test
  void stringsWithSeparators() {
    assertEquals(List.of("m[k]: \"a @@ b\" -> \"c :> d\""), diff("m", "(k :> \"a @@ b\")", "(k :> \"c :> d\")"));
  }

  @Test
  void setsAreWhole() {
    assertEquals(List.of("w: {} -> {[f |-> f1, fn |-> \"x\"]}"), diff("w", "{}", "{[f |-> f1, fn |-> \"x\"]}"));
  }
}
