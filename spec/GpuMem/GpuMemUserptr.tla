---------------------------- MODULE GpuMemUserptr ----------------------------
(***************************************************************************)
(* The GPU memory system, slice 4: userptr and the MMU interval notifier.  *)
(*                                                                         *)
(* A userptr maps a range of a process's anonymous or page-cache memory    *)
(* into the GPU, without pinning it (Documentation/gpu/                    *)
(* drm-vm-bind-locking.rst, "userptr gpu_vmas"): the driver "make[s] sure  *)
(* we are notified using a MMU notifier just before the CPU mm unmaps the  *)
(* pages".  Two things keep the GPU off pages the core mm has taken back:  *)
(*   - the exec re-checks the notifier's sequence number under the         *)
(*     notifier lock (mmu_interval_read_retry) and publishes its job's     *)
(*     fence before it drops that lock, or gives up with -EAGAIN and       *)
(*     retries;                                                            *)
(*   - the invalidation callback sets the sequence number under the same   *)
(*     lock (mmu_interval_set_seq) and then waits for every fence of the   *)
(*     reservation object, BOOKKEEP included, before it returns and the    *)
(*     core mm unmaps (and may free or reuse) the pages.                   *)
(* Either alone is not enough; this module checks that together they keep  *)
(* MEM-USERPTR-NOTIFIER: no job touches userptr pages in a tenure that has *)
(* ended.                                                                  *)
(*                                                                         *)
(* Why EXTENDS GpuMem, not GpuMemVm: the sequence check guards dma-fence   *)
(* jobs (xe_exec_ioctl does it only `if (!xe_vm_in_lr_mode(vm))`,          *)
(* amdgpu_cs_submit for every CS); a long-running context, its preemption  *)
(* fence and the rebind worker (GpuMemVm) play no part, and their          *)
(* variables would only multiply the states.  GpuMem gives the jobs        *)
(* (arm, dependencies, RunJob with its access events), the pages as a      *)
(* range with a tenure, and the reservation object.  GpuMem.tla only       *)
(* gained the names of this slice's three mutants (GpuMutants).            *)
(*                                                                         *)
(* Kernel sources followed (6.12.118, the Debian linux-source-6.12 tree;   *)
(* mainline differences named):                                            *)
(*   Documentation/gpu/drm-vm-bind-locking.rst  "userptr gpu_vmas": the    *)
(*       exec function and gpu_vma_userptr_invalidate()                    *)
(*   include/linux/mmu_notifier.h  mmu_interval_set_seq,                   *)
(*       mmu_interval_read_retry, mmu_interval_check_retry (kernel-doc)    *)
(*   mm/mmu_notifier.c  mmu_interval_read_begin,                           *)
(*       mn_itree_inv_start_range, mn_itree_inv_end, mn_itree_invalidate,  *)
(*       mmu_notifier_register (invalidate_seq = 2),                       *)
(*       mmu_interval_notifier_insert (invalidate_seq - 1)                 *)
(*   drivers/gpu/drm/xe/xe_exec.c  xe_exec_ioctl                           *)
(*   drivers/gpu/drm/xe/xe_vm.c  vma_userptr_invalidate,                   *)
(*       __vma_userptr_invalidate, __xe_vm_userptr_needs_repin,            *)
(*       xe_vm_userptr_check_repin, xe_vma_userptr_check_repin             *)
(*   drivers/gpu/drm/xe/xe_hmm.c  xe_hmm_userptr_populate_range            *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_hmm.c  amdgpu_hmm_invalidate_gfx,   *)
(*       amdgpu_hmm_range_get_pages_done                                   *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_cs.c  amdgpu_cs_submit              *)
(*   "dma-buf: add DMA_RESV_USAGE_BOOKKEEP v3" (Christian König,           *)
(*       dri-devel, 7 Apr 2022; mainline 0cc848a75b74): the notifiers of   *)
(*       amdgpu, radeon and i915 wait for BOOKKEEP, not READ.              *)
(*                                                                         *)
(* Granularity.  One userptr range; its backing pages are one GpuMem range *)
(* (UserPages) whose tenure counts the sets of pages that backed it: the   *)
(* core mm's unmap after an invalidation ends a tenure, and the next fault *)
(* brings the next.  UserObj is the reservation object the exec publishes  *)
(* its fence in and the notifier waits on (xe: the VM's, xe_vm_resv(vm);   *)
(* amdgpu: the userptr BO's own, bo->tbo.base.resv); its placement is the  *)
(* pages, as an amdgpu userptr BO's ttm_tt is.  The exec runs on its own   *)
(* thread (ExecThread), one kernel call a step, the core mm's invalidation *)
(* on another (Mm).  The notifier lock (xe: vm->userptr.notifier_lock, an  *)
(* rw_semaphore; amdgpu: adev->notifier_lock, a mutex) is `nlRead`: the    *)
(* exec holds it for read; the invalidation takes it for write in one      *)
(* step (down_write, mmu_interval_set_seq, up_write), which waits while    *)
(* the exec holds it.                                                      *)
(***************************************************************************)
EXTENDS GpuMem

CONSTANTS
    Mm,             \* the thread of the core mm that invalidates (in Threads)
    ExecThread,     \* the thread of the exec ioctl (in Threads)
    UserObj,        \* the reservation object of the userptr (a BO: xe's VM resv, amdgpu's userptr BO)
    UserPages,      \* the range standing for the pages that back the userptr's VA range
    ExecEngine,     \* the engine the exec's jobs run on
    ExecMode,       \* "explicit" (xe: KERNEL deps, fence added as BOOKKEEP) or "write" (amdgpu's CS)
    MaxInval        \* how many invalidations of the range a behaviour has (model bound)

ASSUME /\ {Mm, ExecThread} \subseteq Threads \ {Cpu, Gpu} /\ Mm # ExecThread
       /\ UserObj \in BOs /\ UserPages \in Ranges /\ InitPlace[UserObj] = UserPages
       /\ ExecEngine \in Engines /\ ExecMode \in {"explicit", "write"} /\ MaxInval \in Nat

VARIABLES
    sseq,       \* subscriptions->invalidate_seq of the mm (odd: an invalidation runs)
    iseq,       \* interval_sub->invalidate_seq of the userptr's interval notifier
    savedSeq,   \* the userptr's saved sequence (doc: gpu_vma->saved_seq; xe: userptr->notifier_seq)
    upBind,     \* the pages the userptr's page pointers refer to: a Bind, or None
    nlRead,     \* the exec holds the notifier lock (for read)
    uop,        \* the exec's step, its job's fence, the sequence read_begin returned
    mop,        \* the invalidation's step
    ninv        \* invalidations done (for the bound MaxInval)

upVars == <<sseq, iseq, savedSeq, upBind, nlRead, uop, mop, ninv>>
upAll == <<gpuVars, upVars>>
UIdle == [s |-> 0, f |-> None, seq |-> 0, retry |-> FALSE]
MopSteps == {"idle", "started", "seqset", "returned", "unmapped"}

UpTypeOK ==
    /\ GpuTypeOK
    /\ sseq \in Nat /\ iseq \in Nat /\ savedSeq \in Nat
    /\ upBind \in Bind \cup {None}
    /\ nlRead \in BOOLEAN
    /\ uop.s \in 0..10 /\ uop.f \in Fences \cup {None} /\ uop.seq \in Nat /\ uop.retry \in BOOLEAN
    /\ mop \in MopSteps
    /\ ninv \in 0..MaxInval

(* mmu_notifier_register: subscriptions->invalidate_seq = 2;
   mmu_interval_notifier_insert (no invalidation running):
   interval_sub->invalidate_seq = subscriptions->invalidate_seq - 1.
   The userptr has no saved sequence yet (xe_userptr_setup / xe 6.12's
   xe_vma_create: notifier_seq = LONG_MAX); 0 stands for it: read_begin
   never returns an even value. *)
UpInit ==
    /\ GpuInit
    /\ sseq = 2 /\ iseq = 1 /\ savedSeq = 0
    /\ upBind = None
    /\ nlRead = FALSE
    /\ uop = UIdle
    /\ mop = "idle"
    /\ ninv = 0

(* The deliberate bugs of this slice (GpuMutant), each a named rule beside
   the mainline reading. *)

(* Mutant check_unlocked: the exec checks the sequence without the notifier
   lock (mmu_interval_check_retry, as xe's advisory
   xe_vma_userptr_check_repin, "can be called without the
   vm->userptr.notifier_lock held") and publishes its fence without holding
   the lock.  include/linux/mmu_notifier.h, mmu_interval_read_retry:
       "This MUST be called under a user provided lock that is also held
        unconditionally by op->invalidate() when it calls
        mmu_interval_set_seq()."
   and mmu_interval_check_retry: "False is not reliable and only suggests a
   collision may not have occurred."  drm-vm-bind-locking.rst: "Final
   userptr sequence validation may not happen before the submission
   dma_fence is added to the gpu_vm's resv, from the POW of the MMU
   invalidation notifier.  Hence the userptr_notifier_lock that will make
   them appear atomic." *)
Rule_check_unlocked == FALSE
TakesNotifierLock == IF GpuMutant = "check_unlocked" THEN Rule_check_unlocked ELSE TRUE

(* Mutant no_recheck: the exec takes the notifier lock but publishes
   without mmu_interval_read_retry, trusting the sequence it read before it
   obtained the pages.  mmu_interval_read_begin's kernel-doc: "If the mm
   invokes invalidation during the critical section then
   mmu_interval_read_retry() will return true"; the document's exec:
   "if (mmu_interval_read_retry(&gpu_vma->userptr_interval,
   gpu_vma->saved_seq)) { up_read(...); goto retry; }". *)
Rule_no_recheck(collided) == FALSE
Collided == IF GpuMutant = "no_recheck" THEN Rule_no_recheck(iseq # savedSeq) ELSE iseq # savedSeq

(* Mutant inval_waits_read: the invalidation waits for the fences up to
   READ, not for BOOKKEEP: what amdgpu_mn_invalidate_gfx, radeon_mn_invalidate
   and i915_gem_userptr_invalidate waited for before "dma-buf: add
   DMA_RESV_USAGE_BOOKKEEP v3" (Christian König, 7 Apr 2022; mainline
   0cc848a75b74) moved them to DMA_RESV_USAGE_BOOKKEEP, when READ stopped
   being every fence.  drm-vm-bind-locking.rst, gpu_vma_userptr_invalidate:
       dma_resv_wait_timeout(&gpu_vm->resv, DMA_RESV_USAGE_BOOKKEEP,
                             false, MAX_SCHEDULE_TIMEOUT);
   "When this invalidation notifier returns, the GPU can no longer be
   accessing the old pages of the userptr gpu_vma". *)
Rule_inval_waits_read == READ
InvalWaitUsage == IF GpuMutant = "inval_waits_read" THEN Rule_inval_waits_read ELSE BOOKKEEP

-----------------------------------------------------------------------------
(* The exec thread's kernel calls (as GpuMem's TrylockStep ... ArmStep). *)
XTrylock(r) ==
    /\ WW!Trylock(ExecThread, r, None) /\ lockOwner'[r] = ExecThread
    /\ holder' = [holder EXCEPT ![r] = ExecThread]
    /\ UNCHANGED <<table, maxSlots, gen, nul, budget, cursor, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings
XUnlock(r) == ResvUnlock(ExecThread, r) /\ WW!Unlock(ExecThread, r)
XReserve(r) == ReserveFences(ExecThread, r, 1) /\ UNCHANGED wwState
XAdd(r, f, u) == AddFence(ExecThread, r, f, u) /\ UNCHANGED wwState
XArm(f) == FenceInit(ExecThread, f) /\ UNCHANGED resvVars /\ UNCHANGED wwState
XNoFence == UNCHANGED allVars /\ UNCHANGED wwState
UAt(n) == uop.s = n
UGoto(n) == uop' = [uop EXCEPT !.s = n]
XNoMem == UNCHANGED memVars
XNoMemButJobs == UNCHANGED <<mmVars, histVars, op, rop>>
NoMmSide == UNCHANGED <<sseq, iseq, mop, ninv>>
CurrentPages == [o |-> UserObj, r |-> UserPages, ten |-> tenure[UserPages]]

(* The exec (drm-vm-bind-locking.rst, "userptr gpu_vmas"):
       retry:
       seq = mmu_interval_read_begin(&gpu_vma->userptr_interval);
       if (seq != gpu_vma->saved_seq) {
               obtain_new_page_pointers(&gpu_vma);
               ...
               gpu_vma->saved_seq = seq;
       }
       // The usual revalidation goes here.
       add_dependencies(&gpu_job, &gpu_vm->resv);
       down_read(&gpu_vm->userptr_notifier_lock);
       if (mmu_interval_read_retry(&gpu_vma->userptr_interval, gpu_vma->saved_seq)) {
              up_read(&gpu_vm->userptr_notifier_lock);
              goto retry;
       }
       job_dma_fence = gpu_submit(&gpu_job));
       add_dma_fence(job_dma_fence, &gpu_vm->resv);
       ...
       dma_resv_unlock_all_resv_locks();
       up_read(&gpu_vm->userptr_notifier_lock);
   xe_exec_ioctl (xe_exec.c) does the same for a VM not in LR mode: the
   pages are obtained by xe_vm_userptr_pin (xe_hmm_userptr_populate_range:
   read_begin, hmm_range_fault, read_retry under the notifier lock, then
   userptr->notifier_seq = hmm_range.notifier_seq), drm_gpuvm_exec_lock
   locks the VM's resv and reserves one slot (xe_exec_fn ->
   xe_vm_validate_rebind(vm, &vm_exec->exec, 1)), the job waits for the
   KERNEL fences of the locked objects (xe_sched_job_add_deps(job,
   obj->resv, DMA_RESV_USAGE_KERNEL)), and then
       err = down_read_interruptible(&vm->userptr.notifier_lock);
       err = __xe_vm_userptr_needs_repin(vm);      (-EAGAIN: goto err_repin)
       xe_sched_job_arm(job);
       drm_gpuvm_resv_add_fence(&vm->gpuvm, exec, &job->drm.s_fence->finished,
                                DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
       xe_sched_job_push(job);
   err_repin:
       up_read(&vm->userptr.notifier_lock);
   err_exec:
       drm_exec_fini(exec);
       ...
       if (err == -EAGAIN && !skip_retry)
               goto retry;
   xe's check is "the invalidated list is empty" (the notifier puts the
   vma on it under the notifier lock); drm-vm-bind-locking.rst, "Efficient
   userptr gpu_vma exec_function iteration": "the retry check in the exec
   function trivially becomes a check for invalidated list empty".  The
   model checks the sequence, as the document's exec does.  amdgpu_cs_submit
   arms its jobs before it takes adev->notifier_lock (and returns -EAGAIN to
   userspace, whose drmIoctl restarts the ioctl); the model arms after the
   check, as xe and the document do.  ExecMode "explicit" is xe's job (KERNEL
   dependencies, fence added as BOOKKEEP); "write" is amdgpu's gang leader
   (implicit sync, fence added as DMA_RESV_USAGE_WRITE).
   Steps: 1 read_begin, 2 obtain the page pointers (or keep them), 3 lock
   UserObj, 4 reserve, 5 down_read + read_retry, 6 arm, 7 add the fence and
   push, 8 up_read, 10 unlock (and retry, or done); the retry path goes
   5 -> 9 up_read -> 10. *)

(* mmu_interval_read_begin (mm/mmu_notifier.c):
       seq = READ_ONCE(interval_sub->invalidate_seq);
       is_invalidating = seq == subscriptions->invalidate_seq;
       ...
       if (is_invalidating)
               wait_event(subscriptions->wq,
                          READ_ONCE(subscriptions->invalidate_seq) != seq);
       return seq;
   The wait is this step's guard.  The exec's job gets the next fence of
   ExecEngine (the job is created now; its fence is initialised at arm). *)
UReadBegin ==
    /\ nextCtx > 1 /\ iseq # sseq
    /\ \/ /\ UAt(0) /\ NextFences(ExecEngine) # {}
          /\ uop' = [UIdle EXCEPT !.s = 2, !.seq = iseq,
                                  !.f = CHOOSE f \in NextFences(ExecEngine) : TRUE]
       \/ /\ UAt(1) /\ uop' = [uop EXCEPT !.s = 2, !.seq = iseq, !.retry = FALSE]
    /\ UNCHANGED <<savedSeq, upBind, nlRead>> /\ NoMmSide /\ XNoFence /\ XNoMem

(* obtain_new_page_pointers: hmm_range_fault (xe_hmm_userptr_populate_range;
   amdgpu_hmm_range_get_pages) reads the pages that back the range now,
   faulting them in; they are the current tenure of UserPages.  With the
   saved sequence unchanged the page pointers are kept. *)
UGetPages ==
    /\ UAt(2) /\ uop.seq # savedSeq
    /\ upBind' = CurrentPages /\ savedSeq' = uop.seq /\ UGoto(3)
    /\ UNCHANGED nlRead /\ NoMmSide /\ XNoFence /\ XNoMem
UKeepPages ==
    /\ UAt(2) /\ uop.seq = savedSeq /\ UGoto(3)
    /\ UNCHANGED <<savedSeq, upBind, nlRead>> /\ NoMmSide /\ XNoFence /\ XNoMem

(* drm_gpuvm_exec_lock: dma_resv_lock of UserObj (nobody else locks it
   here: a trylock that succeeds), then dma_resv_reserve_fences(obj, 1). *)
ULock ==
    /\ UAt(3) /\ XTrylock(UserObj) /\ UGoto(4)
    /\ UNCHANGED <<savedSeq, upBind, nlRead>> /\ NoMmSide /\ XNoMem
UReserve ==
    /\ UAt(4) /\ XReserve(UserObj) /\ UGoto(5)
    /\ UNCHANGED <<savedSeq, upBind, nlRead>> /\ NoMmSide /\ XNoMem

(* down_read(&notifier_lock) (taken while the invalidation does not hold it
   for write: its write section is one step, so it is free here) and
   mmu_interval_read_retry(interval_sub, saved_seq):
       return interval_sub->invalidate_seq != seq;
   true: -EAGAIN (5 -> 9, up_read, unlock, retry).  Mutant check_unlocked:
   the same comparison without the lock (mmu_interval_check_retry); mutant
   no_recheck: the lock without the comparison. *)
UCheck ==
    /\ UAt(5)
    /\ nlRead' = TakesNotifierLock
    /\ IF Collided
       THEN uop' = [uop EXCEPT !.s = 9, !.retry = TRUE]
       ELSE UGoto(6)
    /\ UNCHANGED <<savedSeq, upBind>> /\ NoMmSide /\ XNoFence /\ XNoMem

(* gpu_submit / xe_sched_job_arm (drm_sched_job_arm): the job's finished
   fence is initialised; its dependencies are GpuMem's SubmitDeps: for
   "explicit" the KERNEL fences of UserObj (xe_sched_job_add_deps(job,
   obj->resv, DMA_RESV_USAGE_KERNEL)), for "write" the implicit-sync query
   dma_resv_usage_rw(true); it will touch the pages its page pointers
   refer to. *)
UArm ==
    /\ UAt(6) /\ XArm(uop.f) /\ UGoto(7)
    /\ jobState' = [jobState EXCEPT ![uop.f] = "armed"]
    /\ jobDeps' = [jobDeps EXCEPT ![uop.f] = SubmitDeps(UserObj, ExecMode, uop.f)]
    /\ jobBinds' = [jobBinds EXCEPT ![uop.f] = {upBind}]
    /\ jobKernel' = [jobKernel EXCEPT ![uop.f] = PendingKernel(UserObj)]
    /\ jobMode' = [jobMode EXCEPT ![uop.f] = ExecMode]
    /\ UNCHANGED <<savedSeq, upBind, nlRead>> /\ NoMmSide /\ XNoMemButJobs
(* drm_gpuvm_resv_add_fence(..., DMA_RESV_USAGE_BOOKKEEP, ...) and
   xe_sched_job_push ("explicit"); amdgpu_cs_submit's
   dma_resv_add_fence(gobj->resv, p->fence, DMA_RESV_USAGE_WRITE) and
   drm_sched_entity_push_job ("write"). *)
UAdd ==
    /\ UAt(7) /\ XAdd(UserObj, uop.f, UsageOf(ExecMode)) /\ UGoto(8)
    /\ jobState' = [jobState EXCEPT ![uop.f] = "queued"]
    /\ UNCHANGED <<jobDeps, jobBinds, jobKernel, jobMode>>
    /\ UNCHANGED <<savedSeq, upBind, nlRead>> /\ NoMmSide /\ XNoMemButJobs
(* up_read(&notifier_lock), on the way out (8) or to the retry (9). *)
UUpRead ==
    /\ UAt(8) \/ UAt(9)
    /\ nlRead' = FALSE /\ UGoto(10)
    /\ UNCHANGED <<savedSeq, upBind>> /\ NoMmSide /\ XNoFence /\ XNoMem
(* drm_exec_fini: dma_resv_unlock; then `goto retry` or done. *)
UUnlock ==
    /\ UAt(10) /\ XUnlock(UserObj)
    /\ uop' = IF uop.retry THEN [uop EXCEPT !.s = 1] ELSE UIdle
    /\ UNCHANGED <<savedSeq, upBind, nlRead>> /\ NoMmSide /\ XNoMem

-----------------------------------------------------------------------------
(* An invalidation of the range by the core mm (munmap, migration, swap-out,
   ...), mn_itree_invalidate (mm/mmu_notifier.c) with the driver's callback:
     1. mn_itree_inv_start_range: subscriptions->invalidate_seq |= 1;
        cur_seq = subscriptions->invalidate_seq;
     2. the callback, as drm-vm-bind-locking.rst's gpu_vma_userptr_invalidate:
            down_write(&gpu_vm->userptr_notifier_lock);
            mmu_interval_set_seq(userptr_interval, cur_seq);
            up_write(&gpu_vm->userptr_notifier_lock);
     3.     dma_resv_wait_timeout(&gpu_vm->resv, DMA_RESV_USAGE_BOOKKEEP,
                                  false, MAX_SCHEDULE_TIMEOUT);
            return true;
     4. the core mm unmaps the pages (after every notifier returned): from
        now on they may be freed and reused; the tenure ends
     5. mn_itree_inv_end: subscriptions->invalidate_seq++ (even), wake_up_all.
   xe 6.12 (vma_userptr_invalidate -> __vma_userptr_invalidate) and amdgpu
   (amdgpu_hmm_invalidate_gfx) wait inside the write section:
       mutex_lock(&adev->notifier_lock);
       mmu_interval_set_seq(mni, cur_seq);
       r = dma_resv_wait_timeout(bo->tbo.base.resv, DMA_RESV_USAGE_BOOKKEEP,
                                 false, MAX_SCHEDULE_TIMEOUT);
       mutex_unlock(&adev->notifier_lock);
   which only keeps the exec out of its check for longer (a subset of the
   behaviours here).  Mainline xe (xe_userptr.c) splits the callback into
   xe_vma_userptr_invalidate_start (set_seq, enable signaling) and
   xe_vma_userptr_invalidate_finish (the BOOKKEEP wait), both before the
   core mm goes on.  The unmap (4) is placed before inv_end: the PTEs are
   zapped between invalidate_range_start and _end; the pages are freed
   after (tlb_finish_mmu), which is later still. *)
InvStart ==
    /\ mop = "idle" /\ ninv < MaxInval
    /\ sseq' = sseq + 1 /\ mop' = "started"
    /\ UNCHANGED <<iseq, ninv>> /\ UNCHANGED <<savedSeq, upBind, nlRead, uop>> /\ XNoFence /\ XNoMem
(* down_write waits while the exec holds the lock for read. *)
InvSetSeq ==
    /\ mop = "started" /\ ~nlRead
    /\ iseq' = sseq /\ mop' = "seqset"
    /\ UNCHANGED <<sseq, ninv>> /\ UNCHANGED <<savedSeq, upBind, nlRead, uop>> /\ XNoFence /\ XNoMem
(* dma_resv_wait_timeout(resv, DMA_RESV_USAGE_BOOKKEEP, ...) has returned:
   no fence of UserObj's resv with usage <= BOOKKEEP is unsignaled (one
   step, as GpuMem's GhostFree takes ttm_bo_delayed_delete's wait). *)
InvWait ==
    /\ mop = "seqset" /\ TestSignaledValue(UserObj, InvalWaitUsage)
    /\ mop' = "returned"
    /\ UNCHANGED <<sseq, iseq, ninv>> /\ UNCHANGED <<savedSeq, upBind, nlRead, uop>> /\ XNoFence /\ XNoMem
(* The core mm unmaps the pages: their tenure ends. *)
InvUnmap ==
    /\ mop = "returned"
    /\ tenure' = [tenure EXCEPT ![UserPages] = @ + 1] /\ mop' = "unmapped"
    /\ UNCHANGED <<place, owner, manFences, jobVars, histVars, op, rop>>
    /\ UNCHANGED <<sseq, iseq, ninv>> /\ UNCHANGED <<savedSeq, upBind, nlRead, uop>> /\ XNoFence
InvEnd ==
    /\ mop = "unmapped"
    /\ sseq' = sseq + 1 /\ ninv' = ninv + 1 /\ mop' = "idle"
    /\ UNCHANGED iseq /\ UNCHANGED <<savedSeq, upBind, nlRead, uop>> /\ XNoFence /\ XNoMem

-----------------------------------------------------------------------------
(* A step of GpuMem (the engine runs a job, driver load, ...), leaving the
   userptr alone. *)
GpuStep == GpuNext /\ UNCHANGED upVars

UpNext ==
    \/ GpuStep
    \/ UReadBegin \/ UGetPages \/ UKeepPages \/ ULock \/ UReserve \/ UCheck
    \/ UArm \/ UAdd \/ UUpRead \/ UUnlock
    \/ InvStart \/ InvSetSeq \/ InvWait \/ InvUnmap \/ InvEnd

UpSpec == UpInit /\ [][UpNext]_upAll

-----------------------------------------------------------------------------
(* [MEM-USERPTR-NOTIFIER] No job touches userptr pages after the core mm
   unmapped them: when a job runs, every page it was given is in the tenure
   the job was given it in (drm-vm-bind-locking.rst: "When this
   invalidation notifier returns, the GPU can no longer be accessing the
   old pages of the userptr gpu_vma and needs to redo the page-binding
   before a new GPU submission can succeed").  An action property on
   RunJob. *)
UserptrNoStaleAccess ==
    [][\A f \in Fences :
          (jobState[f] = "queued" /\ jobState'[f] = "done")
              => \A b \in jobBinds[f] : b.r = UserPages => b.ten = tenure[UserPages]]_upAll
=============================================================================
