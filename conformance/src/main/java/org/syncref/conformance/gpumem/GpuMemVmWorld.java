package org.syncref.conformance.gpumem;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.syncref.conformance.gpumem.GpuMemWorld.Op;
import org.syncref.conformance.gpumem.GpuMemWorld.Pattern;
import org.syncref.fence.DmaFence;
import org.syncref.hw.Engine;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedFence;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.GpuMemHistory;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.SubmitMode;
import org.syncref.hw.ttm.TtmBufferObject;
import org.syncref.hw.ttm.TtmMemType;
import org.syncref.hw.ttm.TtmRange;
import org.syncref.hw.ttm.TtmResource;
import org.syncref.hw.ttm.TtmResourceManager;
import org.syncref.hw.vm.GpuVm;
import org.syncref.hw.vm.GpuVmSystem;
import org.syncref.hw.vm.LrContext;
import org.syncref.hw.vm.VmHistory;

/**
 * hw/'s VM system ({@link GpuVmSystem} without its TLB) as a world of spec/GpuMem/GpuMemVm.tla
 * (model MCGpuMemVmConformance): one VRAM range v1 and four SYSTEM ranges, b1 (the VM's BO) in
 * v1, b2 in s1, b3 in s2; the gfx and comp user entities (g1..g3, k1..k3), TTM's copy entity
 * (c1..c4), the VM's page-table entity (u1..u3), the context's preemption fences (p1..p3).
 *
 * <p>Operations as {@link GpuMemWorld}'s (their spec actions are the model's Mem... split of
 * GpuStep), and the VM's: {@code LrStart} (LrStartBegin ... LrStartUnlock), {@code LrAccess},
 * {@code DependencyCb(entity)} (the scheduler's drm_sched_entity_add_dependency_cb: no spec
 * step, it only enables signaling), {@code PreemptWork} (LrPreempt), {@code RebindBegin}
 * (RebindBegin ... RebindAdd: the worker then waits), {@code RebindFinish} (RebindWait ...
 * RebindUnlock), {@code Unmap} (UnmapBegin ... UnmapUnlock); a completion of sdma0 is MemRunJob
 * or RunPtJob.
 */
public final class GpuMemVmWorld implements AutoCloseable {
  /** Jobs per user engine, copies, page-table updates, preemption fences (the model's fences). */
  public static final int USER_JOBS = 3;
  public static final int COPIES = 4;
  public static final int UPDATES = 3;
  public static final int PFENCES = 3;

  /** The spec variables observed: GpuMemWorld's and the VM's. */
  public static final List<String> OBSERVED = List.of("place", "owner", "tenure", "manFences", "jobState",
      "jobDeps", "jobBinds", "jobKernel", "jobMode", "accesses", "signaled", "ptes", "lr", "lrFence");

  /** The model's fence names. */
  public static final List<String> FENCES = List.of("g1", "g2", "g3", "k1", "k2", "k3", "c1", "c2", "c3", "c4",
      "u1", "u2", "u3", "p1", "p2", "p3");
  /** The TLB model's (MCGpuMemTlbConformance) further fences: the TLB flush fences. */
  public static final List<String> TLB_FENCES = List.of("t1", "t2", "t3");

  public final GpuVmSystem vs;
  /** Whether the VM has its TLB (the world of MCGpuMemTlbConformance) or not (MCGpuMemVmConformance). */
  public final boolean tlb;
  private final List<String> fences;
  private final TtmBufferObject[] bos;
  private final DrmSchedEntity[] users;

  public GpuMemVmWorld(HwBug... bugs) {
    this(false, bugs);
  }

  /** A world of MCGpuMemTlbConformance if {@code tlb}, else of MCGpuMemVmConformance. */
  public GpuMemVmWorld(boolean tlb, HwBug... bugs) {
    this.tlb = tlb;
    List<String> fs = new ArrayList<>(FENCES);
    if (tlb) {
      fs.addAll(TLB_FENCES);
    }
    this.fences = List.copyOf(fs);
    vs = new GpuVmSystem(1, 4, EnumSet.allOf(GpuVm.Flow.class), tlb, "b1", bugs);
    bos = new TtmBufferObject[] {vs.vm.bo(), vs.bo("b2", TtmMemType.SYSTEM), vs.bo("b3", TtmMemType.SYSTEM)};
    users = new DrmSchedEntity[] {vs.sys.gfxUser, vs.sys.compUser};
  }

  private String prefix(DrmSchedEntity e) {
    if (e == vs.vm.pteEntity()) {
      return "u";
    }
    DrmGpuScheduler s = e.sched();
    return s == vs.sys.gfx ? "g" : s == vs.sys.comp ? "k" : "c";
  }

  private static String engine(String prefix) {
    return switch (prefix) {
      case "g" -> "gfx";
      case "k" -> "comp";
      default -> "?";
    };
  }

  /** The model fence of a Java fence: a finished fence by entity and seqno, a preemption fence p + seqno. */
  public String fenceName(DmaFence f) {
    if (f.context() == vs.vm.lr().fenceContext()) {
      return "p" + f.seqno();
    }
    if (vs.vm.tlbFence(f) != null) {
      return "t" + f.seqno();
    }
    DrmSchedFence sf = DrmSchedFence.of(f);
    if (sf == null || sf.job().finished() != f) {
      return "?" + f;
    }
    return prefix(sf.job().entity()) + f.seqno();
  }

  private int jobsOn(DrmSchedEntity e) {
    int n = 0;
    for (DrmSchedJob j : e.sched().armedJobs()) {
      n += j.entity() == e ? 1 : 0;
    }
    return n;
  }

  private int freeSystem() {
    TtmResourceManager m = vs.sys.dev.manager(TtmMemType.SYSTEM);
    int n = 0;
    for (TtmRange r : m.ranges()) {
      n += m.resourceAt(r) == null ? 1 : 0;
    }
    return n;
  }

  /** The action of the VM's model: GpuMemVm's name, or its GpuMemTlb form (T..., Tlb...). */
  private String vmAction(String name) {
    if (!tlb) {
      return name;
    }
    return switch (name) {
      case "LrAccess" -> "TlbAccess";
      case "RebindWait" -> "TlbRebindWait";
      default -> "T" + name;
    };
  }

  private static Op op(String name, Runnable run, Pattern... phase) {
    return new Op(name, phase.length == 0 ? List.of() : List.of(List.of(phase)), run);
  }

  /**
   * The operations possible now, within the model's bounds. The VM's path (evictions, run_job,
   * completions, dependency callbacks, the context's and the rebind worker's operations) is
   * listed several times over ({@link #weight}), so that a uniform choice among the entries
   * reaches preemptions and rebinds among the many submissions.
   */
  public List<Op> enabled() {
    List<Op> out = new ArrayList<>();
    for (Op o : distinct()) {
      for (int i = 0; i < weight(o.name()); i++) {
        out.add(o);
      }
    }
    return out;
  }

  /** How many entries of {@link #enabled} an operation gets. */
  static int weight(String name) {
    if (name.startsWith("Submit") || name.startsWith("GhostFree") || name.equals("Unmap")) {
      return 1;
    }
    if (name.startsWith("run_job") || name.startsWith("complete") || name.equals("LrAccess")
        || name.startsWith("MoveIn")) {
      return 3;
    }
    return 6;
  }

  /** The operations possible now, each once. */
  public List<Op> distinct() {
    List<Op> out = new ArrayList<>();
    boolean vmLocked = vs.vm.bo().resv().isLocked();
    for (DrmSchedEntity e : users) {
      if (jobsOn(e) >= USER_JOBS) {
        continue;
      }
      for (SubmitMode m : vs.sys.dev.policy().modes()) {
        String mode = m.specName();
        for (TtmBufferObject bo : bos) {
          if (bo.resource() != null && !(vmLocked && bo == vs.vm.bo())) {
            out.add(op("Submit(" + engine(prefix(e)) + ", " + bo.name() + ", " + mode + ")",
                () -> vs.sys.submit(e, "j", m, bo),
                Pattern.of("MemSubmitBegin", "e", engine(prefix(e)), "o", bo.name(), "m", "\"" + mode + "\"")));
          }
        }
      }
    }
    int copies = jobsOn(vs.sys.dev.copyEntity());
    boolean vramFree = vs.sys.dev.manager(TtmMemType.VRAM).hasFree();
    TtmResource vramOwner = vs.sys.dev.manager(TtmMemType.VRAM).resourceAt(new TtmRange(TtmMemType.VRAM, 1));
    boolean victimLocked = vramOwner != null && vramOwner.bo().resv().isLocked();
    for (TtmBufferObject bo : bos) {
      TtmResource r = bo.resource();
      if (r == null || (vmLocked && bo == vs.vm.bo())) {
        continue;
      }
      if (r.range().memType() == TtmMemType.VRAM && copies < COPIES && freeSystem() > 0) {
        out.add(op("Evict(" + bo.name() + ")", () -> evict(bo), Pattern.of("MemEvictBegin", "b", bo.name())));
      }
      if (r.range().memType() == TtmMemType.SYSTEM && vs.sys.dev.ghosts().size() < 4) {
        List<Pattern> moveIn = List.of(Pattern.of("MemMoveInBegin", "o", bo.name()));
        if (vramFree && copies < COPIES) {
          out.add(new Op("MoveIn(" + bo.name() + ")", List.of(moveIn), () -> moveIn(bo)));
        } else if (!vramFree && !victimLocked && copies + 1 < COPIES && freeSystem() > 0) {
          out.add(new Op("MoveIn(" + bo.name() + ") evicting",
              List.of(List.of(Pattern.of("MemEvictBegin")), moveIn), () -> moveIn(bo)));
        }
      }
    }
    for (DrmGpuScheduler s : vs.sys.schedulers()) {
      for (DrmSchedEntity e : s.runnableEntities()) {
        out.add(op("run_job(" + e.name() + ")", () -> s.runJob(e)));
      }
      for (DrmSchedEntity e : s.entitiesToWaitOn()) {
        out.add(op("DependencyCb(" + e.name() + ")", () -> s.addDependencyCb(e)));
      }
    }
    for (Engine e : vs.sys.engines()) {
      if (!e.pending().isEmpty()) {
        out.add(new Op("complete(" + e.name() + ")",
            List.of(List.of(Pattern.of("MemRunJob"), Pattern.of(vmAction("RunPtJob")))), e::executeNext));
      }
    }
    for (TtmBufferObject g : vs.sys.dev.idleGhosts()) {
      out.add(op("GhostFree(" + g.name() + ", " + g.resource().range() + ")", () -> vs.sys.dev.delayedDelete(g),
          Pattern.of("MemGhostFree", "r", g.resource().range().toString())));
    }
    GpuVm vm = vs.vm;
    int pfences = vm.lr().preemptFence() == null ? 0 : (int) vm.lr().preemptFence().seqno();
    int updates = jobsOn(vm.pteEntity());
    if (vm.lrStartEnabled() && pfences < PFENCES) {
      out.add(op("LrStart", vm::lrStart, Pattern.of(vmAction("LrStartBegin"))));
    }
    if (vm.lrAccessEnabled()) {
      out.add(op("LrAccess", vm::lrAccess, Pattern.of(vmAction("LrAccess"))));
    }
    for (DmaFence p : vm.lr().pendingPreemptWork()) {
      out.add(op("PreemptWork(p" + p.seqno() + ")", () -> vm.lr().preemptFenceWork(p), Pattern.of(vmAction("LrPreempt"))));
    }
    if (vm.rebindEnabled() && pfences < PFENCES && updates < UPDATES && (!tlb || vm.tlbFences().size() < TLB_FENCES.size())) {
      out.add(op("RebindBegin", vm::rebindBegin, Pattern.of(vmAction("RebindBegin"))));
    }
    if (vm.rebindFinishEnabled()) {
      out.add(op("RebindFinish", vm::rebindFinish, Pattern.of(vmAction("RebindWait"))));
    }
    int flushes = vm.tlbFences().size();
    boolean tlbRoom = !tlb || flushes < TLB_FENCES.size();
    if (vm.unmapEnabled() && updates < UPDATES && tlbRoom) {
      out.add(op("Unmap", vm::unmap, Pattern.of(vmAction("UnmapBegin"))));
    }
    for (org.syncref.hw.vm.TlbFence t : vm.pendingTlbWork()) {
      if (vm.tlbWorkReady(t)) {
        out.add(op("TlbFlush(" + t + ")", () -> vm.tlbFenceWork(t), Pattern.of("RunTlbFlush", "t", "t" + t.fence().seqno())));
      }
    }
    return out;
  }

  private void evict(TtmBufferObject bo) {
    bo.resv().lock();
    try {
      int ret = vs.sys.dev.evict(bo);
      if (ret != 0) {
        throw new IllegalStateException("ttm_bo_evict(" + bo.name() + "): " + ret);
      }
    } finally {
      bo.resv().unlock();
    }
  }

  private void moveIn(TtmBufferObject bo) {
    int ret = vs.sys.dev.moveTo(bo, TtmMemType.VRAM);
    if (ret != 0) {
      throw new IllegalStateException("ttm_bo_validate(" + bo.name() + ", VRAM): " + ret);
    }
  }

  private static Map<String, Object> bind(GpuMemHistory.Bind b) {
    return Map.of("o", b.bo().name(), "r", b.range().toString(), "ten", b.tenure());
  }

  /** The Java state in the observed spec variables. */
  public Map<String, Object> observe() {
    Map<String, Object> out = new TreeMap<>();
    Map<String, Object> place = new TreeMap<>();
    Map<String, Object> ptes = new TreeMap<>();
    for (TtmBufferObject bo : bos) {
      place.put(bo.name(), bo.resource() == null ? "None" : bo.resource().range().toString());
      GpuMemHistory.Bind p = bo == vs.vm.bo() ? vs.vm.ptes() : null;
      ptes.put(bo.name(), p == null ? Set.of() : Set.of(bind(p)));
    }
    out.put("place", place);
    out.put("ptes", ptes);
    Map<String, Object> owner = new TreeMap<>();
    Map<String, Object> tenure = new TreeMap<>();
    for (TtmMemType t : TtmMemType.values()) {
      TtmResourceManager m = vs.sys.dev.manager(t);
      for (TtmRange r : m.ranges()) {
        TtmResource res = m.resourceAt(r);
        owner.put(r.toString(), res == null ? "None" : res.bo().isGhost() ? "ghost" : res.bo().name());
        tenure.put(r.toString(), m.tenure(r));
      }
    }
    out.put("owner", owner);
    out.put("tenure", tenure);
    Map<String, Object> man = new TreeMap<>();
    man.put("VRAM", names(vs.sys.dev.manager(TtmMemType.VRAM).evictionFences()));
    man.put("SYSTEM", names(vs.sys.dev.manager(TtmMemType.SYSTEM).evictionFences()));
    out.put("manFences", man);
    GpuMemHistory h = vs.sys.dev.history();
    Map<String, Object> state = new TreeMap<>();
    Map<String, Object> deps = new TreeMap<>();
    Map<String, Object> binds = new TreeMap<>();
    Map<String, Object> kernel = new TreeMap<>();
    Map<String, Object> mode = new TreeMap<>();
    Map<String, Object> signaled = new TreeMap<>();
    for (String f : fences) {
      state.put(f, "none");
      deps.put(f, Set.of());
      binds.put(f, Set.of());
      kernel.put(f, Set.of());
      mode.put(f, "none");
      signaled.put(f, false);
    }
    List<DrmSchedJob> jobs = new ArrayList<>(h.jobs());
    for (DrmSchedJob j : jobs) {
      String f = fenceName(j.finished());
      Set<Object> bs = new HashSet<>();
      for (GpuMemHistory.Bind b : h.binds(j)) {
        bs.add(bind(b));
      }
      job(f, j, bs, names(h.kernelAtArm(j)), h.mode(j), state, deps, binds, kernel, mode, signaled);
    }
    for (DrmSchedJob j : vs.vm.pteEntity().sched().armedJobs()) {
      if (j.entity() == vs.vm.pteEntity()) {
        job(fenceName(j.finished()), j, Set.of(), names(vs.vm.kernelAtArm(j.finished())), "explicit",
            state, deps, binds, kernel, mode, signaled);
      }
    }
    for (org.syncref.hw.vm.TlbFence t : vs.vm.tlbFences()) {
      String f = fenceName(t.fence());
      boolean done = t.fence().isSignaled();
      state.put(f, !fences.contains(f) ? "outside the model" : done ? "done" : "queued");
      deps.put(f, t.dependency() == null ? Set.of() : Set.of(fenceName(t.dependency())));
      mode.put(f, "explicit");
      signaled.put(f, done);
    }
    if (tlb) {
      Set<Object> entries = new HashSet<>();
      for (GpuMemHistory.Bind b : vs.vm.tlb()) {
        entries.add(bind(b));
      }
      out.put("tlb", entries);
    }
    DmaFence cur = vs.vm.lr().preemptFence();
    for (long n = 1; cur != null && n <= cur.seqno(); n++) {
      signaled.put("p" + n, n < cur.seqno() || cur.isSignaled());
    }
    out.put("jobState", state);
    out.put("jobDeps", deps);
    out.put("jobBinds", binds);
    out.put("jobKernel", kernel);
    out.put("jobMode", mode);
    out.put("signaled", signaled);
    Set<Object> acc = new HashSet<>();
    for (GpuMemHistory.Access a : h.accesses()) {
      acc.add(Map.of("j", fenceName(a.job().finished()), "o", a.bo().name(), "r", a.range().toString(),
          "ten", a.tenure()));
    }
    for (VmHistory.LrAccess a : vs.vm.history().lrAccessed()) {
      acc.add(Map.of("j", fenceName(a.fence()), "o", a.bind().bo().name(), "r", a.bind().range().toString(),
          "ten", a.bind().tenure()));
    }
    out.put("accesses", acc);
    LrContext.State s = vs.vm.lr().state();
    out.put("lr", s == LrContext.State.OFF ? "off" : s == LrContext.State.PREEMPTED ? "preempted" : "running");
    out.put("lrFence", cur == null ? "None" : fenceName(cur));
    return out;
  }

  private void job(String f, DrmSchedJob j, Set<Object> bs, Set<Object> k, String m, Map<String, Object> state,
      Map<String, Object> deps, Map<String, Object> binds, Map<String, Object> kernel, Map<String, Object> mode,
      Map<String, Object> signaled) {
    boolean done = j.finished().isSignaled();
    state.put(f, !fences.contains(f) ? "outside the model"
        : done ? "done" : j.state() == DrmSchedJob.State.ARMED ? "armed" : "queued");
    deps.put(f, names(j.dependencies()));
    binds.put(f, bs);
    kernel.put(f, k);
    mode.put(f, m);
    signaled.put(f, done);
  }

  private Set<Object> names(List<DmaFence> fs) {
    Set<Object> out = new HashSet<>();
    for (DmaFence f : fs) {
      out.add(fenceName(f));
    }
    return out;
  }

  @Override
  public void close() {
    vs.close();
  }
}
