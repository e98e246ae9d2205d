package org.syncref.hw.vm;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.DmaFenceStub;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.GpuMemHistory.Bind;
import org.syncref.hw.ttm.GpuMemSystem;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.TtmBufferObject;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;

/**
 * A GPU VM with one long-running context, the Java counterpart of spec/GpuMem/GpuMemVm.tla
 * (slice 2) and GpuMemTlb.tla (slice 5): page tables whose updates are jobs on the copy engine
 * with their fences BOOKKEEP in the VM's resv, a TLB that keeps stale translations until a
 * flush, TLB flush fences published BOOKKEEP, the preemption fence of the context, the rebind
 * worker and the unmap with dma_resv_replace_fences. The action table is in the package comment.
 *
 * <p><b>Granularity, as the spec's.</b> The VM maps one BO, {@link #bo()} (TLA+ {@code VmBo}),
 * private to the VM: its resv is the VM's (drm_gpuvm's r_obj; amdgpu's per-VM BOs share the root
 * PD's resv). The page tables are {@link #ptes()} (at most one bind of the BO); page-table BOs
 * are not modelled. The TLB is {@link #tlb()}: the translations it holds for the context's view
 * of the BO. The rebind worker maps the BO where TTM left it (the worker's validate is not
 * modelled: SYSTEM is GPU-accessible through GART), as the spec does.
 *
 * <p><b>The VM worker.</b> TLA+ {@code VmWorker} is a kernel thread of its own; here a Java thread
 * ({@link #close} stops it), so that the VM's resv is held by another thread than the caller's
 * across the rebind's wait (xe_vm.c preempt_rebind_work_func waits with its locks held). Each
 * worker operation is one or two calls that run there and return: {@link #lrStart}, {@link
 * #rebindBegin} (lock ... publish the update and flush fences) and {@link #rebindFinish} (the
 * wait is its guard, {@link #rebindFinishEnabled}; then the new preemption fence, resume,
 * unlock), {@link #unmap}. The kernel calls inside each are those of the spec's steps, in order.
 */
public final class GpuVm implements AutoCloseable {
  /** What the VM worker does (TLA+ {@code VmFlows}). */
  public enum Flow { REBIND, UNMAP }

  /** A page-table update job: what it writes and the KERNEL fences pending on the BO when armed. */
  record PtUpdate(DrmSchedJob job, Bind target, List<DmaFence> kernelAtArm) {
  }

  /** The rebind worker between its two calls: the update and flush fences it waits for (no flush without a TLB). */
  record Rebind(DmaFence update, TlbFence flush) {
  }

  private final GpuMemSystem sys;
  private final Kernel k;
  private final TtmBufferObject bo;
  private final Set<Flow> flows;
  private final boolean tlbModel;
  private final DrmSchedEntity pte;
  private final LrContext lr;
  private final VmHistory history;
  private final ExecutorService worker;
  private final long tlbFenceContext;
  private final DmaFenceOps tlbOps;
  private long tlbSeq;
  private Bind ptes;
  private final Set<Bind> tlb = new LinkedHashSet<>();
  private final Map<DmaFence, PtUpdate> updates = new LinkedHashMap<>();
  private final Map<DmaFence, TlbFence> tlbFences = new LinkedHashMap<>();
  private final List<TlbFence> tlbWork = new ArrayList<>();
  private Rebind rebind;
  private boolean rebindQueued;
  private int rebinds;
  private int unmaps;
  private int flushes;

  /**
   * A VM of {@code sys} that maps {@code bo} where it is now (mapped, and its update completed,
   * before anything starts: TLA+ {@code VmInit}), whose worker does {@code flows}. Its
   * page-table updates run on an entity of the copy engine's scheduler (amdgpu: the VM's
   * immediate/delayed entities on adev-&gt;vm_manager.vm_pte_scheds, SDMA rings); its TLB fence
   * context is amdgpu_vm_init's {@code vm->tlb_fence_context = dma_fence_context_alloc(1)}.
   * With {@code tlb} the VM is GpuMemTlb.tla's (slice 5: a TLB, flush fences); without, it is
   * GpuMemVm.tla's (slice 2: the context reaches what the page tables map, no flush fences).
   */
  public GpuVm(GpuMemSystem sys, TtmBufferObject bo, Set<Flow> flows, boolean tlb) {
    this.sys = sys;
    this.k = sys.k;
    this.bo = bo;
    this.flows = flows.isEmpty() ? EnumSet.noneOf(Flow.class) : EnumSet.copyOf(flows);
    this.tlbModel = tlb;
    this.pte = new DrmSchedEntity(sys.sdma, "vm-pte");
    this.lr = new LrContext(k, new org.syncref.fence.FenceModule("xe"), "lr", () -> rebindQueued = true);
    this.history = new VmHistory(this);
    this.tlbFenceContext = k.dmaFenceContextAlloc(1);
    this.tlbOps = DmaFenceOps.names(sys.amdgpu, "amdgpu", "amdgpu_tlb_fence");
    this.ptes = bindOf();
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vm-worker");
      t.setDaemon(true);
      return t;
    });
  }

  /** Whether the VM has a TLB and flush fences (slice 5), or not (slice 2). */
  public boolean hasTlb() {
    return tlbModel;
  }

  /** The system. */
  public GpuMemSystem system() {
    return sys;
  }

  /** The BO the VM maps (TLA+ {@code VmBo}); its resv is the VM's. */
  public TtmBufferObject bo() {
    return bo;
  }

  /** The VM's reservation object (the BO's). */
  public DmaResv resv() {
    return bo.resv();
  }

  /** The long-running context. */
  public LrContext lr() {
    return lr;
  }

  /** The page-table update entity (TLA+ {@code PtEngine}). */
  public DrmSchedEntity pteEntity() {
    return pte;
  }

  /** The checks. */
  public VmHistory history() {
    return history;
  }

  /** What the page tables map the BO to (TLA+ {@code ptes[VmBo]}), or null. */
  public synchronized Bind ptes() {
    return ptes;
  }

  /** The translations the TLB holds (TLA+ {@code tlb}). */
  public synchronized Set<Bind> tlb() {
    return Set.copyOf(tlb);
  }

  /** What the running context can reach (TLA+ {@code LrReach}): the TLB and the page tables. */
  public synchronized Set<Bind> reach() {
    Set<Bind> out = new LinkedHashSet<>(tlb);
    if (ptes != null) {
      out.add(ptes);
    }
    return out;
  }

  /** TLA+ {@code BindOf(VmBo)}: where the BO is now. */
  Bind bindOf() {
    return bo.resource() == null ? null : new Bind(bo, bo.resource().range(), bo.resource().tenure());
  }

  /** The page-table update jobs armed so far, by finished fence. */
  synchronized Map<DmaFence, PtUpdate> updates() {
    return new LinkedHashMap<>(updates);
  }

  /**
   * TLA+ {@code jobKernel[u]} of page-table update {@code u} (its finished fence): the BO's KERNEL
   * fences pending when it was armed; empty for a clear or an unknown fence.
   */
  public synchronized List<DmaFence> kernelAtArm(DmaFence u) {
    PtUpdate p = updates.get(u);
    return p == null ? List.of() : p.kernelAtArm();
  }

  /** The TLB flush fence of {@code f}, or null if {@code f} is none. */
  public synchronized TlbFence tlbFence(DmaFence f) {
    return tlbFences.get(f);
  }

  /** The TLB flush fences made so far. */
  public synchronized List<TlbFence> tlbFences() {
    return List.copyOf(tlbFences.values());
  }

  /** The TLB fences whose work is queued (not signaled yet). */
  public synchronized List<TlbFence> pendingTlbWork() {
    return List.copyOf(tlbWork);
  }

  /** The rebind worker's operation between its two calls, or null. */
  public synchronized Rebind rebindInProgress() {
    return rebind;
  }

  /** Counts: rebinds completed, unmaps, TLB flushes. */
  public synchronized int[] counts() {
    return new int[] {rebinds, unmaps, flushes};
  }

  private <T> T onWorker(Callable<T> body) {
    try {
      return worker.submit(body).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private boolean workerIdle() {
    return rebind == null && !bo.resv().isLocked();
  }

  // ------------------------------------------------------------------------------------------
  // The long-running context starts.

  /** TLA+ {@code LrStartBegin}'s guard: the worker is idle, the context off, its mapping current. */
  public synchronized boolean lrStartEnabled() {
    Bind cur = bindOf();
    return workerIdle() && lr.state() == LrContext.State.OFF && cur != null && cur.equals(ptes);
  }

  /**
   * The context starts (xe_vm.c, xe_vm_add_compute_exec_queue):
   * <pre>
   *   pfence = xe_preempt_fence_create(q, q-&gt;lr.context, ++q-&gt;lr.seqno);
   *   ...
   *   drm_gpuvm_resv_add_fence(&amp;vm-&gt;gpuvm, exec, pfence,
   *                            DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
   * </pre>
   * (amdgpu_amdkfd_gpuvm.c, amdgpu_amdkfd_bo_validate_and_fence: dma_resv_reserve_fences(resv,
   * 1), dma_resv_add_fence(resv, fence, DMA_RESV_USAGE_BOOKKEEP)). TLA+ {@code LrStartBegin},
   * {@code LrStartReserve}, {@code LrStartArm}, {@code LrStartAdd}, {@code LrStartUnlock}.
   */
  public void lrStart() {
    if (!lrStartEnabled()) {
      throw new IllegalStateException("LrStart not enabled");
    }
    onWorker(() -> {
      k.callVoid("xe_vm_add_compute_exec_queue", this, new Object[] {lr}, () -> {
        bo.resv().lock();
        try {
          bo.resv().reserveFences(1);
          DmaFence p = lr.createPreemptFence();
          bo.resv().addFence(p, DmaResvUsage.BOOKKEEP);
          lr.resume(p);
        } finally {
          bo.resv().unlock();
        }
      });
      return null;
    });
  }

  // ------------------------------------------------------------------------------------------
  // The context touches memory through the TLB and the page tables.

  /** TLA+ {@code TlbAccess}'s (or {@code LrAccess}'s) guard: the context runs and the step would change something. */
  public synchronized boolean lrAccessEnabled() {
    if (!lr.onHardware()) {
      return false;
    }
    for (Bind b : reach()) {
      if (!history.touched(lr.preemptFence(), b)) {
        return true;
      }
    }
    return tlbModel && ptes != null && !tlb.contains(ptes);
  }

  /**
   * The running context touches what it can reach: the TLB's entries and, on a miss, what the
   * page tables map, which the walk of the page tables puts into the TLB. TLA+ {@code TlbAccess}
   * (slice 5; it replaces slice 2's {@code LrAccess}, which touches only what the page tables
   * map: the VM without a TLB). Recorded as access events ({@link VmHistory#lrAccess}).
   */
  public void lrAccess() {
    Set<Bind> r;
    synchronized (this) {
      if (!lrAccessEnabled()) {
        throw new IllegalStateException("LrAccess not enabled");
      }
      r = reach();
      if (ptes != null && tlbModel) {
        tlb.add(ptes);
      }
    }
    history.lrAccess(lr.preemptFence(), r);
  }

  // ------------------------------------------------------------------------------------------
  // Page-table updates and TLB flushes.

  /**
   * A page-table update job (amdgpu_vm_bo_update -&gt; amdgpu_vm_update_range -&gt;
   * amdgpu_vm_sdma_commit: amdgpu_job_submit) on the page-table entity, armed and pushed; when
   * it executes, the page tables map {@code target} (null: cleared). Its dependencies are the
   * BO's KERNEL fences for a map (amdgpu_vm_bo_update: "Implicitly sync to moving fences before
   * mapping anything", amdgpu_sync_resv(..., AMDGPU_SYNC_EXPLICIT, ...)), none for a clear.
   * TLA+ {@code ArmPtJob(u, o, b, deps)}; its run is {@code RunPtJob(f)}.
   */
  private DmaFence armPtJob(String name, Bind target) {
    DrmSchedJob job = DrmSchedJob.init(pte, name);
    List<DmaFence> kernelAtArm = new ArrayList<>();
    if (target != null) {
      job.addResvDependencies(bo.resv(), DmaResvUsage.KERNEL);
      for (DmaResv.Entry e : bo.resv().entries()) {
        if (e.usage() == DmaResvUsage.KERNEL && !e.fence().isSignaled()) {
          kernelAtArm.add(e.fence());
        }
      }
    }
    job.arm();
    PtUpdate u = new PtUpdate(job, target, List.copyOf(kernelAtArm));
    synchronized (this) {
      updates.put(job.finished(), u);
    }
    job.onHardwareRun(() -> runPtJob(u));
    pte.pushJob(job);
    return job.finished();
  }

  /** TLA+ {@code RunPtJob(f)}: the engine executes the update; the page tables map what it wrote. */
  private void runPtJob(PtUpdate u) {
    history.ptJobRan(u);
    synchronized (this) {
      ptes = u.target();
    }
  }

  /**
   * The TLB flush fence of an update that needs a flush, made with the VM's resv locked right
   * after the update was committed (amdgpu_vm.c, amdgpu_vm_update_range: {@code if
   * (params.needs_flush) amdgpu_vm_tlb_flush(&params, fence, tlb_cb);}; amdgpu_vm_tlb_flush,
   * for a compute VM:
   * <pre>
   *   amdgpu_vm_tlb_fence_create(params-&gt;adev, vm, fence);
   *   /* Makes sure no PD/PT is freed before the flush *&#47;
   *   dma_resv_add_fence(vm-&gt;root.bo-&gt;tbo.base.resv, *fence,
   *                      DMA_RESV_USAGE_BOOKKEEP);
   * </pre>
   * ). TLA+ {@code TlbReserve}, {@code TlbArm}, {@code TlbAdd}. Mutants: {@link
   * HwBug#NO_TLB_FENCE} (the add is skipped), {@link HwBug#FLUSH_BEFORE_UPDATE} (no dependency).
   */
  private TlbFence tlbFlush(DmaFence update) {
    bo.resv().reserveFences(1);
    DmaFence dep = HwBug.FLUSH_BEFORE_UPDATE.in(k) ? null : update;
    TlbFence t = k.call("amdgpu_vm_tlb_fence_create", this, new Object[] {update}, () -> {
      TlbFence f;
      synchronized (this) {
        f = new TlbFence(DmaFence.init(k, tlbOps, tlbFenceContext, ++tlbSeq), dep);
        tlbFences.put(f.fence(), f);
        tlbWork.add(f); // schedule_work(&f->work)
      }
      return f;
    });
    if (!HwBug.NO_TLB_FENCE.in(k)) {
      bo.resv().addFence(t.fence(), DmaResvUsage.BOOKKEEP);
    }
    return t;
  }

  /**
   * Whether {@code t}'s work can run to its end now: its dependency has signaled ({@link
   * TlbFence#ready}) and every earlier TLB fence of the VM has signaled. The second condition is
   * the fence contract the spec assumes (IssuerInOrder: a context's fences signal in seqno
   * order); the kernel queues each fence's work with schedule_work on the system workqueue,
   * which does not order them, so two flush fences whose dependencies signaled could signal out
   * of order there (not modelled).
   */
  public synchronized boolean tlbWorkReady(TlbFence t) {
    if (!tlbWork.contains(t) || !t.ready()) {
      return false;
    }
    for (TlbFence o : tlbWork) {
      if (o.fence().seqno() < t.fence().seqno()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The TLB flush fence's work (amdgpu_vm_tlb_fence.c, amdgpu_tlb_fence_work):
   * <pre>
   *   if (f-&gt;dependency) {
   *           dma_fence_wait(f-&gt;dependency, false);
   *           ...
   *   r = amdgpu_gmc_flush_gpu_tlb_pasid(f-&gt;adev, f-&gt;pasid, 2, true, 0);
   *   ...
   *   dma_fence_signal(&amp;f-&gt;base);
   * </pre>
   * The wait is the step's guard ({@link #tlbWorkReady}); the TLB holds nothing afterwards.
   * TLA+ {@code RunTlbFlush(t)}.
   */
  public void tlbFenceWork(TlbFence t) {
    synchronized (this) {
      if (!tlbWorkReady(t)) {
        throw new IllegalStateException(t + " cannot run");
      }
    }
    k.callVoid("amdgpu_tlb_fence_work", this, new Object[] {t}, () -> {
      synchronized (this) {
        tlb.clear(); // amdgpu_gmc_flush_gpu_tlb_pasid
        tlbWork.remove(t);
        flushes++;
      }
      t.fence().signal();
    });
  }

  // ------------------------------------------------------------------------------------------
  // The rebind worker.

  /** Whether xe_vm_queue_rebind_worker was called since the last rebind. */
  public synchronized boolean rebindQueued() {
    return rebindQueued;
  }

  /** TLA+ {@code RebindBegin}'s guard: idle worker, the flow, the context preempted, the BO placed. */
  public synchronized boolean rebindEnabled() {
    return workerIdle() && flows.contains(Flow.REBIND) && lr.state() == LrContext.State.PREEMPTED
        && bo.resource() != null;
  }

  /**
   * The rebind worker after a preemption, up to its wait (xe_vm.c, preempt_rebind_work_func:
   * {@code xe_preempt_work_begin} (lock), {@code xe_vm_rebind(vm, true)}; the KFD restore worker
   * does the same). The update maps the BO where it is now, depends on the BO's KERNEL fences
   * (its move) and its fence goes into the VM's resv as BOOKKEEP (amdgpu_vm_sdma.c,
   * amdgpu_vm_sdma_commit: {@code dma_resv_add_fence(p->vm->root.bo->tbo.base.resv, f,
   * DMA_RESV_USAGE_BOOKKEEP)}); the BO moved, so the update needs a TLB flush (amdgpu_vm.c,
   * amdgpu_vm_bo_update: {@code if (!clear && bo_va->base.moved) flush_tlb = true}), whose
   * fence is published too ({@link #tlbFlush}). The VM's resv stays locked until {@link
   * #rebindFinish}. TLA+ {@code RebindBegin}, {@code RebindReserve}, {@code RebindArm}, {@code
   * RebindAdd}, {@code TlbReserve}, {@code TlbArm}, {@code TlbAdd}. Mutant {@link
   * HwBug#RESUME_NO_REBIND}: after the reserve, straight to {@link #rebindFinish}'s steps: no
   * update, no flush, no wait.
   */
  public void rebindBegin() {
    if (!rebindEnabled()) {
      throw new IllegalStateException("RebindBegin not enabled");
    }
    onWorker(() -> {
      k.callVoid("preempt_rebind_work_func", this, new Object[0], () -> {
        bo.resv().lock();
        bo.resv().reserveFences(1);
        if (HwBug.RESUME_NO_REBIND.in(k)) {
          resumeAndUnlock();
          return;
        }
        DmaFence u = armPtJob("rebind" + (rebinds + 1), bindOf());
        bo.resv().addFence(u, DmaResvUsage.BOOKKEEP);
        TlbFence t = tlbModel ? tlbFlush(u) : null;
        synchronized (this) {
          rebind = new Rebind(u, t);
          rebindQueued = false;
        }
      });
      return null;
    });
  }

  /**
   * TLA+ {@code TlbRebindWait}'s guard: the worker waits (dma_resv_wait_timeout on the VM's
   * resv in xe; amdgpu_sync_wait of bo_va-&gt;last_pt_update, the TLB fence, in amdgpu's
   * restore worker) for the update and its TLB flush. Mutant {@link HwBug#RESUME_BEFORE_FLUSH}:
   * for the update only.
   */
  public synchronized boolean rebindFinishEnabled() {
    if (rebind == null || !rebind.update().isSignaled()) {
      return false;
    }
    return rebind.flush() == null || HwBug.RESUME_BEFORE_FLUSH.in(k) || rebind.flush().fence().isSignaled();
  }

  /**
   * The rebind worker after its wait: a new preemption fence, the context resumes with it
   * added as BOOKKEEP, unlock (xe_vm.c: {@code arm_preempt_fences(vm, &preempt_fences);
   * resume_and_reinstall_preempt_fences(vm, &exec);}, which does {@code q->ops->resume(q);
   * drm_gpuvm_resv_add_fence(&vm->gpuvm, exec, q->lr.pfence, DMA_RESV_USAGE_BOOKKEEP,
   * DMA_RESV_USAGE_BOOKKEEP);}). TLA+ {@code TlbRebindWait}, {@code RebindReserve2}, {@code
   * RebindArmFence}, {@code RebindResume}, {@code TlbRebindUnlock}.
   */
  public void rebindFinish() {
    if (!rebindFinishEnabled()) {
      throw new IllegalStateException("RebindFinish not enabled");
    }
    onWorker(() -> {
      k.callVoid("resume_and_reinstall_preempt_fences", this, new Object[0], this::resumeAndUnlock);
      return null;
    });
  }

  private void resumeAndUnlock() {
    try {
      bo.resv().reserveFences(1);
      DmaFence p = lr.createPreemptFence();
      bo.resv().addFence(p, DmaResvUsage.BOOKKEEP);
      lr.resume(p);
      synchronized (this) {
        rebind = null;
        rebindQueued = false;
        rebinds++;
      }
    } finally {
      bo.resv().unlock();
    }
  }

  // ------------------------------------------------------------------------------------------
  // The unmap.

  /** TLA+ {@code UnmapBegin}'s guard: idle worker, the flow, the context started, a mapping. */
  public synchronized boolean unmapEnabled() {
    return workerIdle() && flows.contains(Flow.UNMAP) && lr.state() != LrContext.State.OFF && ptes != null;
  }

  /**
   * An unmap of the BO while the context may run, as the kernel-doc of dma_resv_replace_fences
   * (drivers/dma-buf/dma-resv.c) describes it: "replacing a preemption fence with a page table
   * update fence which makes the resource inaccessible". Lock, arm the update that clears the
   * PTEs (no dependency), {@code dma_resv_replace_fences(resv, q->lr.context, update,
   * DMA_RESV_USAGE_BOOKKEEP)}, the TLB flush fence ({@link #tlbFlush}), unlock. TLA+ {@code
   * UnmapBegin}, {@code UnmapArm}, {@code UnmapReplace}, {@code TlbReserve}, {@code TlbArm},
   * {@code TlbAdd}, {@code TlbUnmapUnlock}. Mutant {@link HwBug#REPLACE_STUB}: the replacement
   * is dma_fence_get_stub() (signaled), TLA+ {@code UnmapStubInit}, {@code UnmapStubSignal}.
   */
  public void unmap() {
    if (!unmapEnabled()) {
      throw new IllegalStateException("Unmap not enabled");
    }
    onWorker(() -> {
      {
        bo.resv().lock();
        try {
          DmaFence u = armPtJob("unmap" + (unmaps + 1), null);
          DmaFence replacement = HwBug.REPLACE_STUB.in(k) ? DmaFenceStub.getStub(k) : u;
          bo.resv().replaceFences(lr.fenceContext(), replacement, DmaResvUsage.BOOKKEEP);
          if (replacement != u) {
            replacement.put();
          }
          if (tlbModel) {
            tlbFlush(u);
          }
          synchronized (this) {
            unmaps++;
          }
        } finally {
          bo.resv().unlock();
        }
      }
      return null;
    });
  }

  /** Stops the VM worker thread. */
  @Override
  public void close() {
    worker.shutdownNow();
  }

  @Override
  public String toString() {
    return "vm[" + bo.name() + " ptes " + ptes + " tlb " + tlb + " " + lr + "]";
  }
}
