package org.syncref.hw.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.hw.ttm.GpuMemSystem;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.TtmMemType;

/**
 * Random walks over {@link GpuVmSystem}, one java.util.Random seed each (plain JUnit loops over
 * seeds 0, 1, ..., so that a failure names its seed and the counts are reproducible): the VM's BO
 * "vm" and "b2" in VRAM (two ranges), "b3" in SYSTEM (four ranges), at most {@link #MAX_JOBS}
 * jobs armed, and a random enabled step at a time, {@link #STEPS} steps at most. Mainline breaks
 * no check; each injected bug of the VM slices is found by some seed, and the tests report how
 * many seeds it took.
 */
class VmWalkProperties {
  static final int MAX_JOBS = 16;
  static final int STEPS = 200;
  static final int SEEDS = 400;
  static final Set<GpuVm.Flow> REBIND = EnumSet.of(GpuVm.Flow.REBIND);
  static final Set<GpuVm.Flow> UNMAP = EnumSet.of(GpuVm.Flow.UNMAP);
  static final Set<GpuVm.Flow> BOTH = EnumSet.allOf(GpuVm.Flow.class);

  /** The result of one walk: the steps taken and the system at the end. */
  record Walk(List<String> steps, GpuVmSystem sys) {
    String explain() {
      return "steps: " + steps + "\n" + sys.log();
    }
  }

  static Walk walk(long seed, Set<GpuVm.Flow> flows, boolean tlb, HwBug... bugs) {
    Random rnd = new Random(seed);
    try (GpuVmSystem sys = new GpuVmSystem(2, 4, flows, tlb, bugs)) {
      sys.bo("b2", TtmMemType.VRAM);
      sys.bo("b3", TtmMemType.SYSTEM);
      List<String> steps = new ArrayList<>();
      for (int i = 0; i < STEPS; i++) {
        List<GpuMemSystem.Step> enabled = sys.enabledSteps(MAX_JOBS);
        if (enabled.isEmpty()) {
          break;
        }
        GpuMemSystem.Step s = enabled.get(rnd.nextInt(enabled.size()));
        steps.add(s.name());
        s.effect().run();
      }
      return new Walk(steps, sys);
    }
  }

  private static void mainline(Set<GpuVm.Flow> flows, boolean tlb, boolean rebinds, boolean unmaps) {
    int steps = 0;
    int preemptions = 0;
    int rebound = 0;
    int unmapped = 0;
    int flushes = 0;
    int lrAccesses = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Walk w = walk(seed, flows, tlb);
      String why = "seed " + seed + "\n" + w.explain();
      assertEquals(List.of(), w.sys().violations(), why);
      assertTrue(w.sys().sys.k.warnings().isEmpty(), w.sys().sys.k.warnings() + "\n" + why);
      steps += w.steps().size();
      preemptions += w.sys().vm.lr().preemptions();
      int[] c = w.sys().vm.counts();
      rebound += c[0];
      unmapped += c[1];
      flushes += c[2];
      lrAccesses += w.sys().vm.history().lrAccessed().size();
    }
    System.out.println("mainline VM walks " + flows + (tlb ? " with TLB" : " without TLB") + ": " + SEEDS + " walks, " + steps + " steps, "
        + preemptions + " preemptions, " + rebound + " rebinds, " + unmapped + " unmaps, " + flushes
        + " TLB flushes, " + lrAccesses + " distinct context accesses, 0 violations");
    // not vacuous: the walks preempt, rebind / unmap, flush the TLB
    assertTrue(steps > 10_000 && lrAccesses > 0 && (!tlb || flushes > 0));
    assertTrue(!rebinds || (preemptions > 0 && rebound > 0), "rebinds");
    assertTrue(!unmaps || unmapped > 0, "unmaps");
  }

  @Test
  @DisplayName("mainline GpuMemTlb (TLB), rebind flow: no check fails on 400 random walks; preemptions and rebinds happen")
  void mainline_tlb_rebind() {
    mainline(REBIND, true, true, false);
  }

  @Test
  @DisplayName("mainline GpuMemTlb (TLB), unmap flow: no check fails on 400 random walks; unmaps happen")
  void mainline_tlb_unmap() {
    mainline(UNMAP, true, false, true);
  }

  @Test
  @DisplayName("mainline GpuMemTlb (TLB), both flows: no check fails on 400 random walks")
  void mainline_tlb_both() {
    mainline(BOTH, true, true, true);
  }

  @Test
  @DisplayName("mainline GpuMemVm (no TLB), both flows: no check fails on 400 random walks")
  void mainline_vm_both() {
    mainline(BOTH, false, true, true);
  }

  @Test
  @DisplayName("the walks are deterministic: same seed, same steps and accesses")
  void deterministic() {
    for (long seed = 0; seed < 30; seed++) {
      Walk a = walk(seed, BOTH, true);
      Walk b = walk(seed, BOTH, true);
      assertEquals(a.steps(), b.steps());
      assertEquals(a.sys().vm.history().lrAccessed().toString(), b.sys().vm.history().lrAccessed().toString());
    }
  }

  /** The most walks a negative control may take. */
  static final int MAX_BUG_WALKS = 5000;

  /**
   * Runs seeds 0.. until {@code bug} is caught by {@code rule} (at most {@link #MAX_BUG_WALKS});
   * reports how many walks it took and the first violation.
   */
  static void caughtBy(HwBug bug, Set<GpuVm.Flow> flows, boolean tlb, String rule) {
    for (long seed = 0; seed < MAX_BUG_WALKS; seed++) {
      Walk w = walk(seed, flows, tlb, bug);
      if (!w.sys().violations(rule).isEmpty()) {
        System.out.println(bug + " caught by " + rule + " at seed " + seed + " (" + (seed + 1) + " walks, "
            + flows + (tlb ? " with TLB" : " without TLB") + "), after " + w.steps().size() + " steps\n  "
            + w.sys().violations(rule).get(0));
        return;
      }
    }
    throw new AssertionError(bug + " not caught by " + rule + " in " + MAX_BUG_WALKS + " walks");
  }

  @Test
  @DisplayName("negative control evict_skips_bookkeep: random walks find MEM-PT-BOOKKEEP")
  void evict_skips_bookkeep_found() {
    caughtBy(HwBug.EVICT_SKIPS_BOOKKEEP, REBIND, false, VmExamples.PT_BOOKKEEP);
  }

  @Test
  @DisplayName("negative control resume_no_rebind: random walks find MEM-NO-STALE-ACCESS")
  void resume_no_rebind_found() {
    caughtBy(HwBug.RESUME_NO_REBIND, REBIND, false, VmExamples.STALE);
  }

  @Test
  @DisplayName("negative control replace_stub: random walks find MEM-PT-BOOKKEEP")
  void replace_stub_found() {
    caughtBy(HwBug.REPLACE_STUB, UNMAP, false, VmExamples.PT_BOOKKEEP);
  }

  @Test
  @DisplayName("negative control no_tlb_fence: random walks find MEM-TLB-FLUSHED")
  void no_tlb_fence_found() {
    caughtBy(HwBug.NO_TLB_FENCE, UNMAP, true, VmExamples.TLB_FLUSHED);
  }

  @Test
  @DisplayName("negative control flush_before_update: random walks find MEM-TLB-FLUSHED")
  void flush_before_update_found() {
    caughtBy(HwBug.FLUSH_BEFORE_UPDATE, UNMAP, true, VmExamples.TLB_FLUSHED);
  }

  @Test
  @DisplayName("negative control resume_before_flush: random walks find MEM-NO-STALE-ACCESS through the TLB")
  void resume_before_flush_found() {
    caughtBy(HwBug.RESUME_BEFORE_FLUSH, REBIND, true, VmExamples.STALE);
  }
}
