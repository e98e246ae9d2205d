package org.syncref.conformance.ww.waitdie;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.Step;
import org.syncref.conformance.Trace;
import org.syncref.conformance.TraceChecker;
import org.syncref.conformance.WwConformance;
import org.syncref.conformance.WwSpecWalker;
import org.syncref.conformance.WwWorld;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Deterministic Wait-Die conformance examples for what random programs meet rarely (WaitDie of a
 * sleeper: a younger context that holds locks sleeps behind a younger holder, then an older
 * context queues ahead of it and __ww_mutex_die wakes it), a spurious wake-up of the first
 * waiter (it sets HANDOFF and sleeps again; the next unlock hands the lock over), and lock
 * stealing (a trylock takes the released lock before its woken waiter runs; the waiter then
 * sets HANDOFF). {"run", t} is the schedule running the parked thread t.
 */
class WwWaitDieConformanceExamples {
  static final TraceChecker CHECKER = WwConformance.checker(true);

  static Trace run(String[][] program) {
    List<Step> steps = new ArrayList<>();
    try (WwWorld w = new WwWorld(true)) {
      var initial = w.snapshot();
      for (String[] c : program) {
        if (c[0].equals("run")) {
          String a = w.resume(WwWorld.THREADS.indexOf(c[1]));
          if (a != null) {
            steps.add(new Step(a, List.of(c[1]), w.snapshot()));
          }
        } else {
          List<String> args = List.of(c).subList(1, c.length);
          w.apply(c[0], args);
          steps.add(new Step(c[0], args, w.snapshot()));
        }
        TlcEvaluator ev = CHECKER.evaluator();
        String lost = WwSpecWalker.lostWakeUp(ev, ev.state(w.snapshot()), w::isWoken);
        assertTrue(lost == null, lost);
      }
      assertTrue(w.warnings().isEmpty(), w.warnings().toString());
      return new Trace(initial, steps);
    }
  }

  static void conforms(Trace t, String... mustContain) {
    TraceChecker.Verdict v = CHECKER.check(t);
    String r = CHECKER.render(t, v.ok() ? -1 : v.failedStep());
    assertTrue(v.ok(), r + "  => " + v.reason());
    for (String s : mustContain) {
      assertTrue(t.steps().stream().anyMatch(st -> st.call().equals(s)), s + " missing in\n" + r);
    }
  }

  @Test
  void a_sleeping_younger_context_dies_when_an_older_one_queues_ahead() {
    Trace t = run(new String[][] {
      {"AcquireInit", "t1"}, {"AcquireInit", "t2"}, {"AcquireInit", "t3"},
      {"Lock", "t3", "l2"}, {"Lock", "t2", "l1"},
      {"Lock", "t2", "l2"}, // t2 (holds l1) sleeps: the holder t3 is younger
      {"Lock", "t1", "l2"}, // t1 queues ahead of t2 and wakes it
      {"run", "t2"}, // WaitDie(t2)
      {"BackoffUnlock", "t2", "l1"}, {"LockSlow", "t2"}, // t2 sleeps behind t1
      {"Lock", "t3", "l1"}, {"Lock", "t3", "l3"}, {"AcquireDone", "t3"},
      {"Unlock", "t3", "l2"}, // wakes t1
      {"run", "t1"}, // WaitAcquire(t1)
      {"Unlock", "t3", "l1"}, {"Unlock", "t3", "l3"}, {"AcquireFini", "t3"},
    });
    conforms(t, "WaitDie(t2)", "WaitAcquire(t1)");
  }

  @Test
  void a_spuriously_woken_first_waiter_sets_handoff_and_gets_the_lock() {
    Trace t = run(new String[][] {
      {"AcquireInit", "t1"}, {"AcquireInit", "t2"}, {"AcquireInit", "t3"},
      {"Lock", "t2", "l1"},
      {"Lock", "t1", "l1"}, // t1 (holds nothing) sleeps on l1
      {"run", "t1"}, // woken for nothing: WaitHandoff(t1), sleeps again
      {"Lock", "t2", "l2"}, {"Lock", "t2", "l3"}, {"AcquireDone", "t2"},
      {"Unlock", "t2", "l1"}, // hand-off to t1 (PICKUP)
      {"Trylock", "t3", "l1"}, // fails: the lock is t1's, though t1 has not run
      {"run", "t1"}, // WaitAcquire(t1)
      {"Unlock", "t2", "l2"}, {"Lock", "t1", "l2"},
    });
    conforms(t, "WaitHandoff(t1)", "WaitAcquire(t1)");
  }

  @Test
  void a_trylock_steals_the_released_lock_before_its_woken_waiter_runs() {
    Trace t = run(new String[][] {
      {"AcquireInit", "t1"}, {"AcquireInit", "t2"}, {"AcquireInit", "t3"},
      {"Lock", "t2", "l1"},
      {"Lock", "t1", "l1"}, // t1 sleeps on l1
      {"Lock", "t2", "l2"}, {"Lock", "t2", "l3"}, {"AcquireDone", "t2"},
      {"Unlock", "t2", "l1"}, // l1 free, t1 woken but not run
      {"Trylock", "t3", "l1"}, // 1: t3 steals l1
      {"run", "t1"}, // the lock is taken: WaitHandoff(t1)
      {"Lock", "t3", "l2"}, // t3 (younger, holds l1) dies on t2's l2
      {"BackoffUnlock", "t3", "l1"}, // hands l1 to t1 (PICKUP)
      {"run", "t1"}, // WaitAcquire(t1)
    });
    conforms(t, "Trylock(t3, l1)", "WaitHandoff(t1)", "BackoffUnlock(t3, l1)", "WaitAcquire(t1)");
    assertTrue(t.steps().stream().anyMatch(st -> st.call().equals("Trylock(t3, l1)")
        && st.state().get("ret").toString().contains("t3 :> 1")), "t3's trylock did not steal l1");
  }
}
