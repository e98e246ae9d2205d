------------------------------ MODULE GpuMemTlb ------------------------------
(***************************************************************************)
(* The GPU memory system, slice 5: TLB flush fences.                       *)
(*                                                                         *)
(* The GPU translates the long-running context's virtual addresses through *)
(* a TLB.  After a page-table update that unmaps or remaps a BO, the TLB   *)
(* may still hold the old translation until a TLB flush completes, and the *)
(* context reaches the old range through it.  amdgpu therefore turns the   *)
(* flush into a fence that signals when the flush is done and publishes it *)
(* in the VM's reservation object as BOOKKEEP, where TTM's eviction and    *)
(* delayed delete wait for it (drivers/gpu/drm/amd/amdgpu/amdgpu_vm.c,     *)
(* amdgpu_vm_tlb_flush):                                                   *)
(*       /* Prepare a TLB flush fence to be attached to PTs */             *)
(*       if (!params->unlocked && vm->is_compute_context) {                *)
(*               amdgpu_vm_tlb_fence_create(params->adev, vm, fence);      *)
(*               /* Makes sure no PD/PT is freed before the flush */       *)
(*               dma_resv_add_fence(vm->root.bo->tbo.base.resv, *fence,    *)
(*                                  DMA_RESV_USAGE_BOOKKEEP);              *)
(*       }                                                                 *)
(* and enum dma_resv_usage (include/linux/dma-resv.h) names TLB flushes    *)
(* among the BOOKKEEP users: "preemption fences, page table updates, TLB   *)
(* flushes as well as explicit synced user submissions".                   *)
(*                                                                         *)
(* Why EXTENDS GpuMemVm, not GpuMem: the TLB caches translations of the    *)
(* VM's page tables, and a flush is ordered after the page-table update    *)
(* that made the cached translation stale; the VM, its page tables         *)
(* (`ptes`), its update jobs, the long-running context and the VM worker's *)
(* unmap and rebind are GpuMemVm's.  This module adds the TLB and the      *)
(* flush fences and hooks them into GpuMemVm's worker operations by        *)
(* conjunction (an extra enabling condition on two of its steps), without  *)
(* changing GpuMemVm.tla.  GpuMem.tla only gained the names of the three   *)
(* mutants below in its GpuMutants.                                        *)
(*                                                                         *)
(* Kernel sources followed (6.12.118, the Debian linux-source-6.12 tree):  *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_vm_tlb_fence.c                      *)
(*       amdgpu_vm_tlb_fence_create, amdgpu_tlb_fence_work                 *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_vm.c  amdgpu_vm_update_range,       *)
(*       amdgpu_vm_tlb_flush, amdgpu_vm_bo_update (flush_tlb)              *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_vm_pt.c  amdgpu_vm_pt_free_list     *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_vm_sdma.c  amdgpu_vm_sdma_commit    *)
(*   drivers/gpu/drm/amd/amdkfd/kfd_chardev.c                              *)
(*       kfd_ioctl_unmap_memory_from_gpu                                   *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_amdkfd_gpuvm.c                      *)
(*       amdgpu_amdkfd_gpuvm_restore_process_bos, update_gpuvm_pte         *)
(*   drivers/gpu/drm/xe/xe_pt.c  invalidation_fence_init,                  *)
(*       xe_pt_update_ops_run, bind_op_prepare, unbind_op_prepare          *)
(*   "[PATCH v5 1/2] drm/amdgpu: implement TLB flush fence" (Christian     *)
(*       König, sent by Shashank Sharma, amd-gfx, 6 Mar 2024) and         *)
(*   "[PATCH v4 2/2] drm/amdgpu: sync page table freeing with tlb flush"   *)
(*       (Shashank Sharma, amd-gfx, 1 Mar 2024).                           *)
(*                                                                         *)
(* Granularity.  One TLB, for the long-running context's view of VmBo:     *)
(* `tlb` is the set of translations it holds (a BO spans many pages, so    *)
(* some may be cached and others not: the context reaches the union of     *)
(* what the TLB holds and what the page tables map).  A walk of the page   *)
(* tables fills the TLB (TlbAccess); only a flush empties it.  The flush   *)
(* of a TLB fence is one step (RunTlbFlush): amdgpu_tlb_fence_work waits   *)
(* for its dependency, flushes (amdgpu_gmc_flush_gpu_tlb_pasid, flush type *)
(* 2, all hubs) and signals.  TLB fences are jobs of their own fence       *)
(* context (TlbEngine, vm->tlb_fence_context) with the update fence as     *)
(* their dependency, so OrderedBefore sees through them.  Page-table BOs   *)
(* and their freeing (the original reason for the fence) are not          *)
(* modelled: only the BO ranges a stale entry reaches.                     *)
(***************************************************************************)
EXTENDS GpuMemVm

CONSTANTS
    TlbEngine   \* the VM's TLB fence context (amdgpu: vm->tlb_fence_context)

ASSUME TlbEngine \in Engines \ {PtEngine, LrEngine, CopyEngine}

VARIABLES
    tlb,        \* SUBSET Bind: the translations the TLB holds for the context's view of VmBo
    tlbOp       \* the VM worker's TLB-fence steps within its current operation

tlbVars == <<tlb, tlbOp>>
tlbAll == <<vmAll, tlbVars>>
TIdle == [s |-> 0, t |-> None]
TlbFences == {f \in Fences : FenceCtx[f] = EngineCtx[TlbEngine]}
(* What the running context can reach: what the TLB holds (possibly stale)
   and, on a TLB miss, what the page tables map. *)
LrReach == tlb \cup ptes[VmBo]

TlbTypeOK ==
    /\ VmTypeOK
    /\ tlb \subseteq Bind
    /\ tlbOp.s \in 0..3 /\ tlbOp.t \in Fences \cup {None}

TlbInit ==
    /\ VmInit
    \* The TLB holds nothing of the VM before the context first runs.
    /\ tlb = {}
    /\ tlbOp = TIdle

-----------------------------------------------------------------------------
(* The TLB flush fence of a page-table update that needs a flush, created
   by the VM worker with the VM's resv locked, right after the update was
   committed (amdgpu_vm.c, amdgpu_vm_update_range:
       r = vm->update_funcs->commit(&params, fence);
       ...
       if (params.needs_flush) {
               amdgpu_vm_tlb_flush(&params, fence, tlb_cb);
       ...
       amdgpu_vm_pt_free_list(adev, &params);
   amdgpu_vm_tlb_flush, for a compute VM:
       amdgpu_vm_tlb_fence_create(params->adev, vm, fence);
       /* Makes sure no PD/PT is freed before the flush */
       dma_resv_add_fence(vm->root.bo->tbo.base.resv, *fence,
                          DMA_RESV_USAGE_BOOKKEEP);
   amdgpu_vm_tlb_fence.c, amdgpu_vm_tlb_fence_create:
       f->dependency = *fence;
       ...
       dma_fence_init(&f->base, &amdgpu_tlb_fence_ops, &f->lock,
                      vm->tlb_fence_context, atomic64_read(&vm->tlb_seq));
       ...
       schedule_work(&f->work);
       *fence = &f->base;
   so the caller's fence (bo_va->last_pt_update, vm->last_update) becomes
   the TLB fence.)  Steps: 1 dma_resv_reserve_fences(resv, 1) (the VM's
   resv is locked with room for the update fences: amdgpu_vm.c,
   amdgpu_vm_lock_pd: "We need at least two fences for the VM PD/PT
   updates", drm_exec_prepare_obj(exec, &vm->root.bo->tbo.base,
   2 + num_fences)), 2 create the fence (dma_fence_init) and queue its
   work, depending on the update, 3 add it as BOOKKEEP.
   Mutant no_tlb_fence: the flush fence is created and the flush runs, but
   the fence is never added to the resv (step 3 skipped): the resv holds
   only the update fence, so the eviction waits for the page-table update,
   not for the flush.  It stands for the bug class "drm/amdgpu: implement
   TLB flush fence" fixed for page tables (before it, a freed PT BO waited
   in TTM for the update's fence in the shared resv, not for the flush;
   here the same rule is applied to the BO's range), whose posting
   ("[PATCH v5 1/2]", amd-gfx, 6 Mar 2024) says: "The problem is that
   when (for example) 4k pages are replaced with a single 2M page we need
   to wait for change to be flushed out by invalidating the TLB before the
   PT can be freed.  Solve this by moving the TLB flush into a DMA-fence
   object which can be used to delay the freeing of the PT BOs until it is
   signaled."
   Mutant flush_before_update: the flush does not wait for the update (its
   dependency is dropped), as in the versions of that patch before v4;
   v4's changelog: "add a
   wait for (f->dependency) in tlb_fence_work (Christian)". *)
(* The point in a VM worker operation where the update has been committed
   and the flush fence is made: the unmap after its replace (GpuMemVm's
   step 6), the rebind after its add (step 5). *)
TlbPoint == VAt("unmap", 6) \/ VAt("rebind", 5)
TlbReserve ==
    /\ TlbPoint /\ tlbOp.s = 0 /\ NextFences(TlbEngine) # {}
    /\ VReserve(vop.o)
    /\ tlbOp' = [s |-> 1, t |-> CHOOSE t \in NextFences(TlbEngine) : TRUE]
    /\ NoMemVars /\ UNCHANGED vmVars /\ UNCHANGED tlb
Rule_flush_before_update(u) == {}
FlushDeps(u) == IF GpuMutant = "flush_before_update" THEN Rule_flush_before_update(u) ELSE {u}
Rule_no_tlb_fence == 3
AfterTlbArm == IF GpuMutant = "no_tlb_fence" THEN Rule_no_tlb_fence ELSE 2
TlbArm ==
    LET t == tlbOp.t IN
    /\ TlbPoint /\ tlbOp.s = 1
    /\ VArm(t)
    /\ jobState' = [jobState EXCEPT ![t] = "queued"]
    /\ jobDeps' = [jobDeps EXCEPT ![t] = FlushDeps(vop.f)]
    /\ jobKernel' = [jobKernel EXCEPT ![t] = {}]
    /\ jobMode' = [jobMode EXCEPT ![t] = "explicit"]
    /\ tlbOp' = [tlbOp EXCEPT !.s = AfterTlbArm]
    /\ UNCHANGED <<mmVars, jobBinds, histVars, op, rop>> /\ UNCHANGED vmVars /\ UNCHANGED tlb
TlbAdd ==
    /\ TlbPoint /\ tlbOp.s = 2
    /\ VAdd(vop.o, tlbOp.t, BOOKKEEP)
    /\ tlbOp' = [tlbOp EXCEPT !.s = 3]
    /\ NoMemVars /\ UNCHANGED vmVars /\ UNCHANGED tlb

(* The flush (amdgpu_vm_tlb_fence.c, amdgpu_tlb_fence_work):
       if (f->dependency) {
               dma_fence_wait(f->dependency, false);
               ...
       }
       r = amdgpu_gmc_flush_gpu_tlb_pasid(f->adev, f->pasid, 2, true, 0);
       ...
       dma_fence_signal(&f->base);
   One step once the dependency has signaled (GpuMem's RunJob: the fence
   signals), and the TLB holds nothing any more.  xe does the same with an
   invalidation fence armed on the bind job's fence (xe_pt.c,
   invalidation_fence_init: dma_fence_add_callback(fence, &ifence->cb,
   invalidation_fence_cb), whose work runs xe_gt_tlb_invalidation_range). *)
RunTlbFlush(t) ==
    /\ t \in TlbFences /\ RunJob(t)
    /\ tlb' = {}
    /\ UNCHANGED vmVars /\ UNCHANGED tlbOp

(* The unmap ends (GpuMemVm's UnmapUnlock) only after the flush fence was
   made: amdgpu_vm_update_range returns after amdgpu_vm_tlb_flush. *)
TlbUnmapUnlock == UnmapUnlock /\ tlbOp.s = 3 /\ tlbOp' = TIdle /\ UNCHANGED tlb

(* The rebind worker waits for the fence the update returned, which is the
   TLB fence, before it resumes the context.  amdgpu_vm_bo_update of a moved
   BO sets flush_tlb (amdgpu_vm.c:
       if (!clear && bo_va->base.moved) {
               flush_tlb = true;
   ), and the KFD restore worker waits for bo_va->last_pt_update
   (amdgpu_amdkfd_gpuvm.c, update_gpuvm_pte:
       return amdgpu_sync_fence(sync, bo_va->last_pt_update, GFP_KERNEL);
   amdgpu_amdkfd_gpuvm_restore_process_bos:
       /* Wait for validate and PT updates to finish */
       amdgpu_sync_wait(&sync_obj, false);
   ) before it attaches the new eviction fence and the queues resume.  xe
   gets the same from the resume itself (xe_pt.c, bind_op_prepare: "If
   rebind, we have to invalidate TLB on !LR vms to invalidate cached PTEs
   point to freed memory. On LR vms this is done automatically when the
   context is re-enabled by the rebind worker").
   Mutant resume_before_flush: the worker waits for the page-table update
   only (GpuMemVm's RebindWait alone) and resumes the context while the
   TLB may still hold the translation of the range the BO was evicted
   from. *)
Rule_resume_before_flush == TRUE
FlushWaited ==
    IF GpuMutant = "resume_before_flush" THEN Rule_resume_before_flush ELSE signaled[tlbOp.t]
TlbRebindWait == RebindWait /\ tlbOp.s = 3 /\ FlushWaited /\ UNCHANGED tlbVars
TlbRebindUnlock == RebindUnlock /\ tlbOp' = TIdle /\ UNCHANGED tlb

(* The running context touches what it can reach (access events, recorded
   once each; LrTlbNoStaleAccess checks every state in which it runs): the
   TLB's entries and, on a miss, what the page tables map, which the walk
   puts into the TLB.  This replaces GpuMemVm's LrAccess, which touches
   only what the page tables map. *)
TlbAccess ==
    /\ lr = "running"
    /\ accesses' = accesses \cup {[j |-> lrFence, o |-> b.o, r |-> b.r, ten |-> b.ten] : b \in LrReach}
    /\ tlb' = tlb \cup ptes[VmBo]
    /\ <<accesses', tlb'>> # <<accesses, tlb>>
    /\ UNCHANGED <<mmVars, jobVars, op, rop>> /\ VNoFence /\ UNCHANGED vmVars
    /\ UNCHANGED tlbOp

(* A step of GpuMem that runs no TLB flush (GpuMemVm's GpuStep already
   leaves the page-table updates alone). *)
TlbGpuStep == GpuStep /\ (\A f \in TlbFences : jobState'[f] = jobState[f]) /\ UNCHANGED tlbVars
(* GpuMemVm's worker steps that need no TLB-fence condition. *)
VmStep ==
    \/ \E f \in PtFences : RunPtJob(f)
    \/ LrStartBegin \/ LrStartReserve \/ LrStartArm \/ LrStartAdd \/ LrStartUnlock
    \/ LrPreempt
    \/ RebindBegin \/ RebindReserve \/ RebindArm \/ RebindAdd
    \/ RebindReserve2 \/ RebindArmFence \/ RebindResume
    \/ UnmapBegin \/ UnmapArm \/ UnmapStubInit \/ UnmapStubSignal \/ UnmapReplace

TlbVmStep == VmStep /\ UNCHANGED tlbVars

TlbNext ==
    \/ TlbGpuStep
    \/ TlbVmStep
    \/ \E t \in TlbFences : RunTlbFlush(t)
    \/ TlbReserve \/ TlbArm \/ TlbAdd
    \/ TlbRebindWait \/ TlbRebindUnlock \/ TlbUnmapUnlock
    \/ TlbAccess

TlbSpec == TlbInit /\ [][TlbNext]_tlbAll

-----------------------------------------------------------------------------
(* [MEM-NO-STALE-ACCESS] through the TLB: "no GPU access to a range that no
   longer backs the object it reaches, including through a stale TLB
   entry".  In every state in which the context runs, no range it can reach
   (TLB entries and page tables) has been touched in a later tenure.  It
   implies GpuMemVm's LrNoStaleAccess (page tables only). *)
LrTlbNoStaleAccess ==
    lr = "running" => \A b \in LrReach, a \in accesses : a.r = b.r => a.ten <= b.ten

(* [MEM-TLB-FLUSHED] A range the running context can still reach through a
   TLB entry of the range's current tenure goes back to its manager only
   when a fence that ends that reach is (ordered before) a fence the
   manager records (pipelined eviction): a pending TLB flush, or the
   context's preemption fence (while the context is off the hardware; it
   must not resume before a flush, which LrTlbNoStaleAccess checks).  The
   flush fence is BOOKKEEP in the VM's resv: only an eviction that waits
   for BOOKKEEP sees it.  An action property on the steps that free. *)
TlbGuards == {lrFence} \cup {t \in TlbFences : jobState[t] = "queued"}
TlbFlushed ==
    [][\A r \in Ranges :
          (owner[r] # None /\ owner'[r] = None /\ lr = "running"
           /\ \E b \in tlb : b.r = r /\ b.ten = tenure[r])
              => \E m \in manFences'[RangeDom[r]], g \in TlbGuards :
                    g = m \/ OrderedBefore(g, m)]_tlbAll
=============================================================================
