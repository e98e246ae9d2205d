package org.syncref.conformance.gpumem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.syncref.hw.ttm.HwBug;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import tlc2.tool.TLCState;
import tlc2.value.impl.Value;

/**
 * Checks runs of hw/'s VM system ({@link GpuMemVmWorld}) against spec/GpuMem/GpuMemVm.tla
 * (model MCGpuMemVmConformance) with TLC's evaluator, operation by operation: the forward
 * direction of {@link GpuMemChecker#check}, with the VM worker's operations run by the spec's
 * own VM steps (to VIdle, or to the rebind's wait) as the CPU's are (to IdleOp). On every spec
 * step the checker evaluates the config's PROPERTIES (NoStaleAccess, KernelFirst,
 * FreeUnreachable, RwOrdered, PtBookkeep), on every kept state its INVARIANTS (VmTypeOK,
 * NoKernelBug, ImplicitSync, LrNoStaleAccess). The backward direction is {@link #walk}: walks of
 * the spec replayed on Java, which must offer the operations the spec offers. TLC holds one spec
 * per JVM: the tests run in the surefire executions gpumem-vm-conformance (package
 * ...conformance.gpumem.vm) and gpumem-tlb-conformance (...gpumem.tlb).
 */
public final class GpuMemVmChecker {
  public static final String MODULE = "MCGpuMemVmConformance";
  /** The model of the VM with its TLB (GpuMemTlb.tla). */
  public static final String TLB_MODULE = "MCGpuMemTlbConformance";

  /** The VM worker's steps after an operation's first (RebindWait is RebindFinish's first). */
  private static final Set<String> VM_STEPS = Set.of("LrStartReserve", "LrStartArm", "LrStartAdd",
      "LrStartUnlock", "RebindReserve", "RebindArm", "RebindAdd", "RebindReserve2", "RebindArmFence",
      "RebindResume", "RebindUnlock", "UnmapArm", "UnmapStubInit", "UnmapStubSignal", "UnmapReplace",
      "UnmapUnlock");
  /** The same in MCGpuMemTlbConformance (GpuMemTlb's TLB steps; its split T... operators). */
  private static final Set<String> TLB_VM_STEPS = Set.of("TLrStartReserve", "TLrStartArm", "TLrStartAdd",
      "TLrStartUnlock", "TRebindReserve", "TRebindArm", "TRebindAdd", "TRebindReserve2", "TRebindArmFence",
      "TRebindResume", "TlbRebindUnlock", "TUnmapArm", "TUnmapStubInit", "TUnmapStubSignal", "TUnmapReplace",
      "TlbUnmapUnlock", "TlbReserve", "TlbArm", "TlbAdd");

  private final TlcEvaluator ev;
  private final Value idleOp;
  private final Set<String> ghosts = Set.of("h1", "h2", "h3", "h4");
  private final Map<String, List<ActionInstance>> byName = new LinkedHashMap<>();
  private final List<ActionInstance> cpuSteps = new ArrayList<>();
  private final List<ActionInstance> vmSteps = new ArrayList<>();
  private final ActionInstance driverLoad;
  private final boolean tlb;
  private final List<String> observedVars;

  /** Totals over the runs checked. */
  public long runs;
  public long ops;
  public long specSteps;
  public int maxFrontier;
  /** Java operations by kind (the name up to its first parenthesis). */
  public final Map<String, Long> opKinds = new java.util.TreeMap<>();

  private record Cand(TLCState s, String violated) {}

  /** The verdict on one run: ok, or the failing operation (0: the initial state) and why; the run's log. */
  public record Verdict(boolean ok, int failedOp, String reason, List<String> log) {}

  /** Loads MCGpuMemVmConformance (once per JVM). */
  public static GpuMemVmChecker load() {
    return new GpuMemVmChecker(TlcEvaluator.load(Checkout.require().resolve(GpuMemConformance.SPEC_DIR), MODULE,
        MODULE), false);
  }

  /** Loads MCGpuMemTlbConformance (once per JVM; not with {@link #load} in the same JVM). */
  public static GpuMemVmChecker loadTlb() {
    return new GpuMemVmChecker(TlcEvaluator.load(Checkout.require().resolve(GpuMemConformance.SPEC_DIR),
        TLB_MODULE, TLB_MODULE), true);
  }

  /** A checker of the VM without ({@code tlb} false: GpuMemVm) or with its TLB (GpuMemTlb). */
  public GpuMemVmChecker(TlcEvaluator ev, boolean tlb) {
    this.ev = ev;
    this.tlb = tlb;
    List<String> vars = new ArrayList<>(GpuMemVmWorld.OBSERVED);
    if (tlb) {
      vars.add("tlb");
    }
    this.observedVars = List.copyOf(vars);
    Set<String> vmNames = tlb ? TLB_VM_STEPS : VM_STEPS;
    this.idleOp = ev.constant("IdleOp");
    for (ActionInstance a : ev.actions()) {
      byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
      String n = a.name();
      if (a.args().isEmpty() && !n.endsWith("Begin")
          && (n.startsWith("MemSubmit") || n.startsWith("MemEvict") || n.startsWith("MemMoveIn"))) {
        cpuSteps.add(a);
      }
      if (vmNames.contains(n)) {
        vmSteps.add(a);
      }
    }
    driverLoad = ev.action("MemDriverLoad").orElseThrow();
  }

  private Map<String, Object> observed(TLCState s) {
    Map<String, Object> out = new java.util.TreeMap<>();
    for (String v : observedVars) {
      out.put(v, SpecValues.of((Value) TlcEvaluator.get(s, v), ghosts));
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

  private List<ActionInstance> instances(GpuMemWorld.Pattern p) {
    List<ActionInstance> out = new ArrayList<>();
    for (ActionInstance a : byName.getOrDefault(p.action(), List.of())) {
      if (a.args().entrySet().containsAll(p.args().entrySet())) {
        out.add(a);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("Next has no action " + p);
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

  private String stuck;

  /**
   * Adds c, or the end states of the operation c is in, to out: the CPU operation runs to
   * IdleOp, then the VM worker's steps run until none is enabled (VIdle, or the rebind's wait).
   */
  private void runToIdle(Cand c, List<Cand> out, int depth) {
    if (depth > 40) {
      throw new IllegalStateException("an operation of more than 40 steps");
    }
    boolean cpuIdle = TlcEvaluator.get(c.s(), "op").equals(idleOp);
    boolean moved = false;
    for (ActionInstance a : cpuIdle ? vmSteps : cpuSteps) {
      for (TLCState u : ev.successors(a, c.s())) {
        moved = true;
        runToIdle(new Cand(u, step(c, u)), out, depth + 1);
      }
    }
    if (!moved) {
      if (cpuIdle) {
        out.add(c);
      } else {
        stuck = "the spec's CPU operation stops at op = " + TlcEvaluator.get(c.s(), "op");
      }
    }
  }

  /**
   * Runs the VM system with {@code bugs} for at most {@code maxOps} operations, each chosen by
   * the next of {@code choices} among {@link GpuMemVmWorld#enabled}, and checks it.
   */
  public Verdict check(List<Integer> choices, int maxOps, HwBug... bugs) {
    runs++;
    List<String> log = new ArrayList<>();
    try (GpuMemVmWorld w = new GpuMemVmWorld(tlb, bugs)) {
      TLCState init = ev.initialState();
      Map<String, Object> obs = w.observe();
      if (!observed(init).equals(obs)) {
        return new Verdict(false, 0, "the initial state differs from VmInit: "
            + GpuMemChecker.diff(observed(init), obs), log);
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
        int paren = op.name().indexOf('(');
        opKinds.merge((paren < 0 ? op.name() : op.name().substring(0, paren))
            + (op.name().endsWith("evicting") ? " evicting" : ""), 1L, Long::sum);
        try {
          op.run().run();
        } catch (RuntimeException e) {
          return new Verdict(false, i + 1, op + ": the Java call threw " + e, log);
        }
        obs = w.observe();
        List<Cand> cands = frontier;
        stuck = null;
        for (List<GpuMemWorld.Pattern> phase : op.phases()) {
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
        int closestSize = Integer.MAX_VALUE;
        for (Cand c : cands) {
          Map<String, Object> o = observed(c.s());
          if (o.equals(obs)) {
            if (seen.add(c.s().fingerPrint())) {
              kept.add(c);
            }
          } else {
            Map<String, Object> d = GpuMemChecker.diff(o, obs);
            if (d.size() < closestSize) {
              closest = d;
              closestSize = d.size();
            }
          }
        }
        if (kept.isEmpty()) {
          String why = cands.isEmpty()
              ? "the spec cannot take " + op.phases() + " here" + (stuck == null ? "" : ": " + stuck)
              : "no spec state reached by " + op.phases() + " agrees with Java; closest of " + cands.size()
                  + " differs in " + closest;
          return new Verdict(false, i + 1, op + ": " + why, log);
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
          return new Verdict(false, i + 1, op + ": the step breaks the spec's property " + violated, log);
        }
        List<String> inv = ev.violatedInvariants(kept.get(0).s());
        if (!inv.isEmpty()) {
          return new Verdict(false, i + 1, op + ": the state breaks the spec's invariant " + inv, log);
        }
        List<Cand> clean = new ArrayList<>();
        for (Cand c : kept) {
          clean.add(new Cand(c.s(), null));
        }
        frontier = clean;
      }
      return new Verdict(true, -1, "", log);
    }
  }

  // ------------------------------------------------------------------------------------------
  // The backward direction: walks of the spec replayed on Java.

  /** Spec walks replayed on Java: walks, operations, and spec operations by kind. */
  public long walks;
  public long walkOps;
  public final Map<String, Long> walkKinds = new java.util.TreeMap<>();
  /** Dependency callbacks the walks ran on Java (no spec step: {@link #dependencyCallbacks}). */
  public long walkDependencyCbs;
  /** States of the walks where the spec could preempt before the Java scheduler's queue order lets it ({@link #preemptionQueued}). */
  public long walkLatePreemptions;

  /**
   * The actions that begin a spec operation a walk picks, by the world operation each stands for
   * (the model's Mem... split of GpuStep; GpuMemVm's or GpuMemTlb's VM steps).
   */
  private String walkKey(ActionInstance a) {
    List<String> v = new ArrayList<>(a.args().values());
    return switch (a.name()) {
      case "MemSubmitBegin" -> "Submit(" + v.get(0) + ", " + v.get(1) + ", " + v.get(2).replace("\"", "") + ")";
      case "MemEvictBegin" -> "Evict(" + v.get(0) + ")";
      case "MemMoveInBegin" -> "MoveIn(" + v.get(0) + ")";
      case "MemGhostFree" -> "GhostFree(" + v.get(1) + ")";
      case "MemRunJob", "RunPtJob", "TRunPtJob" -> "RunJob(" + v.get(0) + ")";
      case "RunTlbFlush" -> "TlbFlush(" + v.get(0) + ")";
      case "LrStartBegin", "TLrStartBegin" -> "LrStart";
      case "LrAccess", "TlbAccess" -> "LrAccess";
      case "LrPreempt", "TLrPreempt" -> "LrPreempt";
      case "RebindBegin", "TRebindBegin" -> "RebindBegin";
      case "RebindWait", "TlbRebindWait" -> "RebindFinish";
      case "UnmapBegin", "TUnmapBegin" -> "Unmap";
      default -> null;
    };
  }

  /**
   * Whether a spec operation run to its end stopped where a world operation ends: the VM worker
   * idle, or the rebind worker at its wait with its update (and, with the TLB, its flush fence)
   * published. A worker operation that stops elsewhere ran out of the model's fences (the TLB
   * model's TlbReserve needs a TLB fence left): the world does not offer it (its bounds, {@link
   * GpuMemVmWorld#distinct}), and the walk does not either.
   */
  private boolean operationEnd(TLCState s) {
    Value vop = (Value) TlcEvaluator.get(s, "vop");
    @SuppressWarnings("unchecked")
    Map<String, Object> v = (Map<String, Object>) SpecValues.of(vop, ghosts);
    String k = String.valueOf(v.get("k"));
    long step = ((Number) v.get("s")).longValue();
    if (k.equals("idle")) {
      return true;
    }
    if (!k.equals("rebind") || step != 5) {
      return false;
    }
    if (!tlb) {
      return true;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> t = (Map<String, Object>) SpecValues.of((Value) TlcEvaluator.get(s, "tlbOp"), ghosts);
    return ((Number) t.get("s")).longValue() == 3;
  }

  /**
   * The scheduler's dependency callbacks (drm_sched_entity_add_dependency_cb, the world's
   * {@code DependencyCb(entity)}), run as soon as the world offers one, as the scheduler's work
   * item does when a job is pushed or a dependency it waited on signals. They have no spec step
   * (the spec's {@code LrPreempt} is enabled as soon as a queued job depends on the preemption
   * fence: enable_signaling and the preemption work in one step), leave every observed
   * variable alone, and make the Java context's preemption work ({@code PreemptWork}) ready
   * where the spec's {@code LrPreempt} is enabled.
   */
  private void dependencyCallbacks(GpuMemVmWorld w) {
    for (int round = 0; round < 16; round++) {
      GpuMemWorld.Op cb = null;
      for (GpuMemWorld.Op op : w.distinct()) {
        if (op.name().startsWith("DependencyCb(")) {
          cb = op;
          break;
        }
      }
      if (cb == null) {
        return;
      }
      cb.run().run();
      walkDependencyCbs++;
    }
    throw new IllegalStateException("dependency callbacks without end");
  }

  /**
   * Whether the spec's LrPreempt is ahead of the Java scheduler only by its queue order, not
   * missing: every Java entity with a queued job that depends on the context's preemption fence
   * has that job behind its head, or its head's dependency callback is queued on another fence.
   * drm_sched's entity is a FIFO and looks at one dependency at a time (sched_entity.c,
   * drm_sched_entity_pop_job: {@code while ((entity->dependency =
   * drm_sched_job_dependency(sched_job, entity)))} ... {@code if
   * (drm_sched_entity_add_dependency_cb(entity)) return NULL;}), so the preemption fence's
   * enable_signaling comes when that job reaches the head and its earlier dependencies have
   * signaled; the spec's LrPreempt is enabled as soon as any queued job depends on the fence
   * (GpuMemVm.tla: {@code \E j \in Fences : jobState[j] = "queued" /\ lrFence \in jobDeps[j]}),
   * an over-approximation of when the preemption can happen. Such a state leaves LrPreempt out of
   * the walk's choices and is counted ({@link #walkLatePreemptions}); Java preempts once the job
   * reaches the head, where the walk compares again.
   */
  private static boolean preemptionQueued(GpuMemVmWorld w) {
    org.syncref.fence.DmaFence pf = w.vs.vm.lr().preemptFence();
    if (pf == null || pf.isSignaled()) {
      return false;
    }
    boolean some = false;
    for (org.syncref.hw.sched.DrmSchedEntity e : List.of(w.vs.sys.gfxUser, w.vs.sys.compUser,
        w.vs.sys.dev.copyEntity(), w.vs.vm.pteEntity())) {
      List<org.syncref.hw.sched.DrmSchedJob> q = e.queued();
      for (int i = 0; i < q.size(); i++) {
        if (q.get(i).dependencies().contains(pf)) {
          org.syncref.fence.DmaFence waiting = e.sched().waitingOn(e);
          if (i == 0 && (waiting == null || waiting == pf)) {
            return false;
          }
          some = true;
          break;
        }
      }
    }
    return some;
  }

  /** The Java job whose finished fence is model fence {@code f}, or null. */
  private static org.syncref.hw.sched.DrmSchedJob javaJob(GpuMemVmWorld w, String f) {
    List<org.syncref.hw.sched.DrmSchedJob> all = new ArrayList<>(w.vs.sys.dev.history().jobs());
    all.addAll(w.vs.vm.pteEntity().sched().armedJobs());
    for (org.syncref.hw.sched.DrmSchedJob j : all) {
      if (w.fenceName(j.finished()).equals(f)) {
        return j;
      }
    }
    return null;
  }

  /**
   * The world operations Java offers now, by the spec operation each is ({@link #walkKey}'s
   * names): each of its operations but the dependency callbacks (no spec step), {@code run_job}
   * (half of a RunJob) and a move that evicts first (the spec's eviction, then its move: the
   * eviction is offered on its own); {@code PreemptWork(p)} is LrPreempt, {@code
   * GhostFree(g, r)} is GhostFree(r) (the Java ghost has no model name), {@code
   * TlbFlush(tlbN)} is TlbFlush(tN); and RunJob(f) for each job f Java can complete next: the
   * job at the head of its engine's ring, or, on an empty ring, the first queued job of an
   * entity run_job offers.
   */
  private java.util.SortedSet<String> javaOffers(GpuMemVmWorld w) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (GpuMemWorld.Op op : w.distinct()) {
      String n = op.name();
      if (withheld.test(n) || n.startsWith("DependencyCb(") || n.startsWith("run_job(") || n.startsWith("complete(")
          || n.endsWith(" evicting")) {
        continue;
      }
      if (n.startsWith("PreemptWork(")) {
        out.add("LrPreempt");
      } else if (n.startsWith("GhostFree(")) {
        out.add("GhostFree(" + n.substring(n.lastIndexOf(", ") + 2));
      } else if (n.startsWith("TlbFlush(tlb")) {
        out.add("TlbFlush(t" + n.substring("TlbFlush(tlb".length()));
      } else {
        out.add(n);
      }
    }
    for (org.syncref.hw.sched.DrmGpuScheduler s : w.vs.sys.schedulers()) {
      List<org.syncref.hw.sched.DrmSchedJob> ring = s.pending();
      if (!ring.isEmpty()) {
        out.add("RunJob(" + w.fenceName(ring.get(0).finished()) + ")");
        continue;
      }
      for (org.syncref.hw.sched.DrmSchedEntity e : s.runnableEntities()) {
        List<org.syncref.hw.sched.DrmSchedJob> q = e.queued();
        if (!q.isEmpty()) {
          out.add("RunJob(" + w.fenceName(q.get(0).finished()) + ")");
        }
      }
    }
    return out;
  }

  private GpuMemWorld.Op offered(GpuMemVmWorld w, java.util.function.Predicate<String> name) {
    for (GpuMemWorld.Op op : w.distinct()) {
      if (name.test(op.name()) && !withheld.test(op.name())) {
        return op;
      }
    }
    return null;
  }

  /** Makes the spec operation {@code key} on Java; null, or why Java cannot. */
  private String replay(GpuMemVmWorld w, String key) {
    GpuMemWorld.Op op;
    if (key.startsWith("RunJob(")) {
      String f = key.substring("RunJob(".length(), key.length() - 1);
      org.syncref.hw.sched.DrmSchedJob job = javaJob(w, f);
      if (job == null) {
        return "Java has no job for " + f;
      }
      String entity = job.entity().name();
      for (int k = 0; k < 8 && job.state() != org.syncref.hw.sched.DrmSchedJob.State.RUNNING
          && !job.finished().isSignaled(); k++) {
        GpuMemWorld.Op runJob = offered(w, ("run_job(" + entity + ")")::equals);
        if (runJob == null) {
          return "Java cannot run_job " + job.name() + " (state " + job.state() + ", offers " + w.distinct() + ")";
        }
        runJob.run().run();
      }
      op = offered(w, ("complete(" + job.entity().sched().engine().name() + ")")::equals);
    } else if (key.equals("LrPreempt")) {
      op = offered(w, n -> n.equals("PreemptWork(p" + w.vs.vm.lr().preemptFence().seqno() + ")"));
    } else if (key.startsWith("GhostFree(")) {
      String r = key.substring("GhostFree(".length());
      op = offered(w, n -> n.startsWith("GhostFree(") && n.endsWith(", " + r));
    } else if (key.startsWith("TlbFlush(t")) {
      op = offered(w, ("TlbFlush(tlb" + key.substring("TlbFlush(t".length()))::equals);
    } else {
      op = offered(w, key::equals);
    }
    if (op == null) {
      return "Java offers no " + key + " (it offers " + w.distinct() + ")";
    }
    op.run().run();
    return null;
  }

  /** How many entries a spec operation gets in a walk's choice: the world's weight of its Java operation. */
  private static int walkWeight(String key) {
    return GpuMemVmWorld.weight(key.startsWith("RunJob(") ? "complete" : key.startsWith("LrPreempt") ? "PreemptWork"
        : key);
  }

  /**
   * The backward direction: a walk of the spec, replayed on the Java VM system with {@code
   * bugs}. In each state the walk computes the spec's operations: each action that begins one
   * (MemSubmitBegin(e, o, m), MemEvictBegin(b), MemMoveInBegin(o), MemGhostFree(g, r),
   * MemRunJob(f), RunPtJob(f), RunTlbFlush(t), LrStartBegin, LrAccess, LrPreempt, RebindBegin,
   * RebindWait, UnmapBegin, or their GpuMemTlb forms), from the current spec state, run to its
   * end by the spec's own steps (the CPU's to IdleOp, the VM worker's to VIdle or the rebind's
   * wait: {@link #operationEnd}). Java must offer exactly these ({@link #javaOffers}): a Java
   * system that offers less (a wait the spec does not make, a missing operation) or more (a
   * wait it skips) fails here. Then the walk takes one of them by the next of {@code choices}
   * (weighted as {@link GpuMemVmWorld#enabled}), makes it on Java ({@link #replay}), and Java's
   * observed state must equal one of the operation's spec end states, which becomes the
   * current one; GpuMemVm's (GpuMemTlb's) action properties are evaluated on every spec step of
   * it. The failing operation of a verdict is the walk's operation number (0: Java's state or
   * offer before the first).
   */
  public Verdict walk(List<Integer> choices, int maxOps, HwBug... bugs) {
    return walkWithholding(choices, maxOps, n -> false, bugs);
  }

  /** World operations a walk takes as not offered by Java ({@link #walkWithholding}); none in {@link #walk}. */
  private java.util.function.Predicate<String> withheld = n -> false;

  /**
   * {@link #walk} of a Java system that never offers the world operations {@code withheld}
   * accepts (by name, e.g. {@code PreemptWork(p1)}): a control of the offer comparison, which
   * must catch a Java system that does less than the spec (a preemption fence whose
   * enable_signaling queues no work, so the context is never preempted and the eviction copy
   * waits forever: a liveness bug no forward check sees, since everything Java does is allowed).
   */
  public Verdict walkWithholding(List<Integer> choices, int maxOps, java.util.function.Predicate<String> withheld,
      HwBug... bugs) {
    this.withheld = withheld;
    try {
      return walkOnce(choices, maxOps, bugs);
    } finally {
      this.withheld = n -> false;
    }
  }

  private Verdict walkOnce(List<Integer> choices, int maxOps, HwBug... bugs) {
    walks++;
    List<String> log = new ArrayList<>();
    try (GpuMemVmWorld w = new GpuMemVmWorld(tlb, bugs)) {
      TLCState init = ev.initialState();
      if (!observed(init).equals(w.observe())) {
        return new Verdict(false, 0, "the initial state differs from VmInit: "
            + GpuMemChecker.diff(observed(init), w.observe()), log);
      }
      TLCState s = ev.successors(driverLoad, init).get(0);
      for (int i = 0; i <= Math.min(maxOps, choices.size()); i++) {
        dependencyCallbacks(w);
        Map<String, List<Cand>> ends = new java.util.TreeMap<>();
        Cand from = new Cand(s, null);
        for (List<ActionInstance> as : byName.values()) {
          for (ActionInstance a : as) {
            String key = walkKey(a);
            if (key == null) {
              continue;
            }
            List<Cand> out = new ArrayList<>();
            for (TLCState t : ev.successors(a, s)) {
              List<Cand> e = new ArrayList<>();
              runToIdle(new Cand(t, step(from, t)), e, 0);
              for (Cand c : e) {
                if (operationEnd(c.s())) {
                  out.add(c);
                }
              }
            }
            if (!out.isEmpty()) {
              ends.computeIfAbsent(key, x -> new ArrayList<>()).addAll(out);
            }
          }
        }
        java.util.SortedSet<String> javaOffers = javaOffers(w);
        if (ends.containsKey("LrPreempt") && !javaOffers.contains("LrPreempt") && preemptionQueued(w)) {
          ends.remove("LrPreempt");
          walkLatePreemptions++;
        }
        if (!ends.keySet().equals(javaOffers)) {
          java.util.SortedSet<String> more = new java.util.TreeSet<>(javaOffers);
          more.removeAll(ends.keySet());
          java.util.SortedSet<String> less = new java.util.TreeSet<>(ends.keySet());
          less.removeAll(javaOffers);
          return new Verdict(false, i, "Java offers " + more + " the spec does not, and not " + less
              + " that the spec offers (spec: " + ends.keySet() + ")", log);
        }
        if (i == Math.min(maxOps, choices.size()) || ends.isEmpty()) {
          break;
        }
        List<String> entries = new ArrayList<>();
        for (String key : ends.keySet()) {
          for (int k = 0; k < walkWeight(key); k++) {
            entries.add(key);
          }
        }
        String key = entries.get(Math.floorMod(choices.get(i), entries.size()));
        log.add(key);
        walkOps++;
        int paren = key.indexOf('(');
        walkKinds.merge(paren < 0 ? key : key.substring(0, paren), 1L, Long::sum);
        String why;
        try {
          why = replay(w, key);
        } catch (RuntimeException e) {
          why = "the Java call threw " + e;
        }
        if (why != null) {
          return new Verdict(false, i + 1, key + ": " + why, log);
        }
        Map<String, Object> obs = w.observe();
        TLCState next = null;
        Map<String, Object> closest = null;
        for (Cand c : ends.get(key)) {
          Map<String, Object> o = observed(c.s());
          if (o.equals(obs)) {
            if (c.violated() != null) {
              return new Verdict(false, i + 1, key + ": the spec's step breaks its property " + c.violated(), log);
            }
            next = c.s();
            break;
          }
          Map<String, Object> d = GpuMemChecker.diff(o, obs);
          if (closest == null || d.size() < closest.size()) {
            closest = d;
          }
        }
        if (next == null) {
          return new Verdict(false, i + 1, key + ": Java's state agrees with no end state of the spec's; differs in "
              + closest, log);
        }
        s = next;
      }
      return new Verdict(true, -1, "", log);
    }
  }

  public String walkSummary() {
    return String.format("%s spec walks on Java: %d walks, %d spec operations %s, %d dependency callbacks, %d states"
        + " where the spec preempts before the scheduler's queue order lets Java", tlb ? "GpuMemTlb" : "GpuMemVm", walks,
        walkOps, walkKinds, walkDependencyCbs, walkLatePreemptions);
  }

  public String summary() {
    return String.format((tlb ? "GpuMemTlb" : "GpuMemVm") + " conformance: %d runs, %d Java operations %s, %d spec steps, largest frontier %d",
        runs, ops, opKinds, specSteps, maxFrontier);
  }
}
