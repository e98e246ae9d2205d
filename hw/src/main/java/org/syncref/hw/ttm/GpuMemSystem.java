package org.syncref.hw.ttm;

import java.util.ArrayList;
import java.util.List;

import org.syncref.fence.FenceModule;
import org.syncref.hw.Engine;
import org.syncref.hw.Job;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.kernel.Kernel;
import org.syncref.sched.RealSched;

/**
 * A small GPU memory system, the Java counterpart of spec/GpuMem/GpuMem.tla's world: a gfx and a
 * compute engine (one user entity each) and a copy engine (the TTM entity), each with its
 * scheduler, and a TTM device of a few VRAM and SYSTEM ranges. Nothing runs by itself: every
 * step is a call, and {@link #enabledSteps} lists the steps possible now, so that a test or a
 * checker can choose each one (TLA+ {@code GpuNext}'s disjuncts, a CPU operation being one step
 * here where the spec splits it into its kernel calls).
 */
public final class GpuMemSystem {
  /** The kernel (its WARNs, its injected bugs). */
  public final Kernel k;
  /** The driver of the engines' hardware fences. */
  public final FenceModule amdgpu = new FenceModule("amdgpu");
  /** The driver of the scheduler fences. */
  public final FenceModule gpuSched = new FenceModule("gpu_sched");
  /** The engines: graphics, compute, copy (SDMA). */
  public final Engine gfxRing;
  /** The compute engine. */
  public final Engine compRing;
  /** The copy engine, TTM's moves. */
  public final Engine sdmaRing;
  /** The schedulers in front of the engines. */
  public final DrmGpuScheduler gfx;
  /** The compute scheduler. */
  public final DrmGpuScheduler comp;
  /** The copy scheduler. */
  public final DrmGpuScheduler sdma;
  /** The user entities: one process on gfx, one on compute (TLA+ UserEngines). */
  public final DrmSchedEntity gfxUser;
  /** The compute user entity. */
  public final DrmSchedEntity compUser;
  /** The TTM device (its copy entity is on sdma0). */
  public final TtmDevice dev;
  private final List<TtmBufferObject> objects = new ArrayList<>();
  private int jobs;

  /** One possible step: its name (the TLA+ action and arguments it stands for) and its effect. */
  public record Step(String name, Runnable effect) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A system of {@code vram} VRAM and {@code system} SYSTEM ranges whose kernel has {@code bugs}. */
  public GpuMemSystem(int vram, int system, HwBug... bugs) {
    this(new GenericPolicy(), vram, system, bugs);
  }

  /** As {@link #GpuMemSystem(int, int, HwBug...)}, with the driver's {@code policy}. */
  public GpuMemSystem(DriverPolicy policy, int vram, int system, HwBug... bugs) {
    k = new Kernel(new RealSched());
    HwBug.inject(k, bugs);
    gfxRing = engine("gfx");
    compRing = engine("comp");
    sdmaRing = engine("sdma0");
    gfx = new DrmGpuScheduler(k, gfxRing, "gfx", gpuSched);
    comp = new DrmGpuScheduler(k, compRing, "comp", gpuSched);
    sdma = new DrmGpuScheduler(k, sdmaRing, "sdma0", gpuSched);
    gfxUser = new DrmSchedEntity(gfx, "gfx-user");
    compUser = new DrmSchedEntity(comp, "comp-user");
    dev = new TtmDevice(k, new DrmSchedEntity(sdma, "ttm"), vram, system, policy);
  }

  /**
   * An engine with a ring of 8; with {@link HwBug#UNORDERED_ENGINE} one that completes the
   * newest pending job first ({@link Engine#nextToComplete}).
   */
  private Engine engine(String name) {
    if (!HwBug.UNORDERED_ENGINE.in(k)) {
      return new Engine(k, amdgpu, name, 8);
    }
    return new Engine(k, amdgpu, name, 8) {
      @Override
      protected int nextToComplete(List<Job> ring) {
        return ring.size() - 1;
      }
    };
  }

  /** The schedulers: gfx, comp, sdma0. */
  public List<DrmGpuScheduler> schedulers() {
    return List.of(gfx, comp, sdma);
  }

  /** The engines, in the schedulers' order. */
  public List<Engine> engines() {
    return List.of(gfxRing, compRing, sdmaRing);
  }

  /** A new object placed in {@code where} (its first validate); it joins {@link #objects()}. */
  public TtmBufferObject bo(String name, TtmMemType where) {
    TtmBufferObject bo = dev.createBo(name);
    int ret = dev.moveTo(bo, where);
    if (ret != 0) {
      throw new IllegalStateException("placing " + name + ": " + ret);
    }
    objects.add(bo);
    return bo;
  }

  /** {@link ExecSubmit#submit}, which must succeed. */
  public DrmSchedJob submit(DrmSchedEntity e, String name, SubmitMode mode, TtmBufferObject... bos) {
    DrmSchedJob j = ExecSubmit.submit(dev, e, name, mode, bos);
    if (j == null) {
      throw new IllegalStateException("submit " + name + " failed");
    }
    return j;
  }

  /** Runs one job of {@code s} on its engine: run_job, then the engine's step. */
  public void runAndComplete(DrmGpuScheduler s) {
    if (s.runJobWork() == null) {
      throw new IllegalStateException(s + " has no runnable job");
    }
    s.engine().executeNext();
  }

  /**
   * Steps everything until nothing moves: each scheduler's run_job work, each engine, the
   * delayed delete; in that fixed order.
   *
   * @return how many steps were taken
   */
  public int drain() {
    int n = 0;
    boolean progress = true;
    while (progress) {
      progress = false;
      for (DrmGpuScheduler s : schedulers()) {
        while (s.runJobWork() != null) {
          n++;
          progress = true;
        }
      }
      for (Engine e : engines()) {
        while (e.executeNext()) {
          n++;
          progress = true;
        }
      }
      while (dev.delayedDeleteStep()) {
        n++;
        progress = true;
      }
    }
    return n;
  }

  /** The failed checks so far. */
  public List<GpuMemHistory.Violation> violations() {
    return dev.history().violations();
  }

  /** The history's events and the violations, for failure messages. */
  public String log() {
    return String.join("\n", new ArrayList<>(dev.history().events())) + "\nviolations: " + violations();
  }

  /** The objects made with {@link #bo}. */
  public List<TtmBufferObject> objects() {
    return List.copyOf(objects);
  }

  private int armedJobs() {
    int n = 0;
    for (DrmGpuScheduler s : schedulers()) {
      n += s.armedJobs().size();
    }
    return n;
  }

  /**
   * The steps possible now: with fewer than {@code maxJobs} jobs armed, a single-object
   * submission of each user entity, mode of the driver ({@link DriverPolicy#modes}) and placed object (TLA+ {@code SubmitBegin} ...
   * {@code SubmitUnlock}), a two-object writer of each entity and pair (drm_exec locks both;
   * beyond the spec, whose submissions name one object) and a move of each object to the other memory type (a validation:
   * {@code MoveInBegin} ... {@code MoveInUnlock}, with {@code EvictBegin} ... {@code
   * EvictUnlock} for the eviction it needs; it may fail with -ENOSPC); then a run_job of each
   * runnable entity and a completion of each busy engine (together TLA+ {@code RunJob}), the
   * delayed delete of each idle ghost ({@code GhostFree}) and, if {@code timeouts}, a timeout of
   * each scheduler with pending jobs ({@link org.syncref.hw.sched.DrmGpuScheduler#timedOut}; TLA+
   * {@code GpuResetNext} has a reset, {@code ResetStop} ... {@code ResetSignal}, only after
   * {@code HangJob}: a timeout of an engine that has not hung has no spec step, so simulate's
   * spec-checked workloads hang the engine first, see org.syncref.simulate.Simulation).
   */
  public List<Step> enabledSteps(int maxJobs, boolean timeouts) {
    List<Step> out = new ArrayList<>();
    if (armedJobs() < maxJobs) {
      for (DrmSchedEntity e : List.of(gfxUser, compUser)) {
        for (SubmitMode m : dev.policy().modes()) {
          for (TtmBufferObject bo : objects) {
            if (bo.resource() != null) {
              out.add(new Step("Submit(" + e.name() + ", " + bo.name() + ", " + m + ")",
                  () -> submit(e, "j" + ++jobs, m, bo)));
            }
          }
        }
      }
      for (DrmSchedEntity e : List.of(gfxUser, compUser)) {
        for (int i = 0; i < objects.size(); i++) {
          for (int j = i + 1; j < objects.size(); j++) {
            TtmBufferObject a = objects.get(i);
            TtmBufferObject b = objects.get(j);
            if (a.resource() != null && b.resource() != null) {
              SubmitMode w = dev.policy().writer();
              out.add(new Step("Submit(" + e.name() + ", " + a.name() + "+" + b.name() + ", " + w + ")",
                  () -> submit(e, "j" + ++jobs, w, a, b)));
            }
          }
        }
      }
      for (TtmBufferObject bo : objects) {
        for (TtmMemType t : TtmMemType.values()) {
          if (bo.resource() != null && bo.resource().range().memType() != t) {
            out.add(new Step("Move(" + bo.name() + ", " + t + ")", () -> dev.moveTo(bo, t)));
          }
        }
      }
    }
    for (DrmGpuScheduler s : schedulers()) {
      for (DrmSchedEntity e : s.runnableEntities()) {
        out.add(new Step("RunJob(" + e.name() + ")", () -> s.runJob(e)));
      }
    }
    for (Engine e : engines()) {
      if (!e.pending().isEmpty()) {
        out.add(new Step("Complete(" + e.name() + ")", e::executeNext));
      }
    }
    for (TtmBufferObject g : dev.idleGhosts()) {
      out.add(new Step("GhostFree(" + g.name() + ")", () -> dev.delayedDelete(g)));
    }
    if (timeouts) {
      for (DrmGpuScheduler s : schedulers()) {
        if (!s.pending().isEmpty()) {
          out.add(new Step("Timeout(" + s.name() + ")", s::timedOut));
        }
      }
    }
    return out;
  }
}
