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
    return jobQueue.peekFirst();
  }

  DrmSchedJob poll() {
    return jobQueue.pollFirst();
  }

  @Override
  public String toString() {
    return "entity[" + name + " ctx " + fenceContext + "]";
  }
}
