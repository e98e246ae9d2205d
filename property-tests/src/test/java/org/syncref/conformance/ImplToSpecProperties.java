package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.FenceTraceGenerator.Cmd;

/**
 * Direction impl to spec: jqwik generates programs of kernel calls and engine operations, the Java
 * implementation and hardware model run them, and TLC's evaluator checks the recorded trace
 * against spec/DmaFence (MCDmaFenceConformance.cfg). A failure shrinks to a short program and
 * prints the trace as numbered steps.
 */
class ImplToSpecProperties {
  static final TraceChecker CHECKER = Conformance.checker();
  static final FenceTraceGenerator GENERATOR = new FenceTraceGenerator();
  static long traces;
  static long steps;
  static final StepCounts COUNTS = new StepCounts("impl -> spec", FenceWorld.LABELS);
  /**
   * Floors for 1000 programs, about a third of what one run reached (HwComplete 410,
   * Put:forced-release 16, IsSignaled:signals 31, GetStatus:signals 58, AddCallback:signals 11,
   * EnableSignaling:signals 15, WaitTimeout:signals 14, IsLaterCall:wrap 140,
   * IsLaterOrSameCall:wrap 113): below them a path has stopped being reached. Every other action
   * of Next has the default floor 1 ({@link NextCoverage#floors}).
   */
  static final java.util.Map<String, Long> RAISED = java.util.Map.ofEntries(
      java.util.Map.entry("HwComplete", 130L),
      java.util.Map.entry("Put:forced-release", 5L),
      java.util.Map.entry("IsSignaled:signals", 10L),
      java.util.Map.entry("GetStatus:signals", 18L),
      java.util.Map.entry("AddCallback:signals", 3L),
      java.util.Map.entry("EnableSignaling:signals", 4L),
      java.util.Map.entry("WaitTimeout:signals", 4L),
      java.util.Map.entry("IsLaterCall:wrap", 45L),
      java.util.Map.entry("IsLaterOrSameCall:wrap", 35L));

  /**
   * Actions too rare for a floor in a run of random seed (one run: WaitInterrupt 3, WaitWake 4):
   * a sleeping wait seldom ends that way. FenceNextCoverageExamples requires them on its fixed
   * seed.
   */
  static final java.util.Map<String, String> RARE = java.util.Map.of(
      "WaitInterrupt", "a sleeping interruptible wait that is interrupted: 3 to 9 per 1000 programs",
      "WaitWake", "a sleeping wait whose fence signals: 4 to 9 per 1000 programs");

  /** The floors: every action of Next at least once (but the rare ones), the raised ones as above. */
  static final java.util.Map<String, Long> FLOORS = NextCoverage.floors(CHECKER.evaluator(), RAISED,
      NextCoverage.union(FenceTraceGenerator.NOT_GENERATED, RARE));

  @Provide
  static Arbitrary<List<Cmd>> programs() {
    return Programs.fence();
  }

  @Property(tries = 1000)
  void javaTracesAreBehavioursOfTheSpec(@ForAll("programs") List<Cmd> program) {
    Trace trace = GENERATOR.run(program);
    TraceChecker.Verdict v = CHECKER.check(trace);
    traces++;
    steps += trace.steps().size();
    COUNTS.add(trace);
    if (!v.ok()) {
      fail(report(trace, v));
    }
  }

  static String report(Trace trace, TraceChecker.Verdict v) {
    return "the Java trace is not a behaviour of the spec at step " + v.failedStep() + ":\n"
        + CHECKER.render(trace, v.failedStep()) + "  => " + v.reason();
  }

  @AfterContainer
  static void summary() {
    System.out.printf("impl -> spec: %d traces, %d steps checked by TLC's evaluator%n", traces, steps);
    System.out.print(COUNTS.table());
    COUNTS.assertFloors(FLOORS);
  }
}
