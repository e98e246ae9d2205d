package org.syncref.hw.vm;

import java.util.ArrayList;
import java.util.List;

import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.kernel.Kernel;

/**
 * A long-running (compute) context: xe's exec queue in LR mode (struct xe_exec_queue,
 * {@code q->lr}), or a KFD process's user queues. It has no job fences: while it runs it touches
 * whatever its VM's page tables (and TLB) map. What keeps TTM from moving memory under it is its
 * preemption fence (amdgpu: the KFD eviction fence), an impl {@link DmaFence} of its own fence
 * context whose {@code enable_signaling} preempts the context; the fence signals once the
 * context is off the hardware.
 *
 * <p>Kernel sources (6.12.118): drivers/gpu/drm/xe/xe_preempt_fence.c (xe_preempt_fence_create,
 * xe_preempt_fence_arm, preempt_fence_enable_signaling, preempt_fence_work_func);
 * drivers/gpu/drm/amd/amdgpu/amdgpu_amdkfd_fence.c (amdkfd_fence_enable_signaling: "This gets
 * called when TTM wants to evict a KFD BO and schedules a job to move the BO", then
 * kgd2kfd_schedule_evict_and_restore_process). TLA+ spec/GpuMem/GpuMemVm.tla: {@code lr},
 * {@code lrFence}, {@code LrPreempt}.
 *
 * <p>States: {@code OFF} before it starts, {@code RUNNING}, {@code SUSPENDING} from the
 * preemption fence's enable_signaling (q-&gt;ops-&gt;suspend) until its work item finds the
 * context suspended (q-&gt;ops-&gt;suspend_wait), {@code PREEMPTED} until the rebind worker resumes
 * it. The spec's {@code lr = "running"} covers RUNNING and SUSPENDING (the context may still
 * touch memory until suspend_wait returns); its {@code LrPreempt} is {@link #preemptFenceWork}.
 */
public final class LrContext {
  /** Where the context is. */
  public enum State { OFF, RUNNING, SUSPENDING, PREEMPTED }

  private final Kernel kernel;
  private final String name;
  private final DmaFenceOps ops;
  private final long context;
  private final Runnable queueRebindWorker;
  private long seqno;
  private State state = State.OFF;
  private DmaFence pfence;
  private final List<DmaFence> preemptWork = new ArrayList<>();
  private int preemptions;

  /**
   * A context called {@code name} whose preemption fences' driver is {@code module}; {@code
   * queueRebindWorker} is xe_vm_queue_rebind_worker (called when a preemption completed).
   * Kernel xe_exec_queue_create for a VM in LR mode: {@code q->lr.context =
   * dma_fence_context_alloc(1)}.
   */
  LrContext(Kernel kernel, FenceModule module, String name, Runnable queueRebindWorker) {
    this.kernel = kernel;
    this.name = name;
    this.queueRebindWorker = queueRebindWorker;
    this.context = kernel.dmaFenceContextAlloc(1);
    this.ops = DmaFenceOps.builder(module, "xe", "preempt").enableSignaling(this::enableSignaling).build();
  }

  /** The context's name. */
  public String name() {
    return name;
  }

  /** q-&gt;lr.context: the fence context of its preemption fences (TLA+ {@code EngineCtx[LrEngine]}). */
  public long fenceContext() {
    return context;
  }

  /** The state. */
  public synchronized State state() {
    return state;
  }

  /** Whether it may touch memory now (TLA+ {@code lr = "running"}): RUNNING or SUSPENDING. */
  public synchronized boolean onHardware() {
    return state == State.RUNNING || state == State.SUSPENDING;
  }

  /** q-&gt;lr.pfence: its current preemption fence (TLA+ {@code lrFence}), null before it starts. */
  public synchronized DmaFence preemptFence() {
    return pfence;
  }

  /** How many preemptions completed. */
  public synchronized int preemptions() {
    return preemptions;
  }

  /**
   * Kernel xe_preempt_fence_create(q, q-&gt;lr.context, ++q-&gt;lr.seqno) (alloc, then
   * xe_preempt_fence_arm: {@code dma_fence_init(&pfence->base, &preempt_fence_ops,
   * &pfence->lock, context, seqno)}). TLA+ {@code LrStartArm}, {@code RebindArmFence} (VArm).
   */
  DmaFence createPreemptFence() {
    return kernel.call("xe_preempt_fence_create", this, new Object[0],
        () -> DmaFence.init(kernel, ops, context, ++seqno));
  }

  /**
   * The context runs with preemption fence {@code f}: xe_vm_add_compute_exec_queue (first
   * start) or resume_and_reinstall_preempt_fences ({@code q->ops->resume(q)}). TLA+ {@code
   * LrStartUnlock}, {@code RebindResume} ({@code lr' = "running" /\ lrFence' = p}).
   */
  synchronized void resume(DmaFence f) {
    state = State.RUNNING;
    pfence = f;
  }

  /**
   * The preemption fence's ops-&gt;enable_signaling (xe_preempt_fence.c,
   * preempt_fence_enable_signaling):
   * <pre>
   *   pfence-&gt;error = q-&gt;ops-&gt;suspend(q);
   *   queue_work(q-&gt;vm-&gt;xe-&gt;preempt_fence_wq, &amp;pfence-&gt;preempt_work);
   *   return true;
   * </pre>
   * Called by the fence core on the first dma_fence_add_callback / dma_fence_wait of an
   * unsignaled fence (here: the scheduler's {@code drm_sched_entity_add_dependency_cb} for a
   * TTM copy that depends on the fence as BOOKKEEP). The suspend is asynchronous: the context
   * is SUSPENDING until {@link #preemptFenceWork}.
   */
  private boolean enableSignaling(DmaFence f) {
    synchronized (this) {
      if (state == State.RUNNING) {
        state = State.SUSPENDING; // q->ops->suspend(q)
      }
      preemptWork.add(f); // queue_work(..., &pfence->preempt_work)
    }
    return true;
  }

  /** The preemption fences whose work item is queued (enable_signaling ran, not signaled yet). */
  public synchronized List<DmaFence> pendingPreemptWork() {
    return List.copyOf(preemptWork);
  }

  /**
   * The work item of preemption fence {@code f} (xe_preempt_fence.c, preempt_fence_work_func):
   * <pre>
   *   int err = q-&gt;ops-&gt;suspend_wait(q);
   *   ...
   *   dma_fence_signal(&amp;pfence-&gt;base);
   *   ...
   *   xe_vm_queue_rebind_worker(q-&gt;vm);
   * </pre>
   * The context is off the hardware, then its fence signals. TLA+ {@code LrPreempt} (with the
   * enable_signaling above: the spec's one step).
   */
  public void preemptFenceWork(DmaFence f) {
    kernel.callVoid("preempt_fence_work_func", this, new Object[] {f}, () -> {
      synchronized (this) {
        if (!preemptWork.remove(f)) {
          throw new IllegalStateException("no preempt work queued for " + f);
        }
        if (state == State.SUSPENDING) {
          state = State.PREEMPTED; // q->ops->suspend_wait(q)
          preemptions++;
        }
      }
      f.signal();
      queueRebindWorker.run();
    });
  }

  @Override
  public String toString() {
    return "lr[" + name + " " + state + "]";
  }
}
