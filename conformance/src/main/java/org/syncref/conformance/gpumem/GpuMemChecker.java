package org.syncref.conformance.gpumem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.syncref.hw.ttm.HwBug;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import tlc2.tool.TLCState;
import tlc2.value.impl.Value;

/**
 * Checks runs of the Java GPU memory system ({@link GpuMemWorld}) against spec/GpuMem/GpuMem.tla
 * with TLC's evaluator, operation by operation.
 *
 * <p>The spec takes one step per kernel call; the Java system does a CPU operation (a
 * submission, an eviction, a move) in one call. The checker does not record intermediate Java
 * states: it checks each operation as the spec's sequence of actions. It keeps the set of spec
 * states that agree with every Java state observed so far (the frontier; the Java state fixes
 * only {@link GpuMemWorld#OBSERVED}), and for each Java operation takes, from each of them, the
 * spec's successors under the operation's beginning (SubmitBegin(e, o, m), EvictBegin(b),
 * MoveInBegin(o), RunJob(f), GhostFree(g, r)), runs each CPU operation to its end by the spec's
 * own next steps (op = IdleOp), and keeps the end states whose observed variables equal the Java
 * state after the call. An empty frontier means the Java run left the spec's behaviours. On
 * every spec step the checker evaluates GpuMem's action properties (the config's PROPERTIES:
 * NoStaleAccess, KernelFirst, FreeUnreachable, RwOrdered) and on every kept state its
 * invariants (GpuTypeOK, NoKernelBug, ImplicitSync), all through TLC.
 */
public final class GpuMemChecker {
  private final TlcEvaluator ev;
  private final Value idleOp;
  private final Set<String> ghosts;
  private final Map<String, List<ActionInstance>> byName = new LinkedHashMap<>();
  private final List<ActionInstance> cpuSteps = new ArrayList<>();
  private final ActionInstance driverLoad;

  /** Totals over the runs checked. */
  public long runs;
  public long ops;
  public long specSteps;
  public int maxFrontier;
  /** Java operations by kind (the name up to its first parenthesis), over the runs checked. */
  public final Map<String, Long> opKinds = new java.util.TreeMap<>();
  /** Accesses to a range in its second or later tenure, over the runs checked. */
  public long laterTenureAccesses;

  /** A spec state on the frontier and the first action property a step to it violated, or null. */
  private record Cand(TLCState s, String violated) {}

  /** The verdict on one run: ok, or the failing operation (0: the initial state) and why; the run's log. */
  public record Verdict(boolean ok, int failedOp, String reason, List<String> log) {}

  /** Makes the Java world of a run, given the run's injected bugs. */
  private final java.util.function.Function<HwBug[], GpuMemWorld> worlds;

  public GpuMemChecker(TlcEvaluator ev) {
    this(ev, GpuMemWorld::new);
  }

  /**
   * A checker of the worlds {@code worlds} makes (e.g. {@code bugs -> new GpuMemWorld(new
   * AmdgpuPolicy(), bugs)}) against the model {@code ev} loaded.
   */
  public GpuMemChecker(TlcEvaluator ev, java.util.function.Function<HwBug[], GpuMemWorld> worlds) {
    this(ev, worlds, Set.of("h1", "h2", "h3", "h4"));
  }

  /**
   * A checker of a model whose ghost objects are {@code ghosts} (model value names), observed as
   * "ghost" (MCGpuMemConformance: h1..h4; syncref simulate generates its model and runs its own
   * systems: {@link #start}, {@link #advance}).
   */
  public GpuMemChecker(TlcEvaluator ev, Set<String> ghosts) {
    this(ev, GpuMemWorld::new, ghosts);
  }

  private GpuMemChecker(TlcEvaluator ev, java.util.function.Function<HwBug[], GpuMemWorld> worlds,
      Set<String> ghosts) {
    this.ev = ev;
    this.worlds = worlds;
    this.ghosts = Set.copyOf(ghosts);
    this.idleOp = ev.constant("IdleOp");
    for (ActionInstance a : ev.actions()) {
      byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
      String n = a.name();
      if (a.args().isEmpty() && !n.endsWith("Begin")
          && (n.startsWith("Submit") || n.startsWith("Evict") || n.startsWith("MoveIn"))) {
        cpuSteps.add(a);
      }
    }
    driverLoad = ev.action("DriverLoad").orElseThrow();
  }

  public TlcEvaluator evaluator() {
    return ev;
  }

  private Map<String, Object> observed(TLCState s) {
    Map<String, Object> out = new java.util.TreeMap<>();
    for (String v : GpuMemWorld.OBSERVED) {
      out.put(v, SpecValues.of((Value) TlcEvaluator.get(s, v), ghosts));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> deps = (Map<String, Object>) out.get("jobDeps");
    for (Map.Entry<String, Object> e : deps.entrySet()) {
      @SuppressWarnings("unchecked")
      Set<Object> fs = (Set<Object>) e.getValue();
      e.setValue(sameContextDedup(fs));
    }
    return out;
  }

  /**
   * The spec's {@code jobDeps[f]} is every fence the job's query found; the kernel's (and the
   * Java) job->dependencies holds one fence per context, the latest (sched_main.c
   * drm_sched_job_add_dependency: "Deduplicate if we already depend on a fence from the same
   * context", keeping the later one by dma_fence_is_later). The two order the job the same way
   * (an earlier fence of a context is ordered before the later one: OrderedBefore's SameCtx
   * case), so the spec's set is compared after the same dedup. A model fence's context is its
   * engine letter (g, k, c) and its seqno the number (MCGpuMemConformance).
   */
  static Set<Object> sameContextDedup(Set<Object> fs) {
    Map<Character, String> latest = new java.util.TreeMap<>();
    for (Object o : fs) {
      String f = (String) o;
      latest.merge(f.charAt(0), f,
          (a, b) -> Integer.parseInt(a.substring(1)) >= Integer.parseInt(b.substring(1)) ? a : b);
    }
    return new HashSet<>(latest.values());
  }

  private List<ActionInstance> instances(GpuMemWorld.Pattern p) {
    List<ActionInstance> out = new ArrayList<>();
    for (ActionInstance a : byName.getOrDefault(p.action(), List.of())) {
      if (a.args().entrySet().containsAll(p.args().entrySet())) {
        out.add(a);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("Next has no action " + p + " (instances: "
          + byName.getOrDefault(p.action(), List.of()) + ")");
    }
    return out;
  }

  private String step(Cand c, TLCState t) {
    specSteps++;
    if (c.violated() != null) {
      return c.violated();
    }
    List<String> v = ev.violatedActionProperties(c.s(), t);
    return v.isEmpty() ? null : v.get(0);
  }

  /** Adds t, or the end states of the CPU operation t is in, to out. */
  private void runToIdle(Cand c, List<Cand> out, int depth) {
    if (TlcEvaluator.get(c.s(), "op").equals(idleOp)) {
      out.add(c);
      return;
    }
    if (depth > 40) {
      throw new IllegalStateException("a CPU operation of more than 40 steps");
    }
    boolean moved = false;
    for (ActionInstance a : cpuSteps) {
      for (TLCState u : ev.successors(a, c.s())) {
        moved = true;
        runToIdle(new Cand(u, step(c, u)), out, depth + 1);
      }
    }
    if (!moved) {
      stuck = "the spec's CPU operation stops at op = " + TlcEvaluator.get(c.s(), "op");
    }
  }

  /** Where the last CPU operation the spec could not finish stopped, for the failure message. */
  private String stuck;

  /**
   * Runs the Java system with {@code bugs} for at most {@code maxOps} operations, each chosen
   * by the next of {@code choices} among {@link GpuMemWorld#enabled}, and checks it.
   */
  public Verdict check(List<Integer> choices, int maxOps, HwBug... bugs) {
    runs++;
    GpuMemWorld w = worlds.apply(bugs);
    List<String> log = new ArrayList<>();
    TLCState init = ev.initialState();
    Map<String, Object> obs = w.observe();
    if (!observed(init).equals(obs)) {
      return new Verdict(false, 0, "the initial state differs from Init: " + diff(observed(init), obs), log);
    }
    List<Cand> frontier = new ArrayList<>();
    for (TLCState t : ev.successors(driverLoad, init)) {
      frontier.add(new Cand(t, null));
    }
    for (int i = 0; i < Math.min(maxOps, choices.size()); i++) {
      List<GpuMemWorld.Op> en = w.enabled();
      if (en.isEmpty()) {
        break;
      }
      GpuMemWorld.Op op = en.get(Math.floorMod(choices.get(i), en.size()));
      log.add(op.name());
      ops++;
      opKinds.merge(op.name().substring(0, op.name().indexOf('(')) + (op.name().endsWith("evicting") ? " evicting" : ""),
          1L, Long::sum);
      try {
        op.run().run();
      } catch (RuntimeException e) {
        return new Verdict(false, i + 1, op + ": the Java call threw " + e, log);
      }
      obs = w.observe();
      Advance a = advance(frontier, op.phases(), obs);
      if (a.failure() != null) {
        return new Verdict(false, i + 1, op + ": " + a.failure(), log);
      }
      frontier = a.frontier().cands;
    }
    for (var a : w.sys.dev.history().accesses()) {
      laterTenureAccesses += a.tenure() > 1 ? 1 : 0;
    }
    return new Verdict(true, -1, "", log);
  }

  /**
   * The spec states that agree with a Java run so far, for a caller that runs the Java system
   * itself (syncref simulate): {@link #start}, then {@link #advance} after every operation.
   */
  public static final class Frontier {
    private final List<Cand> cands;

    private Frontier(List<Cand> cands) {
      this.cands = cands;
    }

    /** How many spec states agree with the Java run. */
    public int size() {
      return cands.size();
    }
  }

  /**
   * One operation checked: the frontier after it, or why the Java state left the spec (null:
   * it did not) and, when a GpuMem property or invariant failed, its name ({@code rule}; null
   * when no spec state agrees with Java at all); then {@code closest} is the observation of the
   * spec state that differs from Java's in the fewest variables (null if the spec had none).
   */
  public record Advance(Frontier frontier, String failure, String rule, Map<String, Object> closest) {}

  /** The frontier after DriverLoad: the engines' fence contexts allocated, nothing else done. */
  public Frontier start() {
    List<Cand> frontier = new ArrayList<>();
    for (TLCState t : ev.successors(driverLoad, ev.initialState())) {
      frontier.add(new Cand(t, null));
    }
    return new Frontier(frontier);
  }

  /**
   * Checks one Java operation: from every state of {@code from}, the spec's operations that
   * {@code phases} stand for (none: a step invisible to the spec, which must leave the observed
   * state as it was), each run to its end; the end states whose observed variables equal {@code
   * obs} ({@link GpuMemWorld#observe}) are the new frontier. GpuMem's action properties are
   * evaluated on every spec step, its invariants on the new frontier.
   */
  public Advance advance(Frontier from, List<List<GpuMemWorld.Pattern>> phases, Map<String, Object> obs) {
    return advance(from.cands, phases, obs);
  }

  private Advance advance(List<Cand> frontier, List<List<GpuMemWorld.Pattern>> phases, Map<String, Object> obs) {
    List<Cand> cands = frontier;
    stuck = null;
    for (List<GpuMemWorld.Pattern> phase : phases) {
      List<Cand> next = new ArrayList<>();
      for (Cand c : cands) {
        for (GpuMemWorld.Pattern p : phase) {
          for (ActionInstance a : instances(p)) {
            for (TLCState t : ev.successors(a, c.s())) {
              runToIdle(new Cand(t, step(c, t)), next, 0);
            }
          }
        }
      }
      cands = next;
    }
    List<Cand> kept = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    Map<String, Object> closest = null;
    Map<String, Object> closestObs = null;
    int closestSize = Integer.MAX_VALUE;
    for (Cand c : cands) {
      Map<String, Object> o = observed(c.s());
      if (o.equals(obs)) {
        if (seen.add(c.s().fingerPrint())) {
          kept.add(c);
        }
      } else {
        Map<String, Object> d = diff(o, obs);
        if (d.size() < closestSize) {
          closest = d;
          closestObs = o;
          closestSize = d.size();
        }
      }
    }
    if (kept.isEmpty()) {
      String why = cands.isEmpty()
          ? "the spec cannot take " + phases + " here" + (stuck == null ? "" : ": " + stuck)
          : "no spec state reached by " + phases + " agrees with Java; closest of " + cands.size()
              + " differs in " + closest;
      return new Advance(null, why, null, closestObs);
    }
    maxFrontier = Math.max(maxFrontier, kept.size());
    boolean allViolate = true;
    String violated = null;
    for (Cand c : kept) {
      if (c.violated() == null) {
        allViolate = false;
      } else {
        violated = c.violated();
      }
    }
    if (allViolate) {
      return new Advance(null, "the step breaks GpuMem's property " + violated, violated, null);
    }
    List<String> inv = ev.violatedInvariants(kept.get(0).s());
    if (!inv.isEmpty()) {
      return new Advance(null, "the state breaks GpuMem's invariant " + inv, inv.get(0), null);
    }
    List<Cand> clean = new ArrayList<>();
    for (Cand c : kept) {
      clean.add(new Cand(c.s(), null));
    }
    return new Advance(new Frontier(clean), null, null, null);
  }

  /** Spec walks replayed on Java: walks, operations, and spec operations by action. */
  public long walks;
  public long walkOps;
  public final Map<String, Long> walkKinds = new java.util.TreeMap<>();

  /** The spec's operations a walk picks from: each begins with one of these actions. */
  private static final List<String> WALK_ACTIONS = List.of("SubmitBegin", "EvictBegin", "MoveInBegin", "RunJob",
      "GhostFree");

  /**
   * The other direction: a walk of the spec, replayed on Java. From the current spec state the
   * walk takes, by the next of {@code choices}, one of the spec's operations that can run to its
   * end (SubmitBegin(e, o, m), EvictBegin(b), MoveInBegin(o) with the CPU steps after them,
   * RunJob(f), GhostFree(g, r)); the Java system makes the same operation (for RunJob(f):
   * run_job of f's entity until f's job is on its ring, then the engine's completion), which must
   * be one it offers ({@link GpuMemWorld#enabled}), and its state must agree with one of the
   * spec's end states.
   */
  public Verdict walk(List<Integer> choices, int maxOps, HwBug... bugs) {
    walks++;
    GpuMemWorld w = worlds.apply(bugs);
    List<String> log = new ArrayList<>();
    List<TLCState> after = ev.successors(driverLoad, ev.initialState());
    TLCState s = after.get(0);
    for (int i = 0; i < Math.min(maxOps, choices.size()); i++) {
      Map<ActionInstance, List<Cand>> ends = new LinkedHashMap<>();
      for (String name : WALK_ACTIONS) {
        for (ActionInstance a : byName.getOrDefault(name, List.of())) {
          List<Cand> out = new ArrayList<>();
          Cand c = new Cand(s, null);
          for (TLCState t : ev.successors(a, s)) {
            runToIdle(new Cand(t, step(c, t)), out, 0);
          }
          if (!out.isEmpty()) {
            ends.put(a, out);
          }
        }
      }
      if (ends.isEmpty()) {
        break;
      }
      List<ActionInstance> keys = new ArrayList<>(ends.keySet());
      ActionInstance a = keys.get(Math.floorMod(choices.get(i), keys.size()));
      log.add(a.toString());
      walkOps++;
      walkKinds.merge(a.name(), 1L, Long::sum);
      String why = replay(w, a);
      if (why != null) {
        return new Verdict(false, i + 1, a + ": " + why, log);
      }
      Map<String, Object> obs = w.observe();
      TLCState next = null;
      Map<String, Object> closest = null;
      for (Cand c : ends.get(a)) {
        Map<String, Object> o = observed(c.s());
        if (o.equals(obs)) {
          if (c.violated() != null) {
            return new Verdict(false, i + 1, a + ": the spec's step breaks its property " + c.violated(), log);
          }
          next = c.s();
          break;
        }
        Map<String, Object> d = diff(o, obs);
        if (closest == null || d.size() < closest.size()) {
          closest = d;
        }
      }
      if (next == null) {
        return new Verdict(false, i + 1, a + ": Java's state agrees with no end state of the spec's; " + closest, log);
      }
      s = next;
    }
    return new Verdict(true, -1, "", log);
  }

  /**
   * Makes the spec's operation {@code a} on Java, through the world's vocabulary ({@link
   * GpuMemVocab}: SubmitBegin, EvictBegin, MoveInBegin, RunJob, GhostFree); null, or why Java
   * cannot.
   */
  private static String replay(GpuMemWorld w, ActionInstance a) {
    try {
      GpuMemVocab.VOCABULARY.apply(w, a.name(), new ArrayList<>(a.args().values()));
      return null;
    } catch (GpuMemVocab.Refused e) {
      return e.getMessage();
    }
  }

  public String walkSummary() {
    return String.format("GpuMem spec walks on Java: %d walks, %d spec operations %s", walks, walkOps, walkKinds);
  }

  /** The variables in which the spec's observation {@code spec} and Java's differ, with both values. */
  static Map<String, Object> diff(Map<String, Object> spec, Map<String, Object> java) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : spec.keySet()) {
      if (!spec.get(k).equals(java.get(k))) {
        out.put(k, "spec " + spec.get(k) + ", Java " + java.get(k));
      }
    }
    return out;
  }

  public String summary() {
    return String.format("GpuMem conformance: %d runs, %d Java operations %s, %d spec steps, largest frontier %d,"
        + " %d accesses in a later tenure", runs, ops, opKinds, specSteps, maxFrontier, laterTenureAccesses);
  }
}
