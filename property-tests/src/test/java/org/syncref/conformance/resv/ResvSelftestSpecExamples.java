package org.syncref.conformance.resv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.syncref.conformance.ResvConformance;
import org.syncref.conformance.ResvWorld;
import org.syncref.conformance.Step;
import org.syncref.conformance.Trace;
import org.syncref.conformance.TraceChecker;
import tlc2.value.impl.Value;

/**
 * The kernel's st-dma-resv cases and the cross-usage rules only the code states, as
 * checks on the spec: each scenario runs on the Java dma_resv through {@link ResvWorld}, the
 * kernel test's expectations are asserted on the recorded return values, and TLC's evaluator
 * checks that the trace is a behaviour of spec/DmaResv. So the spec gives the kernel test's
 * answers too (impl/.../DmaResvSelftestExamples asserts the same on the Java code alone).
 */
class ResvSelftestSpecExamples {
  static final TraceChecker CHECKER = ResvConformance.checker();

  /** Records calls on a ResvWorld as a trace. */
  static final class Script implements AutoCloseable {
    final ResvWorld w = new ResvWorld();
    final Map<String, Value> initial = w.snapshot();
    final List<Step> steps = new ArrayList<>();

    Script call(String action, String... args) {
      w.apply(action, List.of(args));
      steps.add(new Step(action, List.of(args), w.snapshot()));
      return this;
    }

    long ret() {
      return w.fw.ret[0];
    }

    String out() {
      return w.out(0).toString();
    }

    void checkedBySpec() {
      Trace t = new Trace(initial, steps);
      TraceChecker.Verdict v = CHECKER.check(t);
      assertTrue(v.ok(), () -> CHECKER.render(t, v.failedStep()) + "  => " + v.reason());
    }

    @Override
    public void close() {
      w.close();
    }
  }

  /** Context, fence f1 (context 1), r1 locked with one slot, f1 added with usage u. */
  static Script fenceAdded(int u) {
    return new Script().call("ContextAllocStep", "t1", "1").call("FenceInitStep", "t1", "f1")
        .call("ResvLock", "t1", "r1").call("ReserveFences", "t1", "r1", "1")
        .call("AddFence", "t1", "r1", "f1", "" + u);
  }

  static List<Integer> usages() {
    return List.of(0, 1, 2, 3);
  }

  @Test
  @DisplayName("test_sanitycheck")
  void test_sanitycheck() {
    try (Script s = new Script()) {
      s.call("ResvLock", "t1", "r1");
      assertEquals(0, s.ret());
      s.call("ResvUnlock", "t1", "r1");
      s.checkedBySpec();
    }
  }

  @ParameterizedTest(name = "test_signaling({0})")
  @MethodSource("usages")
  void test_signaling(int u) {
    try (Script s = fenceAdded(u)) {
      s.call("TestSignaled", "t1", "r1", "" + u);
      assertEquals(0, s.ret(), "Resv unexpectedly signaled");
      s.call("SignalStep", "t1", "f1").call("TestSignaled", "t1", "r1", "" + u);
      assertEquals(1, s.ret(), "Resv not reporting signaled");
      s.checkedBySpec();
    }
  }

  @ParameterizedTest(name = "test_for_each({0})")
  @MethodSource("usages")
  void test_for_each(int u) {
    try (Script s = fenceAdded(u)) {
      s.call("IterFirst", "t1", "r1", "" + u);
      assertEquals("<<f1>>", s.out(), "No fence found");
      s.call("IterNext", "t1");
      assertEquals("<<>>", s.out(), "More than one fence found");
      s.call("IterEnd", "t1").call("ResvUnlock", "t1", "r1");
      s.checkedBySpec();
    }
  }

  @ParameterizedTest(name = "test_for_each_unlocked({0})")
  @MethodSource("usages")
  void test_for_each_unlocked(int u) {
    // The kernel test forces the restart by poisoning cursor.fences; here a reserve that
    // reallocates the list does it, which is the restart's real cause.
    try (Script s = fenceAdded(u)) {
      s.call("ResvUnlock", "t1", "r1").call("IterFirstUnlocked", "t1", "r1", "" + u);
      assertEquals("<<f1>>", s.out(), "No fence found");
      s.call("ResvLock", "t1", "r1").call("ReserveFences", "t1", "r1", "1")
          .call("ResvUnlock", "t1", "r1").call("IterNextUnlocked", "t1");
      assertEquals("<<f1>>", s.out(), "not seen again after the restart");
      assertTrue(s.w.iter(0).isRestarted(), "is_restarted after the restart");
      s.call("IterNextUnlocked", "t1");
      assertEquals("<<>>", s.out(), "More than one fence found");
      s.call("IterEnd", "t1");
      s.checkedBySpec();
    }
  }

  @ParameterizedTest(name = "test_get_fences({0})")
  @MethodSource("usages")
  void test_get_fences(int u) {
    try (Script s = fenceAdded(u)) {
      s.call("ResvUnlock", "t1", "r1").call("GetFences", "t1", "r1", "" + u);
      assertEquals(0, s.ret());
      assertEquals("<<f1>>", s.out(), "get_fences returned one fence, f");
      s.checkedBySpec();
    }
  }

  static List<Arguments> pairs() {
    List<Arguments> l = new ArrayList<>();
    for (int a : usages()) {
      for (int q : usages()) {
        l.add(Arguments.of(a, q));
      }
    }
    return l;
  }

  /** Cross-usage: a fence added with usage A is seen by a query with usage Q iff A <= Q. */
  @ParameterizedTest(name = "added {0}, queried {1}")
  @MethodSource("pairs")
  void a_query_sees_every_fence_of_its_usage_or_stronger(int added, int query) {
    try (Script s = fenceAdded(added)) {
      boolean seen = added <= query;
      s.call("ResvUnlock", "t1", "r1").call("TestSignaled", "t1", "r1", "" + query);
      assertEquals(seen ? 0 : 1, s.ret(), "test_signaled");
      s.call("GetFences", "t1", "r1", "" + query);
      assertEquals(seen ? "<<f1>>" : "<<>>", s.out(), "get_fences");
      s.call("IterFirstUnlocked", "t1", "r1", "" + query);
      assertEquals(seen ? "<<f1>>" : "<<>>", s.out(), "unlocked iteration");
      s.call("IterEnd", "t1").call("ResvWaitTimeout", "t1", "r1", "" + query, "0");
      assertEquals(seen ? 0 : 1, s.ret(), "wait_timeout(timeout 0)");
      s.call("ResvLock", "t1", "r1").call("IterFirst", "t1", "r1", "" + query);
      assertEquals(seen ? "<<f1>>" : "<<>>", s.out(), "locked iteration");
      s.call("IterEnd", "t1").call("ResvUnlock", "t1", "r1");
      s.checkedBySpec();
    }
  }
}
