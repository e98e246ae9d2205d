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
  }

  /** Whether this bug was injected into {@code kernel}. */
  public boolean in(Kernel kernel) {
    Injected s = kernel.subsystem(Injected.class, k -> new Injected());
    synchronized (s) {
      return s.bugs.contains(this);
    }
  }
}
