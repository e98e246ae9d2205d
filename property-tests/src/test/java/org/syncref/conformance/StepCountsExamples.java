package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.tlc.V;

/** StepCounts: per-action and per-label counts, and floors that fail when a path is not reached. */
class StepCountsExamples {
  private static Step step(String action, boolean signaled) {
    return new Step(action, List.of("t1", "f1"), Map.of("signaled", V.b(signaled)));
  }

  @Test
  void counts_actions_and_labels_and_fails_below_a_floor() {
    StepCounts c = new StepCounts("test", List.of((s, before) ->
        !s.state().get("signaled").equals(before.get("signaled")) ? List.of(s.action() + ":signals") : List.of()));
    c.add(new Trace(Map.of("signaled", V.b(false)), List.of(step("IsSignaled", false), step("IsSignaled", true))));
    c.add(new Trace(Map.of("signaled", V.b(false)), List.of(step("Signal", true))));
    assertEquals(2, c.get("IsSignaled"));
    assertEquals(1, c.get("IsSignaled:signals"));
    assertEquals(1, c.get("Signal:signals"));
    assertEquals(0, c.get("GetStatus"));
    assertDoesNotThrow(() -> c.assertFloors(Map.of("IsSignaled", 2L, "IsSignaled:signals", 1L)));
    AssertionError e = assertThrows(AssertionError.class,
        () -> c.assertFloors(Map.of("IsSignaled", 2L, "GetStatus:signals", 1L)));
    assertTrue(e.getMessage().contains("GetStatus:signals 0 < 1"), e.getMessage());
    assertTrue(c.table().contains("IsSignaled:signals"), c.table());
  }
}
