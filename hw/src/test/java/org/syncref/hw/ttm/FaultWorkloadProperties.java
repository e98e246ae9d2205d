package org.syncref.hw.ttm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Generated workloads on {@link GpuMemSystem} that mix normal steps (submissions, moves and
 * evictions, run_job, engine completions, ghost frees) with the faults of {@link GpuFaults}
 * (hangs and resets, killed clients, interrupted submissions, allocation and move failures on the
 * eviction path, the driver's unload) and CPU waiters and callbacks, then drain the system and
 * check that nothing was lost ({@link GpuFaults#nothingLost}). Each workload is a list of picks:
 * a category (normal 65%, the rest spread over the faults, the unload 0.5%) and an index into the enabled steps of
 * that category. The negative controls run seeded random workloads of the same shape against
 * each injected bug and report how many it took to catch it.
 */
class FaultWorkloadProperties {
  static final int MAX_JOBS = 8;
  static final long WAIT_MILLIS = 2000;

  /** One choice: a category (0..199) and an index into that category's enabled steps. */
  record Pick(int category, int index) {
  }

  /** A workload's outcome: the steps taken, the nothing-lost failures, the fault counts. */
  record Outcome(List<String> steps, List<String> failures, Map<String, Integer> counts, boolean unloaded) {
    String explain() {
      return "steps: " + steps + "\nfailures:\n  " + String.join("\n  ", failures);
    }
  }

  /** The step-name prefixes of each category, by cumulative weight (out of 200). */
  private static final Object[][] CATEGORIES = {
    {130, new String[] {"Submit(", "Move(", "RunJob(", "Complete(", "GhostFree(", "Validate("}},
    {142, new String[] {"Hang("}},
    {148, new String[] {"Timeout("}},
    {154, new String[] {"Kill("}},
    {168, new String[] {"Interrupted("}},
    {180, new String[] {"AllocFail("}},
    {186, new String[] {"MoveFail("}},
    {199, new String[] {"Wait(", "Callback(", "WaitResv("}},
    {200, new String[] {"Unload"}},
  };

  static GpuMemSystem.Step choose(List<GpuMemSystem.Step> enabled, Pick p) {
    String[] prefixes = null;
    for (Object[] c : CATEGORIES) {
      if (p.category() < (Integer) c[0]) {
        prefixes = (String[]) c[1];
        break;
      }
    }
    List<GpuMemSystem.Step> in = new ArrayList<>();
    for (GpuMemSystem.Step s : enabled) {
      for (String pre : prefixes) {
        if (s.name().startsWith(pre)) {
          in.add(s);
        }
      }
    }
    if (in.isEmpty() && p.category() >= (Integer) CATEGORIES[0][0]) {
      return choose(enabled, new Pick(0, p.index())); // no fault of that kind now: a normal step
    }
    if (in.isEmpty()) {
      in = enabled; // no normal step now: any step
    }
    return in.get(p.index() % in.size());
  }

  /** Runs one workload on a fresh system with {@code bugs}, drains it and checks it. */
  static Outcome run(List<Pick> picks, HwBug... bugs) {
    GpuMemSystem sys = new GpuMemSystem(2, 4, bugs);
    sys.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = sys.bo("b2", TtmMemType.VRAM);
    sys.bo("b3", TtmMemType.SYSTEM);
    if (!picks.isEmpty() && picks.get(0).index() % 2 == 0) {
      sys.dev.markDiscardable(b2); // in half the workloads b2's eviction drops it (no placement)
    }
    GpuFaults faults = new GpuFaults(sys);
    List<String> steps = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    try {
      for (Pick p : picks) {
        List<GpuMemSystem.Step> enabled = faults.enabledSteps(MAX_JOBS);
        if (enabled.isEmpty()) {
          break;
        }
        GpuMemSystem.Step s = choose(enabled, p);
        steps.add(s.name());
        s.effect().run();
      }
      steps.add("drain(" + faults.drain() + ")");
    } catch (RuntimeException e) {
      failures.add("crash: " + e);
    }
    failures.addAll(faults.nothingLost(WAIT_MILLIS));
    Map<String, Integer> counts = new TreeMap<>(faults.counts());
    int dropped = (int) sys.dev.history().events().stream().filter(e -> e.startsWith("ttm_bo_pipeline_gutting frees")).count();
    if (dropped > 0) {
      counts.put("evictions without placement (ttm_bo_pipeline_gutting)", dropped);
    }
    return new Outcome(steps, failures, counts, faults.unloaded());
  }

  @Provide
  Arbitrary<List<Pick>> workloads() {
    Arbitrary<Pick> pick = Combinators.combine(Arbitraries.integers().between(0, 199),
        Arbitraries.integers().between(0, 999)).as(Pick::new);
    return pick.list().ofMinSize(5).ofMaxSize(60);
  }

  static List<Pick> randomWorkload(Random r) {
    int n = 5 + r.nextInt(56);
    List<Pick> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Pick(r.nextInt(200), r.nextInt(1000)));
    }
    return out;
  }

  private static final Map<String, Integer> TOTALS = new TreeMap<>();
  private static int workloads;
  private static int unloads;
  private static long nanos;

  @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
  void nothing_lost_under_faults(@ForAll("workloads") List<Pick> picks) {
    long t0 = System.nanoTime();
    Outcome o = run(picks);
    assertEquals(List.of(), o.failures(), o.explain());
    synchronized (TOTALS) {
      nanos += System.nanoTime() - t0;
      workloads++;
      unloads += o.unloaded() ? 1 : 0;
      o.counts().forEach((k, v) -> TOTALS.merge(k, v, Integer::sum));
    }
  }

  @AfterContainer
  static void report() {
    if (workloads > 0) {
      System.out.printf("fault workloads: %d in %.1f s, %d ended by an unload; faults injected: %s%n", workloads,
          nanos / 1e9, unloads, TOTALS);
    }
  }

  @Example
  void the_workloads_reach_every_fault() {
    Random r = new Random(1);
    Map<String, Integer> totals = new TreeMap<>();
    for (int i = 0; i < 200; i++) {
      Outcome o = run(randomWorkload(r));
      assertEquals(List.of(), o.failures(), o.explain());
      o.counts().forEach((k, v) -> totals.merge(k, v, Integer::sum));
    }
    for (String kind : List.of("hangs", "resets", "kills", "interrupted submits (LOCKING)",
        "interrupted submits (BEFORE_ARM)", "interrupted submits (AFTER_ARM)", "move failures", "unloads",
        "CPU waits", "callbacks", "evictions without placement (ttm_bo_pipeline_gutting)")) {
      assertTrue(totals.getOrDefault(kind, 0) > 0, kind + " never happened: " + totals);
    }
    assertTrue(totals.keySet().stream().anyMatch(k -> k.startsWith("alloc failures (SYSTEM")), totals.toString());
  }

  // ---------------------------------------------------------------------------------------
  // Negative controls

  /**
   * Seeded workloads against {@code bug} until one has a failure that starts with {@code expect};
   * returns how many it took (and prints it, with the first such failure).
   */
  static int caught(HwBug bug, String expect) {
    Random r = new Random(42);
    int failing = 0;
    for (int i = 1; i <= 2000; i++) {
      List<Pick> w = randomWorkload(r);
      Outcome o = run(w, bug);
      failing += o.failures().isEmpty() ? 0 : 1;
      for (String f : o.failures()) {
        if (f.startsWith(expect)) {
          System.out.println(bug + " caught by \"" + expect + "\" after " + i + " workloads (" + failing
              + " failed any check; this one after " + o.steps().stream().filter(x -> !x.startsWith("drain(")).count() + " steps, " + o.failures().size()
              + " failures): " + f);
          return i;
        }
      }
    }
    return fail(bug + " not caught by \"" + expect + "\" in 2000 workloads");
  }

  @Example
  void kill_that_drops_jobs_is_caught() {
    caught(HwBug.KILL_DROPS_JOBS, "lost fence");
    caught(HwBug.KILL_DROPS_JOBS, "lost waiter");
  }

  @Example
  void kill_that_skips_dependencies_is_caught() {
    caught(HwBug.KILL_SKIPS_DEPS, "killed job signaled before its dependency");
  }

  @Example
  void reset_that_forgets_the_error_is_caught() {
    caught(HwBug.RESET_FORGETS_ERROR, "wrong error");
  }

  @Example
  void armed_job_never_pushed_is_caught() {
    caught(HwBug.ARMED_NOT_PUSHED, "lost fence");
  }

  @Example
  void interrupted_submission_without_exec_fini_is_caught() {
    caught(HwBug.INTERRUPT_SKIPS_EXEC_FINI, "lock held");
    caught(HwBug.INTERRUPT_SKIPS_EXEC_FINI, "reserved fence slot leaked");
  }

  @Example
  void failed_move_that_leaks_the_destination_is_caught() {
    caught(HwBug.MOVE_FAIL_LEAKS_DST, "range leaked");
  }

  @Example
  void failed_move_that_frees_the_destination_twice_is_caught() {
    caught(HwBug.MOVE_FAIL_FREES_DST_TWICE, "range freed 2 times");
  }

  @Example
  void eviction_without_placement_that_does_not_wait_is_caught() {
    caught(HwBug.GUTTING_NO_WAIT, "GpuMem check: [MEM-FREE-UNREACHABLE]");
  }

  @Example
  void unload_that_leaves_fences_is_caught() {
    caught(HwBug.UNLOAD_LEAVES_FENCES, "lost fence");
    caught(HwBug.UNLOAD_LEAVES_FENCES, "use of an unloaded module");
  }
}
