package org.syncref.hw.sched;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.syncref.fence.DmaFence;

/**
 * A struct drm_sched_entity: a queue of jobs of one submitter (a process's context on one
 * engine), run in push order, with its own fence contexts.
 *
 * <p>Kernel drivers/gpu/drm/scheduler/sched_entity.c (6.12.118), drm_sched_entity_init:
 * <pre>
 *   atomic_set(&amp;entity-&gt;fence_seq, 0);
 *   entity-&gt;fence_context = dma_fence_context_alloc(2);
 * </pre>
 * The scheduled fences use {@code fence_context}, the finished fences {@code fence_context + 1}.
 * One scheduler per entity (the kernel's {@code sched_list} of one element; no load balancing).
 * TLA+ {@code DriverLoad} (GpuMem.tla allocates one context per engine: the finished fences').
 */
public final class DrmSchedEntity {
  private final DrmGpuScheduler sched;
  private final String name;
  private final long fenceContext;
  private long fenceSeq;
  private final ArrayDeque<DrmSchedJob> jobQueue = new ArrayDeque<>();
  /** entity-&gt;stopped: set by drm_sched_entity_kill; the scheduler no longer picks it. */
  private boolean stopped;
  /** entity-&gt;last_scheduled: the finished fence of the last job popped (a reference), or null. */
  private DmaFence lastScheduled;

  /** ESRCH (include/uapi/asm-generic/errno-base.h), not in org.syncref.kernel.Errno. */
  public static final int ESRCH = 3;

  /**
   * Kernel drm_sched_entity_init(entity, priority, &amp;sched, 1, NULL): a new entity on
   * {@code sched}, with two fresh fence contexts.
   */
  public DrmSchedEntity(DrmGpuScheduler sched, String name) {
    this.sched = sched;
    this.name = name;
    this.fenceContext = sched.kernel().dmaFenceContextAlloc(2);
    sched.addEntity(this);
  }

  /** The scheduler (entity-&gt;rq-&gt;sched). */
  public DrmGpuScheduler sched() {
    return sched;
  }

  /** The entity's name. */
  public String name() {
    return name;
  }

  /** entity-&gt;fence_context: the scheduled fences' context; finished fences use this + 1. */
  public long fenceContext() {
    return fenceContext;
  }

  /** Whether {@code f} is a scheduled or finished fence of this entity. */
  boolean ownsFence(DmaFence f) {
    return f.context() == fenceContext || f.context() == fenceContext + 1;
  }

  /** atomic_inc_return(&amp;entity-&gt;fence_seq). */
  long nextSeq() {
    return ++fenceSeq;
  }

  /**
   * Kernel drm_sched_entity_push_job(sched_job): queues the armed job at the tail of the
   * entity's queue (spsc_queue_push) and wakes the scheduler ({@code drm_sched_wakeup}); here
   * the scheduler runs only when stepped.
   *
   * <p>TLA+ {@code SubmitAdd} (with the fence's dma_resv_add_fence), {@code EvictArm},
   * {@code MoveInArm}: the job becomes "queued".
   */
  public void pushJob(DrmSchedJob job) {
    sched.kernel().callVoid("drm_sched_entity_push_job", job, new Object[0], () -> {
      if (job.entity() != this) {
        throw new IllegalArgumentException(job + " belongs to " + job.entity());
      }
      job.markQueued();
      synchronized (sched) {
        jobQueue.addLast(job);
      }
    });
  }

  /** The queued jobs, oldest first (a snapshot). */
  public List<DrmSchedJob> queued() {
    synchronized (sched) {
      return new ArrayList<>(jobQueue);
    }
  }

  DrmSchedJob peek() {
    return stopped ? null : jobQueue.peekFirst();
  }

  /**
   * drm_sched_entity_pop_job's queue part: the head job leaves the queue and its finished fence
   * becomes entity-&gt;last_scheduled ({@code rcu_assign_pointer(entity->last_scheduled,
   * dma_fence_get(&sched_job->s_fence->finished))}).
   */
  DrmSchedJob poll() {
    DrmSchedJob job = jobQueue.pollFirst();
    if (job != null) {
      if (lastScheduled != null) {
        lastScheduled.put();
      }
      lastScheduled = job.finished().get();
    }
    return job;
  }

  /** entity-&gt;stopped: whether drm_sched_entity_kill ran. */
  public boolean isStopped() {
    synchronized (sched) {
      return stopped;
    }
  }

  /** entity-&gt;last_scheduled, or null (no reference is taken). */
  public DmaFence lastScheduled() {
    synchronized (sched) {
      return lastScheduled;
    }
  }

  /**
   * Kernel drm_sched_entity_kill (sched_entity.c; the same in 6.12.118 and mainline): the entity
   * stops, and every job still queued is killed without running, each after the one before it:
   * <pre>
   *   prev = rcu_dereference_check(entity-&gt;last_scheduled, true);
   *   dma_fence_get(prev);
   *   while ((job = to_drm_sched_job(spsc_queue_pop(&amp;entity-&gt;job_queue)))) {
   *           struct drm_sched_fence *s_fence = job-&gt;s_fence;
   *
   *           dma_fence_get(&amp;s_fence-&gt;finished);
   *           if (!prev ||
   *               dma_fence_add_callback(prev, &amp;job-&gt;finish_cb,
   *                                      drm_sched_entity_kill_jobs_cb)) {
   *                   dma_fence_put(prev);
   *                   drm_sched_entity_kill_jobs_cb(NULL, &amp;job-&gt;finish_cb);
   *           }
   *
   *           prev = &amp;s_fence-&gt;finished;
   *   }
   *   dma_fence_put(prev);
   * </pre>
   * drm_sched_entity_kill_jobs_cb queues drm_sched_entity_kill_jobs_work (schedule_work), which
   * here waits in {@link DrmGpuScheduler#killJobsWork()}: it waits for every dependency of the job
   * and then signals its fences, the finished one with -ESRCH. Called by drm_sched_entity_flush
   * for a process killed by SIGKILL (after its wait for the queue to drain timed out, or at
   * once: {@code wait_event_timeout} with the time left) and by drm_sched_entity_fini. The
   * {@code wait_for_completion(&entity->entity_idle)} is trivial here: nothing runs concurrently.
   * Mutants {@link SchedBug#KILL_DROPS_JOBS}, {@link SchedBug#KILL_SKIPS_DEPS}.
   *
   * @return how many queued jobs were killed
   */
  public int kill() {
    return sched.kernel().call("drm_sched_entity_kill", this, new Object[0], () -> {
      List<DrmSchedJob> jobs;
      DmaFence prev;
      synchronized (sched) {
        stopped = true; // drm_sched_rq_remove_entity
        jobs = new ArrayList<>(jobQueue);
        jobQueue.clear();
        prev = lastScheduled == null ? null : lastScheduled.get();
      }
      for (DrmSchedJob job : jobs) {
        job.markKilled();
        if (SchedBug.KILL_DROPS_JOBS.in(sched.kernel())) {
          continue; // mutant: popped and forgotten
        }
        DmaFence finished = job.finished().get();
        if (prev == null || prev.addCallback(job.finishCb, (f, cb) -> killJobsCb(job, f)) != 0) {
          if (prev != null) {
            prev.put();
          }
          killJobsCb(job, null);
        }
        prev = finished;
      }
      if (prev != null) {
        prev.put();
      }
      return jobs.size();
    });
  }

  /**
   * Kernel drm_sched_entity_kill_jobs_cb: {@code dma_fence_put(f)}, then {@code
   * schedule_work(&job->work)} (drm_sched_entity_kill_jobs_work).
   */
  private void killJobsCb(DrmSchedJob job, DmaFence f) {
    if (f != null) {
      f.put();
    }
    sched.scheduleKillWork(job);
  }

  /**
   * Kernel drm_sched_entity_fini: drm_sched_entity_kill (a second kill finds the queue empty),
   * then drops entity-&gt;last_scheduled.
   */
  public void fini() {
    sched.kernel().callVoid("drm_sched_entity_fini", this, new Object[0], () -> {
      kill();
      DmaFence last;
      synchronized (sched) {
        last = lastScheduled;
        lastScheduled = null;
      }
      if (last != null) {
        last.put();
      }
    });
  }

  @Override
  public String toString() {
    return "entity[" + name + " ctx " + fenceContext + "]";
  }
}
