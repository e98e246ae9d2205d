package org.syncref.conformance.gpumem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.syncref.fence.DmaFence;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.userptr.MmuInvalidation;
import org.syncref.hw.userptr.UserptrExec;
import org.syncref.hw.userptr.UserptrSystem;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import tlc2.tool.TLCState;
import tlc2.value.impl.Value;

/**
 * Checks the Java userptr system (org.syncref.hw.userptr, {@code UserptrSystem.documented(2,
 * 2)}) against spec/GpuMem/GpuMemUserptr.tla (model MCGpuMemUserptrConformance) through TLC's
 * evaluator, both ways. Each Java step is one spec action of the same name (UReadBegin ...
 * UUnlock, InvStart ... InvEnd; an engine's completion is RunJob(f); run_job has no spec step
 * and must leave the observed state alone), so the checker keeps the spec states that agree
 * with every Java state so far (the frontier) and takes, from each, the successors under the
 * action the Java step names. {@link #OBSERVED} are the variables compared; on every spec step
 * the model's action properties (UserptrNoStaleAccess, NoStaleAccess, KernelFirst,
 * FreeUnreachable, RwOrdered) and on every kept state its invariants are evaluated.
 */
public final class UserptrChecker {
  /** The spec variables compared with Java's state. */
  public static final List<String> OBSERVED = List.of("sseq", "iseq", "savedSeq", "upBind", "nlRead", "uop", "mop",
      "ninv", "tenure", "jobState", "jobDeps", "jobBinds", "jobMode", "accesses", "signaled");
  static final List<String> FENCES = List.of("g1", "g2");
  static final int EXECS = 2;
  static final int INVALS = 2;

  private final TlcEvaluator ev;
  private final Map<String, List<ActionInstance>> byName = new LinkedHashMap<>();
  private final List<ActionInstance> gpu = new ArrayList<>();

  /** Totals: runs, Java steps, spec walks, spec steps, -EAGAIN retries, accesses. */
  public long runs;
  public long steps;
  public long walks;
  public long walkSteps;
  public long specSteps;
  public long retries;
  public long accesses;
  public final Map<String, Long> kinds = new TreeMap<>();

  /** The verdict on one run: ok, or the failing step and why; the run's log. */
  public record Verdict(boolean ok, int failedStep, String reason, List<String> log) {}

  private record Cand(TLCState s, String violated) {}

  UserptrChecker(TlcEvaluator ev) {
    this.ev = ev;
    for (ActionInstance a : ev.actions()) {
      byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
      if (!a.name().startsWith("U") && !a.name().startsWith("Inv")) {
        gpu.add(a); // GpuMem's steps: DriverLoad, RunJob(f), ...
      }
    }
    for (String n : List.of("UReadBegin", "UCheck", "InvSetSeq", "InvWait")) {
      if (!byName.containsKey(n)) {
        throw new IllegalStateException("the userptr model has no action " + n + ": " + byName.keySet());
      }
    }
  }

  /** The Java system of a run. */
  static UserptrSystem system(HwBug... bugs) {
    return UserptrSystem.documented(EXECS, INVALS, bugs);
  }

  private Map<String, Object> observed(TLCState s) {
    Map<String, Object> out = new TreeMap<>();
    for (String v : OBSERVED) {
      out.put(v, SpecValues.of((Value) TlcEvaluator.get(s, v), Set.of()));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> deps = (Map<String, Object>) out.get("jobDeps");
    for (Map.Entry<String, Object> e : deps.entrySet()) {
      @SuppressWarnings("unchecked")
      Set<Object> fs = (Set<Object>) e.getValue();
      e.setValue(GpuMemChecker.sameContextDedup(fs));
    }
    return out;
  }

  private static String fence(DrmSchedJob j) {
    return "g" + j.name().substring(1); // the exec's jobs j1, j2 are the model's g1, g2
  }

  private static String fence(DmaFence f) {
    return "g" + f.seqno();
  }

  private static Map<String, Object> bind(long tenure) {
    return Map.of("o", "b1", "r", "u1", "ten", tenure);
  }

  /** The Java state in the observed variables. */
  static Map<String, Object> observe(UserptrSystem sys) {
    Map<String, Object> out = new TreeMap<>();
    out.put("sseq", sys.mm.invalidateSeq());
    out.put("iseq", sys.bo.notifier().invalidateSeq());
    out.put("savedSeq", sys.bo.savedSeq());
    out.put("upBind", sys.bo.boundTenure() == 0 ? "None" : bind(sys.bo.boundTenure()));
    out.put("nlRead", sys.notifierLock.readers() > 0);
    UserptrExec x = sys.current();
    Map<String, Object> uop = new TreeMap<>();
    if (x == null) {
      uop.putAll(Map.of("s", 0L, "f", "None", "seq", 0L, "retry", false));
    } else {
      long s = switch (x.next()) {
        case READ_BEGIN -> 1;
        case GET_PAGES -> 2;
        case LOCK -> 3;
        case RESERVE -> 4;
        case CHECK -> 5;
        case ARM -> 6;
        case ADD -> 7;
        case UP_READ -> x.retrying() ? 9 : 8;
        case UNLOCK -> 10;
        case DONE -> throw new IllegalStateException();
      };
      uop.putAll(Map.of("s", s, "f", fence(x.job()), "seq", x.seq(), "retry", x.retrying()));
    }
    out.put("uop", uop);
    MmuInvalidation.Step m = sys.inval.next();
    out.put("mop", switch (m) {
      case START -> "idle";
      case SET_SEQ -> "started";
      case WAIT -> "seqset";
      case UNMAP -> "returned";
      case END -> "unmapped";
    });
    out.put("ninv", (long) sys.inval.completed());
    out.put("tenure", Map.of("u1", sys.bo.pagesTenure()));
    Map<String, Object> state = new TreeMap<>();
    Map<String, Object> deps = new TreeMap<>();
    Map<String, Object> binds = new TreeMap<>();
    Map<String, Object> mode = new TreeMap<>();
    Map<String, Object> signaled = new TreeMap<>();
    Map<String, DrmSchedJob> jobs = new TreeMap<>();
    for (UserptrExec e : sys.execs()) {
      jobs.put(fence(e.job()), e.job());
    }
    for (String f : FENCES) {
      DrmSchedJob j = jobs.get(f);
      if (j == null || j.state() == DrmSchedJob.State.INIT) {
        state.put(f, "none");
        deps.put(f, Set.of());
        binds.put(f, Set.of());
        mode.put(f, "none");
        signaled.put(f, false);
        continue;
      }
      boolean done = j.finished().isSignaled();
      state.put(f, done ? "done" : j.state() == DrmSchedJob.State.ARMED ? "armed" : "queued");
      Set<Object> ds = new HashSet<>();
      for (DmaFence d : j.dependencies()) {
        ds.add(fence(d));
      }
      deps.put(f, ds);
      binds.put(f, Set.of(bind(sys.binds().get(j))));
      mode.put(f, sys.mode().specName());
      signaled.put(f, done);
    }
    out.put("jobState", state);
    out.put("jobDeps", deps);
    out.put("jobBinds", binds);
    out.put("jobMode", mode);
    out.put("signaled", signaled);
    Set<Object> acc = new HashSet<>();
    for (UserptrSystem.Access a : sys.accessList()) {
      acc.add(Map.of("j", fence(a.job()), "o", "b1", "r", "u1", "ten", a.tenure()));
    }
    out.put("accesses", acc);
    return out;
  }

  private List<ActionInstance> actionsOf(String javaStep) {
    String n = javaStep.contains("(") ? javaStep.substring(0, javaStep.indexOf('(')) : javaStep;
    if (n.equals("complete")) {
      return gpu;
    }
    List<ActionInstance> a = byName.get(n);
    if (a == null) {
      throw new IllegalArgumentException("the spec has no action " + n);
    }
    return a;
  }

  private String step(Cand c, TLCState t) {
    specSteps++;
    if (c.violated() != null) {
      return c.violated();
    }
    List<String> v = ev.violatedActionProperties(c.s(), t);
    return v.isEmpty() ? null : v.get(0);
  }

  /** The spec states after DriverLoad that agree with a new Java system. */
  private List<Cand> start(UserptrSystem sys) {
    TLCState init = ev.initialState();
    List<Cand> out = new ArrayList<>();
    for (ActionInstance a : gpu) {
      for (TLCState t : ev.successors(a, init)) {
        if (observed(t).equals(observe(sys))) {
          out.add(new Cand(t, null));
        }
      }
    }
    return out;
  }

  /**
   * Forward: a seeded random walk of the Java system with {@code bugs} ({@code maxSteps} steps,
   * then every thread to its end as {@link UserptrSystem#drain} does), each step checked.
   */
  public Verdict check(long seed, int maxSteps, HwBug... bugs) {
    runs++;
    UserptrSystem sys = system(bugs);
    List<String> log = new ArrayList<>();
    List<Cand> frontier = start(sys);
    if (frontier.isEmpty()) {
      return new Verdict(false, 0, "the initial state differs from UpInit + DriverLoad: " + observe(sys), log);
    }
    Random r = new Random(seed);
    for (int i = 0; ; i++) {
      List<UserptrSystem.Step> en = sys.enabledSteps();
      if (en.isEmpty()) {
        break;
      }
      if (i > 10_000) {
        return new Verdict(false, i, "no end", log);
      }
      UserptrSystem.Step st = i < maxSteps ? en.get(r.nextInt(en.size())) : en.get(0);
      log.add(st.name());
      steps++;
      st.effect().run();
      Map<String, Object> obs = observe(sys);
      if (st.name().startsWith("run_job")) {
        for (Cand c : frontier) {
          if (!observed(c.s()).equals(obs)) {
            return new Verdict(false, i + 1, st + " changed the observed state: " + GpuMemChecker.diff(observed(c.s()), obs), log);
          }
        }
        continue;
      }
      List<Cand> kept = new ArrayList<>();
      Set<Long> seen = new HashSet<>();
      Map<String, Object> closest = null;
      int n = 0;
      for (Cand c : frontier) {
        for (ActionInstance a : actionsOf(st.name())) {
          for (TLCState t : ev.successors(a, c.s())) {
            n++;
            Map<String, Object> o = observed(t);
            if (o.equals(obs)) {
              if (seen.add(t.fingerPrint())) {
                kept.add(new Cand(t, step(c, t)));
              }
            } else {
              Map<String, Object> d = GpuMemChecker.diff(o, obs);
              if (closest == null || d.size() < closest.size()) {
                closest = d;
              }
            }
          }
        }
      }
      if (kept.isEmpty()) {
        return new Verdict(false, i + 1, st + ": " + (n == 0 ? "the spec cannot take " + st.name() + " here"
            : "no spec successor agrees with Java; closest of " + n + " differs in " + closest), log);
      }
      if (kept.stream().allMatch(c -> c.violated() != null)) {
        return new Verdict(false, i + 1, st + ": the step breaks the spec's property " + kept.get(0).violated(), log);
      }
      List<String> inv = ev.violatedInvariants(kept.get(0).s());
      if (!inv.isEmpty()) {
        return new Verdict(false, i + 1, st + ": the state breaks the spec's invariant " + inv, log);
      }
      kinds.merge(st.name().replaceAll("\\(.*", ""), 1L, Long::sum);
      frontier = kept.stream().map(c -> new Cand(c.s(), null)).toList();
    }
    for (UserptrExec x : sys.execs()) {
      retries += x.retries();
    }
    accesses += sys.accesses();
    return new Verdict(true, -1, "", log);
  }

  /**
   * Backward: a seeded walk of the spec ({@code maxSteps} spec actions, chosen at random among
   * the enabled userptr and GPU actions), each made on the Java system with {@code bugs}, which
   * must agree with one of the spec's successors; and in every state of the walk Java can take
   * exactly the steps the spec can (the GPU's as one: run_job or a completion, RunJob(f)), so a
   * Java thread that goes on where the spec's would sleep (a wait that returns too early) is
   * seen too.
   */
  public Verdict walk(long seed, int maxSteps, HwBug... bugs) {
    walks++;
    UserptrSystem sys = system(bugs);
    List<String> log = new ArrayList<>();
    List<Cand> st = start(sys);
    if (st.isEmpty()) {
      return new Verdict(false, 0, "the initial state differs", log);
    }
    TLCState s = st.get(0).s();
    Random r = new Random(seed);
    for (int i = 0; i < maxSteps; i++) {
      // the choices: each userptr action with its successors; each GPU successor on its own
      // (TLC keeps GpuStep == GpuNext /\ UNCHANGED upVars as one action: its successors are
      // RunJob(f) of the runnable jobs f)
      List<ActionInstance> acts = new ArrayList<>();
      List<List<TLCState>> succs = new ArrayList<>();
      for (List<ActionInstance> as : byName.values()) {
        for (ActionInstance a : as) {
          List<TLCState> succ = ev.successors(a, s);
          if (succ.isEmpty()) {
            continue;
          }
          if (gpu.contains(a)) {
            for (TLCState t : succ) {
              acts.add(a);
              succs.add(List.of(t));
            }
          } else {
            acts.add(a);
            succs.add(succ);
          }
        }
      }
      Set<String> specEnabled = new java.util.TreeSet<>();
      for (ActionInstance a : acts) {
        specEnabled.add(gpu.contains(a) ? "GPU" : a.name());
      }
      Set<String> javaEnabled = new java.util.TreeSet<>();
      for (UserptrSystem.Step js : sys.enabledSteps()) {
        String n = js.name().replaceAll("\\(.*", "");
        javaEnabled.add(n.equals("run_job") || n.equals("complete") ? "GPU" : n);
      }
      if (!specEnabled.equals(javaEnabled)) {
        return new Verdict(false, i, "Java can take " + javaEnabled + " where the spec can take " + specEnabled, log);
      }
      if (acts.isEmpty()) {
        break;
      }
      int k = r.nextInt(acts.size());
      ActionInstance a = acts.get(k);
      String name = a.name();
      if (gpu.contains(a)) {
        String f = ranJob(s, succs.get(k).get(0));
        if (f == null) {
          return new Verdict(false, i + 1, a + ": a GPU step of the spec that completes no job", log);
        }
        name = "RunJob(" + f + ")";
      }
      log.add(name);
      walkSteps++;
      String why = replay(sys, name);
      if (why != null) {
        return new Verdict(false, i + 1, name + ": " + why, log);
      }
      Map<String, Object> obs = observe(sys);
      TLCState next = null;
      Map<String, Object> closest = null;
      for (TLCState t : succs.get(k)) {
        Map<String, Object> o = observed(t);
        if (o.equals(obs)) {
          String v = step(new Cand(s, null), t);
          if (v != null) {
            return new Verdict(false, i + 1, name + ": the spec's step breaks its property " + v, log);
          }
          next = t;
          break;
        }
        Map<String, Object> d = GpuMemChecker.diff(o, obs);
        if (closest == null || d.size() < closest.size()) {
          closest = d;
        }
      }
      if (next == null) {
        return new Verdict(false, i + 1, name + ": Java's state agrees with no successor of the spec's; " + closest, log);
      }
      s = next;
    }
    return new Verdict(true, -1, "", log);
  }

  /** The job whose fence the GPU step from {@code s} to {@code t} completed (RunJob(f)), or null. */
  private static String ranJob(TLCState s, TLCState t) {
    @SuppressWarnings("unchecked")
    Map<String, Object> before = (Map<String, Object>) SpecValues.of((Value) TlcEvaluator.get(s, "jobState"), Set.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> after = (Map<String, Object>) SpecValues.of((Value) TlcEvaluator.get(t, "jobState"), Set.of());
    for (String f : FENCES) {
      if (!"done".equals(before.get(f)) && "done".equals(after.get(f))) {
        return f;
      }
    }
    return null;
  }

  /** Makes the spec's action {@code name} (RunJob(f) for a GPU step) on Java; null, or why Java cannot. */
  private static String replay(UserptrSystem sys, String name) {
    if (!name.startsWith("RunJob(")) {
      for (UserptrSystem.Step st : sys.enabledSteps()) {
        if (st.name().equals(name) || st.name().startsWith(name + "(")) {
          st.effect().run();
          return null;
        }
      }
      return "Java offers no " + name + " (it offers " + sys.enabledSteps() + ")";
    }
    String f = name.substring("RunJob(".length(), name.length() - 1);
    DrmSchedJob job = null;
    for (UserptrExec x : sys.execs()) {
      if (fence(x.job()).equals(f)) {
        job = x.job();
      }
    }
    if (job == null) {
      return "Java has no job for " + f;
    }
    for (int k = 0; k < 4 && job.state() == DrmSchedJob.State.QUEUED; k++) {
      if (sys.sched.runnableEntities().isEmpty()) {
        return "Java cannot run_job " + job.name();
      }
      sys.sched.runJob(sys.entity);
    }
    if (sys.ring.pending().isEmpty()) {
      return "Java's engine has nothing to complete";
    }
    sys.ring.executeNext();
    return null;
  }

  public String summary() {
    return String.format("GpuMemUserptr conformance: %d runs, %d Java steps %s, %d spec steps, %d -EAGAIN retries,"
        + " %d accesses; %d spec walks, %d spec actions", runs, steps, kinds, specSteps, retries, accesses, walks,
        walkSteps);
  }
}
