package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Direction spec to impl: jqwik picks walks through the successors TLC computes for
 * spec/DmaFence, and the Java implementation must take each step with the same return value and
 * the same state change.
 */
class SpecToImplProperties {
  static final SpecWalker WALKER = new SpecWalker(Conformance.evaluator(), FenceWorld::new);
  static long walks;
  static long steps;
  static final StepCounts COUNTS = new StepCounts("spec -> impl", FenceWorld.LABELS);
  /**
   * Floors for 1000 walks, about a third of what one run reached (HwComplete 1340,
   * Put:forced-release 47, IsSignaled:signals 110, GetStatus:signals 125, AddCallback:signals 14,
   * EnableSignaling:signals 17, WaitTimeout:signals 28, IsLaterCall:wrap 59,
   * IsLaterOrSameCall:wrap 42). Every other action of Next has the default floor 1.
   */
  static final java.util.Map<String, Long> RAISED = java.util.Map.ofEntries(
      java.util.Map.entry("HwComplete", 450L),
      java.util.Map.entry("Put:forced-release", 15L),
      java.util.Map.entry("IsSignaled:signals", 35L),
      java.util.Map.entry("GetStatus:signals", 40L),
      java.util.Map.entry("AddCallback:signals", 4L),
      java.util.Map.entry("EnableSignaling:signals", 5L),
      java.util.Map.entry("WaitTimeout:signals", 9L),
      java.util.Map.entry("IsLaterCall:wrap", 19L),
      java.util.Map.entry("IsLaterOrSameCall:wrap", 14L));

  /** The floors: every action of Next at least once, the raised ones as above. */
  static final java.util.Map<String, Long> FLOORS =
      NextCoverage.floors(Conformance.evaluator(), RAISED, java.util.Map.of());

  @Provide
  static Arbitrary<List<Integer>> choices() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE - 1).list().ofMinSize(20).ofMaxSize(40);
  }

  @Property(tries = 1000)
  void javaFollowsEveryWalkOfTheSpec(@ForAll("choices") List<Integer> choices) {
    SpecWalker.Walk w = WALKER.walk(choices);
    walks++;
    steps += w.trace().steps().size();
    COUNTS.add(w.trace());
    if (!w.ok()) {
      fail("Java disagrees with the spec at step " + w.failedStep() + ":\n"
          + Conformance.checker().render(w.trace(), w.failedStep()) + "  => " + w.reason());
    }
  }

  @AfterContainer
  static void summary() {
    System.out.printf("spec -> impl: %d walks, %d steps replayed on Java%n", walks, steps);
    System.out.print(COUNTS.table());
    COUNTS.assertFloors(FLOORS);
  }
}
