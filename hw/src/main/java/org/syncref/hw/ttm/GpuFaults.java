package org.syncref.hw.ttm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.syncref.exec.DrmExec;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceCb;
import org.syncref.hw.Engine;
import org.syncref.hw.Job;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.sched.SchedBug;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.ModuleUnloadedOops;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;
import org.syncref.sched.Sched;

/**
 * Faults injected into a {@link GpuMemSystem} workload, each as the kernel meets it, and the
 * "nothing lost" checks after the system has drained. The faults:
 * <ol>
 *   <li><b>Engine hang and reset</b>: {@link Engine#hang} (TLA+ {@code HangJob}), then the
 *       scheduler's timeout {@link DrmGpuScheduler#timedOut} (drm_sched_job_timedout →
 *       timedout_job: ResetStop, ResetSetError, ResetSignal). Expected: the hung job -ETIME, the
 *       other pending jobs -ECANCELED, queued jobs run later.</li>
 *   <li><b>Client killed</b>: {@link DrmSchedEntity#kill} (drm_sched_entity_flush of a process
 *       exiting on SIGKILL, drm_sched_entity_fini); the killed jobs' finished fences signal -ESRCH
 *       after their dependencies ({@link DrmGpuScheduler#killJobsWork}). A submission interrupted
 *       on its way ({@link #submitInterrupted}): before or while drm_exec locks, before arm, or
 *       after arm (where the kernel has no failure point: the job is pushed, then the client dies).
 *       Expected: no lock held, no fence slot reserved past its lock hold, the job's fences (if
 *       armed) signal.</li>
 *   <li><b>Driver unloaded with fences outstanding</b>: {@link #unloadDriver}. Expected: every
 *       fence of the unloaded modules signals first (queued jobs -ESRCH, jobs on the hardware
 *       -ECANCELED), so that no later use of a fence reaches the unloaded ops (their ops
 *       detached at signal: spec/DmaFence's ModuleUnload and FENCE-OPS-RCU).</li>
 *   <li><b>Allocation failure on the eviction path</b>: {@link TtmResourceManager#failNextAlloc}
 *       (ttm_resource_alloc returns -ENOSPC or -ENOMEM) and {@link TtmDevice#failNextMove} (the
 *       driver's move fails after the destination was allocated). Expected: the validation fails
 *       or finds another victim (ttm_bo_evict_cb: -ENOSPC becomes -EBUSY, the walk goes on;
 *       other errors end it), the object keeps its old resource, the destination is freed once.</li>
 * </ol>
 * The checks ({@link #nothingLost}): every armed job's scheduled and finished fences signaled,
 * the finished one with exactly the error the fault gives it (recorded when the fault happens,
 * from the state the kernel's rule reads) and no error otherwise; every CPU waiter (a thread in
 * dma_fence_wait_timeout or dma_resv_wait_timeout) returned a positive value and every callback
 * ran once; every range allocation is freed exactly once or is the resource of exactly one live
 * object; no reservation object is locked or keeps a reserved fence slot; no kernel WARN; none of
 * the GpuMem history checks failed; after an unload, no fence's ops reach the unloaded modules,
 * also when the last references to the objects (and so to their fences) are dropped.
 *
 * <p>Not modelled: ttm_bo_pipeline_gutting (an eviction whose evict_flags give no placement:
 * amdgpu_evict_flags for sg objects), the memcpy fallback of a failed blit, a flush that waits
 * for the queue to drain (a non-killed client; it is the normal steps), the kill of the TTM
 * entity outside an unload.
 */
public final class GpuFaults {
  /** How a submission is interrupted (a fatal signal, an allocation failure). */
  public enum Interrupt {
    /** drm_exec's interruptible lock of the last object returns -EINTR (DRM_EXEC_INTERRUPTIBLE_WAIT). */
    LOCKING,
    /** After the dependencies were added, before drm_sched_job_arm: drm_sched_job_cleanup. */
    BEFORE_ARM,
    /** After drm_sched_job_arm: the kernel pushes the job (no failure point), then the client dies. */
    AFTER_ARM
  }

  private final GpuMemSystem sys;
  private final Map<DrmSchedJob, Integer> expected = new LinkedHashMap<>();
  private final Map<DrmSchedJob, String> fate = new IdentityHashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Set<DmaFence> hwFences = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final List<String> earlySignals = Collections.synchronizedList(new ArrayList<>());
  private boolean unloaded;
  private int submits;

  /** A CPU waiter or a fence callback started during the workload. */
  private static final class Waiter {
    final String what;
    final Thread thread;
    final AtomicInteger runs;
    volatile long ret = Long.MIN_VALUE;

    Waiter(String what, Thread thread, AtomicInteger runs) {
      this.what = what;
      this.thread = thread;
      this.runs = runs;
    }
  }

  /** Faults for {@code sys}. */
  public GpuFaults(GpuMemSystem sys) {
    this.sys = sys;
  }

  /** The scheduler-side halves of the injected {@link HwBug}s (called by {@link HwBug#inject}). */
  static void injectSchedBugs(Kernel k, HwBug... bugs) {
    for (HwBug b : bugs) {
      switch (b) {
        case KILL_DROPS_JOBS -> SchedBug.inject(k, SchedBug.KILL_DROPS_JOBS);
        case KILL_SKIPS_DEPS -> SchedBug.inject(k, SchedBug.KILL_SKIPS_DEPS);
        case RESET_FORGETS_ERROR -> SchedBug.inject(k, SchedBug.RESET_FORGETS_ERROR);
        default -> {
        }
      }
    }
  }

  private static final Set<HwBug> FAULT_BUGS = java.util.EnumSet.of(HwBug.KILL_DROPS_JOBS, HwBug.KILL_SKIPS_DEPS,
      HwBug.RESET_FORGETS_ERROR, HwBug.ARMED_NOT_PUSHED, HwBug.MOVE_FAIL_LEAKS_DST, HwBug.MOVE_FAIL_FREES_DST_TWICE,
      HwBug.UNLOAD_LEAVES_FENCES, HwBug.INTERRUPT_SKIPS_EXEC_FINI, HwBug.GUTTING_NO_WAIT);

  /** Whether {@code b} is a bug of a fault path (only fault workloads can find it). */
  public static boolean isFaultBug(HwBug b) {
    return FAULT_BUGS.contains(b);
  }

  /** How many faults of each kind were injected (and waiters started). */
  public Map<String, Integer> counts() {
    return Collections.unmodifiableMap(counts);
  }

  private void count(String what) {
    counts.merge(what, 1, Integer::sum);
  }

  /** Whether the driver was unloaded (the workload is over). */
  public boolean unloaded() {
    return unloaded;
  }

  private void expect(DrmSchedJob j, int err, String why) {
    if (!expected.containsKey(j)) {
      expected.put(j, err);
      fate.put(j, why);
      count("jobs " + why);
    }
  }

  private void notePending() {
    for (DrmGpuScheduler s : sys.schedulers()) {
      for (DrmSchedJob j : s.pending()) {
        if (j.sFence().parent() != null) {
          hwFences.add(j.sFence().parent());
        }
      }
    }
  }

  private List<DrmSchedEntity> users() {
    return List.of(sys.gfxUser, sys.compUser);
  }

  // ---------------------------------------------------------------------------------------
  // The faults

  /** Fault 1, first half: {@code e} hangs on its oldest job. */
  public void hang(Engine e) {
    notePending();
    if (e.hang() != null) {
      count("hangs");
    }
  }

  /**
   * Fault 1, second half: the timeout of {@code s}, whose engine hung. Expected errors, from the
   * state the rule reads: the first pending job -ETIME if the engine hung on it, else -ECANCELED;
   * every other pending job -ECANCELED (spec ResetSetError).
   */
  public void timeout(DrmGpuScheduler s) {
    notePending();
    List<DrmSchedJob> pend = s.pending();
    Job hung = s.engine().hungJob();
    for (int i = 0; i < pend.size(); i++) {
      DrmSchedJob j = pend.get(i);
      boolean isHung = i == 0 && hung != null && hung.fence() == j.sFence().parent();
      expect(j, isHung ? -Errno.ETIME : -Errno.ECANCELED, isHung ? "hung, reset" : "pending at a reset");
    }
    s.timedOut();
    count("resets");
  }

  /**
   * A killed job: expected -ESRCH, and a callback on its finished fence that checks, when it
   * signals, that every dependency has signaled (a scheduled-fence dependency: its finished fence,
   * as drm_sched_entity_kill_jobs_work waits for it).
   */
  private void killing(DrmSchedJob j, String why) {
    expect(j, -DrmSchedEntity.ESRCH, why);
    List<DmaFence> deps = new ArrayList<>();
    for (DmaFence d : j.dependencies()) {
      org.syncref.hw.sched.DrmSchedFence sf = org.syncref.hw.sched.DrmSchedFence.of(d);
      deps.add(sf != null && d == sf.scheduled() ? sf.finished() : d);
    }
    j.finished().addCallback(new DmaFenceCb(), (f, cb) -> {
      for (DmaFence d : deps) {
        if (!d.isSignaledFlag()) {
          earlySignals.add("killed job signaled before its dependency: " + j + " before " + d);
        }
      }
    });
  }

  /** Fault 2: the client of {@code e} is killed (drm_sched_entity_flush on SIGKILL → kill). */
  public void kill(DrmSchedEntity e) {
    for (DrmSchedJob j : e.queued()) {
      killing(j, "queued at a kill");
    }
    e.kill();
    count("kills");
  }

  /**
   * Fault 2: a submission of {@code bos} on {@code e} interrupted at {@code at}, as {@link
   * ExecSubmit#submit} is built (etnaviv_ioctl_gem_submit with drm_exec). {@link Interrupt#AFTER_ARM}
   * finishes the submission (the kernel has no failure point after drm_sched_job_arm) and then
   * kills the client; with {@link HwBug#ARMED_NOT_PUSHED} it returns after arm instead.
   *
   * @return the job, if one was armed
   */
  public DrmSchedJob submitInterrupted(DrmSchedEntity e, SubmitMode mode, Interrupt at, TtmBufferObject... bos) {
    TtmDevice dev = sys.dev;
    String name = "x" + ++submits;
    count("interrupted submits (" + at + ")");
    DrmExec exec = DrmExec.init(dev.kernel(), DrmExec.INTERRUPTIBLE_WAIT, bos.length);
    DrmSchedJob armed = null;
    boolean interrupted = true;
    try {
      int[] err = new int[1];
      exec.untilAllLocked(x -> {
        for (int i = 0; i < bos.length; i++) {
          if (at == Interrupt.LOCKING && i == bos.length - 1) {
            err[0] = -Errno.EINTR; // dma_resv_lock_interruptible: a fatal signal is pending
            return false;
          }
          int ret = x.prepareObj(bos[i].base(), 1);
          x.retryOnContention();
          if (ret != 0) {
            err[0] = ret;
            return false;
          }
        }
        return true;
      });
      if (err[0] != 0) {
        return null; // goto err: drm_exec_fini
      }
      DrmSchedJob job = DrmSchedJob.init(e, name);
      List<GpuMemHistory.Bind> binds = new ArrayList<>();
      List<DmaFence> pendingKernel = new ArrayList<>();
      for (TtmBufferObject bo : bos) {
        job.addResvDependencies(bo.resv(), ExecSubmit.query(dev, mode));
        binds.add(new GpuMemHistory.Bind(bo, bo.resource().range(), bo.resource().tenure()));
        pendingKernel.addAll(TtmDevice.pendingKernel(bo.resv()));
      }
      if (at == Interrupt.BEFORE_ARM) {
        job.cleanup(); // aborted job before arming
        return null;
      }
      job.arm();
      armed = job;
      dev.history().jobArmed("SubmitArm", job, mode.name().toLowerCase(java.util.Locale.ROOT), binds, pendingKernel);
      for (TtmBufferObject bo : bos) {
        bo.resv().addFence(job.finished(), mode.usage());
        dev.moveToLruTail(bo);
      }
      if (HwBug.ARMED_NOT_PUSHED.in(dev.kernel())) {
        job.cleanup(); // mutant: bails out after arm, its fence already published
        return job;
      }
      e.pushJob(job);
      interrupted = false;
      return job;
    } finally {
      if (!(interrupted && HwBug.INTERRUPT_SKIPS_EXEC_FINI.in(dev.kernel()))) {
        exec.fini();
      }
      if (armed != null) {
        kill(e); // the client dies once the ioctl returns
      }
    }
  }

  /**
   * Fault 4: the next ttm_resource_alloc from {@code t}'s manager fails with {@code err}, during a
   * validation of {@code bo} into {@code dst} (when {@code t} is SYSTEM and VRAM is full, inside
   * the eviction: ttm_bo_evict → ttm_bo_mem_space). The failure is disarmed after the step if
   * nothing consumed it.
   *
   * @return the validation's result
   */
  public int allocFailure(TtmBufferObject bo, TtmMemType dst, TtmMemType t, int err) {
    TtmResourceManager man = sys.dev.manager(t);
    man.failNextAlloc(err);
    int ret = sys.dev.moveTo(bo, dst);
    count(man.allocFailureArmed() ? "alloc failures armed, not reached" : "alloc failures (" + t + ", " + err + ")");
    man.failNextAlloc(0);
    return ret;
  }

  /** Fault 4: the driver's next move fails with {@code err}, during a validation of {@code bo} into {@code dst}. */
  public int moveFailure(TtmBufferObject bo, TtmMemType dst, int err) {
    sys.dev.failNextMove(err);
    int ret = sys.dev.moveTo(bo, dst);
    count(sys.dev.moveFailureArmed() ? "move failures armed, not reached" : "move failures");
    sys.dev.failNextMove(0);
    return ret;
  }

  /** A CPU thread waits for {@code f} (dma_fence_wait_timeout, uninterruptible, no timeout). */
  public void waitFence(DmaFence f, String what) {
    DmaFence ref = f.get();
    Waiter[] w = new Waiter[1];
    Thread t = new Thread(() -> {
      try {
        w[0].ret = ref.waitTimeout(false, Sched.MAX_SCHEDULE_TIMEOUT);
      } finally {
        ref.put();
      }
    }, "waiter-" + what);
    w[0] = new Waiter("dma_fence_wait(" + what + ")", t, null);
    t.setDaemon(true);
    waiters.add(w[0]);
    count("CPU waits");
    t.start();
  }

  /** A CPU thread waits for every fence of {@code bo} (dma_resv_wait_timeout, BOOKKEEP). */
  public void waitResv(TtmBufferObject bo) {
    DmaResv resv = bo.resv();
    Waiter[] w = new Waiter[1];
    Thread t = new Thread(() -> w[0].ret = resv.waitTimeout(DmaResvUsage.BOOKKEEP, false, Sched.MAX_SCHEDULE_TIMEOUT),
        "waiter-" + bo.name());
    w[0] = new Waiter("dma_resv_wait_timeout(" + bo.name() + ")", t, null);
    t.setDaemon(true);
    waiters.add(w[0]);
    count("CPU waits");
    t.start();
  }

  /** A callback on {@code f} (dma_fence_add_callback); -ENOENT (already signaled) counts as run. */
  public void callback(DmaFence f, String what) {
    AtomicInteger runs = new AtomicInteger();
    Waiter w = new Waiter("callback(" + what + ")", null, runs);
    if (f.addCallback(new DmaFenceCb(), (fence, cb) -> runs.incrementAndGet()) != 0) {
      runs.incrementAndGet();
    }
    waiters.add(w);
    count("callbacks");
  }

  /**
   * Fault 3: the driver is unbound and its modules unloaded with fences outstanding, after the
   * device is gone (hot unplug). The sequence:
   * <ol>
   *   <li>every entity's drm_sched_entity_fini: drm_sched_entity_kill, its queued jobs -ESRCH
   *       once their dependencies signal (the clients' files were closed by a killed process;
   *       the TTM entity's is amdgpu_ttm_set_buffer_funcs_status(adev, false));</li>
   *   <li>amdgpu_fence_driver_hw_fini (amdgpu_fence.c, 6.12.118), per ring:
   *       <pre>
   *   /* You can't wait for HW to signal if it's gone *&#47;
   *   if (!drm_dev_is_unplugged(adev_to_drm(adev)))
   *           r = amdgpu_fence_wait_empty(ring);
   *   else
   *           r = -ENODEV;
   *   /* no need to trigger GPU reset as we are unloading *&#47;
   *   if (r)
   *           amdgpu_fence_driver_force_completion(ring, NULL);
   *       </pre>
   *       force completion: -ECANCELED on every unsignaled fence of the ring, which is then
   *       processed (signaled); the scheduler's drm_sched_job_done_cb gives the finished fences
   *       the same error;</li>
   *   <li>the kill works run (their dependencies have all signaled now);</li>
   *   <li>drm_sched_fini of every scheduler (amdgpu_fence_driver_sw_fini; mainline's cancel_job
   *       finds nothing left);</li>
   *   <li>the delayed delete of idle ghosts (ttm_device_fini flushes bdev-&gt;wq);</li>
   *   <li>the modules unload, amdgpu first (gpu_sched is used by it).</li>
   * </ol>
   * Difference: amdgpu_device_fini_hw (6.12.118) runs amdgpu_fence_driver_hw_fini before
   * amdgpu_ttm_set_buffer_funcs_status(adev, false) destroys the TTM entities (a flush that waits
   * for their queues, then fini); here every entity is killed first, so that no copy reaches a
   * ring after its force completion (in amdgpu such a copy would be handed to a ring whose
   * fences nobody processes any more: not modelled). Mutant {@link HwBug#UNLOAD_LEAVES_FENCES}:
   * steps 2 and 4 are skipped.
   *
   * <p>Module lifetime: the fences here use names-only ops ({@code DmaFenceOps.names}), which
   * detach at signal (spec/DmaFence ModuleUnload, FENCE-OPS-RCU), so a signaled fence may outlive
   * both modules. In 6.12.118 drm_sched_fence_ops_scheduled / _finished implement {@code
   * .release} (and the finished one {@code .set_deadline}): under that rule they stay attached,
   * and gpu_sched may only unload once every scheduler fence is freed (sched_fence.c
   * drm_sched_fence_slab_fini: {@code rcu_barrier(); kmem_cache_destroy(sched_fence_slab);}).
   * Whether mainline's module-lifetime series converts the scheduler fences was not checked (the
   * search tools' torvalds/linux sched_fence.c is an old snapshot).
   */
  public void unloadDriver() {
    notePending();
    count("unloads");
    List<DrmSchedEntity> all = new ArrayList<>(users());
    all.add(sys.dev.copyEntity());
    for (DrmSchedEntity e : all) {
      for (DrmSchedJob j : e.queued()) {
        killing(j, "queued at unload");
      }
      e.fini();
    }
    boolean bug = HwBug.UNLOAD_LEAVES_FENCES.in(sys.k);
    if (!bug) {
      for (DrmGpuScheduler s : sys.schedulers()) {
        for (DrmSchedJob j : s.pending()) {
          expect(j, -Errno.ECANCELED, "on the hardware at unload");
        }
        s.engine().hangAndReset(-Errno.ECANCELED); // amdgpu_fence_driver_force_completion
      }
    }
    runKillWork();
    if (!bug) {
      for (DrmGpuScheduler s : sys.schedulers()) {
        s.fini();
      }
    }
    while (sys.dev.delayedDeleteStep()) {
      // ttm_device_fini: flush_workqueue(bdev->wq)
    }
    sys.amdgpu.unload();
    sys.gpuSched.unload();
    unloaded = true;
  }

  /** Runs queued kill works until none is left (one may queue another's). */
  private boolean runKillWork() {
    boolean any = false;
    boolean progress = true;
    while (progress) {
      progress = false;
      for (DrmGpuScheduler s : sys.schedulers()) {
        while (s.killJobsWork()) {
          any = progress = true;
        }
      }
    }
    return any;
  }

  // ---------------------------------------------------------------------------------------
  // Steps

  /**
   * The steps possible now: {@link GpuMemSystem#enabledSteps} without the killed clients'
   * submissions and without completions of hung engines, then the faults: a hang of each busy
   * engine, a timeout of each hung one, a kill of each live client, an interrupted submission of
   * each live client, point and placed object, an allocation failure of each manager and error
   * and a move failure for each validation, a CPU wait and a callback on the newest armed job's
   * finished fence and on each object, and the unload. Nothing after an unload.
   */
  public List<GpuMemSystem.Step> enabledSteps(int maxJobs) {
    List<GpuMemSystem.Step> out = normalSteps(maxJobs);
    out.addAll(faultSteps(maxJobs));
    return out;
  }

  /** The normal steps of {@link #enabledSteps}: {@link GpuMemSystem#enabledSteps} as filtered there. */
  public List<GpuMemSystem.Step> normalSteps(int maxJobs) {
    List<GpuMemSystem.Step> out = new ArrayList<>();
    if (unloaded) {
      return out;
    }
    notePending();
    for (GpuMemSystem.Step s : sys.enabledSteps(maxJobs, false)) {
      boolean dead = false;
      for (DrmSchedEntity e : users()) {
        dead |= e.isStopped() && s.name().startsWith("Submit(" + e.name() + ",");
      }
      for (Engine e : sys.engines()) {
        dead |= e.hungJob() != null && s.name().equals("Complete(" + e.name() + ")");
      }
      if (!dead) {
        out.add(s);
      }
    }
    if (armedJobs() < maxJobs) {
      for (TtmBufferObject bo : sys.objects()) {
        if (bo.resource() == null) { // dropped by an eviction (ttm_bo_pipeline_gutting): validate again
          for (TtmMemType t : TtmMemType.values()) {
            out.add(new GpuMemSystem.Step("Validate(" + bo.name() + ", " + t + ")", () -> sys.dev.moveTo(bo, t)));
          }
        }
      }
    }
    return out;
  }

  private int armedJobs() {
    int n = 0;
    for (DrmGpuScheduler s : sys.schedulers()) {
      n += s.armedJobs().size();
    }
    return n;
  }

  /** The fault steps of {@link #enabledSteps} (waits and callbacks included). */
  public List<GpuMemSystem.Step> faultSteps(int maxJobs) {
    List<GpuMemSystem.Step> out = new ArrayList<>();
    if (unloaded) {
      return out;
    }
    int armed = 0;
    DrmSchedJob newest = null;
    for (DrmGpuScheduler s : sys.schedulers()) {
      armed += s.armedJobs().size();
      for (DrmSchedJob j : s.armedJobs()) {
        if (!j.finished().isSignaledFlag() && !j.finished().isFreed()) {
          newest = j;
        }
      }
    }
    for (Engine e : sys.engines()) {
      if (!e.pending().isEmpty() && e.hungJob() == null) {
        out.add(new GpuMemSystem.Step("Hang(" + e.name() + ")", () -> hang(e)));
      }
    }
    for (DrmGpuScheduler s : sys.schedulers()) {
      if (s.engine().hungJob() != null) {
        out.add(new GpuMemSystem.Step("Timeout(" + s.name() + ")", () -> timeout(s)));
      }
    }
    for (DrmSchedEntity e : users()) {
      if (e.isStopped()) {
        continue;
      }
      out.add(new GpuMemSystem.Step("Kill(" + e.name() + ")", () -> kill(e)));
      if (armed < maxJobs) {
        for (Interrupt at : Interrupt.values()) {
          List<TtmBufferObject> objs = sys.objects();
          for (int i = 0; i < objs.size(); i++) {
            TtmBufferObject a = objs.get(i);
            if (a.resource() == null) {
              continue;
            }
            out.add(new GpuMemSystem.Step("Interrupted(" + e.name() + ", " + a.name() + ", " + at + ")",
                () -> submitInterrupted(e, SubmitMode.WRITE, at, a)));
            for (int j = i + 1; j < objs.size(); j++) {
              TtmBufferObject b = objs.get(j);
              if (b.resource() != null) {
                out.add(new GpuMemSystem.Step("Interrupted(" + e.name() + ", " + a.name() + "+" + b.name() + ", " + at + ")",
                    () -> submitInterrupted(e, SubmitMode.WRITE, at, a, b)));
              }
            }
          }
        }
      }
    }
    if (armed < maxJobs) {
      for (TtmBufferObject bo : sys.objects()) {
        for (TtmMemType dst : TtmMemType.values()) {
          if (bo.resource() == null || bo.resource().range().memType() == dst) {
            continue;
          }
          for (TtmMemType t : TtmMemType.values()) {
            for (int err : new int[] {-TtmDevice.ENOSPC, -Errno.ENOMEM}) {
              out.add(new GpuMemSystem.Step("AllocFail(" + bo.name() + "->" + dst + ", " + t + ", " + err + ")",
                  () -> allocFailure(bo, dst, t, err)));
            }
          }
          out.add(new GpuMemSystem.Step("MoveFail(" + bo.name() + "->" + dst + ")",
              () -> moveFailure(bo, dst, -Errno.ENOMEM)));
        }
      }
    }
    if (newest != null) {
      DrmSchedJob j = newest;
      out.add(new GpuMemSystem.Step("Wait(" + j.name() + ")", () -> waitFence(j.finished(), j.name())));
      out.add(new GpuMemSystem.Step("Callback(" + j.name() + ")", () -> callback(j.finished(), j.name())));
    }
    for (TtmBufferObject bo : sys.objects()) {
      out.add(new GpuMemSystem.Step("WaitResv(" + bo.name() + ")", () -> waitResv(bo)));
    }
    out.add(new GpuMemSystem.Step("Unload", this::unloadDriver));
    return out;
  }

  /**
   * Runs everything until nothing moves: {@link GpuMemSystem#drain}, the queued kill works, and
   * the timeout of every hung engine (the TDR fires by itself: GpuFairSpec's fairness on
   * ResetStep).
   *
   * @return how many steps were taken
   */
  public int drain() {
    int n = 0;
    boolean progress = true;
    while (progress) {
      notePending();
      int d = sys.drain();
      n += d;
      progress = d > 0;
      for (DrmGpuScheduler s : sys.schedulers()) {
        while (s.killJobsWork()) {
          n++;
          progress = true;
        }
        if (!unloaded && s.engine().hungJob() != null) {
          timeout(s);
          n++;
          progress = true;
        }
      }
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------
  // Nothing lost

  /**
   * The nothing-lost checks (see the class comment), after {@link #drain}; CPU waiters get up to
   * {@code waitMillis} to return.
   *
   * @return the failures, empty when nothing was lost
   */
  public List<String> nothingLost(long waitMillis) {
    List<String> bad = new ArrayList<>();
    // every fence signals, with the error the fault gives it
    for (DrmGpuScheduler s : sys.schedulers()) {
      for (DrmSchedJob j : s.armedJobs()) {
        DmaFence fin = j.finished();
        int want = expected.getOrDefault(j, 0);
        String why = fate.getOrDefault(j, "no fault");
        if (!fin.isSignaledFlag()) {
          bad.add("lost fence: " + j + " (" + j.state() + ", " + why + ") never signaled");
        } else if (fin.error() != want) {
          bad.add("wrong error: " + j + " (" + why + ") signaled with " + fin.error() + ", expected " + want);
        }
        if (!j.sFence().scheduled().isSignaledFlag()) {
          bad.add("lost fence: scheduled fence of " + j + " never signaled");
        }
      }
    }
    for (DmaFence f : hwFences) {
      if (!f.isSignaledFlag()) {
        bad.add("lost fence: hardware fence " + f + " never signaled");
      }
    }
    bad.addAll(earlySignals);
    // every waiter returns
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    for (Waiter w : waiters) {
      if (w.thread != null) {
        try {
          w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (w.thread.isAlive()) {
          bad.add("lost waiter: " + w.what + " never returned");
        } else if (w.ret <= 0) {
          bad.add("waiter " + w.what + " returned " + w.ret);
        }
      } else if (w.runs.get() != 1) {
        bad.add("lost waiter: " + w.what + " ran " + w.runs.get() + " times");
      }
    }
    // every range freed exactly once, or owned by exactly one live object
    Map<TtmResource, TtmBufferObject> owners = new IdentityHashMap<>();
    List<TtmBufferObject> live = new ArrayList<>(sys.objects());
    live.addAll(sys.dev.ghosts());
    for (TtmBufferObject bo : live) {
      TtmResource r = bo.resource();
      if (r != null && owners.put(r, bo) != null) {
        bad.add("range owned twice: " + r + " by " + bo + " and " + owners.get(r));
      }
    }
    for (TtmMemType t : TtmMemType.values()) {
      TtmResourceManager man = sys.dev.manager(t);
      for (TtmResource r : man.allocated()) {
        TtmBufferObject o = owners.get(r);
        if (r.frees() > 1) {
          bad.add("range freed " + r.frees() + " times: " + r);
        } else if (r.frees() == 0 && o == null) {
          bad.add("range leaked: " + r + " neither freed nor owned (manager: "
              + (man.resourceAt(r.range()) == r ? "occupied" : "not occupied") + ")");
        } else if (r.frees() == 1 && o != null) {
          bad.add("freed range still owned: " + r + " by " + o);
        } else if (r.frees() == 0 && man.resourceAt(r.range()) != r) {
          bad.add("owned range not occupied in its manager: " + r + " of " + o);
        }
      }
    }
    // no ww_mutex held, no reservation slot leaked
    for (TtmBufferObject bo : live) {
      DmaResv resv = bo.resv();
      if (resv.isLocked()) {
        bad.add("lock held: " + bo.name() + "'s dma_resv");
      }
      if (resv.maxFences() != resv.numFences()) {
        bad.add("reserved fence slot leaked: " + bo.name() + " max_fences " + resv.maxFences()
            + " num_fences " + resv.numFences());
      }
    }
    // no kernel WARN, no GpuMem check failed
    if (!sys.k.warnings().isEmpty()) {
      bad.add("kernel WARN: " + sys.k.warnings());
    }
    for (GpuMemHistory.Violation v : sys.violations()) {
      bad.add("GpuMem check: " + v);
    }
    // after an unload, nothing reaches the unloaded modules' ops
    if (unloaded) {
      List<DmaFence> fences = new ArrayList<>(hwFences);
      for (DrmGpuScheduler s : sys.schedulers()) {
        for (DrmSchedJob j : s.armedJobs()) {
          fences.add(j.finished());
          fences.add(j.sFence().scheduled());
        }
      }
      for (DmaFence f : fences) {
        if (f.isFreed()) {
          continue; // the last reference went with the ring (an engine's fence)
        }
        try {
          f.driverName();
          f.timelineName();
        } catch (ModuleUnloadedOops e) {
          bad.add("use of an unloaded module: " + e.getMessage());
        }
      }
      for (TtmBufferObject bo : live) {
        try {
          bo.resv().testSignaled(DmaResvUsage.BOOKKEEP);
        } catch (ModuleUnloadedOops e) {
          bad.add("use of an unloaded module through " + bo.name() + ": " + e.getMessage());
        }
      }
      // the last users (an importer, a sync_file) drop the objects after the unload:
      // drm_gem_object_put → dma_resv_fini → dma_fence_put of every fence, whose release must
      // not reach the unloaded ops either
      for (TtmBufferObject bo : sys.objects()) {
        try {
          bo.base().put();
        } catch (ModuleUnloadedOops e) {
          bad.add("use of an unloaded module when " + bo.name() + " is freed: " + e.getMessage());
        }
      }
    }
    return bad;
  }
}
