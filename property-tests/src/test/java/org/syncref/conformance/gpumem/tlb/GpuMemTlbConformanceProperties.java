package org.syncref.conformance.gpumem.tlb;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.gpumem.GpuMemVmChecker;
import org.syncref.hw.ttm.HwBug;

/**
 * hw/'s VM system with its TLB (org.syncref.hw.vm.GpuVmSystem) against
 * spec/GpuMem/GpuMemTlb.tla (model MCGpuMemTlbConformance; surefire execution
 * gpumem-tlb-conformance, a JVM of its own: TLC holds one spec per JVM). As the GpuMemVm check
 * (package ...gpumem.vm), with the TLB flush fences' work as operations, GpuMemTlb's
 * properties (TlbFlushed, LrTlbNoStaleAccess among them) on every spec step, and the negative
 * controls of slice 5: each of NO_TLB_FENCE, FLUSH_BEFORE_UPDATE, RESUME_BEFORE_FLUSH makes a
 * seeded workload leave the spec's behaviours or break a property, within {@value #BUDGET}
 * workloads, and the same workloads pass on mainline.
 */
class GpuMemTlbConformanceProperties {
  static final GpuMemVmChecker CHECKER = GpuMemVmChecker.loadTlb();
  static final int BUDGET = 300;

  @Provide
  static Arbitrary<List<Integer>> workloads() {
    return Arbitraries.integers().between(0, 1000).list().ofMinSize(20).ofMaxSize(60);
  }

  @Property(tries = 200)
  void javaVmWithTlbRunsAreBehavioursOfTheSpec(@ForAll("workloads") List<Integer> choices) {
    GpuMemVmChecker.Verdict v = CHECKER.check(choices, 60);
    if (!v.ok()) {
      fail("operation " + v.failedOp() + ": " + v.reason() + "\nrun: " + v.log());
    }
  }

  static List<Integer> workload(long seed) {
    Random r = new Random(seed);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      out.add(r.nextInt(1001));
    }
    return out;
  }

  static void caught(HwBug bug) {
    for (int seed = 0; seed < BUDGET; seed++) {
      GpuMemVmChecker.Verdict v = CHECKER.check(workload(seed), 60, bug);
      if (!v.ok()) {
        System.out.println("GpuMemTlb conformance negative control " + bug + ": caught by workload " + (seed + 1)
            + " (seed " + seed + "), operation " + v.failedOp() + ": " + v.reason() + "\n  run: " + v.log());
        return;
      }
    }
    assertTrue(false, bug + " passed " + BUDGET + " workloads");
  }

  @Test
  void noTlbFenceIsCaught() {
    caught(HwBug.NO_TLB_FENCE);
  }

  @Test
  void flushBeforeUpdateIsCaught() {
    caught(HwBug.FLUSH_BEFORE_UPDATE);
  }

  @Test
  void resumeBeforeFlushIsCaught() {
    caught(HwBug.RESUME_BEFORE_FLUSH);
  }

  @Test
  void mainlinePassesTheControlWorkloads() {
    for (int seed = 0; seed < 100; seed++) {
      GpuMemVmChecker.Verdict v = CHECKER.check(workload(seed), 60);
      assertTrue(v.ok(), "seed " + seed + ": " + v.reason() + "\nrun: " + v.log());
    }
  }

  /** The runs reached the VM's and the TLB's operations. */
  @AfterContainer
  static void summary() {
    System.out.println(CHECKER.summary());
    for (String kind : List.of("LrStart", "LrAccess", "PreemptWork", "RebindBegin", "RebindFinish", "Unmap",
        "TlbFlush")) {
      assertTrue(CHECKER.opKinds.getOrDefault(kind, 0L) > 0, "no " + kind + " in " + CHECKER.summary());
    }
  }
}
