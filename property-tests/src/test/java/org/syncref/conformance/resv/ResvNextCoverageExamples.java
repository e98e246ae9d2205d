package org.syncref.conformance.resv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.NextCoverage;
import org.syncref.conformance.ResvConformance;
import org.syncref.conformance.ResvTraceGenerator;
import org.syncref.conformance.ResvTraceGenerator.Kind;
import org.syncref.conformance.ResvWorld;
import org.syncref.conformance.StepCounts;
import org.syncref.conformance.Weights;

/**
 * Every action of DmaResv's ResvNext, as TLC's evaluator splits the conformance model
 * (MCDmaResvConformance.cfg), is made by the impl to spec direction: a fixed-seed batch of
 * {@link #PROGRAMS} ordinary and {@link #RACING} racing programs reaches each at least once,
 * unless {@link ResvTraceGenerator#NOT_GENERATED} names it with its reason. An action added to
 * ResvNext that no generator command makes fails here by name.
 */
class ResvNextCoverageExamples {
  static final int PROGRAMS = 1000;
  static final int RACING = 300;
  static final long SEED = 20261206;

  static StepCounts run(Weights<Kind> weights, Weights<Kind> racing) {
    StepCounts counts = new StepCounts("resv impl -> spec, fixed seed", ResvWorld.LABELS);
    ResvTraceGenerator gen = new ResvTraceGenerator();
    Random r = new Random(SEED);
    for (int i = 0; i < PROGRAMS; i++) {
      counts.add(gen.run(ResvTraceGenerator.randomProgram(r, weights, 10, 70)));
    }
    for (int i = 0; i < RACING; i++) {
      counts.add(gen.run(ResvTraceGenerator.randomProgram(r, racing, 20, 60)));
    }
    return counts;
  }

  static Map<String, Long> floors() {
    return NextCoverage.floors(ResvConformance.evaluator(), Map.of(), ResvTraceGenerator.NOT_GENERATED);
  }

  @Test
  void every_action_of_next_is_generated() {
    StepCounts counts = run(ResvTraceGenerator.WEIGHTS, ResvTraceGenerator.RACING_WEIGHTS);
    System.out.print(counts.table());
    counts.assertFloors(floors());
  }

  /** Negative control: without the command that copies fences, CopyFences is never made. */
  @Test
  void an_action_no_command_makes_is_named() {
    StepCounts counts = run(ResvTraceGenerator.WEIGHTS.without(Kind.COPY_FENCES),
        ResvTraceGenerator.RACING_WEIGHTS.without(Kind.COPY_FENCES));
    AssertionError e = assertThrows(AssertionError.class, () -> counts.assertFloors(floors()));
    assertTrue(e.getMessage().contains("CopyFences 0 < 1"), e.getMessage());
  }
}
