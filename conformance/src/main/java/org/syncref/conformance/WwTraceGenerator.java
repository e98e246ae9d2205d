package org.syncref.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.syncref.kernel.Warning;

/**
 * Turns a program (generated commands) into a {@link Trace} of the Java ww_mutex, for the
 * impl-to-spec direction against spec/WwMutex (MCWwMutexConformance{WD,WW}.cfg). Every command
 * names a thread (the first runnable one from {@code a}, so most commands apply) and one of the
 * calls the client protocol allows that thread (from {@code b}); a command that applies to no
 * thread is skipped, so every sub-list of a program is again a program and jqwik can shrink.
 *
 * <p>The client protocol is the spec's (ww-mutex-design.rst): ww_acquire_init; ww_mutex_lock of
 * the wanted locks in any order (and ww_mutex_trylock, and ww_mutex_lock of a held lock, which
 * meets -EALREADY); on -EDEADLK unlock everything and ww_mutex_lock_slow the contended lock;
 * ww_acquire_done once all are held; unlock them; ww_acquire_fini; {@link WwWorld#MAX_TX}
 * transactions per thread. Sleepers run when the schedule says: {@link Kind#RUN_WOKEN_SLEEPER}
 * runs a parked thread the kernel woke (the schedule picks a runnable task), {@link
 * Kind#RUN_ANY_SLEEPER} any parked thread (a spurious wake-up: the sleep loop must re-check); each
 * is a step if the lock call returns or
 * the sleeper set MUTEX_FLAG_HANDOFF ({@link WwWorld#resume}). So a released lock may be taken by
 * another thread before its woken waiter runs (lock stealing).
 */
public final class WwTraceGenerator {
  /**
   * The commands of a program, each with its weight: how often a random program picks it.
   * {@code WwNextCoverage} (property-tests, via WwActionFloorsBase) fails on an action of ConfNext
   * that a fixed-seed batch of programs never reaches, unless {@link #NOT_GENERATED} names it.
   */
  public enum Kind {
    /**
     * The first thread from {@code a} that may call makes one of the calls the protocol allows it
     * (from {@code b}, {@code c}): ww_acquire_init, ww_mutex_lock (also of a held lock:
     * -EALREADY), ww_mutex_trylock, ww_acquire_done, ww_mutex_unlock (also in the back-off),
     * ww_mutex_lock_slow, ww_acquire_fini ({@link #options}).
     */
    PROTOCOL_CALL(11),
    /** The schedule runs a parked thread the kernel woke: its lock call returns or it sleeps again. */
    RUN_WOKEN_SLEEPER(2),
    /** The schedule runs any parked thread (a spurious wake-up: the sleep loop must re-check). */
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

  private final Supplier<WwWorld> worlds;
  /**
   * Only for the negative control of the step floors: the earlier schedule, which ran every
   * woken sleeper at once after each call ({@link WwWorld#settle()}) and had no sleeper commands.
   */
  private final boolean settleAtOnce;
  /** The indices (number of steps) of the states after each command of the last run, and its WARNs. */
  public List<Integer> lastSettled = List.of();
  /** For each of those states, which parked threads the kernel had woken. */
  public List<boolean[]> lastWoken = List.of();
  public List<Warning> lastWarnings = List.of();

  public WwTraceGenerator(Supplier<WwWorld> worlds) {
    this(worlds, false);
  }

  public WwTraceGenerator(Supplier<WwWorld> worlds, boolean settleAtOnce) {
    this.worlds = worlds;
    this.settleAtOnce = settleAtOnce;
  }

  public static List<Cmd> randomProgram(Random r) {
    return randomProgram(r, WEIGHTS);
  }

  /** A random program of 20 to 120 commands drawn with {@code weights}. */
  public static List<Cmd> randomProgram(Random r, Weights<Kind> weights) {
    int n = 20 + r.nextInt(101);
    List<Cmd> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      p.add(new Cmd(weights.pick(r), r.nextInt(1001), r.nextInt(1001), r.nextInt(1001)));
    }
    return p;
  }

  public Trace run(List<Cmd> program) {
    try (WwWorld w = worlds.get()) {
      var initial = w.snapshot();
      List<Step> steps = new ArrayList<>();
      List<Integer> settled = new ArrayList<>();
      List<boolean[]> woken = new ArrayList<>();
      settled.add(0);
      woken.add(woken(w));
      for (Cmd cmd : program) {
        if (cmd.kind() != Kind.PROTOCOL_CALL) {
          if (settleAtOnce) {
            continue;
          }
          // the schedule runs a woken sleeper or any sleeper (spurious)
          for (int k = 0; k < WwWorld.N; k++) {
            int t = (cmd.a() + k) % WwWorld.N;
            if (cmd.kind() == Kind.RUN_ANY_SLEEPER ? w.isParked(t) : w.isWoken(t)) {
              String action = w.resume(t);
              if (action != null) {
                steps.add(new Step(action, List.of(WwWorld.THREADS.get(t)), w.snapshot()));
              }
              break;
            }
          }
        } else {
          List<String> call = call(w, cmd);
          if (call == null) {
            continue;
          }
          List<String> args = List.copyOf(call.subList(1, call.size()));
          w.apply(call.get(0), args);
          steps.add(new Step(call.get(0), args, w.snapshot()));
        }
        if (settleAtOnce) {
          steps.addAll(w.settle());
        }
        settled.add(steps.size());
        woken.add(woken(w));
      }
      lastSettled = settled;
      lastWoken = woken;
      lastWarnings = List.copyOf(w.warnings());
      return new Trace(initial, steps);
    }
  }

  private static boolean[] woken(WwWorld w) {
    boolean[] b = new boolean[WwWorld.N];
    for (int t = 0; t < WwWorld.N; t++) {
      b[t] = w.isWoken(t);
    }
    return b;
  }

  /** The call of a command in the current state, or null if no thread can make one. */
  static List<String> call(WwWorld w, Cmd c) {
    for (int k = 0; k < WwWorld.N; k++) {
      int t = (c.a() + k) % WwWorld.N;
      List<List<String>> options = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      options(w, t, options, weights);
      if (options.isEmpty()) {
        continue;
      }
      int total = weights.stream().mapToInt(Integer::intValue).sum();
      int pick = (c.b() * 7 + c.c()) % total;
      for (int i = 0; i < options.size(); i++) {
        pick -= weights.get(i);
        if (pick < 0) {
          return options.get(i);
        }
      }
    }
    return null;
  }

  /** The calls the protocol allows thread t now, with weights. */
  static void options(WwWorld w, int t, List<List<String>> options, List<Integer> weights) {
    if (w.isWaiting(t)) {
      return;
    }
    String th = WwWorld.THREADS.get(t);
    switch (w.pc(t)) {
      case "idle" -> add(options, weights, 1, "AcquireInit", th);
      case "acquire" -> {
        for (int l = 0; l < WwWorld.L; l++) {
          String ls = WwWorld.LOCKS.get(l);
          if (w.isPhantom(t, l)) {
            continue;
          }
          if (w.holder(l) == t) {
            add(options, weights, 1, "LockHeld", th, ls);
          } else if (!w.avoided("Lock", List.of(th, ls))) {
            add(options, weights, 6, "Lock", th, ls);
          }
          add(options, weights, 1, "Trylock", th, ls);
        }
        if (w.holdsAll(t)) {
          add(options, weights, 12, "AcquireDone", th);
        }
      }
      case "backoff" -> {
        boolean any = false;
        for (int l = 0; l < WwWorld.L; l++) {
          if (w.holder(l) == t) {
            add(options, weights, 1, "BackoffUnlock", th, WwWorld.LOCKS.get(l));
            any = true;
          }
        }
        if (!any) {
          add(options, weights, 1, "LockSlow", th);
        }
      }
      case "cs", "release" -> {
        boolean any = false;
        for (int l = 0; l < WwWorld.L; l++) {
          if (w.holder(l) == t) {
            add(options, weights, 1, "Unlock", th, WwWorld.LOCKS.get(l));
            any = true;
          }
        }
        if (!any) {
          add(options, weights, 1, "AcquireFini", th);
        }
      }
      default -> {}
    }
  }

  private static void add(List<List<String>> options, List<Integer> weights, int weight, String... call) {
    options.add(List.of(call));
    weights.add(weight);
  }
}
