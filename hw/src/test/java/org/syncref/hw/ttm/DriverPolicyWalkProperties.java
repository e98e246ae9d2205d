package org.syncref.hw.ttm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link GpuMemWalkProperties}' random workloads under each driver policy: every GpuMem check of
 * {@link GpuMemHistory} holds on mainline for every driver, and the amdgpu mutant ({@link
 * HwBug#AMDGPU_SKIP_MOVES}) is found, with the number of seeds it took.
 */
class DriverPolicyWalkProperties {
  static final int SEEDS = 500;

  static GpuMemSystem walk(String driver, long seed, boolean timeouts, HwBug... bugs) {
    Random rnd = new Random(seed);
    GpuMemSystem sys = new GpuMemSystem(DriverPolicy.of(driver), 2, 4, bugs);
    sys.bo("b1", TtmMemType.VRAM);
    sys.bo("b2", TtmMemType.VRAM);
    sys.bo("b3", TtmMemType.SYSTEM);
    List<String> steps = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      List<GpuMemSystem.Step> enabled = sys.enabledSteps(GpuMemWalkProperties.MAX_JOBS, timeouts);
      if (enabled.isEmpty()) {
        break;
      }
      GpuMemSystem.Step s = enabled.get(rnd.nextInt(enabled.size()));
      steps.add(s.name());
      s.effect().run();
    }
    return sys;
  }

  @Test
  void everyDriverKeepsEveryCheckOnMainline() {
    for (String d : DriverPolicy.DRIVERS) {
      int accesses = 0;
      for (long seed = 0; seed < SEEDS; seed++) {
        GpuMemSystem sys = walk(d, seed, seed % 2 == 1);
        assertEquals(List.of(), sys.violations(), d + " seed " + seed + "\n" + sys.log());
        assertTrue(sys.k.warnings().isEmpty(), d + " seed " + seed + ": " + sys.k.warnings());
        for (var s : sys.schedulers()) {
          for (var j : s.armedJobs()) {
            assertTrue(j.finished().isSignaled(), d + " seed " + seed + ": " + j + " never completed");
          }
        }
        accesses += sys.dev.history().accesses().size();
      }
      System.out.println("driver " + d + ": " + SEEDS + " walks, " + accesses + " accesses, no violation");
    }
  }

  @Test
  void amdgpuSkipMovesIsFound() {
    int n = 0;
    long first = -1;
    String why = null;
    for (long seed = 0; seed < SEEDS; seed++) {
      GpuMemSystem sys = walk("amdgpu", seed, false, HwBug.AMDGPU_SKIP_MOVES);
      if (sys.violations().stream().anyMatch(v -> v.rule().equals("MEM-KERNEL-FIRST"))) {
        n++;
        if (first < 0) {
          first = seed;
          why = sys.violations().toString();
        }
      }
    }
    System.out.println("AMDGPU_SKIP_MOVES caught by MEM-KERNEL-FIRST in " + n + " of " + SEEDS
        + " walks; first at seed " + first + ": " + why);
    assertTrue(n > 0);
  }
}
