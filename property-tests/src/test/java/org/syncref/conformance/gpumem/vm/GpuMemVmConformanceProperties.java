package org.syncref.conformance.gpumem.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.gpumem.GpuMemVmChecker;

/**
 * hw/'s VM system (org.syncref.hw.vm.GpuVmSystem, without its TLB) against
 * spec/GpuMem/GpuMemVm.tla (model MCGpuMemVmConformance; surefire execution
 * gpumem-vm-conformance: TLC holds one spec per JVM, so not in the gpumem package, whose JVM
 * loads MCGpuMemConformance). jqwik generates workloads (a list of choices, each picking one of
 * the operations GpuMemVmWorld offers: submissions, evictions, moves, run_job, dependency
 * callbacks, completions, ghost frees, the context's start, accesses and preemption, the rebind
 * worker's two halves, the unmap), the Java system runs them, and {@link GpuMemVmChecker}
 * checks every operation as the spec's sequence of actions through TLC's evaluator, with
 * GpuMemVm's properties (PtBookkeep among them) on every spec step.
 */
class GpuMemVmConformanceProperties {
  static final GpuMemVmChecker CHECKER = GpuMemVmChecker.load();

  @Provide
  static Arbitrary<List<Integer>> workloads() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(20).ofMaxSize(60);
  }

  @Property(tries = 200)
  void javaVmRunsAreBehavioursOfTheSpec(@ForAll("workloads") List<Integer> choices) {
    GpuMemVmChecker.Verdict v = CHECKER.check(choices, 60);
    if (!v.ok()) {
      fail("operation " + v.failedOp() + ": " + v.reason() + "\nrun: " + v.log());
    }
  }

  /** The runs reached the VM's operations, so the check did see what it is for. */
  @AfterContainer
  static void summary() {
    System.out.println(CHECKER.summary());
    for (String kind : List.of("LrStart", "LrAccess", "DependencyCb", "PreemptWork", "RebindBegin", "RebindFinish",
        "Unmap", "Evict", "complete")) {
      assertTrue(CHECKER.opKinds.getOrDefault(kind, 0L) > 0, "no " + kind + " in " + CHECKER.summary());
    }
  }
}
