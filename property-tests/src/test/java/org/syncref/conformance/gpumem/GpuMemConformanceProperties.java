package org.syncref.conformance.gpumem;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * hw/'s GPU memory system against spec/GpuMem/GpuMem.tla (model MCGpuMemConformance; surefire
 * execution gpumem-conformance). jqwik generates workloads (a list of choices, each picking one
 * of the operations {@link GpuMemWorld#enabled} offers: submissions, evictions, moves into
 * VRAM, run_job, completions, ghost frees), the Java system runs them, and {@link
 * GpuMemChecker} checks every operation as the spec's sequence of actions through TLC's
 * evaluator, with GpuMem's action properties on every spec step.
 */
class GpuMemConformanceProperties {
  /**
   * The generic model's checker, asked for when used: the package's other classes load the other
   * drivers' models in the same JVM ({@link GpuMemConformance#checker}).
   */
  static GpuMemChecker checker() {
    return GpuMemConformance.checker("generic");
  }

  @Provide
  static Arbitrary<List<Integer>> workloads() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(10).ofMaxSize(40);
  }

  @Property(tries = 300)
  void javaGpuMemRunsAreBehavioursOfTheSpec(@ForAll("workloads") List<Integer> choices) {
    GpuMemChecker.Verdict v = checker().check(choices, 40);
    if (!v.ok()) {
      fail("operation " + v.failedOp() + ": " + v.reason() + "\nrun: " + v.log());
    }
  }

  @Property(tries = 100)
  void javaGpuMemFollowsWalksOfTheSpec(@ForAll("workloads") List<Integer> choices) {
    GpuMemChecker.Verdict v = checker().walk(choices, 40);
    if (!v.ok()) {
      fail("spec operation " + v.failedOp() + ": " + v.reason() + "\nwalk: " + v.log());
    }
  }

  /**
   * The runs reached every kind of operation, and a range in a later tenure (a reader of a moved
   * object's old range after its next tenant), so the check did see what it is for.
   */
  @AfterContainer
  static void summary() {
    GpuMemChecker c = checker();
    System.out.println(c.summary());
    System.out.println(c.walkSummary());
    for (String kind : List.of("Submit", "Evict", "MoveIn", "MoveIn evicting", "run_job", "complete", "GhostFree")) {
      assertTrue(c.opKinds.getOrDefault(kind, 0L) > 0, "no " + kind + " in " + c.summary());
    }
    assertTrue(c.laterTenureAccesses > 0, "no access in a later tenure: " + c.summary());
  }
}
