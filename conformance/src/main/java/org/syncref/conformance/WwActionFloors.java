package org.syncref.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Per-action step counts of the ww_mutex conformance, with floors: a fixed-seed batch of programs
 * (impl to spec) and of walks (spec to impl) must reach every action of the conformance model
 * (MCWwMutexConformance's ConfNext, as TLC's evaluator splits it) at least its floor's number of
 * times, so that a path the
 * harness stops reaching (a schedule that never lets a sleeper run late, a generator that never
 * makes a call) fails the build instead of passing vacuously. The batches are deterministic (the
 * Java worlds run one thread at a time), so the counts are stable; the floors are about a third
 * of the smallest count measured for the two algorithms and the two directions when they were
 * set (WaitDie: 5 under Wait-Die, where a sleeper rarely dies; WaitSteal: 25 to 59).
 */
public final class WwActionFloors {
  /** Programs and walks per batch. */
  public static final int BATCH = 150;

  /**
   * The raised floors of a batch of programs (impl to spec), per action name; every other action
   * of ConfNext has the default floor 1 ({@link #programFloors}).
   */
  public static final Map<String, Integer> PROGRAM_FLOORS = floors(
      "AcquireInit", 240, "Lock", 600, "LockHeld", 100, "Trylock", 200, "AcquireDone", 130,
      "Unlock", 390, "AcquireFini", 120, "BackoffUnlock", 110, "LockSlow", 80,
      "WaitAcquire", 200, "WaitSteal", 8, "WaitHandoff", 100, "WaitDie", 2);

  /** The raised floors of a batch of walks (spec to impl), per action name. */
  public static final Map<String, Integer> WALK_FLOORS = PROGRAM_FLOORS;

  /**
   * The floors of a batch of programs: every action of the loaded model's ConfNext at least once
   * (unless {@link WwTraceGenerator#NOT_GENERATED} excuses it), raised by {@link #PROGRAM_FLOORS}.
   */
  public static Map<String, Integer> programFloors(TlcEvaluator ev) {
    return ofNext(ev, PROGRAM_FLOORS, WwTraceGenerator.NOT_GENERATED);
  }

  /** The floors of a batch of walks: every action of ConfNext at least once, raised by {@link #WALK_FLOORS}. */
  public static Map<String, Integer> walkFloors(TlcEvaluator ev) {
    return ofNext(ev, WALK_FLOORS, Map.of());
  }

  private static Map<String, Integer> ofNext(TlcEvaluator ev, Map<String, Integer> raised, Map<String, String> excused) {
    Map<String, Long> r = new TreeMap<>();
    raised.forEach((k, v) -> r.put(k, (long) v));
    Map<String, Integer> out = new TreeMap<>();
    NextCoverage.floors(ev, r, excused).forEach((k, v) -> out.put(k, (int) (long) v));
    return out;
  }

  private WwActionFloors() {}

  private static Map<String, Integer> floors(Object... kv) {
    Map<String, Integer> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return m;
  }

  /**
   * Runs a batch of programs through {@code gen} with {@code checks} (which count the steps per
   * action); throws if a program does not conform. Returns the counts.
   */
  public static Map<String, Integer> programs(WwChecks checks, WwTraceGenerator gen, long seed) {
    return programs(checks, gen, seed, WwTraceGenerator.WEIGHTS);
  }

  /** {@link #programs} with the commands drawn with {@code weights}. */
  public static Map<String, Integer> programs(WwChecks checks, WwTraceGenerator gen, long seed,
      Weights<WwTraceGenerator.Kind> weights) {
    Random r = new Random(seed);
    for (int i = 0; i < BATCH; i++) {
      String failure = checks.implToSpec(gen, WwTraceGenerator.randomProgram(r, weights));
      if (failure != null) {
        throw new AssertionError("program " + i + " of the floor batch: " + failure);
      }
    }
    return new TreeMap<>(checks.actions);
  }

  /** Runs a batch of walks; throws if Java disagrees. Returns the counts. */
  public static Map<String, Integer> walks(WwChecks checks, WwSpecWalker walker, long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < BATCH; i++) {
      List<Integer> choices = r.ints(100, 0, Integer.MAX_VALUE).boxed().collect(Collectors.toList());
      String failure = checks.specToImpl(walker, choices);
      if (failure != null) {
        throw new AssertionError("walk " + i + " of the floor batch: " + failure);
      }
    }
    return new TreeMap<>(checks.actions);
  }

  /** The actions whose count is below its floor, as "Action: count < floor", empty if none. */
  public static List<String> below(Map<String, Integer> counts, Map<String, Integer> floors) {
    List<String> out = new ArrayList<>();
    for (var e : floors.entrySet()) {
      int n = counts.getOrDefault(e.getKey(), 0);
      if (n < e.getValue()) {
        out.add(e.getKey() + ": " + n + " < " + e.getValue());
      }
    }
    return out;
  }
}
