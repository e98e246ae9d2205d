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
 * NoKernelBug, ImplicitSync, LrNoStaleAccess). TLC holds one spec per JVM: the tests run in the
 * surefire execution gpumem-vm-conformance (package ...conformance.gpumem.vm).
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

  public String summary() {
    return String.format((tlb ? "GpuMemTlb" : "GpuMemVm") + " conformance: %d runs, %d Java operations %s, %d spec steps, largest frontier %d",
        runs, ops, opKinds, specSteps, maxFrontier);
  }
}
