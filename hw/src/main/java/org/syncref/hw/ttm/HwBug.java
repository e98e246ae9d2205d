package org.syncref.hw.ttm;

import java.util.EnumSet;
import java.util.Set;

import org.syncref.kernel.Kernel;

/**
 * Deliberate bugs of the hardware model's drivers (negative controls), one per
 * {@code _bug} model of spec/GpuMem: the same mechanism as org.syncref.kernel.InjectedBug
 * (a per-kernel set asked on the path the bug changes), kept in this module because these are
 * driver and TTM bugs, not bugs of the dma-buf core.
 */
public enum HwBug {
  /**
   * The eviction (and move) copy depends on the WRITE query of the moved object instead of
   * every fence (DMA_RESV_USAGE_BOOKKEEP, amdgpu_ttm.c amdgpu_ttm_prepare_job): readers and
   * BOOKKEEP users are not waited for. TLA+ mutant {@code evict_waits_write}
   * (GpuMem_evict_waits_write_bug), rule MEM-FREE-UNREACHABLE.
   */
  EVICT_WAITS_WRITE,
  /**
   * A submission's implicit dependencies skip KERNEL fences (against DMA_RESV_USAGE_KERNEL's
   * "Drivers *always* must wait for those fences"). TLA+ mutant {@code ignore_kernel}
   * (GpuMem_ignore_kernel_bug), rule MEM-KERNEL-FIRST (and MEM-NO-STALE-ACCESS).
   */
  IGNORE_KERNEL,
  /**
   * A pipelined eviction frees its range without recording the copy fence in the manager
   * (against ttm_bo_move_pipeline_evict: "Just remember this eviction"). TLA+ mutant
   * {@code no_move_fence} (GpuMem_no_move_fence_bug), rule MEM-FREE-UNREACHABLE.
   */
  NO_MOVE_FENCE,
  /**
   * dma_resv_usage_rw the wrong way round in the submission's implicit dependencies: a writer
   * queries WRITE (so it does not wait for readers), a reader READ. TLA+ mutant {@code
   * rw_swapped} (GpuMemRW_rw_swapped_bug), rule MEM-RW-ORDERED.
   */
  RW_SWAPPED,
  /**
   * The eviction walk's ticketlock tries dma_resv_lock again after -EDEADLK, with the evictor's
   * own object still locked, instead of giving up with -ENOSPC (against ttm_lru_walk_ticketlock:
   * "Caller needs to exit the ww transaction"): the second -EDEADLK WARNs in
   * kernel/locking/ww_mutex.h ({@code DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock)}). TLA+ mutant
   * {@code edeadlk_retry} (GpuMemLock_edeadlk_retry_bug), rule MEM-EVICT-TICKET.
   */
  EDEADLK_RETRY,
  /**
   * Engines that complete the newest pending job first ({@link GpuMemSystem} builds its engines
   * so): against include/linux/dma-fence.h "all fences on the same context are fully ordered"
   * (FENCE-ORDER), which dma_resv_add_fence and the scheduler's same-scheduler dependencies
   * (drm_sched_entity_add_dependency_cb waits for scheduled only) rely on. TLA+
   * {@code IssuerInOrder = FALSE} (GpuMem_unordered_engine_bug), rule MEM-NO-STALE-ACCESS.
   */
  UNORDERED_ENGINE,
  // driver policies (AmdgpuPolicy)
  /**
   * amdgpu's sync modes filter TTM's moves like any other fence (against amdgpu_sync.c
   * amdgpu_sync_test_fence: "Always sync to moves, no matter what"): a job on an explicit-sync
   * BO waits for nothing, not even the copy that fills its range. TLA+ mutant {@code
   * amdgpu_skip_moves} (GpuMemAmdgpu_skip_moves_bug), rule MEM-KERNEL-FIRST; only {@link
   * AmdgpuPolicy} asks it.
   */
  AMDGPU_SKIP_MOVES,
  // userptr and the MMU interval notifier (org.syncref.hw.userptr, GpuMemUserptr.tla)
  /**
   * The exec checks the notifier sequence without the notifier lock (mmu_interval_check_retry)
   * and publishes its fence without holding it (against include/linux/mmu_notifier.h
   * mmu_interval_read_retry: "This MUST be called under a user provided lock that is also held
   * unconditionally by op-&gt;invalidate() when it calls mmu_interval_set_seq()"). TLA+ mutant
   * {@code check_unlocked} (GpuMemUserptr_check_unlocked_bug), rule MEM-USERPTR-NOTIFIER.
   */
  CHECK_UNLOCKED,
  /**
   * The exec takes the notifier lock but publishes without mmu_interval_read_retry, trusting the
   * sequence it read before it obtained the pages. TLA+ mutant {@code no_recheck}
   * (GpuMemUserptr_no_recheck_bug), rule MEM-USERPTR-NOTIFIER.
   */
  NO_RECHECK,
  /**
   * The invalidation callback waits for the fences up to READ, not BOOKKEEP (what amdgpu, radeon
   * and i915's notifiers waited for before "dma-buf: add DMA_RESV_USAGE_BOOKKEEP v3"). TLA+
   * mutant {@code inval_waits_read} (GpuMemUserptr_inval_waits_read_bug), rule
   * MEM-USERPTR-NOTIFIER.
   */
  INVAL_WAITS_READ,
  // Fault injection ("nothing lost", org.syncref.hw.ttm.GpuFaults): negative controls of the
  // fault paths, caught by the nothing-lost checks of the generated fault workloads.
  /** {@link org.syncref.hw.sched.SchedBug#KILL_DROPS_JOBS}: a kill forgets the queued jobs. */
  KILL_DROPS_JOBS,
  /** {@link org.syncref.hw.sched.SchedBug#KILL_SKIPS_DEPS}: killed jobs signal before their dependencies. */
  KILL_SKIPS_DEPS,
  /** {@link org.syncref.hw.sched.SchedBug#RESET_FORGETS_ERROR}: the hung job signals without -ETIME. */
  RESET_FORGETS_ERROR,
  /**
   * A submission interrupted after drm_sched_job_arm and dma_resv_add_fence returns without
   * drm_sched_entity_push_job (drm_sched_job_cleanup only puts the armed fence), against
   * drm_sched_job_arm's "you *must* submit @job with drm_sched_entity_push_job()": the published
   * finished fence never signals, nor do the jobs and waiters behind it.
   */
  ARMED_NOT_PUSHED,
  /**
   * ttm_bo_evict / ttm_bo_move_buffer forget the destination resource when the driver's move
   * fails (against {@code if (ret) ttm_resource_free(bo, &evict_mem);}): the range leaks.
   */
  MOVE_FAIL_LEAKS_DST,
  /** The same failure path frees the destination resource twice. */
  MOVE_FAIL_FREES_DST_TWICE,
  /**
   * The driver unloads without amdgpu_fence_driver_hw_fini's wait or force completion of its
   * rings (nor drm_sched_fini's cancel_job): fences still on the hardware never signal.
   */
  UNLOAD_LEAVES_FENCES,
  /**
   * An interrupted submission returns without drm_exec_fini: its locks stay held and the fence
   * slots it reserved are never reset (dma_resv_reset_max_fences runs at unlock).
   */
  INTERRUPT_SKIPS_EXEC_FINI,
  /**
   * The eviction of a discardable object (no placement) frees its range without ttm_bo_wait_ctx
   * (against ttm_bo_evict: "Since we've already synced, this frees backing store immediately"):
   * jobs still to run reach a freed range.
   */
  GUTTING_NO_WAIT,
  // VMs (org.syncref.hw.vm): spec/GpuMem/GpuMemVm.tla (slice 2) and GpuMemTlb.tla (slice 5).
  /**
   * The eviction (and move) copy depends on the READ query of the moved object (what an
   * implicit-sync writer waits for), not on BOOKKEEP fences: against amdgpu_ttm_prepare_job's
   * DMA_RESV_USAGE_BOOKKEEP and enum dma_resv_usage's BOOKKEEP ("preemption fences, page table
   * updates"); a preemption fence is never waited for, so nothing preempts the long-running
   * context. TLA+ mutant {@code evict_skips_bookkeep} (GpuMemVm_evict_skips_bookkeep_bug), rule
   * MEM-PT-BOOKKEEP.
   */
  EVICT_SKIPS_BOOKKEEP,
  /**
   * The unmap replaces the preemption fence with dma_fence_get_stub() (signaled) at once, not
   * with the page-table update fence: against dma_resv_replace_fences' kernel-doc ("Only valid if
   * the operation represented by the original fence has no longer access to the resources ...
   * when the new fence completes"). TLA+ mutant {@code replace_stub}
   * (GpuMemVmUnmap_replace_stub_bug), rule MEM-PT-BOOKKEEP.
   */
  REPLACE_STUB,
  /**
   * The rebind worker resumes the context without the page-table update and without waiting
   * for it: against xe_vm.c preempt_rebind_work_func (xe_vm_rebind, "Wait on rebinds and munmap
   * style VM unbinds", then resume_and_reinstall_preempt_fences). TLA+ mutant {@code
   * resume_no_rebind} (GpuMemVm_resume_no_rebind_bug), rule MEM-NO-STALE-ACCESS.
   */
  RESUME_NO_REBIND,
  /**
   * The TLB flush fence is made and the flush runs, but the fence is never added to the VM's
   * resv: against amdgpu_vm.c amdgpu_vm_tlb_flush's {@code dma_resv_add_fence(..., *fence,
   * DMA_RESV_USAGE_BOOKKEEP)}. TLA+ mutant {@code no_tlb_fence}
   * (GpuMemTlbUnmap_no_tlb_fence_bug), rule MEM-TLB-FLUSHED.
   */
  NO_TLB_FENCE,
  /**
   * The TLB flush does not wait for the page-table update (f-&gt;dependency dropped), as the
   * versions of "drm/amdgpu: implement TLB flush fence" before v4 ("add a wait for
   * (f-&gt;dependency) in tlb_fence_work"). TLA+ mutant {@code flush_before_update}
   * (GpuMemTlbUnmap_flush_before_update_bug), rule MEM-TLB-FLUSHED.
   */
  FLUSH_BEFORE_UPDATE,
  /**
   * The rebind worker waits for the page-table update only and resumes the context before the
   * TLB flush: against amdgpu_amdkfd_gpuvm.c's wait for bo_va-&gt;last_pt_update (the TLB fence)
   * in amdgpu_amdkfd_gpuvm_restore_process_bos. TLA+ mutant {@code resume_before_flush}
   * (GpuMemTlb_resume_before_flush_bug), rule MEM-NO-STALE-ACCESS (through a stale TLB entry).
   */
  RESUME_BEFORE_FLUSH;

  /** The per-kernel set of injected hardware-model bugs. */
  static final class Injected {
    final Set<HwBug> bugs = EnumSet.noneOf(HwBug.class);
  }

  /** Gives {@code kernel}'s drivers the bugs. */
  public static void inject(Kernel kernel, HwBug... bugs) {
    Injected s = kernel.subsystem(Injected.class, k -> new Injected());
    synchronized (s) {
      s.bugs.addAll(java.util.List.of(bugs));
    }
    GpuFaults.injectSchedBugs(kernel, bugs); // the scheduler-side halves (fault injection)
  }

  /** Whether this bug was injected into {@code kernel}. */
  public boolean in(Kernel kernel) {
    Injected s = kernel.subsystem(Injected.class, k -> new Injected());
    synchronized (s) {
      return s.bugs.contains(this);
    }
  }
}
