package org.syncref.conformance.resv;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.NextCoverage;
import org.syncref.conformance.ResvConformance;
import org.syncref.conformance.ResvWorld;
import org.syncref.conformance.SpecWalker;
import org.syncref.conformance.StepCounts;

/**
 * Direction spec to impl for dma_resv: jqwik picks walks through the successors TLC computes for
 * spec/DmaResv (MCDmaResvConformance.cfg), and the Java dma_resv must take each step with the
 * same return value, the same fences returned and the same state change.
 */
class ResvSpecToImplProperties {
  static final SpecWalker WALKER = new SpecWalker(ResvConformance.evaluator(), ResvWorld::new);
  static long walks;
  static long steps;
  static final StepCounts COUNTS = new StepCounts("resv spec -> impl", ResvWorld.LABELS);

  @Provide
  static Arbitrary<List<Integer>> choices() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE - 1).list().ofMinSize(30).ofMaxSize(60);
  }

  @Property(tries = 1000)
  void javaResvFollowsEveryWalkOfTheSpec(@ForAll("choices") List<Integer> choices) {
    SpecWalker.Walk w = WALKER.walk(choices);
    walks++;
    steps += w.trace().steps().size();
    COUNTS.add(w.trace());
    if (!w.ok()) {
      fail("Java disagrees with the spec at step " + w.failedStep() + ":\n"
          + ResvConformance.checker().render(w.trace(), w.failedStep()) + "  => " + w.reason());
    }
  }

  @AfterContainer
  static void summary() {
    System.out.printf("resv spec -> impl: %d walks, %d steps replayed on Java%n", walks, steps);
    System.out.print(COUNTS.table());
    // every action of ResvNext at least once, the raised floors scaled to the walks run
    COUNTS.assertFloors(NextCoverage.floors(ResvConformance.evaluator(),
        ResvWorld.floors(ResvWorld.SPEC_TO_IMPL_PER_1000, walks), java.util.Map.of()));
  }
}
