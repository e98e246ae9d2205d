package org.syncref.hw.sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceCb;
import org.syncref.fence.FenceModule;
import org.syncref.hw.Engine;
import org.syncref.hw.Job;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;

/**
 * A struct drm_gpu_scheduler in front of one {@link Engine}: it takes the jobs of its entities
 * whose dependencies are met, hands them to the engine (run_job) and signals each job's
 * finished fence when the engine's (hardware) fence signals.
 *
 * <p><b>Stepping.</b> The kernel runs {@code drm_sched_run_job_work} on a workqueue whenever an
 * entity is woken; here nothing runs by itself. {@link #runJobWork()} is one pass of that
 * worker (the first entity, in creation order, with a ready job), {@link #runJob} the same for a
 * chosen entity, so a test or a checker decides every interleaving; the engine's own steps are
 * {@link Engine#executeNext()}. The hardware fence's callback ({@code drm_sched_job_done_cb})
 * runs inside the engine's step, as the fence interrupt does.
 *
 * <p><b>When a job is ready.</b> drivers/gpu/drm/scheduler/sched_entity.c (6.12.118),
 * {@code drm_sched_job_dependency} hands the dependencies out one by one, and
 * {@code drm_sched_entity_add_dependency_cb} waits for each:
 * <pre>
 *   if (fence-&gt;context == entity-&gt;fence_context ||
 *       fence-&gt;context == entity-&gt;fence_context + 1) {
 *           /* Fence is a scheduled/finished fence from a job
 *            * which belongs to the same entity, we can ignore
 *            * fences from ourself *&#47;
 *   ...
 *   s_fence = to_drm_sched_fence(fence);
 *   if (!fence-&gt;error &amp;&amp; s_fence &amp;&amp; s_fence-&gt;sched == sched &amp;&amp;
 *       !test_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &amp;fence-&gt;flags)) {
 *           /* Fence is from the same scheduler, only need to wait for
 *            * it to be scheduled *&#47;
 * </pre>
 * {@link #isReady} is that, for all dependencies at once. The second rule relies on the engine
 * completing in order (FENCE-ORDER): the earlier job is on the ring ahead of this one.
 * DRM_SCHED_FENCE_DONT_PIPELINE is never set here.
 *
 * <p><b>Credits.</b> Every job has one credit; the scheduler's credit limit is the engine's ring
 * capacity (drm_sched_can_queue), so run_job never meets a full ring.
 *
 * <p>Not modelled: priorities and run queues (one FIFO over the entities), the scheduled
 * fence's callbacks beyond signaling, free_job and the free worker (a done job leaves the
 * pending list at once), job timeouts by time (a timeout is the explicit step {@link
 * #timedOut()}, drm_sched_fault), karma and guilty contexts, a push to a killed entity (the
 * kernel's "Trying to push to a killed entity" loses the job; a dead client pushes nothing), the
 * system workqueue (drm_sched_entity_kill_jobs_work waits in {@link #killJobsWork()} until
 * stepped).
 */
public final class DrmGpuScheduler {
  private final Kernel kernel;
  private final Engine engine;
  private final String name;
  private final FenceModule module;
  private final List<DrmSchedEntity> entities = new ArrayList<>();
  /** sched-&gt;pending_list: jobs handed to the hardware and not done, oldest first. */
  private final List<DrmSchedJob> pendingList = new ArrayList<>();
  /** Every job armed on this scheduler, in arm order (a debugging view). */
  private final List<DrmSchedJob> armedJobs = new ArrayList<>();
  /** The drm_sched_entity_kill_jobs_work items queued (schedule_work) and not yet run. */
  private final ArrayDeque<DrmSchedJob> killWork = new ArrayDeque<>();
  /** sched-&gt;ready: false after drm_sched_fini. */
  private boolean ready = true;
  /** entity-&gt;dependency of the entities with a callback queued on it (entity-&gt;cb). */
  private final Map<DrmSchedEntity, DmaFence> waitingOn = new LinkedHashMap<>();

  /**
   * Kernel drm_sched_init: a scheduler called {@code name} in front of {@code engine}; its
   * fences' driver is {@code module} ("gpu_sched").
   */
  public DrmGpuScheduler(Kernel kernel, Engine engine, String name, FenceModule module) {
    this.kernel = kernel;
    this.engine = engine;
    this.name = name;
    this.module = module;
  }

  /** The kernel. */
  public Kernel kernel() {
    return kernel;
  }

  /** The engine (the ring run_job writes to). */
  public Engine engine() {
    return engine;
  }

  /** sched-&gt;name, the timeline name of its fences. */
  public String name() {
    return name;
  }

  FenceModule module() {
    return module;
  }

  synchronized void addEntity(DrmSchedEntity e) {
    entities.add(e);
  }

  synchronized void armed(DrmSchedJob job) {
    armedJobs.add(job);
  }

  /** Every job armed on this scheduler's entities, in arm order. */
  public synchronized List<DrmSchedJob> armedJobs() {
    return List.copyOf(armedJobs);
  }

  /** The pending list (handed to the hardware, not done), oldest first. */
  public synchronized List<DrmSchedJob> pending() {
    return List.copyOf(pendingList);
  }

  /**
   * Whether {@code job}'s dependencies are all met, by drm_sched_entity_add_dependency_cb's rules
   * (see the class comment): a fence of the job's own entity is ignored, a fence of another job
   * of this scheduler without an error needs only that job's scheduled fence, any other fence
   * must have signaled.
   */
  public boolean isReady(DrmSchedJob job) {
    for (DmaFence f : job.dependencies()) {
      if (job.entity().ownsFence(f)) {
        continue;
      }
      DrmSchedFence sf = DrmSchedFence.of(f);
      if (f.error() == 0 && sf != null && sf.job().entity().sched() == this) {
        if (!sf.scheduled().isSignaled()) {
          return false;
        }
        continue;
      }
      if (!f.isSignaled()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The entities whose first queued job could run now (ready, and the ring has room), in
   * creation order: the choices of {@link #runJob}.
   */
  public synchronized List<DrmSchedEntity> runnableEntities() {
    List<DrmSchedEntity> out = new ArrayList<>();
    if (!ready) {
      return out; // drm_sched_fini: drm_sched_wqueue_stop
    }
    if (engine.pending().size() >= engine.capacity()) {
      return out; // drm_sched_can_queue: no credits left
    }
    for (DrmSchedEntity e : entities) {
      DrmSchedJob j = e.peek();
      if (j != null && isReady(j)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * One pass of drm_sched_run_job_work: the first runnable entity's job is run.
   *
   * @return the job, or null when no entity is runnable
   */
  public DrmSchedJob runJobWork() {
    List<DrmSchedEntity> r = runnableEntities();
    return r.isEmpty() ? null : runJob(r.get(0));
  }

  /**
   * drm_sched_run_job_work for entity {@code e}: drm_sched_entity_pop_job, then
   * (sched_main.c, 6.12.118):
   * <pre>
   *   fence = sched-&gt;ops-&gt;run_job(sched_job);
   *   complete_all(&amp;entity-&gt;entity_idle);
   *   drm_sched_fence_scheduled(s_fence, fence);
   *   if (!IS_ERR_OR_NULL(fence)) {
   *           /* Drop for original kref_init of the fence *&#47;
   *           dma_fence_put(fence);
   *           r = dma_fence_add_callback(fence, &amp;sched_job-&gt;cb,
   *                                      drm_sched_job_done_cb);
   *           if (r == -ENOENT)
   *                   drm_sched_job_done(sched_job, fence-&gt;error);
   * </pre>
   * run_job writes the job to the engine's ring ({@link Engine#submit}); the engine's fence is
   * s_fence-&gt;parent (drm_sched_fence_scheduled takes a reference for it).
   *
   * @return the job run
   * @throws IllegalStateException if {@code e} is not runnable
   */
  public DrmSchedJob runJob(DrmSchedEntity e) {
    return kernel.call("drm_sched_run_job_work", this, new Object[] {e}, () -> {
      DrmSchedJob job;
      synchronized (this) {
        if (!runnableEntities().contains(e)) {
          throw new IllegalStateException(e + " has no runnable job");
        }
        job = e.poll(); // drm_sched_entity_pop_job
        pendingList.add(job); // drm_sched_job_begin
        job.markRunning();
      }
      DmaFence hw = engine.submit(new Job(job.name()) { // sched->ops->run_job
        @Override
        protected void run() {
          job.runOnHardware();
        }
      });
      // drm_sched_fence_scheduled(s_fence, fence): parent = dma_fence_get(fence), signal scheduled
      job.sFence().setParent(hw.get());
      job.sFence().scheduled().signal();
      hw.put(); // Drop for original kref_init of the fence
      int r = hw.addCallback(job.cb, (f, cb) -> jobDone(job, f.error()));
      if (r == -Errno.ENOENT) {
        jobDone(job, hw.error());
      }
      return job;
    });
  }

  /**
   * Kernel drm_sched_job_done(s_job, result): "Finish the job's fence and wake up the worker
   * thread" (drm_sched_fence_finished). The job leaves the pending list here (the kernel's
   * free worker does it later, drm_sched_get_finished_job).
   */
  private void jobDone(DrmSchedJob job, int result) {
    synchronized (this) {
      pendingList.remove(job);
      job.markDone(result);
    }
    DmaFence parent = job.sFence().parent();
    if (parent != null) {
      job.sFence().setParent(null);
      parent.put();
    }
    job.sFence().signalFinished(result);
  }

  /**
   * A job timed out: drm_sched_fault → drm_sched_job_timedout, whose
   * sched-&gt;ops-&gt;timedout_job(job) here is the usual driver recovery: drm_sched_stop(sched,
   * bad), the engine's reset ({@link Engine#hangAndReset} with -ECANCELED), drm_sched_start.
   * drm_sched_stop (sched_main.c, 6.12.118) takes the hardware callbacks off:
   * <pre>
   *   if (s_job-&gt;s_fence-&gt;parent &amp;&amp;
   *       dma_fence_remove_callback(s_job-&gt;s_fence-&gt;parent,
   *                                 &amp;s_job-&gt;cb)) {
   *           dma_fence_put(s_job-&gt;s_fence-&gt;parent);
   *           s_job-&gt;s_fence-&gt;parent = NULL;
   * </pre>
   * and drm_sched_start completes the jobs left without a parent (mainline, after "drm/sched: add
   * optional errno to drm_sched_start()", Christian König, dri-devel, 26 Aug 2024; 6.12.118 passes
   * no errno and always uses -ECANCELED):
   * <pre>
   *   if (!fence) {
   *           drm_sched_job_done(s_job, errno ?: -ECANCELED);
   *           continue;
   *   }
   * </pre>
   * <b>Errors.</b> The bad job is the first on the pending list (drm_sched_job_timedout:
   * {@code list_first_entry_or_null(&sched->pending_list, ...)}). If the engine hung on it
   * ({@link Engine#hang}: it touched its memory), its finished fence gets -ETIME, every other
   * pending job's -ECANCELED: the spec's ResetSetError ({@code IF Touched(f) THEN -ETIME ELSE
   * -ECANCELED}), xe's guc_exec_queue_timedout_job ({@code xe_sched_job_set_error(tmp_job, !i++ ?
   * err : -ECANCELED)}, err = -ETIME) and amdgpu_job_timedout's {@code
   * dma_fence_set_error(&s_job->s_fence->finished, -ETIME)}. Difference: in amdgpu 6.12.118
   * drm_sched_start(sched) then completes the bad job with drm_sched_job_done(s_job,
   * -ECANCELED), whose dma_fence_set_error overwrites the -ETIME (6.12's dma_fence_set_error
   * assigns unconditionally), so there every pending job ends -ECANCELED; a timeout that fires
   * while the bad job has not hung (it is still on the ring) cancels it with -ECANCELED too. The
   * jobs' hardware work never runs (the hung job's ran when it hung). Jobs still queued in an
   * entity are not touched: they run after the reset. Mutant {@link
   * SchedBug#RESET_FORGETS_ERROR}: the hung job's fence signals without an error.
   *
   * @return how many pending jobs were cancelled
   */
  public int timedOut() {
    return kernel.call("drm_sched_job_timedout", this, new Object[0], () -> {
      List<DrmSchedJob> pend;
      synchronized (this) {
        pend = new ArrayList<>(pendingList);
      }
      if (pend.isEmpty()) {
        return 0;
      }
      DrmSchedJob bad = pend.get(0);
      DmaFence badHw = bad.sFence().parent();
      Job hungJob = engine.hungJob();
      boolean badHung = hungJob != null && badHw != null && hungJob.fence() == badHw;
      // the driver's timedout_job: dma_fence_set_error(&s_job->s_fence->finished, -ETIME)
      int badError = badHung && !SchedBug.RESET_FORGETS_ERROR.in(kernel) ? -Errno.ETIME : -Errno.ECANCELED;
      // drm_sched_stop: from later to earlier
      for (int i = pend.size() - 1; i >= 0; i--) {
        DrmSchedJob s = pend.get(i);
        DmaFence parent = s.sFence().parent();
        if (parent != null && parent.removeCallback(s.cb)) {
          parent.put();
          s.sFence().setParent(null);
        }
      }
      engine.hangAndReset(-Errno.ECANCELED); // the driver's hardware reset
      // drm_sched_start
      int n = 0;
      for (DrmSchedJob s : pend) {
        if (s.sFence().parent() == null) {
          int err = s == bad ? badError : -Errno.ECANCELED;
          if (s == bad && badHung && SchedBug.RESET_FORGETS_ERROR.in(kernel)) {
            err = 0; // mutant: the hung job completes as if it had succeeded
          }
          jobDone(s, err);
          n++;
        }
      }
      return n;
    });
  }

  /**
   * schedule_work(&amp;job-&gt;work) for drm_sched_entity_kill_jobs_work (queued by
   * drm_sched_entity_kill_jobs_cb).
   */
  synchronized void scheduleKillWork(DrmSchedJob job) {
    killWork.addLast(job);
  }

  /** The killed jobs whose drm_sched_entity_kill_jobs_work is queued, oldest first. */
  public synchronized List<DrmSchedJob> killWorkQueued() {
    return List.copyOf(killWork);
  }

  /**
   * Runs the oldest queued drm_sched_entity_kill_jobs_work (sched_entity.c, 6.12.118 and
   * mainline):
   * <pre>
   *   /* Wait for all dependencies to avoid data corruptions *&#47;
   *   xa_for_each(&amp;job-&gt;dependencies, index, f) {
   *           struct drm_sched_fence *s_fence = to_drm_sched_fence(f);
   *
   *           if (s_fence &amp;&amp; f == &amp;s_fence-&gt;scheduled) {
   *                   ...
   *                   f = dma_fence_get_rcu(&amp;s_fence-&gt;finished);
   *                   ...
   *                   dma_fence_put(&amp;s_fence-&gt;scheduled);
   *           }
   *
   *           xa_erase(&amp;job-&gt;dependencies, index);
   *           if (f &amp;&amp; !dma_fence_add_callback(f, &amp;job-&gt;finish_cb,
   *                                            drm_sched_entity_kill_jobs_cb))
   *                   return;
   *
   *           dma_fence_put(f);
   *   }
   *
   *   drm_sched_fence_scheduled(job-&gt;s_fence, NULL);
   *   drm_sched_fence_finished(job-&gt;s_fence, -ESRCH);
   *   WARN_ON(job-&gt;s_fence-&gt;parent);
   *   job-&gt;sched-&gt;ops-&gt;free_job(job);
   * </pre>
   * The work re-queues itself from the callback of each unsignaled dependency, so the killed
   * job's fence signals only after every dependency has (the kernel keeps the dependencies for
   * this, drm_sched_job_dependency: "We keep the fence around"). Here the dependency array is
   * left in place (it is the job's history) and an index walks it; the work takes its own
   * reference for each callback. Not a TLA+ action yet (the spec's ResetCancel is the reset's
   * counterpart: "a killed entity's job waits for them too").
   *
   * @return false when no work was queued
   */
  public boolean killJobsWork() {
    DrmSchedJob job;
    synchronized (this) {
      job = killWork.pollFirst();
    }
    if (job == null) {
      return false;
    }
    kernel.callVoid("drm_sched_entity_kill_jobs_work", job, new Object[0], () -> {
      List<DmaFence> deps = job.dependencies();
      if (SchedBug.KILL_SKIPS_DEPS.in(kernel)) {
        job.killDeps = deps.size(); // mutant: no wait
      }
      while (job.killDeps < deps.size()) {
        DmaFence f = deps.get(job.killDeps++);
        DrmSchedFence sf = DrmSchedFence.of(f);
        if (sf != null && f == sf.scheduled()) {
          f = sf.finished();
        }
        f = f.get();
        if (f.addCallback(job.finishCb, (fence, cb) -> {
          fence.put();
          scheduleKillWork(job);
        }) == 0) {
          return;
        }
        f.put();
      }
      job.sFence().scheduled().signal(); // drm_sched_fence_scheduled(s_fence, NULL)
      synchronized (this) {
        job.markDone(-DrmSchedEntity.ESRCH);
      }
      job.sFence().signalFinished(-DrmSchedEntity.ESRCH);
      kernel.warnOn(job.sFence().parent() != null, "drm_sched_entity_kill_jobs_work",
          "WARN_ON(job->s_fence->parent)", job);
    });
    return true;
  }

  /**
   * Kernel drm_sched_fini (mainline since "drm/sched: Avoid memory leaks with cancel_job()
   * callback", Philipp Stanner, dri-devel, 10 Jul 2025; in 6.15.y stable), with a driver that
   * implements cancel_job: the run-job work
   * stops (drm_sched_wqueue_stop), every entity is marked stopped ("Prevents reinsertion and
   * marks job_queue as idle"), then
   * <pre>
   *   /* Avoid memory leaks if supported by the driver. *&#47;
   *   if (sched-&gt;ops-&gt;cancel_job)
   *           drm_sched_cancel_remaining_jobs(sched);
   * </pre>
   * where the driver's cancel_job must "signal the passed job's hardware fence with an appropriate
   * error code (e.g., -ECANCELED)" (include/drm/gpu_scheduler.h): here the engine's pending
   * fences get -ECANCELED ({@link Engine#hangAndReset}) and the jobs' finished fences follow
   * through drm_sched_job_done_cb (drm_sched_cancel_remaining_jobs walks the pending list from
   * later to earlier; the engine here signals in ring order, as a driver's force completion does).
   * 6.12.118 has no cancel_job: its drm_sched_fini leaves the
   * pending list alone, and the driver must have waited for or force-completed its fences before
   * (amdgpu_fence_driver_hw_fini). Jobs still queued in an entity are the entity's
   * (drm_sched_entity_fini kills them).
   *
   * @return how many pending jobs were cancelled
   */
  public int fini() {
    return kernel.call("drm_sched_fini", this, new Object[0], () -> {
      synchronized (this) {
        ready = false;
      }
      return engine.hangAndReset(-Errno.ECANCELED);
    });
  }

  /** sched-&gt;ready. */
  public synchronized boolean ready() {
    return ready;
  }

  /**
   * The first dependency of {@code job} that is not met, by {@link #isReady}'s rules: for a
   * fence of another job of this scheduler without an error, its scheduled fence; null when the
   * job is ready.
   */
  private DmaFence firstUnmet(DrmSchedJob job) {
    for (DmaFence f : job.dependencies()) {
      if (job.entity().ownsFence(f)) {
        continue;
      }
      DrmSchedFence sf = DrmSchedFence.of(f);
      if (f.error() == 0 && sf != null && sf.job().entity().sched() == this) {
        if (!sf.scheduled().isSignaled()) {
          return sf.scheduled();
        }
        continue;
      }
      if (!f.isSignaled()) {
        return f;
      }
    }
    return null;
  }

  /**
   * The entities whose first queued job waits for a dependency and that have no callback queued
   * on it yet: the choices of {@link #addDependencyCb}.
   */
  public synchronized List<DrmSchedEntity> entitiesToWaitOn() {
    List<DrmSchedEntity> out = new ArrayList<>();
    for (DrmSchedEntity e : entities) {
      DrmSchedJob j = e.peek();
      if (j != null && !waitingOn.containsKey(e) && firstUnmet(j) != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** The fence entity {@code e} waits on with a queued callback (entity-&gt;dependency), or null. */
  public synchronized DmaFence waitingOn(DrmSchedEntity e) {
    return waitingOn.get(e);
  }

  /**
   * One pass of drm_sched_run_job_work that finds entity {@code e}'s first job blocked:
   * drm_sched_entity_pop_job (sched_entity.c, 6.12.118)
   * <pre>
   *   while ((entity-&gt;dependency =
   *                   drm_sched_job_dependency(sched_job, entity))) {
   *           trace_drm_sched_job_wait_dep(sched_job, entity-&gt;dependency);
   *
   *           if (drm_sched_entity_add_dependency_cb(entity))
   *                   return NULL;
   *   }
   * </pre>
   * and drm_sched_entity_add_dependency_cb, which (after the own-entity and same-scheduler rules
   * of {@link #isReady}) queues the entity's callback on the fence:
   * <pre>
   *   if (!dma_fence_add_callback(entity-&gt;dependency, &amp;entity-&gt;cb,
   *                               drm_sched_entity_wakeup))
   *           return true;
   * </pre>
   * dma_fence_add_callback enables signaling ({@code __dma_fence_enable_signaling}: the
   * fence's ops-&gt;enable_signaling, e.g. a preemption fence's, which preempts its context).
   * drm_sched_entity_wakeup clears entity-&gt;dependency when the fence signals. The dependencies
   * met before it are only looked at (the kernel erases them from job-&gt;dependencies; here
   * they stay, and {@link #isReady} skips them).
   *
   * @return the fence the callback was queued on, or null if the job is ready or the fence
   *     signaled meanwhile (dma_fence_add_callback returned -ENOENT)
   */
  public DmaFence addDependencyCb(DrmSchedEntity e) {
    return kernel.call("drm_sched_entity_add_dependency_cb", this, new Object[] {e}, () -> {
      DmaFence dep;
      synchronized (this) {
        DrmSchedJob j = e.peek();
        dep = j == null || waitingOn.containsKey(e) ? null : firstUnmet(j);
        if (dep == null) {
          return null;
        }
        waitingOn.put(e, dep);
      }
      int r = dep.addCallback(new DmaFenceCb(), (f, cb) -> {
        synchronized (this) { // drm_sched_entity_wakeup
          waitingOn.remove(e);
        }
      });
      if (r != 0) {
        synchronized (this) {
          waitingOn.remove(e);
        }
        return null;
      }
      return dep;
    });
  }

  @Override
  public String toString() {
    return "sched[" + name + "]";
  }
}
