/**
 * Userptr and its MMU interval notifier: the Java counterpart of spec/GpuMem/GpuMemUserptr.tla
 * (slice 4; kernel tree Debian linux-source-6.12, 6.12.118).
 *
 * <table>
 *   <caption>Java ↔ kernel ↔ spec/GpuMem/GpuMemUserptr.tla</caption>
 *   <tr><th>Java</th><th>kernel</th><th>TLA+ action</th></tr>
 *   <tr><td>{@link org.syncref.hw.userptr.MmuIntervalNotifier#readBegin}</td>
 *       <td>mm/mmu_notifier.c mmu_interval_read_begin (sleeps while the interval's invalidation
 *       runs)</td><td>UReadBegin</td></tr>
 *   <tr><td>UserptrExec, step GET_PAGES</td>
 *       <td>obtain_new_page_pointers: xe_hmm.c xe_hmm_userptr_populate_range / amdgpu_hmm.c
 *       amdgpu_hmm_range_get_pages (hmm_range_fault), saved_seq = seq</td>
 *       <td>UGetPages, UKeepPages</td></tr>
 *   <tr><td>UserptrExec, steps LOCK, RESERVE</td>
 *       <td>drm_gpuvm_exec_lock: dma_resv_lock, dma_resv_reserve_fences(obj, 1)</td>
 *       <td>ULock, UReserve</td></tr>
 *   <tr><td>UserptrExec, step CHECK; {@link org.syncref.hw.userptr.NotifierLock#downRead},
 *       {@link org.syncref.hw.userptr.MmuIntervalNotifier#readRetry}</td>
 *       <td>down_read(&amp;vm-&gt;userptr.notifier_lock), mmu_interval_read_retry (xe_exec.c
 *       xe_exec_ioctl: __xe_vm_userptr_needs_repin; amdgpu_cs.c amdgpu_cs_submit:
 *       amdgpu_ttm_tt_get_user_pages_done), -EAGAIN</td><td>UCheck</td></tr>
 *   <tr><td>UserptrExec, steps ARM, ADD</td>
 *       <td>xe_sched_job_add_deps(KERNEL), xe_sched_job_arm, drm_gpuvm_resv_add_fence(BOOKKEEP),
 *       xe_sched_job_push; amdgpu: dma_resv_add_fence(WRITE)</td><td>UArm, UAdd</td></tr>
 *   <tr><td>UserptrExec, steps UP_READ, UNLOCK</td>
 *       <td>up_read, drm_exec_fini, {@code goto retry} on -EAGAIN</td><td>UUpRead, UUnlock</td></tr>
 *   <tr><td>{@link org.syncref.hw.userptr.MmuInvalidation} START, END;
 *       {@link org.syncref.hw.userptr.MmuNotifierSubscriptions}</td>
 *       <td>mm/mmu_notifier.c mn_itree_inv_start_range, mn_itree_inv_end</td>
 *       <td>InvStart, InvEnd</td></tr>
 *   <tr><td>MmuInvalidation SET_SEQ, WAIT; {@link org.syncref.hw.userptr.MmuIntervalNotifier#setSeq}</td>
 *       <td>the invalidate callback: down_write / mutex_lock, mmu_interval_set_seq,
 *       dma_resv_wait_timeout(resv, DMA_RESV_USAGE_BOOKKEEP), up_write (xe_vm.c
 *       vma_userptr_invalidate, __vma_userptr_invalidate; amdgpu_hmm.c
 *       amdgpu_hmm_invalidate_gfx; drm-vm-bind-locking.rst gpu_vma_userptr_invalidate)</td>
 *       <td>InvSetSeq, InvWait</td></tr>
 *   <tr><td>MmuInvalidation UNMAP</td><td>the core mm unmaps the pages (after every notifier
 *       returned)</td><td>InvUnmap</td></tr>
 * </table>
 *
 * <p>Check: MEM-USERPTR-NOTIFIER in {@link org.syncref.hw.userptr.UserptrSystem} (a job that
 * runs on pages whose invalidation callback returned); negative controls {@code
 * HwBug.CHECK_UNLOCKED}, {@code NO_RECHECK}, {@code INVAL_WAITS_READ}.
 */
package org.syncref.hw.userptr;
