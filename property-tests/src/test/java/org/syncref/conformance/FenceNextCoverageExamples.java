package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.FenceTraceGenerator.Kind;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Every action of DmaFence's Next, as TLC's evaluator splits the conformance model
 * (MCDmaFenceConformance.cfg), is made by the impl to spec direction: a fixed-seed batch of
 * {@link #PROGRAMS} generated programs reaches each at least once, unless {@link
 * FenceTraceGenerator#NOT_GENERATED} names it with its reason. An action added to Next that no
 * generator command makes fails here by name.
 */
class FenceNextCoverageExamples {
  static final int PROGRAMS = 1000;
  static final long SEED = 20261206;

  static StepCounts run(Weights<Kind> weights) {
    StepCounts counts = new StepCounts("impl -> spec, fixed seed", FenceWorld.LABELS);
    FenceTraceGenerator gen = new FenceTraceGenerator();
    Random r = new Random(SEED);
    for (int i = 0; i < PROGRAMS; i++) {
      counts.add(gen.run(FenceTraceGenerator.randomProgram(r, weights)));
    }
    return counts;
  }

  static Map<String, Long> floors() {
    TlcEvaluator ev = Conformance.evaluator();
    return NextCoverage.floors(ev, Map.of(), FenceTraceGenerator.NOT_GENERATED);
  }

  @Test
  void every_action_of_next_is_generated() {
    StepCounts counts = run(FenceTraceGenerator.WEIGHTS);
    System.out.print(counts.table());
    counts.assertFloors(floors());
  }

  /** Negative control: without the command that unloads a module, ModuleUnload is never made. */
  @Test
  void an_action_no_command_makes_is_named() {
    StepCounts counts = run(FenceTraceGenerator.WEIGHTS.without(Kind.MODULE_UNLOAD));
    AssertionError e = assertThrows(AssertionError.class, () -> counts.assertFloors(floors()));
    assertTrue(e.getMessage().contains("ModuleUnload 0 < 1"), e.getMessage());
  }

  /** A raised floor or an excuse must name an action of Next (or a label of one): no stale floor. */
  @Test
  void a_floor_of_an_action_not_in_next_is_refused() {
    TlcEvaluator ev = Conformance.evaluator();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NextCoverage.floors(ev, Map.of("HwCompleted", 5L), Map.of()));
    assertTrue(e.getMessage().contains("floor HwCompleted"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> NextCoverage.floors(ev, Map.of(), Map.of("WaitSleep", "no such action")));
    assertTrue(e.getMessage().contains("excused WaitSleep"), e.getMessage());
    assertTrue(NextCoverage.floors(ev, Map.of("Put:forced-release", 5L), Map.of()).containsKey("WaitInterrupt"));
  }
}
