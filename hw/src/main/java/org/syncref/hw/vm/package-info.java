/**
 * VMs: page tables, TLB flush fences and a long-running context with preemption fences, on top
 * of {@link org.syncref.hw.ttm} (the Java counterpart of spec/GpuMem/GpuMemVm.tla, slice 2, and
 * GpuMemTlb.tla, slice 5; kernel tree Debian linux-source-6.12, 6.12.118). {@link
 * org.syncref.hw.vm.GpuVm} is the VM (with or without its TLB: slice 5 or slice 2), {@link
 * org.syncref.hw.vm.LrContext} the context and its preemption fences, {@link
 * org.syncref.hw.vm.TlbFence} a flush fence, {@link org.syncref.hw.vm.VmHistory} the checks,
 * {@link org.syncref.hw.vm.GpuVmSystem} the assembled system and its steps for random walks.
 *
 * <table>
 *   <caption>kernel function ↔ TLA+ action (GpuMemVm.tla, GpuMemTlb.tla) ↔ Java method</caption>
 *   <tr><th>kernel</th><th>TLA+ action</th><th>Java</th></tr>
 *   <tr><td>xe_vm.c xe_vm_add_compute_exec_queue (xe_preempt_fence_create,
 *       drm_gpuvm_resv_add_fence(..., BOOKKEEP)); amdgpu_amdkfd_bo_validate_and_fence</td>
 *       <td>LrStartBegin, LrStartReserve, LrStartArm, LrStartAdd, LrStartUnlock</td>
 *       <td>{@link org.syncref.hw.vm.GpuVm#lrStart}</td></tr>
 *   <tr><td>the context's memory accesses through the GPU's TLB and page-table walk</td>
 *       <td>TlbAccess (slice 5), LrAccess (slice 2)</td>
 *       <td>{@link org.syncref.hw.vm.GpuVm#lrAccess}</td></tr>
 *   <tr><td>drm_sched_entity_pop_job → drm_sched_entity_add_dependency_cb →
 *       dma_fence_add_callback → __dma_fence_enable_signaling → preempt_fence_enable_signaling
 *       (xe_preempt_fence.c; amdkfd_fence_enable_signaling): q-&gt;ops-&gt;suspend, queue_work</td>
 *       <td>LrPreempt (its enabling condition: a queued job depends on lrFence)</td>
 *       <td>{@link org.syncref.hw.sched.DrmGpuScheduler#addDependencyCb} → the fence's
 *       enable_signaling op in {@link org.syncref.hw.vm.LrContext}</td></tr>
 *   <tr><td>preempt_fence_work_func: suspend_wait, dma_fence_signal, xe_vm_queue_rebind_worker</td>
 *       <td>LrPreempt</td>
 *       <td>{@link org.syncref.hw.vm.LrContext#preemptFenceWork}</td></tr>
 *   <tr><td>preempt_rebind_work_func: lock, xe_vm_rebind (amdgpu_vm_bo_update →
 *       amdgpu_vm_update_range → amdgpu_vm_sdma_commit: the job, its fence BOOKKEEP),
 *       amdgpu_vm_tlb_flush (amdgpu_vm_tlb_fence_create, dma_resv_add_fence(..., BOOKKEEP))</td>
 *       <td>RebindBegin, RebindReserve, RebindArm, RebindAdd, TlbReserve, TlbArm, TlbAdd</td>
 *       <td>{@link org.syncref.hw.vm.GpuVm#rebindBegin}</td></tr>
 *   <tr><td>the page-table update job executes (amdgpu_job_run on an SDMA ring)</td>
 *       <td>RunPtJob(f)</td>
 *       <td>GpuVm.runPtJob (the job's hardware work; the step is GpuMemSystem's RunJob and
 *       Complete of the copy engine's scheduler)</td></tr>
 *   <tr><td>amdgpu_vm_tlb_fence.c amdgpu_tlb_fence_work: dma_fence_wait(dependency),
 *       amdgpu_gmc_flush_gpu_tlb_pasid, dma_fence_signal</td>
 *       <td>RunTlbFlush(t)</td>
 *       <td>{@link org.syncref.hw.vm.GpuVm#tlbFenceWork}</td></tr>
 *   <tr><td>preempt_rebind_work_func: "Wait on rebinds and munmap style VM unbinds"
 *       (dma_resv_wait_timeout), arm_preempt_fences, resume_and_reinstall_preempt_fences
 *       (q-&gt;ops-&gt;resume, drm_gpuvm_resv_add_fence(..., BOOKKEEP)), unlock; amdgpu's restore
 *       worker waits for bo_va-&gt;last_pt_update (the TLB fence)</td>
 *       <td>TlbRebindWait (RebindWait), RebindReserve2, RebindArmFence, RebindResume,
 *       TlbRebindUnlock (RebindUnlock)</td>
 *       <td>{@link org.syncref.hw.vm.GpuVm#rebindFinish} (guard
 *       {@link org.syncref.hw.vm.GpuVm#rebindFinishEnabled})</td></tr>
 *   <tr><td>an unmap as dma_resv_replace_fences' kernel-doc describes it: the clear's job,
 *       dma_resv_replace_fences(resv, q-&gt;lr.context, update, BOOKKEEP), the TLB flush
 *       fence</td>
 *       <td>UnmapBegin, UnmapArm, (UnmapStubInit, UnmapStubSignal: replace_stub), UnmapReplace,
 *       TlbReserve, TlbArm, TlbAdd, TlbUnmapUnlock (UnmapUnlock)</td>
 *       <td>{@link org.syncref.hw.vm.GpuVm#unmap}</td></tr>
 * </table>
 *
 * <p>Granularity: as in {@link org.syncref.hw.ttm}, a worker operation is one Java call (the
 * rebind two: its wait is the second call's guard), its kernel calls in the spec's order; the
 * VM worker is a Java thread of its own, so that the VM's resv is held by it across the
 * rebind's wait. The preemption is two steps (enable_signaling, then the work item) where the
 * spec has one (LrPreempt); between them the context is SUSPENDING and still counts as running.
 *
 * <p>Checks (rule IDs of spec/GpuMem/README.md): MEM-NO-STALE-ACCESS for the context
 * (LrNoStaleAccess, LrTlbNoStaleAccess) and for jobs against the context's accesses,
 * MEM-PT-BOOKKEEP (PtBookkeep), MEM-TLB-FLUSHED (TlbFlushed), MEM-KERNEL-FIRST for page-table
 * updates, in {@link org.syncref.hw.vm.VmHistory}; GpuMemHistory's checks keep running.
 * Negative controls, at the end of {@link org.syncref.hw.ttm.HwBug}: EVICT_SKIPS_BOOKKEEP,
 * REPLACE_STUB, RESUME_NO_REBIND (GpuMemVm's), NO_TLB_FENCE, FLUSH_BEFORE_UPDATE,
 * RESUME_BEFORE_FLUSH (GpuMemTlb's).
 *
 * <p>Not modelled (as in the spec): page-table BOs and their freeing, the worker's validate (the
 * rebind maps the BO where TTM left it: SYSTEM is GPU-accessible through GART), several VMs or
 * BOs per VM, userptr (slice 4), job timeouts during VM walks (a cancelled page-table update
 * would let the rebind resume on the old page tables; xe and amdgpu handle a failed bind
 * otherwise).
 */
package org.syncref.hw.vm;
