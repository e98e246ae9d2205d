package org.syncref.conformance.ww;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.WwActionFloors;
import org.syncref.conformance.WwChecks;
import org.syncref.conformance.WwSpecWalker;
import org.syncref.conformance.Weights;
import org.syncref.conformance.WwTraceGenerator;
import org.syncref.conformance.WwTraceGenerator.Kind;

/**
 * The step floors of one algorithm's ww_mutex conformance ({@link WwActionFloors}): a fixed batch
 * of programs and one of walks must reach every action of the model often enough. Subclasses
 * run in their algorithm's surefire execution.
 */
public abstract class WwActionFloorsBase {
  private final boolean waitDie;

  protected WwActionFloorsBase(boolean waitDie) {
    this.waitDie = waitDie;
  }

  @Test
  public void every_action_is_reached_by_the_programs() {
    WwChecks checks = new WwChecks(waitDie);
    Map<String, Integer> counts = WwActionFloors.programs(checks, new WwTraceGenerator(checks.worlds()), 11);
    System.out.println(checks.name + " floor batch, programs: " + counts);
    List<String> below = WwActionFloors.below(counts, WwActionFloors.programFloors(checks.checker.evaluator()));
    assertTrue(below.isEmpty(), "below the floor: " + below + " in " + counts);
  }

  @Test
  public void every_action_is_reached_by_the_walks() {
    WwChecks checks = new WwChecks(waitDie);
    Map<String, Integer> counts = WwActionFloors.walks(checks,
        new WwSpecWalker(checks.checker.evaluator(), checks.worlds()), 13);
    System.out.println(checks.name + " floor batch, walks: " + counts);
    List<String> below = WwActionFloors.below(counts, WwActionFloors.walkFloors(checks.checker.evaluator()));
    assertTrue(below.isEmpty(), "below the floor: " + below + " in " + counts);
  }

  /**
   * Negative control: the earlier schedule, which ran every woken sleeper at once after each call
   * and never resumed one late, conforms but never reaches WaitSteal nor WaitHandoff; the floors
   * catch it.
   */
  @Test
  public void the_floors_catch_a_schedule_that_runs_woken_sleepers_at_once() {
    WwChecks checks = new WwChecks(waitDie);
    Map<String, Integer> counts = WwActionFloors.programs(checks, new WwTraceGenerator(checks.worlds(), true), 11);
    List<String> below = WwActionFloors.below(counts, WwActionFloors.programFloors(checks.checker.evaluator()));
    System.out.println(checks.name + " floor batch with woken sleepers run at once: " + counts + "; below: " + below);
    assertTrue(below.stream().anyMatch(b -> b.startsWith("WaitSteal:")), "not caught: " + counts);
    assertTrue(below.stream().anyMatch(b -> b.startsWith("WaitHandoff:")), "not caught: " + counts);
  }

  /**
   * Negative control of the Next coverage: programs without the sleeper commands
   * (RUN_WOKEN_SLEEPER, RUN_ANY_SLEEPER weight 0) never run a sleeper, and the floors, whose
   * actions come from ConfNext, name every sleeper step.
   */
  @Test
  public void the_floors_name_the_actions_no_command_makes() {
    WwChecks checks = new WwChecks(waitDie);
    Weights<Kind> weights = WwTraceGenerator.WEIGHTS.without(Kind.RUN_WOKEN_SLEEPER).without(Kind.RUN_ANY_SLEEPER);
    Map<String, Integer> counts = WwActionFloors.programs(checks, new WwTraceGenerator(checks.worlds()), 11, weights);
    List<String> below = WwActionFloors.below(counts, WwActionFloors.programFloors(checks.checker.evaluator()));
    System.out.println(checks.name + " floor batch without sleeper commands: " + counts + "; below: " + below);
    for (String a : List.of("WaitAcquire", "WaitSteal", "WaitHandoff", "WaitDie")) {
      assertTrue(below.stream().anyMatch(b -> b.startsWith(a + ": 0 <")), a + " not named: " + below);
    }
  }
}
