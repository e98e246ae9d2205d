package org.syncref.hw.sched;

import java.util.ArrayList;
import java.util.List;

import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceCb;
import org.syncref.fence.DmaFenceOps;
import org.syncref.kernel.KernelBug;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvIter;
import org.syncref.resv.DmaResvUsage;

/**
 * A struct drm_sched_job: a unit of work for an entity, with its dependencies (fences it
 * waits for before run_job) and its {@link DrmSchedFence}.
 *
 * <p>Life cycle, as drivers use it (drivers/gpu/drm/scheduler/sched_main.c, 6.12.118):
 * {@link #init} (drm_sched_job_init), {@link #addDependency} / {@link #addResvDependencies},
 * {@link #arm} (drm_sched_job_arm: the fences exist from here on and may be added to a
 * dma_resv), {@link DrmSchedEntity#pushJob} (drm_sched_entity_push_job). The scheduler then
 * runs it ({@link DrmGpuScheduler#runJob}) once every dependency is met, and its finished fence
 * signals when the hardware fence does. {@link #onHardwareRun} registers work done when the
 * engine executes the job (e.g. the memory accesses the GpuMem checks record).
 */
public final class DrmSchedJob {
  /** Where the job is (TLA+ jobState: "none" before arm, "armed", "queued", then "done"). */
  public enum State {
    INIT, ARMED, QUEUED, RUNNING, DONE,
    /** Popped by drm_sched_entity_kill, its finished fence not yet signaled (-ESRCH). */
    KILLED
  }

  private final DrmSchedEntity entity;
  private final String name;
  private final DrmSchedFence sFence;
  private final List<DmaFence> dependencies = new ArrayList<>();
  private final List<Runnable> hardwareWork = new ArrayList<>();
  final DmaFenceCb cb = new DmaFenceCb();
  /** job-&gt;finish_cb: the node drm_sched_entity_kill chains the killed jobs with. */
  final DmaFenceCb finishCb = new DmaFenceCb();
  /** How many dependencies drm_sched_entity_kill_jobs_work has waited for (erased) so far. */
  int killDeps;
  private volatile State state = State.INIT;
  private int result;

  private DrmSchedJob(DrmSchedEntity entity, String name) {
    this.entity = entity;
    this.name = name;
    this.sFence = new DrmSchedFence(this);
  }

  /**
   * Kernel drm_sched_job_init(job, entity, credits = 1, owner, drm_client_id): the job's
   * drm_sched_fence is allocated (drm_sched_fence_alloc), not yet initialised; the dependency
   * array is empty.
   */
  public static DrmSchedJob init(DrmSchedEntity entity, String name) {
    return entity.sched().kernel().call("drm_sched_job_init", null, new Object[] {entity, name},
        () -> new DrmSchedJob(entity, name));
  }

  /**
   * Adds {@code fence} as a dependency, consuming the caller's reference. Kernel
   * drm_sched_job_add_dependency:
   * <pre>
   *   /* Deduplicate if we already depend on a fence from the same context.
   *    * This lets the size of the array of deps scale with the number of
   *    * engines involved, rather than the number of BOs.
   *    *&#47;
   *   xa_for_each(&amp;job-&gt;dependencies, index, entry) {
   *           if (entry-&gt;context != fence-&gt;context)
   *                   continue;
   *           if (dma_fence_is_later(fence, entry)) {
   *                   dma_fence_put(entry);
   *                   xa_store(&amp;job-&gt;dependencies, index, fence, GFP_KERNEL);
   *           } else {
   *                   dma_fence_put(fence);
   *           }
   *           return 0;
   *   }
   * </pre>
   *
   * @return 0
   */
  public int addDependency(DmaFence fence) {
    if (fence == null) {
      return 0;
    }
    return entity.sched().kernel().call("drm_sched_job_add_dependency", this, new Object[] {fence}, () -> {
      for (int i = 0; i < dependencies.size(); i++) {
        DmaFence entry = dependencies.get(i);
        if (entry.context() != fence.context()) {
          continue;
        }
        if (fence.isLater(entry)) {
          entry.put();
          dependencies.set(i, fence);
        } else {
          fence.put();
        }
        return 0;
      }
      dependencies.add(fence);
      return 0;
    });
  }

  /**
   * Adds every fence of {@code resv} with usage &lt;= {@code usage} (signaled or not), lock
   * held. Kernel drm_sched_job_add_resv_dependencies:
   * <pre>
   *   dma_resv_assert_held(resv);
   *   dma_resv_for_each_fence(&amp;cursor, resv, usage, fence) {
   *           ret = drm_sched_job_add_dependency(job, dma_fence_get(fence));
   * </pre>
   * {@code skip}, if not null, leaves out the entries whose usage it names (a negative
   * control: a driver that does not wait for those).
   *
   * <p>TLA+ {@code SubmitArm} (SubmitDeps), {@code EvictArm} / {@code MoveInArm} (MoveDeps).
   *
   * @return 0
   */
  public int addResvDependencies(DmaResv resv, DmaResvUsage usage, DmaResvUsage skip) {
    return entity.sched().kernel().call("drm_sched_job_add_resv_dependencies", this,
        new Object[] {resv, usage}, () -> {
          DmaResvIter cursor = DmaResvIter.begin(resv, usage);
          for (DmaFence f = cursor.first(); f != null; f = cursor.next()) {
            if (skip != null && cursor.usage() == skip) { // dma_resv_iter_usage(&cursor)
              continue;
            }
            addDependency(f.get());
          }
          return 0;
        });
  }

  /** {@link #addResvDependencies(DmaResv, DmaResvUsage, DmaResvUsage)} without a skipped usage. */
  public int addResvDependencies(DmaResv resv, DmaResvUsage usage) {
    return addResvDependencies(resv, usage, null);
  }

  /**
   * Kernel drm_sched_job_arm: {@code BUG_ON(!entity)}, job-&gt;sched = the entity's scheduler,
   * then drm_sched_fence_init (see {@link DrmSchedFence}): the scheduled and finished fences
   * get the entity's next seqno on its two contexts.
   *
   * <p>TLA+ {@code FenceInit} of the finished fence, in {@code SubmitArm}, {@code EvictArm},
   * {@code MoveInArm}.
   *
   * @throws KernelBug when armed twice (the kernel would re-initialise live fences)
   */
  public void arm() {
    entity.sched().kernel().callVoid("drm_sched_job_arm", this, new Object[0], () -> {
      if (state != State.INIT) {
        throw new KernelBug("drm_sched_job_arm", "job " + name + " armed twice");
      }
      DrmGpuScheduler s = entity.sched();
      long seq = entity.nextSeq();
      DmaFenceOps schedOps = DmaFenceOps.names(s.module(), "drm_sched", s.name());
      DmaFence scheduled = DmaFence.init(s.kernel(), schedOps, entity.fenceContext(), seq);
      DmaFence finished = DmaFence.init(s.kernel(), schedOps, entity.fenceContext() + 1, seq);
      sFence.init(scheduled, finished);
      state = State.ARMED;
      s.armed(this);
    });
  }

  void markQueued() {
    if (state != State.ARMED) {
      throw new KernelBug("drm_sched_entity_push_job", "job " + name + " pushed in state " + state
          + " (push without drm_sched_job_arm)");
    }
    state = State.QUEUED;
  }

  void markKilled() {
    state = State.KILLED;
  }

  void markRunning() {
    state = State.RUNNING;
  }

  void markDone(int res) {
    state = State.DONE;
    result = res;
  }

  /**
   * Kernel drm_sched_job_cleanup (sched_main.c, 6.12.118), for a job that will not be pushed
   * (an ioctl that fails before drm_sched_entity_push_job):
   * <pre>
   *   if (kref_read(&amp;job-&gt;s_fence-&gt;finished.refcount)) {
   *           /* drm_sched_job_arm() has been called *&#47;
   *           dma_fence_put(&amp;job-&gt;s_fence-&gt;finished);
   *   } else {
   *           /* aborted job before arming *&#47;
   *           drm_sched_fence_free(job-&gt;s_fence);
   *   }
   *   ...
   *   xa_for_each(&amp;job-&gt;dependencies, index, fence) {
   *           dma_fence_put(fence);
   *   }
   * </pre>
   * Only the aborted-before-arm case is correct: an armed job must be pushed (drm_sched_job_arm:
   * "you *must* submit @job with drm_sched_entity_push_job()"), else its fences never signal.
   */
  public void cleanup() {
    entity.sched().kernel().callVoid("drm_sched_job_cleanup", this, new Object[0], () -> {
      if (state != State.INIT) {
        sFence.finished().put();
      }
      for (DmaFence f : dependencies) {
        f.put();
      }
      dependencies.clear();
    });
  }

  /** Registers work the engine does when it executes this job, before its fence signals. */
  public void onHardwareRun(Runnable work) {
    hardwareWork.add(work);
  }

  void runOnHardware() {
    for (Runnable r : hardwareWork) {
      r.run();
    }
  }

  /** The entity. */
  public DrmSchedEntity entity() {
    return entity;
  }

  /** The job's name. */
  public String name() {
    return name;
  }

  /** job-&gt;s_fence. */
  public DrmSchedFence sFence() {
    return sFence;
  }

  /** &amp;job-&gt;s_fence-&gt;finished, null before arm. */
  public DmaFence finished() {
    return sFence.finished();
  }

  /** The dependencies (job-&gt;dependencies, a snapshot in index order). */
  public List<DmaFence> dependencies() {
    return List.copyOf(dependencies);
  }

  /** The state. */
  public State state() {
    return state;
  }

  /** The result drm_sched_job_done was called with (0, or a negative errno after a reset). */
  public int result() {
    return result;
  }

  @Override
  public String toString() {
    DmaFence f = sFence.finished();
    return "job[" + name + (f == null ? "" : " " + f.context() + "#" + f.seqno()) + "]";
  }
}
