package org.syncref.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.syncref.kernel.Warning;

/**
 * Turns a program (generated commands) into a {@link Trace} of the Java drm_exec and i915 clients
 * ({@link DrmExecWorld}), for the impl-to-spec direction against spec/DrmExec
 * (MCDrmExecConformance.cfg). The first command picks which two or three of the five clients run
 * (the others never start); a {@link Kind#CLIENT_STEP} lets one of them run to its next stop (the
 * first runnable one from {@code a}). Sleepers run when the schedule says: {@link
 * Kind#RUN_WOKEN_SLEEPER} runs a sleeping client the kernel woke, {@link Kind#RUN_ANY_SLEEPER} any
 * sleeping one (a spurious wake-up), a Wake step
 * if its lock call returns or it sets MUTEX_FLAG_HANDOFF ({@link DrmExecWorld#resume}). So a
 * released lock may be taken by another client before its woken waiter runs (lock stealing).
 * Every sub-list of a program is again a program, so jqwik and {@link Shrinker} can shrink.
 */
public final class DrmExecTraceGenerator {
  /**
   * The commands of a program, each with its weight: how often a random program picks it.
   * {@code DrmExecConformanceExamples} (property-tests) fails on an action of ConfNext that a
   * fixed-seed batch of programs never reaches, unless {@link #NOT_GENERATED} names it.
   */
  public enum Kind {
    /**
     * A running client (the first runnable one from {@code a}) runs to its next stop: its next
     * drm_exec_init, drm_exec_lock_obj / i915_gem_object_lock (ww_mutex_lock, _slow),
     * dma_resv_reserve_fences, drm_exec_retry_on_contention / i915_gem_ww_ctx_backoff,
     * dma_resv_add_fence, drm_exec_fini / i915_gem_ww_ctx_fini, as its loop says.
     */
    CLIENT_STEP(9),
    /** The schedule runs a sleeping client the kernel woke (Wake). */
    RUN_WOKEN_SLEEPER(2),
    /** The schedule runs any sleeping client (a spurious wake-up: Wake if its call returns). */
    RUN_ANY_SLEEPER(1);

    /** The weight of the command in {@link #WEIGHTS}. */
    public final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  /** The commands' weights, as the programs draw them. */
  public static final Weights<Kind> WEIGHTS = Weights.of(Kind.class, k -> k.weight);

  /** The actions of ConfNext that no command makes, with the reason. */
  public static final java.util.Map<String, String> NOT_GENERATED = java.util.Map.of();

  /** One generated command: its kind and small non-negative integers that resolve its choices. */
  public record Cmd(Kind kind, int a, int b, int c) {
    @Override
    public String toString() {
      return kind + "(" + a + "," + b + "," + c + ")";
    }
  }

  /**
   * The client sets a program may pick: every set of two or three of the five clients, the sets
   * of three twice as often (a woken Wait-Die sleeper dies only if a third context, older than
   * it, queued ahead of it or took its lock meanwhile).
   */
  static final List<int[]> SUBSETS = subsets();
  private final Supplier<DrmExecWorld> worlds;
  /** The indices (number of steps) of the states after each command of the last run, and its WARNs. */
  public List<Integer> lastSettled = List.of();
  /** For each of those states, which sleeping clients the kernel had woken. */
  public List<boolean[]> lastWoken = List.of();
  public List<Warning> lastWarnings = List.of();
  /** The failure of a client loop in the last run ({@link DrmExecWorld#failure()}), or null. */
  public String lastFailure;

  /**
   * Only for the negative control of the sleeper-step floors: the earlier schedule, which ran
   * every woken sleeper at once after each command and had no sleeper commands.
   */
  private final boolean wakeAtOnce;

  public DrmExecTraceGenerator(Supplier<DrmExecWorld> worlds) {
    this(worlds, false);
  }

  public DrmExecTraceGenerator(Supplier<DrmExecWorld> worlds, boolean wakeAtOnce) {
    this.worlds = worlds;
    this.wakeAtOnce = wakeAtOnce;
  }

  private static List<int[]> subsets() {
    List<int[]> out = new ArrayList<>();
    int n = DrmExecWorld.N;
    for (int m = 0; m < (1 << n); m++) {
      int k = Integer.bitCount(m);
      if (k == 2 || k == 3) {
        int[] s = new int[k];
        int j = 0;
        for (int t = 0; t < n; t++) {
          if ((m & (1 << t)) != 0) {
            s[j++] = t;
          }
        }
        out.add(s);
        if (k == 3) {
          out.add(s);
        }
      }
    }
    return List.copyOf(out);
  }

  public static List<Cmd> randomProgram(Random r) {
    return randomProgram(r, 160);
  }

  /** A program of 30 to {@code maxLength} commands. */
  public static List<Cmd> randomProgram(Random r, int maxLength) {
    return randomProgram(r, maxLength, WEIGHTS);
  }

  /** A program of 30 to {@code maxLength} commands drawn with {@code weights}. */
  public static List<Cmd> randomProgram(Random r, int maxLength, Weights<Kind> weights) {
    int n = 30 + r.nextInt(maxLength - 29);
    List<Cmd> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      p.add(new Cmd(weights.pick(r), r.nextInt(1001), r.nextInt(1001), r.nextInt(1001)));
    }
    return p;
  }

  public Trace run(List<Cmd> program) {
    try (DrmExecWorld w = worlds.get()) {
      var initial = w.snapshot();
      List<Step> steps = new ArrayList<>();
      List<Integer> settled = new ArrayList<>();
      List<boolean[]> woken = new ArrayList<>();
      settled.add(0);
      woken.add(woken(w));
      if (!program.isEmpty()) {
        int[] clients = SUBSETS.get(program.get(0).c() % SUBSETS.size());
        for (Cmd cmd : program) {
          if (cmd.kind() != Kind.CLIENT_STEP) {
            if (wakeAtOnce) {
              continue;
            }
            // the schedule runs a woken sleeper or any sleeper (spurious)
            for (int k = 0; k < clients.length; k++) {
              int t = clients[(cmd.a() + k) % clients.length];
              if (cmd.kind() == Kind.RUN_ANY_SLEEPER ? w.isParked(t) : w.isWoken(t)) {
                if (w.resume(t) != null) {
                  steps.add(new Step("Wake", List.of(DrmExecWorld.THREADS.get(t)), w.snapshot()));
                }
                break;
              }
            }
          } else {
            int t = -1;
            for (int k = 0; k < clients.length && t < 0; k++) {
              int u = clients[(cmd.a() + k) % clients.length];
              if (w.isRunnable(u)) {
                t = u;
              }
            }
            if (t < 0) {
              continue;
            }
            String action = w.step(t);
            steps.add(new Step(action, List.of(DrmExecWorld.THREADS.get(t)), w.snapshot()));
          }
          if (w.failure() != null) {
            break; // the step that failed is the last one
          }
          if (wakeAtOnce) {
            wakeAll(w, steps);
          }
          settled.add(steps.size());
          woken.add(woken(w));
          if (w.failure() != null) {
            break;
          }
        }
      }
      lastFailure = w.failure();
      lastSettled = settled;
      lastWoken = woken;
      lastWarnings = List.copyOf(w.warnings());
      return new Trace(initial, steps);
    }
  }

  /** Runs every woken sleeper, lowest first, until none is left (the wakeAtOnce schedule). */
  private static void wakeAll(DrmExecWorld w, List<Step> steps) {
    for (int round = 0; round < 1000; round++) {
      int t = 0;
      while (t < DrmExecWorld.N && !w.isWoken(t)) {
        t++;
      }
      if (t == DrmExecWorld.N) {
        return;
      }
      if (w.resume(t) != null) {
        steps.add(new Step("Wake", List.of(DrmExecWorld.THREADS.get(t)), w.snapshot()));
      }
    }
    throw new IllegalStateException("wake-ups do not settle");
  }

  private static boolean[] woken(DrmExecWorld w) {
    boolean[] b = new boolean[DrmExecWorld.N];
    for (int t = 0; t < DrmExecWorld.N; t++) {
      b[t] = w.isWoken(t);
    }
    return b;
  }
}
