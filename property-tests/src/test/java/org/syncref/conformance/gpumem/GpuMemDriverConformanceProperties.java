package org.syncref.conformance.gpumem;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * hw/'s GPU memory system under each driver policy other than "generic" (org.syncref.hw.ttm's
 * AmdgpuPolicy, XePolicy, I915Policy) against spec/GpuMem/GpuMem.tla with the same {@code Driver}
 * (MCGpuMemConformanceAmdgpu, Xe, I915; the generic model is {@link
 * GpuMemConformanceProperties}'). Per driver, jqwik generates {@value #TRIES} workloads, each
 * checked forward operation by operation ({@link GpuMemChecker#check}); the first {@value
 * #WALKS} of them also drive a walk of the spec replayed on Java ({@link GpuMemChecker#walk}).
 * The time each driver took (its model's load included) is printed.
 */
class GpuMemDriverConformanceProperties {
  static final int TRIES = 100;
  static final int WALKS = 50;
  /** Per driver: its checker (for the totals), its milliseconds. */
  static final Map<String, GpuMemChecker> CHECKERS = new TreeMap<>();
  static final Map<String, Long> MILLIS = new TreeMap<>();
  /** Per driver: workloads checked and walks replayed by this class (a checker may be shared). */
  static final Map<String, Integer> RUNS = new TreeMap<>();
  static final Map<String, Integer> WALKED = new TreeMap<>();

  @Provide
  static Arbitrary<List<Integer>> workloads() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(10).ofMaxSize(40);
  }

  static void run(String driver, List<Integer> choices) {
    long t0 = System.nanoTime();
    GpuMemChecker c = GpuMemConformance.checker(driver);
    CHECKERS.put(driver, c);
    GpuMemChecker.Verdict v = c.check(choices, 40);
    RUNS.merge(driver, 1, Integer::sum);
    if (!v.ok()) {
      fail(driver + ": operation " + v.failedOp() + ": " + v.reason() + "\nrun: " + v.log());
    }
    if (WALKED.getOrDefault(driver, 0) < WALKS) {
      WALKED.merge(driver, 1, Integer::sum);
      v = c.walk(choices, 40);
      if (!v.ok()) {
        fail(driver + ": spec operation " + v.failedOp() + ": " + v.reason() + "\nwalk: " + v.log());
      }
    }
    MILLIS.merge(driver, (System.nanoTime() - t0) / 1_000_000, Long::sum);
  }

  @Property(tries = TRIES)
  void amdgpuRunsAreBehavioursOfTheAmdgpuSpec(@ForAll("workloads") List<Integer> choices) {
    run("amdgpu", choices);
  }

  @Property(tries = TRIES)
  void xeRunsAreBehavioursOfTheXeSpec(@ForAll("workloads") List<Integer> choices) {
    run("xe", choices);
  }

  @Property(tries = TRIES)
  void i915RunsAreBehavioursOfTheI915Spec(@ForAll("workloads") List<Integer> choices) {
    run("i915", choices);
  }

  /**
   * Each driver's runs reached every kind of operation and an access in a later tenure, and its
   * walks every kind of spec operation, so the checks saw what they are for.
   */
  @AfterContainer
  static void summary() {
    for (Map.Entry<String, GpuMemChecker> e : CHECKERS.entrySet()) {
      GpuMemChecker c = e.getValue();
      System.out.println("driver " + e.getKey() + ": " + MILLIS.get(e.getKey()) + " ms; " + c.summary() + "; "
          + c.walkSummary());
      for (String kind : List.of("Submit", "Evict", "MoveIn", "MoveIn evicting", "run_job", "complete", "GhostFree")) {
        assertTrue(c.opKinds.getOrDefault(kind, 0L) > 0, e.getKey() + ": no " + kind + " in " + c.summary());
      }
      for (String kind : List.of("SubmitBegin", "EvictBegin", "MoveInBegin", "RunJob")) {
        assertTrue(c.walkKinds.getOrDefault(kind, 0L) > 0, e.getKey() + ": no " + kind + " in " + c.walkSummary());
      }
      assertTrue(c.laterTenureAccesses > 0, e.getKey() + ": no access in a later tenure: " + c.summary());
      assertTrue(WALKED.get(e.getKey()) == WALKS && RUNS.get(e.getKey()) == TRIES,
          e.getKey() + ": " + RUNS.get(e.getKey()) + " runs, " + WALKED.get(e.getKey()) + " walks");
    }
    System.out.println("GpuMem conformance models loaded: " + GpuMemConformance.loads + " in "
        + String.format("%.1f", GpuMemConformance.loadSeconds) + " s");
    assertTrue(CHECKERS.keySet().equals(java.util.Set.of("amdgpu", "xe", "i915")), CHECKERS.keySet().toString());
  }
}
