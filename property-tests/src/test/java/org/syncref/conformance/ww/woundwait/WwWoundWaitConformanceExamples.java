package org.syncref.conformance.ww.woundwait;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.Step;
import org.syncref.conformance.Trace;
import org.syncref.conformance.TraceChecker;
import org.syncref.conformance.WwConformance;
import org.syncref.conformance.WwWorld;

/**
 * A Wound-Wait case the spec first got wrong, found by the spec-to-impl walk: a wounded context
 * that holds locks and calls ww_mutex_lock on a lock held by a younger context first wounds the
 * holder (__ww_mutex_add_waiter calls __ww_mutex_wound for Wound-Wait before the wait loop's
 * __ww_mutex_check_kill returns -EDEADLK), as kernel/locking/mutex.c and ww_mutex.h do. The
 * spec's Lock(t, l) used to die without wounding; it now wounds too. This example replays the
 * trace and requires the spec to accept it.
 */
class WwWoundWaitConformanceExamples {
  static final TraceChecker CHECKER = WwConformance.checker(false);

  @Test
  void a_wounded_context_wounds_a_younger_holder_before_it_dies() {
    String[][] program = {
      {"AcquireInit", "t1"}, {"AcquireInit", "t2"}, {"AcquireInit", "t3"},
      {"Lock", "t1", "l3"}, {"Lock", "t2", "l1"}, {"Lock", "t3", "l2"},
      {"Lock", "t1", "l1"}, // t1 (oldest) queues on l1 and wounds its holder t2
      {"Lock", "t2", "l2"}, // t2, wounded, contends on l2 held by the younger t3
    };
    List<Step> steps = new ArrayList<>();
    Trace trace;
    try (WwWorld w = new WwWorld(false)) {
      w.avoidKnownDisagreements = false;
      var initial = w.snapshot();
      for (String[] c : program) {
        List<String> args = List.of(c).subList(1, c.length);
        w.apply(c[0], args);
        steps.add(new Step(c[0], args, w.snapshot()));
      }
      trace = new Trace(initial, steps);
    }
    TraceChecker.Verdict v = CHECKER.check(trace);
    String report = CHECKER.render(trace, v.failedStep()) + "  => " + v.reason();
    assertTrue(v.ok(), report);
    assertTrue(trace.steps().get(7).state().get("wounded").toString().contains("t3 :> TRUE"),
        "t2 wounded t3 as it died:\n" + report);
  }
}
