package org.syncref.hw.ttm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Random small workloads on {@link GpuMemSystem}, one java.util.Random seed each (plain JUnit
 * loops over seeds 0, 1, ..., so that a failure names its seed and the counts are reproducible):
 * three objects (two in VRAM, which has two ranges, one in SYSTEM, which has four), at most {@link
 * #MAX_JOBS} jobs, and a random enabled step at a time until none is left. Mainline breaks no
 * check; each injected bug is found by some seed, and the tests report how many seeds it took.
 */
class GpuMemWalkProperties {
  static final int MAX_JOBS = 8;
  static final int SEEDS = 1000;

  /** The result of one walk: the steps taken and the system at the end. */
  record Walk(List<String> steps, GpuMemSystem sys) {
    String explain() {
      return "steps: " + steps + "\n" + sys.log();
    }
  }

  static Walk walk(long seed, boolean timeouts, HwBug... bugs) {
    Random rnd = new Random(seed);
    GpuMemSystem sys = new GpuMemSystem(2, 4, bugs);
    sys.bo("b1", TtmMemType.VRAM);
    sys.bo("b2", TtmMemType.VRAM);
    sys.bo("b3", TtmMemType.SYSTEM);
    List<String> steps = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      List<GpuMemSystem.Step> enabled = sys.enabledSteps(MAX_JOBS, timeouts);
      if (enabled.isEmpty()) {
        break;
      }
      GpuMemSystem.Step s = enabled.get(rnd.nextInt(enabled.size()));
      steps.add(s.name());
      s.effect().run();
    }
    return new Walk(steps, sys);
  }

  @Test
  @DisplayName("mainline: no GpuMem check fails on 1000 random workloads (half with timeouts); every job completes")
  void mainline_random_workloads() {
    int evictionsRun = 0;
    int laterTenures = 0;
    int cancelled = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Walk w = walk(seed, seed % 2 == 1);
      String why = "seed " + seed + "\n" + w.explain();
      assertEquals(List.of(), w.sys().violations(), why);
      assertTrue(w.sys().k.warnings().isEmpty(), w.sys().k.warnings() + "\n" + why);
      assertTrue(w.sys().dev.ghosts().isEmpty(), "every ghost freed at the end\n" + why);
      for (var s : w.sys().schedulers()) {
        for (var j : s.armedJobs()) {
          assertTrue(j.finished().isSignaled(), j + " never completed\n" + why);
          cancelled += j.result() < 0 ? 1 : 0;
        }
      }
      for (GpuMemHistory.Access a : w.sys().dev.history().accesses()) {
        evictionsRun += a.job().name().startsWith("evict") && a.range().memType() == TtmMemType.VRAM ? 1 : 0;
        laterTenures += a.range().memType() == TtmMemType.VRAM && a.tenure() >= 2 ? 1 : 0;
      }
    }
    // not vacuous: the walks evict, reuse VRAM ranges and cancel jobs
    System.out.println("mainline walks: " + evictionsRun + " eviction copies ran, " + laterTenures
        + " accesses to VRAM ranges in a later tenure, " + cancelled + " jobs cancelled by timeouts");
    assertTrue(evictionsRun > 0 && laterTenures > 0 && cancelled > 0);
  }

  @Test
  @DisplayName("the walks are deterministic: same seed, same steps and accesses")
  void deterministic() {
    for (long seed = 0; seed < 50; seed++) {
      Walk a = walk(seed, true);
      Walk b = walk(seed, true);
      assertEquals(a.steps(), b.steps());
      assertEquals(a.sys().dev.history().accesses().toString(), b.sys().dev.history().accesses().toString());
    }
  }

  /** Runs seeds 0.. until {@code bug} is caught by {@code rule}; reports how many it took. */
  private static void caughtBy(HwBug bug, String rule) {
    int caught = 0;
    long first = -1;
    Walk firstWalk = null;
    for (long seed = 0; seed < SEEDS; seed++) {
      Walk w = walk(seed, false, bug);
      if (!w.sys().dev.history().violations(rule).isEmpty()) {
        caught++;
        if (first < 0) {
          first = seed;
          firstWalk = w;
        }
      }
    }
    assertTrue(first >= 0, bug + " not caught by " + rule + " in " + SEEDS + " seeds");
    System.out.println(bug + " caught by " + rule + " in " + caught + " of " + SEEDS
        + " seeds; first at seed " + first + " (" + (first + 1) + " tries), after "
        + firstWalk.steps().size() + " steps: " + firstWalk.steps() + "\n  "
        + firstWalk.sys().dev.history().violations(rule).get(0));
  }

  @Test
  @DisplayName("negative control evict_waits_write: random walks find MEM-FREE-UNREACHABLE")
  void evict_waits_write_found() {
    caughtBy(HwBug.EVICT_WAITS_WRITE, TtmExamples.FREE);
  }

  @Test
  @DisplayName("negative control ignore_kernel: random walks find MEM-KERNEL-FIRST")
  void ignore_kernel_found() {
    caughtBy(HwBug.IGNORE_KERNEL, TtmExamples.KERNEL_FIRST);
  }

  @Test
  @DisplayName("negative control ignore_kernel: random walks find MEM-NO-STALE-ACCESS")
  void ignore_kernel_found_stale() {
    caughtBy(HwBug.IGNORE_KERNEL, TtmExamples.STALE);
  }

  @Test
  @DisplayName("negative control no_move_fence: random walks find MEM-FREE-UNREACHABLE")
  void no_move_fence_found() {
    caughtBy(HwBug.NO_MOVE_FENCE, TtmExamples.FREE);
  }

  @Test
  @DisplayName("negative control rw_swapped: random walks find MEM-RW-ORDERED")
  void rw_swapped_found() {
    caughtBy(HwBug.RW_SWAPPED, TtmExamples.RW);
  }

  @Test
  @DisplayName("negative control unordered_engine: random walks find MEM-NO-STALE-ACCESS")
  void unordered_engine_found() {
    caughtBy(HwBug.UNORDERED_ENGINE, TtmExamples.STALE);
  }
}
