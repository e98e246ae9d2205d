package org.syncref.hw.sched;

import java.util.IdentityHashMap;
import java.util.Map;

import org.syncref.fence.DmaFence;
import org.syncref.kernel.Kernel;

/**
 * A struct drm_sched_fence: the two fences of a scheduler job, {@code scheduled} (signaled when
 * run_job handed the job to the hardware) and {@code finished} (signaled when the hardware fence
 * signaled), and the hardware fence itself ({@code parent}).
 *
 * <p>Kernel drivers/gpu/drm/scheduler/sched_fence.c (6.12.118), drm_sched_fence_init:
 * <pre>
 *   seq = atomic_inc_return(&amp;entity-&gt;fence_seq);
 *   dma_fence_init(&amp;fence-&gt;scheduled, &amp;drm_sched_fence_ops_scheduled,
 *                  &amp;fence-&gt;lock, entity-&gt;fence_context, seq);
 *   dma_fence_init(&amp;fence-&gt;finished, &amp;drm_sched_fence_ops_finished,
 *                  &amp;fence-&gt;lock, entity-&gt;fence_context + 1, seq);
 * </pre>
 * The kernel finds the drm_sched_fence of a dma_fence with {@code to_drm_sched_fence} (a
 * comparison of the ops); here a per-kernel identity map ({@link #of}) does it.
 */
public final class DrmSchedFence {
  private final DrmSchedJob job;
  private DmaFence scheduled;
  private DmaFence finished;
  private DmaFence parent;

  DrmSchedFence(DrmSchedJob job) {
    this.job = job;
  }

  /** The per-kernel table behind to_drm_sched_fence(). */
  static final class Registry {
    final Map<DmaFence, DrmSchedFence> fences = new IdentityHashMap<>();
  }

  private static Registry registry(Kernel k) {
    return k.subsystem(Registry.class, x -> new Registry());
  }

  /**
   * to_drm_sched_fence(f): the scheduler fence whose scheduled or finished fence {@code f} is,
   * or null for any other fence (a hardware fence, a stub).
   */
  public static DrmSchedFence of(DmaFence f) {
    Registry r = registry(f.kernel());
    synchronized (r) {
      return r.fences.get(f);
    }
  }

  void init(DmaFence scheduled, DmaFence finished) {
    this.scheduled = scheduled;
    this.finished = finished;
    Registry r = registry(finished.kernel());
    synchronized (r) {
      r.fences.put(scheduled, this);
      r.fences.put(finished, this);
    }
  }

  /** The job this fence belongs to. */
  public DrmSchedJob job() {
    return job;
  }

  /** The scheduled fence (context entity-&gt;fence_context), null before drm_sched_job_arm. */
  public DmaFence scheduled() {
    return scheduled;
  }

  /** The finished fence (context entity-&gt;fence_context + 1), null before drm_sched_job_arm. */
  public DmaFence finished() {
    return finished;
  }

  /** s_fence-&gt;parent: the hardware fence once run_job returned it, null before and after a reset. */
  public DmaFence parent() {
    return parent;
  }

  void setParent(DmaFence p) {
    this.parent = p;
  }

  /**
   * Kernel drm_sched_fence_finished(fence, result):
   * <pre>
   *   if (result)
   *           dma_fence_set_error(&amp;fence-&gt;finished, result);
   *   dma_fence_signal(&amp;fence-&gt;finished);
   * </pre>
   */
  void signalFinished(int result) {
    if (result != 0) {
      finished.setError(result);
    }
    finished.signal();
  }
}
