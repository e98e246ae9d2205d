package org.syncref.simulate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.syncref.conformance.gpumem.GpuMemChecker;
import org.syncref.conformance.gpumem.GpuMemWorld;
import org.syncref.conformance.gpumem.GpuMemWorld.Pattern;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.ttm.GpuMemSystem;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Checks every step of a workload against spec/GpuMem/GpuMem.tla through TLC's evaluator, with
 * the conformance harness's frontier checker ({@link GpuMemChecker#advance}) and its observation
 * of the Java system in the spec's variables ({@link GpuMemWorld#observe}), on a model made from
 * the workload's sizes ({@link SpecModel}).
 *
 * <p>Each step is the spec operations it stands for (see {@link #phases}): a submission is
 * SubmitBegin(e, o, m) ... SubmitUnlock; a validation into VRAM is EvictBegin ... EvictUnlock for
 * each eviction it made (its history's EvictArm events) and MoveInBegin(o) ... MoveInUnlock, or
 * no step at all when it failed (-ENOSPC: the observed state must not change); run_job is no
 * spec step (the spec's RunJob is the completion); an engine's completion is RunJob(f); the
 * delayed delete is GhostFree(g, r); a hang ({@code Hang(e)}, Engine.hang) is HangJob(f) of the
 * job it hung on; a timeout of a hung engine ({@code Timeout(s)}, DrmGpuScheduler.timedOut) is
 * GpuResetNext's reset ({@link #reset}), checked against the observed {@code jobState} ("hung")
 * and {@code error} (mainline's -ETIME and -ECANCELED). A validation contended by a rival ww ticket is checked as
 * the same uncontended operations (the eviction of an object the rival does not hold and the
 * move), or as no spec step when it backed off with -ENOSPC: the spec's Contention (TEvictBegin,
 * a rival on one fixed object, once per behaviour) does not fit a workload's repeated contended
 * validations against rivals holding one or all VRAM objects, so the rival's lock is left to
 * hw's checks (MEM-EVICT-TICKET: the kernel's WARNs; HwBug.EDEADLK_RETRY is found by them, not
 * by this check).
 *
 * <p>Steps the spec does not model end the workload's spec check (the frontier cannot follow
 * them) and, with the rest of the workload, are counted as not spec-checked by reason: a timeout
 * of an engine that has not hung (hw cancels pending jobs that never ran; GpuMem's ResetStop takes
 * a hung job; {@link Simulation} offers none), a two-object submission (the spec's name one object), a
 * move out of VRAM (the spec moves objects out of VRAM only by eviction, when VRAM is full), an
 * eviction that drops a discardable object (ttm_bo_pipeline_gutting), and every fault step of
 * {@code --faults} (hw's GpuFaults: hangs, kills, interrupted submissions, injected failures,
 * the unload, ...; their hangs and timeouts are checked).
 * Workloads left out by the sample ({@code every}) are counted too.
 */
public final class SpecCheck implements Simulation.StepCheck {
  /** The steps {@link #phases} knows, by name up to the first parenthesis. */
  static final Set<String> MODELLED = Set.of("Submit", "Move", "ContendedMove", "RunJob", "Complete", "GhostFree",
      "Timeout", "Hang");

  /** GpuMem's action properties and their rule IDs (spec/README.md). */
  static final Map<String, String> RULES = Map.of("NoStaleAccess", "MEM-NO-STALE-ACCESS", "KernelFirst",
      "MEM-KERNEL-FIRST", "FreeUnreachable", "MEM-FREE-UNREACHABLE", "RwOrdered", "MEM-RW-ORDERED", "HungQuiet",
      "MEM-RESET-QUIET");

  private final SpecModel model;
  private final GpuMemChecker checker;
  private final int every;

  private GpuMemWorld world;
  private GpuMemChecker.Frontier frontier;
  /** Why this workload's spec check ended (null: it goes on). */
  private String cut;
  private long started;
  /** The observation after the last step checked (the state a timeout's reset starts from). */
  private Map<String, Object> last;

  /** Steps checked against the spec. */
  public long checked;
  /** Of them, validations contended by a rival ticket, checked as the spec's uncontended ones. */
  public long contendedAsUncontended;
  /** Workloads whose every step was checked against the spec. */
  public long workloadsChecked;
  /** Steps not checked against the spec, by reason. */
  public final Map<String, Long> notChecked = new LinkedHashMap<>();

  /**
   * Loads the model of {@code p}'s sizes and the driver policy {@code driver} (GpuMem's Driver:
   * generic, amdgpu, xe, i915) from {@code specRoot} (the checkout's spec/) and checks every
   * {@code every}-th workload (1: all).
   */
  public SpecCheck(Simulation.Params p, String driver, Path specRoot, int every) {
    this.model = new SpecModel(p, driver);
    TlcEvaluator ev = model.load(specRoot);
    this.checker = new GpuMemChecker(ev, new HashSet<>(model.ghosts));
    this.every = every;
  }

  private SpecCheck(SpecCheck other, int every) {
    this.model = other.model;
    this.checker = other.checker;
    this.every = every;
  }

  /**
   * A check of its own (its own workloads and counts) on the same loaded model: TLC holds one
   * spec per JVM, so a second model load would invalidate this one's states.
   */
  public SpecCheck sibling(int every) {
    return new SpecCheck(this, every);
  }

  /** Spec states reached (every step of every spec operation tried from every frontier state). */
  public long specStates() {
    return checker.specSteps;
  }

  /** The largest frontier: spec states agreeing with one Java run at once. */
  public int maxFrontier() {
    return checker.maxFrontier;
  }

  /** The model's fences per user engine and on the copy engine. */
  public String bounds() {
    return model.userFences + " fences per user engine, " + model.copyFences + " copy fences and ghosts";
  }

  @Override
  public void start(GpuMemSystem sys) {
    world = null;
    frontier = null;
    cut = started++ % every == 0 ? null : "sample: 1 workload in " + every;
  }

  @Override
  public List<Simulation.Problem> placed(GpuMemSystem sys) {
    if (cut != null) {
      return List.of();
    }
    world = new GpuMemWorld(sys, sys.objects(), model.fences);
    frontier = checker.start();
    GpuMemChecker.Advance a = checker.advance(frontier, List.of(), world.observe());
    if (a.failure() != null) {
      cut = "the initial state failed";
      return List.of(problem(a, "the placed objects: " + a.failure(), 0));
    }
    frontier = a.frontier();
    last = world.observe();
    return List.of();
  }

  @Override
  public List<Simulation.Problem> after(GpuMemSystem sys, Simulation.StepRecord r) {
    if (cut == null) {
      String why = uncovered(r);
      if (why != null) {
        cut = why;
      }
    }
    if (cut != null) {
      notChecked.merge(cut, 1L, Long::sum);
      return List.of();
    }
    Map<String, Object> obs = world.observe();
    if (r.name().startsWith("Timeout(") && hungOn(last, r.name()) == null) {
      cut = TIMEOUT_NOT_HUNG;
      notChecked.merge(cut, 1L, Long::sum);
      return List.of();
    }
    List<List<Pattern>> phases = phases(sys, r, obs);
    GpuMemChecker.Advance a = checker.advance(frontier, phases, obs);
    checked++;
    contendedAsUncontended += r.name().startsWith("ContendedMove(") ? 1 : 0;
    if (a.failure() != null) {
      cut = "after a spec violation";
      String why = a.closest() == null ? a.failure()
          : "no spec state reached by " + (phases.isEmpty() ? "no step (the spec stutters)" : phases)
              + " agrees with Java; the closest differs in " + diff(a.closest(), obs);
      return List.of(problem(a, r.name() + ": " + why, r.index()));
    }
    frontier = a.frontier();
    last = obs;
    return List.of();
  }

  /** Why a timeout of an engine that has not hung is not spec-checked. */
  static final String TIMEOUT_NOT_HUNG = "timeouts of an engine that has not hung (hw cancels jobs that never ran;"
      + " the spec's ResetStop takes a hung job)";

  /** The model fence prefix of the engine a step {@code Kind(engine)} names: gfx g, comp k, sdma0 c. */
  private static String prefix(String stepName) {
    String e = stepName.substring(stepName.indexOf('(') + 1, stepName.indexOf(')'));
    return switch (e) {
      case "gfx" -> "g";
      case "comp" -> "k";
      case "sdma0" -> "c";
      default -> throw new IllegalStateException("no engine " + e + " in the model");
    };
  }

  /** The model fence whose job the engine step {@code stepName} names has hung on in {@code obs}, or null. */
  private static String hungOn(Map<String, Object> obs, String stepName) {
    @SuppressWarnings("unchecked")
    Map<String, Object> state = (Map<String, Object>) obs.get("jobState");
    String pre = prefix(stepName);
    for (Map.Entry<String, Object> e : state.entrySet()) {
      if (e.getKey().startsWith(pre) && "hung".equals(e.getValue())) {
        return e.getKey();
      }
    }
    return null;
  }

  @Override
  public void finish() {
    if (cut == null && world != null) {
      workloadsChecked++;
    }
  }

  private static Simulation.Problem problem(GpuMemChecker.Advance a, String message, int step) {
    String rule = a.rule() == null ? "GpuMem: no spec step agrees" : RULES.getOrDefault(a.rule(), a.rule());
    return new Simulation.Problem("spec " + rule, message, step);
  }

  /**
   * Where the spec's observation and Java's differ, entry by entry: {@code var[key]: spec x,
   * Java y}, or {@code var: spec x, Java y} for a variable that is not a map.
   */
  static String diff(Map<String, Object> spec, Map<String, Object> hw) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : spec.entrySet()) {
      Object j = hw.get(e.getKey());
      if (e.getValue().equals(j)) {
        continue;
      }
      if (e.getValue() instanceof Map<?, ?> sm && j instanceof Map<?, ?> jm) {
        Set<Object> keys = new java.util.TreeSet<>(java.util.Comparator.comparing(String::valueOf));
        keys.addAll(sm.keySet());
        keys.addAll(jm.keySet());
        for (Object k : keys) {
          if (!Objects.equals(sm.get(k), jm.get(k))) {
            out.add(e.getKey() + "[" + k + "]: " + differ(sm.get(k), jm.get(k)));
          }
        }
      } else {
        out.add(e.getKey() + ": " + differ(e.getValue(), j));
      }
    }
    return String.join("; ", out);
  }

  /** Two values that differ: for two sets, what only each has; else both. */
  private static String differ(Object spec, Object hw) {
    if (spec instanceof Set<?> a && hw instanceof Set<?> b) {
      Set<Object> onlySpec = new java.util.LinkedHashSet<>(a);
      onlySpec.removeAll(b);
      Set<Object> onlyJava = new java.util.LinkedHashSet<>(b);
      onlyJava.removeAll(a);
      return "only the spec has " + onlySpec + ", only Java " + onlyJava;
    }
    return "spec " + spec + ", Java " + hw;
  }

  /** Why the spec cannot follow step {@code r}, or null. */
  static String uncovered(Simulation.StepRecord r) {
    String n = r.name();
    String kind = (n.contains("(") ? n.substring(0, n.indexOf('(')) : n).strip();
    if (!MODELLED.contains(kind)) {
      return "other steps the spec does not model (" + kind + ")";
    }
    if (armed(r, "ttm_bo_pipeline_gutting")) {
      return "evictions without placement (ttm_bo_pipeline_gutting; --faults)";
    }
    if (n.startsWith("Submit(") && n.contains("+")) {
      return "two-object submissions (the spec's name one object)";
    }
    if (n.startsWith("Move(") && n.endsWith(", SYSTEM)") && armed(r, "MoveInArm(")) {
      return "moves out of VRAM (the spec evicts only when VRAM is full)";
    }
    return null;
  }

  private static boolean armed(Simulation.StepRecord r, String prefix) {
    for (String e : r.events()) {
      if (e.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The spec operations step {@code r} stands for, each a list of alternative beginnings. */
  private List<List<Pattern>> phases(GpuMemSystem sys, Simulation.StepRecord r, Map<String, Object> obs) {
    String n = r.name();
    if (n.startsWith("Submit(")) {
      String[] a = n.substring("Submit(".length(), n.length() - 1).split(", ");
      String engine = entity(sys, a[0]);
      String mode = "\"" + a[2].toLowerCase(java.util.Locale.ROOT) + "\"";
      return List.of(List.of(new Pattern("SubmitBegin", Map.of("e", engine, "o", a[1], "m", mode))));
    }
    if (n.startsWith("Move(") || n.startsWith("ContendedMove(")) {
      List<List<Pattern>> out = new ArrayList<>();
      for (String e : r.events()) {
        if (e.startsWith("EvictArm(")) {
          // EvictArm(evictN:bo) binds ...: the victim
          String victim = e.substring(e.indexOf(':') + 1, e.indexOf(')'));
          out.add(List.of(new Pattern("EvictBegin", Map.of("b", victim))));
        } else if (e.startsWith("MoveInArm(")) {
          String o = e.substring(e.indexOf(':') + 1, e.indexOf(')'));
          out.add(List.of(new Pattern("MoveInBegin", Map.of("o", o))));
        }
      }
      return out; // none: the validation failed and changed nothing the spec observes
    }
    if (n.startsWith("RunJob(")) {
      return List.of(); // run_job puts the job on the ring: no spec step
    }
    if (n.startsWith("Complete(")) {
      return List.of(List.of(new Pattern("RunJob", Map.of())));
    }
    if (n.startsWith("GhostFree(")) {
      return List.of(List.of(new Pattern("GhostFree", Map.of())));
    }
    if (n.startsWith("Hang(")) {
      String h = hungOn(obs, n);
      // no job hung (the engine was idle): the spec stutters
      return h == null ? List.of() : List.of(List.of(new Pattern("HangJob", Map.of("f", h))));
    }
    if (n.startsWith("Timeout(")) {
      return reset(hungOn(last, n), obs);
    }
    throw new IllegalStateException("no spec operation known for the step " + n);
  }

  /**
   * A timeout of the engine hung on {@code h}: ResetStop(h); ResetCancel(f) of each job of its
   * engine that the timeout completed (its fence signaled by the step: hw's drm_sched_start
   * completes every job on the pending list, all later than h on h's engine); then h's and each
   * of those's ResetSetError and ResetSignal, in the engine's order (Signal's MaySignal).
   */
  private List<List<Pattern>> reset(String h, Map<String, Object> obs) {
    @SuppressWarnings("unchecked")
    Map<String, Object> before = (Map<String, Object>) last.get("signaled");
    @SuppressWarnings("unchecked")
    Map<String, Object> after = (Map<String, Object>) obs.get("signaled");
    String pre = h.substring(0, 1);
    List<String> dropped = new ArrayList<>();
    for (String f : model.fences) {
      if (f.startsWith(pre) && !f.equals(h) && Boolean.FALSE.equals(before.get(f))
          && Boolean.TRUE.equals(after.get(f))) {
        dropped.add(f);
      }
    }
    dropped.sort(java.util.Comparator.comparingInt(f -> Integer.parseInt(f.substring(1))));
    List<List<Pattern>> out = new ArrayList<>();
    out.add(List.of(new Pattern("ResetStop", Map.of("f", h))));
    for (String f : dropped) {
      out.add(List.of(new Pattern("ResetCancel", Map.of("f", f))));
    }
    List<String> all = new ArrayList<>(List.of(h));
    all.addAll(dropped);
    for (String f : all) {
      out.add(List.of(new Pattern("ResetSetError", Map.of("f", f))));
      out.add(List.of(new Pattern("ResetSignal", Map.of("f", f))));
    }
    return out;
  }

  private static String entity(GpuMemSystem sys, String name) {
    for (DrmSchedEntity e : List.of(sys.gfxUser, sys.compUser)) {
      if (e.name().equals(name)) {
        return e == sys.gfxUser ? "gfx" : "comp";
      }
    }
    throw new IllegalStateException("no user entity " + name);
  }

  /** The steps not spec-checked, all reasons. */
  public long notCheckedTotal() {
    long n = 0;
    for (long v : notChecked.values()) {
      n += v;
    }
    return n;
  }

  /** Names of the reasons, for tests. */
  Set<String> reasons() {
    return notChecked.keySet();
  }
}
