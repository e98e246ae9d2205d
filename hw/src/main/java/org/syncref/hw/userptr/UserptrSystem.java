package org.syncref.hw.userptr;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.syncref.fence.FenceModule;
import org.syncref.hw.Engine;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.SubmitMode;
import org.syncref.kernel.Kernel;
import org.syncref.sched.RealSched;

/**
 * The Java counterpart of spec/GpuMem/GpuMemUserptr.tla (slice 4): one userptr with its MMU
 * interval notifier, an exec thread that submits jobs using it ({@link UserptrExec}), the core
 * mm invalidating its range ({@link MmuInvalidation}), and a gfx engine with its scheduler. The
 * threads step one kernel call at a time; {@link #enabledSteps} lists what can step now (a step
 * that would sleep is not enabled) so that a seeded walk interleaves them ({@link #walk}).
 *
 * <p>Check MEM-USERPTR-NOTIFIER (spec/GpuMem/README.md, TLA+ {@code UserptrNoStaleAccess}):
 * when a job runs on the engine, the pages it was given must not be pages whose invalidation
 * callback has returned ("When this invalidation notifier returns, the GPU can no longer be
 * accessing the old pages of the userptr gpu_vma", drm-vm-bind-locking.rst). The spec checks
 * the tenure after the core mm's unmap, which may come at any time after the callback returned;
 * the check here is taken at the return, which the unmap may follow at once. A failed check is
 * recorded as a violation, not thrown.
 */
public final class UserptrSystem {
  /** A failed check. */
  public record Violation(String rule, String message) {
    @Override
    public String toString() {
      return "[" + rule + "] " + message;
    }
  }

  /** One possible step: its name (the TLA+ action) and its effect. */
  public record Step(String name, Runnable effect) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The kernel. */
  public final Kernel k;
  /** The engine's fence driver and the scheduler's. */
  public final FenceModule hwFences = new FenceModule("xe");
  public final FenceModule schedFences = new FenceModule("gpu_sched");
  /** The engine, its scheduler and the exec's entity (TLA+ {@code ExecEngine}). */
  public final Engine ring;
  public final DrmGpuScheduler sched;
  public final DrmSchedEntity entity;
  /** The mm, the notifier lock, the userptr, and the invalidation. */
  public final MmuNotifierSubscriptions mm = new MmuNotifierSubscriptions();
  public final NotifierLock notifierLock;
  public final UserptrBo bo;
  public final MmuInvalidation inval;
  private final SubmitMode mode;
  private final int maxExecs;
  private final int maxInval;
  private final List<UserptrExec> execs = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final List<Access> accessList = new ArrayList<>();

  /** A job's access to the userptr's pages of a tenure (TLA+ {@code Access}). */
  public record Access(DrmSchedJob job, long tenure) {
  }

  /**
   * A system whose exec submits in {@code mode} (EXPLICIT: xe; WRITE: amdgpu's CS, as the spec's
   * "write"), whose invalidation waits inside its write section if {@code waitUnderLock} (6.12's
   * xe and amdgpu) or after it (drm-vm-bind-locking.rst, the spec), with at most {@code
   * maxExecs} execs and {@code maxInval} invalidations (the spec's Fences and MaxInval), and
   * {@code bugs}.
   */
  public UserptrSystem(SubmitMode mode, boolean waitUnderLock, int maxExecs, int maxInval, HwBug... bugs) {
    if (mode != SubmitMode.EXPLICIT && mode != SubmitMode.WRITE) {
      throw new IllegalArgumentException("the userptr exec is xe's (EXPLICIT) or amdgpu's CS (WRITE), not " + mode);
    }
    k = new Kernel(new RealSched());
    HwBug.inject(k, bugs);
    ring = new Engine(k, hwFences, "gfx", 8);
    sched = new DrmGpuScheduler(k, ring, "gfx", schedFences);
    entity = new DrmSchedEntity(sched, "exec");
    notifierLock = new NotifierLock(k, mode == SubmitMode.EXPLICIT ? "vm->userptr.notifier_lock" : "adev->notifier_lock");
    bo = new UserptrBo(k, "userptr", mm);
    inval = new MmuInvalidation(k, mm, bo, notifierLock, waitUnderLock);
    this.mode = mode;
    this.maxExecs = maxExecs;
    this.maxInval = maxInval;
  }

  /** xe 6.12: explicit-sync jobs, the wait inside the notifier lock's write section. */
  public static UserptrSystem xe(int maxExecs, int maxInval, HwBug... bugs) {
    return new UserptrSystem(SubmitMode.EXPLICIT, true, maxExecs, maxInval, bugs);
  }

  /** amdgpu 6.12: WRITE jobs, the wait inside adev-&gt;notifier_lock. */
  public static UserptrSystem amdgpu(int maxExecs, int maxInval, HwBug... bugs) {
    return new UserptrSystem(SubmitMode.WRITE, true, maxExecs, maxInval, bugs);
  }

  /** drm-vm-bind-locking.rst and the spec's GpuMemUserptr: explicit jobs, the wait after up_write. */
  public static UserptrSystem documented(int maxExecs, int maxInval, HwBug... bugs) {
    return new UserptrSystem(SubmitMode.EXPLICIT, false, maxExecs, maxInval, bugs);
  }

  /** The exec's job was armed with the pages of {@code tenure}: the check runs when it executes. */
  void armed(DrmSchedJob job, long tenure) {
    binds.put(job, tenure);
    job.onHardwareRun(() -> {
      accessList.add(new Access(job, tenure));
      log.add(job.name() + " touches " + bo + "'s pages@" + tenure);
      if (tenure <= bo.releasedTenure) {
        violations.add(new Violation("MEM-USERPTR-NOTIFIER", job.name() + " touches " + bo + "'s pages of tenure "
            + tenure + " after their invalidation callback returned (pages now @" + bo.pagesTenure + ")"));
      }
    });
  }

  /** The exec's submission mode (TLA+ {@code ExecMode}). */
  public SubmitMode mode() {
    return mode;
  }

  /** The exec that has not finished, or null. */
  public UserptrExec current() {
    return execs.isEmpty() || execs.get(execs.size() - 1).done() ? null : execs.get(execs.size() - 1);
  }

  /** Every exec begun. */
  public List<UserptrExec> execs() {
    return List.copyOf(execs);
  }

  /**
   * The steps possible now: the exec thread's next kernel call (a new exec, beginning with
   * read_begin, if none runs and fewer than {@code maxExecs} were made), the invalidation's next
   * step (a new one if none runs and fewer than {@code maxInval} were made), run_job and the
   * engine's completion (together TLA+ {@code RunJob}).
   */
  public List<Step> enabledSteps() {
    List<Step> out = new ArrayList<>();
    UserptrExec x = current();
    if (x != null) {
      if (x.canStep()) {
        out.add(new Step(x.nextName(), x::step));
      }
    } else if (execs.size() < maxExecs && !bo.notifier().readBeginWouldWait()) {
      out.add(new Step("UReadBegin(j" + (execs.size() + 1) + ")", () -> {
        UserptrExec e = new UserptrExec(this, "j" + (execs.size() + 1), mode);
        execs.add(e);
        e.step();
      }));
    }
    if ((!inval.idle() || inval.completed() < maxInval) && inval.canStep()) {
      out.add(new Step(inval.next().action, inval::step));
    }
    for (DrmSchedEntity e : sched.runnableEntities()) {
      out.add(new Step("run_job(" + e.name() + ")", () -> sched.runJob(e)));
    }
    if (!ring.pending().isEmpty()) {
      out.add(new Step("complete(" + ring.name() + ")", ring::executeNext));
    }
    return out;
  }

  /**
   * A seeded random walk of at most {@code steps} steps, then every thread run to its end (the
   * GPU first): afterwards every exec is done, every job has run, the invalidation is over.
   *
   * @return the violations
   */
  public List<Violation> walk(long seed, int steps) {
    Random r = new Random(seed);
    for (int i = 0; i < steps; i++) {
      List<Step> en = enabledSteps();
      if (en.isEmpty()) {
        break;
      }
      Step s = en.get(r.nextInt(en.size()));
      log.add(s.name());
      s.effect().run();
    }
    drain();
    return violations();
  }

  /** Steps until nothing is enabled, the first enabled step each time (the GPU's come last). */
  public void drain() {
    for (int guard = 0; guard < 10_000; guard++) {
      List<Step> en = enabledSteps();
      if (en.isEmpty()) {
        return;
      }
      Step s = en.get(0);
      log.add(s.name());
      s.effect().run();
    }
    throw new IllegalStateException("no end after 10000 steps: " + log());
  }

  /** The failed checks. */
  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** How many accesses the jobs made to the pages so far. */
  public int accesses() {
    return accessList.size();
  }

  /** The jobs' accesses to the pages so far, in order. */
  public List<Access> accessList() {
    return List.copyOf(accessList);
  }

  /** The pages' tenure each exec's job was armed with (TLA+ {@code jobBinds}), by job. */
  public java.util.Map<DrmSchedJob, Long> binds() {
    return java.util.Collections.unmodifiableMap(binds);
  }

  private final java.util.Map<DrmSchedJob, Long> binds = new java.util.LinkedHashMap<>();

  /** The steps taken and the accesses, for failure messages. */
  public String log() {
    return String.join(", ", log) + "\nviolations: " + violations;
  }
}
