package org.syncref.conformance.gpumem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.syncref.fence.DmaFence;
import org.syncref.hw.Engine;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedFence;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.DriverPolicy;
import org.syncref.hw.ttm.GenericPolicy;
import org.syncref.hw.ttm.GpuMemHistory;
import org.syncref.hw.ttm.GpuMemSystem;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.SubmitMode;
import org.syncref.hw.ttm.TtmBufferObject;
import org.syncref.hw.ttm.TtmMemType;
import org.syncref.hw.ttm.TtmRange;
import org.syncref.hw.ttm.TtmResource;
import org.syncref.hw.ttm.TtmResourceManager;

/**
 * The Java GPU memory system (hw/, {@link GpuMemSystem}) as a world of spec/GpuMem/GpuMem.tla
 * (model MCGpuMemConformance, or MCGpuMemConformanceAmdgpu / Xe / I915 for the other driver
 * policies: {@link GpuMemConformance#CONFIGS}): one VRAM range v1 and four SYSTEM ranges, b1 placed in v1, b2 in
 * s1, b3 in s2; the gfx and comp user entities and TTM's copy entity on sdma0, at most {@value
 * #JOBS_PER_ENGINE} jobs each (the model's fences g1..g4, k1..k4, c1..c4: the finished fence of
 * seqno n of an entity is the model fence n of its engine).
 *
 * <p>An operation ({@link Op}) is one Java call; the spec actions it stands for are {@link
 * Op#phases}: each phase is one CPU operation of the spec, begun by one of the phase's action
 * patterns and run to its end (op = IdleOp) by the spec's own next steps, or one GPU step.
 *
 * <p>{@link #observe} gives the Java state in the spec's variables (see {@link #OBSERVED}); the
 * rest of the spec's state (the fence and reservation objects' internals, the ww_mutex state,
 * the CPU's op) is left to the spec, checked only through what the observed variables record of
 * it (a job's dependencies are the fences its query found in the reservation object).
 */
public final class GpuMemWorld {
  /** The model's bound: fences per engine (MCGpuMemConformance: g1..g4, k1..k4, c1..c4). */
  public static final int JOBS_PER_ENGINE = 4;

  /**
   * The spec variables the world observes. Ghost objects are observed as "ghost" (the Java
   * system makes a new ghost per move, the spec reuses a finite set).
   */
  public static final List<String> OBSERVED = List.of("place", "owner", "tenure", "manFences", "jobState",
      "jobDeps", "jobBinds", "jobKernel", "jobMode", "accesses", "signaled", "error");

  /** The model's fence names in order. */
  public static final List<String> FENCES = List.of("g1", "g2", "g3", "g4", "k1", "k2", "k3", "k4",
      "c1", "c2", "c3", "c4");
  /** The model's ranges. */
  public static final List<String> RANGES = List.of("v1", "s1", "s2", "s3", "s4");

  /** An action pattern: a TLA+ action name and the arguments it is given (the others free). */
  public record Pattern(String action, Map<String, String> args) {
    static Pattern of(String action, String... kv) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        m.put(kv[i], kv[i + 1]);
      }
      return new Pattern(action, m);
    }

    @Override
    public String toString() {
      return action + args.values();
    }
  }

  /**
   * One Java operation: its name, the spec phases it stands for (each a list of alternative
   * beginnings), and the call.
   */
  public record Op(String name, List<List<Pattern>> phases, Runnable run) {
    @Override
    public String toString() {
      return name;
    }
  }

  public final GpuMemSystem sys;
  private final TtmBufferObject[] bos;
  private final DrmSchedEntity[] users;
  /** The model's fences {@link #observe} reports: {@link #FENCES}, or those given to the second constructor. */
  private final List<String> fences;
  /** The spec's name of a Java mode, where it is not the mode's own ({@link #specModes}). */
  private final Map<String, String> alias = new java.util.HashMap<>();

  public GpuMemWorld(HwBug... bugs) {
    this(new GenericPolicy(), bugs);
  }

  /** The world of a system whose driver is {@code policy} (the model's {@code Driver}). */
  public GpuMemWorld(DriverPolicy policy, HwBug... bugs) {
    sys = new GpuMemSystem(policy, 1, 4, bugs);
    bos = new TtmBufferObject[] {sys.bo("b1", TtmMemType.VRAM), sys.bo("b2", TtmMemType.SYSTEM),
        sys.bo("b3", TtmMemType.SYSTEM)};
    users = new DrmSchedEntity[] {sys.gfxUser, sys.compUser};
    fences = FENCES;
  }

  /**
   * A system made and run by someone else (syncref simulate) as a world of a model with the
   * objects {@code bos} (TLA+ BOs, named as the objects are) and the fences {@code fences} (each
   * an engine prefix g, k or c and a seqno, as {@link #fenceName} names them). Only {@link
   * #observe} and {@link #fenceName} are meant for it: {@link #enabled} keeps MCGpuMemConformance's
   * bounds.
   */
  public GpuMemWorld(GpuMemSystem sys, List<TtmBufferObject> bos, List<String> fences) {
    this.sys = sys;
    this.bos = bos.toArray(new TtmBufferObject[0]);
    this.users = new DrmSchedEntity[] {sys.gfxUser, sys.compUser};
    this.fences = List.copyOf(fences);
  }

  /**
   * Names the Java modes {@code alias} maps by other spec modes, in the operations offered and
   * in the observed {@code jobMode}: a negative control that checks one driver's runs against
   * another driver's nearest reading (e.g. amdgpu's "amdgpu" as the generic "write").
   */
  public GpuMemWorld specModes(Map<String, String> alias) {
    this.alias.putAll(alias);
    return this;
  }

  private String specMode(String javaMode) {
    return alias.getOrDefault(javaMode, javaMode);
  }

  /** The model's engine of an entity's scheduler. */
  private String engineOf(DrmSchedEntity e) {
    DrmGpuScheduler s = e.sched();
    return s == sys.gfx ? "gfx" : s == sys.comp ? "comp" : "copy";
  }

  private static String prefix(String engine) {
    return switch (engine) {
      case "gfx" -> "g";
      case "comp" -> "k";
      default -> "c";
    };
  }

  /** The model fence of a finished fence: engine prefix and seqno; "?" + the fence otherwise. */
  public String fenceName(DmaFence f) {
    DrmSchedFence sf = DrmSchedFence.of(f);
    if (sf == null || sf.job().finished() != f) {
      return "?" + f;
    }
    return prefix(engineOf(sf.job().entity())) + f.seqno();
  }

  private int jobsOn(DrmSchedEntity e) {
    int n = 0;
    for (DrmSchedJob j : sys.dev.history().jobs()) {
      n += j.entity() == e ? 1 : 0;
    }
    return n;
  }

  private boolean vramFree() {
    return sys.dev.manager(TtmMemType.VRAM).hasFree();
  }

  private int freeSystem() {
    TtmResourceManager m = sys.dev.manager(TtmMemType.SYSTEM);
    int n = 0;
    for (TtmRange r : m.ranges()) {
      n += m.resourceAt(r) == null ? 1 : 0;
    }
    return n;
  }

  /**
   * The operations possible now, within the model's bounds: single-object submissions of each
   * user entity and mode; an eviction of the VRAM object (lock, ttm_bo_evict, unlock: spec
   * EvictBegin ... EvictUnlock); a move of a SYSTEM object into VRAM (ttm_bo_validate, with the
   * eviction it needs: EvictBegin ... EvictUnlock, then MoveInBegin ... MoveInUnlock); run_job
   * of each runnable entity (no spec step: the spec's RunJob is the completion); the completion
   * of each busy engine (RunJob(f)); the delayed delete of each idle ghost (GhostFree).
   */
  public List<Op> enabled() {
    List<Op> out = new ArrayList<>();
    for (DrmSchedEntity e : users) {
      if (jobsOn(e) >= JOBS_PER_ENGINE) {
        continue;
      }
      for (SubmitMode m : sys.dev.policy().modes()) {
        String mode = specMode(m.specName());
        for (TtmBufferObject bo : bos) {
          if (bo.resource() != null) {
            out.add(new Op("Submit(" + engineOf(e) + ", " + bo.name() + ", " + mode + ")",
                List.of(List.of(Pattern.of("SubmitBegin", "e", engineOf(e), "o", bo.name(), "m", "\"" + mode + "\""))),
                () -> sys.submit(e, "j", m, bo)));
          }
        }
      }
    }
    int copies = jobsOn(sys.dev.copyEntity());
    for (TtmBufferObject bo : bos) {
      TtmResource r = bo.resource();
      if (r == null) {
        continue;
      }
      if (r.range().memType() == TtmMemType.VRAM && copies < JOBS_PER_ENGINE && freeSystem() > 0) {
        out.add(new Op("Evict(" + bo.name() + ")", List.of(List.of(Pattern.of("EvictBegin", "b", bo.name()))),
            () -> evict(bo)));
      }
      if (r.range().memType() == TtmMemType.SYSTEM && sys.dev.ghosts().size() < 4) {
        List<Pattern> moveIn = List.of(Pattern.of("MoveInBegin", "o", bo.name()));
        if (vramFree() && copies < JOBS_PER_ENGINE) {
          out.add(new Op("MoveIn(" + bo.name() + ")", List.of(moveIn), () -> moveIn(bo)));
        } else if (!vramFree() && copies + 1 < JOBS_PER_ENGINE && freeSystem() > 0) {
          out.add(new Op("MoveIn(" + bo.name() + ") evicting",
              List.of(List.of(Pattern.of("EvictBegin")), moveIn), () -> moveIn(bo)));
        }
      }
    }
    for (DrmGpuScheduler s : sys.schedulers()) {
      for (DrmSchedEntity e : s.runnableEntities()) {
        out.add(new Op("run_job(" + e.name() + ")", List.of(), () -> s.runJob(e)));
      }
    }
    for (Engine e : sys.engines()) {
      if (!e.pending().isEmpty()) {
        String name = "complete(" + e.name() + ")";
        // the phase's fence is the one the completion signals: resolved by the checker (RunJob(f) of any f)
        out.add(new Op(name, List.of(List.of(Pattern.of("RunJob"))), e::executeNext));
      }
    }
    for (TtmBufferObject g : sys.dev.idleGhosts()) {
      out.add(new Op("GhostFree(" + g.name() + ", " + g.resource().range() + ")",
          List.of(List.of(Pattern.of("GhostFree", "r", g.resource().range().toString()))),
          () -> sys.dev.delayedDelete(g)));
    }
    return out;
  }

  private void evict(TtmBufferObject bo) {
    bo.resv().lock();
    try {
      int ret = sys.dev.evict(bo);
      if (ret != 0) {
        throw new IllegalStateException("ttm_bo_evict(" + bo.name() + "): " + ret);
      }
    } finally {
      bo.resv().unlock();
    }
  }

  private void moveIn(TtmBufferObject bo) {
    int ret = sys.dev.moveTo(bo, TtmMemType.VRAM);
    if (ret != 0) {
      throw new IllegalStateException("ttm_bo_validate(" + bo.name() + ", VRAM): " + ret);
    }
  }

  /** The Java state in the observed spec variables, as {@link SpecValues} renders TLA+ values. */
  public Map<String, Object> observe() {
    Map<String, Object> out = new TreeMap<>();
    Map<String, Object> place = new TreeMap<>();
    for (TtmBufferObject bo : bos) {
      place.put(bo.name(), bo.resource() == null ? "None" : bo.resource().range().toString());
    }
    out.put("place", place);
    Map<String, Object> owner = new TreeMap<>();
    Map<String, Object> tenure = new TreeMap<>();
    for (TtmMemType t : TtmMemType.values()) {
      TtmResourceManager m = sys.dev.manager(t);
      for (TtmRange r : m.ranges()) {
        TtmResource res = m.resourceAt(r);
        owner.put(r.toString(), res == null ? "None" : res.bo().isGhost() ? "ghost" : res.bo().name());
        tenure.put(r.toString(), m.tenure(r));
      }
    }
    out.put("owner", owner);
    out.put("tenure", tenure);
    Map<String, Object> man = new TreeMap<>();
    man.put("VRAM", names(sys.dev.manager(TtmMemType.VRAM).evictionFences()));
    man.put("SYSTEM", names(sys.dev.manager(TtmMemType.SYSTEM).evictionFences()));
    out.put("manFences", man);
    GpuMemHistory h = sys.dev.history();
    Map<String, DrmSchedJob> byFence = new TreeMap<>();
    for (DrmSchedJob j : h.jobs()) {
      byFence.put(fenceName(j.finished()), j);
    }
    Map<String, Object> state = new TreeMap<>();
    Map<String, Object> deps = new TreeMap<>();
    Map<String, Object> binds = new TreeMap<>();
    Map<String, Object> kernel = new TreeMap<>();
    Map<String, Object> mode = new TreeMap<>();
    Map<String, Object> signaled = new TreeMap<>();
    Map<String, Object> error = new TreeMap<>();
    for (String f : fences) {
      error.put(f, 0L);
      DrmSchedJob j = byFence.get(f);
      if (j == null) {
        state.put(f, "none");
        deps.put(f, Set.of());
        binds.put(f, Set.of());
        kernel.put(f, Set.of());
        mode.put(f, "none");
        signaled.put(f, false);
        continue;
      }
      boolean done = j.finished().isSignaled();
      // a job its engine hung on (Engine.hang: TLA+ HangJob) is "hung" until the timeout's reset
      // completes it (the reset's "stopped" is inside one Java step: DrmGpuScheduler.timedOut)
      state.put(f, done ? "done" : j.state() == DrmSchedJob.State.ARMED ? "armed" : hung(j) ? "hung" : "queued");
      error.put(f, (long) j.finished().error());
      deps.put(f, names(j.dependencies()));
      Set<Object> bs = new HashSet<>();
      for (GpuMemHistory.Bind b : h.binds(j)) {
        bs.add(Map.of("o", b.bo().name(), "r", b.range().toString(), "ten", b.tenure()));
      }
      binds.put(f, bs);
      kernel.put(f, names(h.kernelAtArm(j)));
      mode.put(f, specMode(h.mode(j)));
      signaled.put(f, done);
    }
    for (String f : byFence.keySet()) {
      if (!fences.contains(f)) {
        state.put(f, "outside the model");
      }
    }
    out.put("jobState", state);
    out.put("jobDeps", deps);
    out.put("jobBinds", binds);
    out.put("jobKernel", kernel);
    out.put("jobMode", mode);
    out.put("signaled", signaled);
    out.put("error", error);
    Set<Object> acc = new HashSet<>();
    for (GpuMemHistory.Access a : h.accesses()) {
      acc.add(Map.of("j", fenceName(a.job().finished()), "o", a.bo().name(), "r", a.range().toString(),
          "ten", a.tenure()));
    }
    out.put("accesses", acc);
    return out;
  }

  /** Whether {@code j} is the job its engine hung on ({@link org.syncref.hw.Engine#hungJob}). */
  private static boolean hung(DrmSchedJob j) {
    org.syncref.hw.Job h = j.entity().sched().engine().hungJob();
    DmaFence parent = j.sFence().parent();
    return h != null && parent != null && h.fence() == parent;
  }

  private Set<Object> names(List<DmaFence> fs) {
    Set<Object> out = new HashSet<>();
    for (DmaFence f : fs) {
      out.add(fenceName(f));
    }
    return out;
  }
}
