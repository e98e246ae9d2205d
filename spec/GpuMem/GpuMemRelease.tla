---------------------------- MODULE GpuMemRelease ----------------------------
(***************************************************************************)
(* The GPU memory system, slice 3: the release of buffer objects, with     *)
(* delayed delete, including objects that share a reservation object.     *)
(*                                                                         *)
(* A BO private to a VM shares the VM's resv: amdgpu's per-VM BOs          *)
(* (AMDGPU_GEM_CREATE_VM_ALWAYS_VALID) use the root page directory's,      *)
(* xe's VM-private BOs xe_vm_resv(vm).  A job that uses such a BO adds its *)
(* fence to the shared resv only; the BO's own dma_resv (bo->base._resv,   *)
(* which every GEM object has) stays empty.  When the last reference goes, *)
(* ttm_bo_release first individualizes the resv (ttm_bo_individualize_resv:*)
(* dma_resv_copy_fences from the shared resv into the BO's own, then       *)
(* bo->base.resv = &bo->base._resv), and only then judges the BO idle on   *)
(* its own resv (dma_resv_test_signaled(.., DMA_RESV_USAGE_BOOKKEEP)):     *)
(* idle, its memory is freed at once; busy, it is queued for delayed       *)
(* delete, whose worker waits for every fence (BOOKKEEP) before it frees.  *)
(* ttm_bo_individualize_resv (ttm_bo.c) says why the copy is enough:       *)
(*     /* This works because the BO is about to be destroyed and nobody    *)
(*      * reference it any more. The only tricky case is the trylock on    *)
(*      * the resv object while holding the lru_lock.                      *)
(*      */                                                                 *)
(* Introduced by 841e763b4076 "drm/ttm: individualize BO reservation obj   *)
(* when they are freed" (Christian König, 20 Jul 2017).                    *)
(*                                                                         *)
(* Composition.  EXTENDS GpuMem: its state, its kernel-call steps          *)
(* (TrylockStep, ReserveStep, AddStep, UnlockStep, ArmStep), GpuMem's      *)
(* SubmitReserve, SubmitAdd, SubmitUnlock, DriverLoad and RunJob, and its  *)
(* properties.  Every resv call is DmaResv's own action: the copy is       *)
(* DmaResv's CopyFences (dma_resv_copy_fences), the idle test DmaResv's    *)
(* TestSignaled.  GpuMem's Resvs = BOs \cup Ghosts still holds: each BO    *)
(* names its own _resv; what changes is which one bo->base.resv points at  *)
(* (resvOf, initially InitResv).  The VM's resv is the _resv of a BO that  *)
(* has no range here (amdgpu: the root PD, whose page-table memory is not  *)
(* modelled; xe: drm_gpuvm's r_obj, a GEM object without memory).          *)
(* GpuMem's evictions and moves lock bo itself (each BO its own resv), so  *)
(* they are not part of this slice's next-state relation; GpuMem.tla only  *)
(* gained the names of the two mutants below (GpuMutants).                 *)
(*                                                                         *)
(* Kernel sources followed (6.12.118, the Debian linux-source-6.12 tree;   *)
(* mainline differences named):                                            *)
(*   drivers/gpu/drm/ttm/ttm_bo.c  ttm_bo_release,                         *)
(*       ttm_bo_individualize_resv, ttm_bo_flush_all_fences,               *)
(*       ttm_bo_delayed_delete, ttm_bo_cleanup_memtype_use                 *)
(*   drivers/dma-buf/dma-resv.c  dma_resv_copy_fences ("dst-lock must be  *)
(*       held"; src is walked unlocked, BOOKKEEP: every fence)             *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_gem.c  amdgpu_gem_create_ioctl      *)
(*       (AMDGPU_GEM_CREATE_VM_ALWAYS_VALID:                               *)
(*        resv = vm->root.bo->tbo.base.resv), amdgpu_gem_object_free       *)
(*       (ttm_bo_put)                                                      *)
(*   drivers/gpu/drm/xe/xe_bo.c  __xe_bo_create_locked                     *)
(*       (xe_bo_init_locked(.., vm ? xe_vm_resv(vm) : NULL, ..); the BO    *)
(*       keeps a reference to the VM so the shared resv outlives it)       *)
(* Mainline: "drm/ttm: test private resv obj on release/destroy"           *)
(* (Christian König, dri-devel/intel-gfx, 31 Jan 2025) makes               *)
(* ttm_bo_release test, and ttm_bo_delayed_delete wait on,                 *)
(* &bo->base._resv instead of bo->base.resv; after the individualization   *)
(* of a non-sg BO both are the same object, so the model is both.          *)
(*                                                                         *)
(* Granularity.  One CPU thread runs one operation at a time: a submission *)
(* (a job that uses one BO; its fence goes into the resv bo->base.resv     *)
(* points at, with the usage of its mode, as in GpuMem) or the release of  *)
(* a BO (the GEM handle dropped, ttm_bo_put reaching ttm_bo_release), one  *)
(* kernel call a step.  The delayed-delete worker frees a queued BO in one *)
(* step once its wait would return, as GpuMem's GhostFree.  A released BO  *)
(* is named by no later submission ("nobody reference it any more": a VM  *)
(* mapping of it holds a GEM reference, drm_gpuvm.c drm_gpuvm_bo_create,   *)
(* or is cleared before the last put, amdgpu_gem_object_close; so the      *)
(* release runs after the unmap).  Also a creation: a BO with its own     *)
(* resv gets a range a release freed (ttm_bo_init_reserved,                *)
(* ttm_bo_validate), so a stale job would meet its new tenant.             *)
(* Not modelled: ttm_bo_type_sg (imported dma-bufs, which keep the shared  *)
(* resv and always take the delayed path), want_init_on_free,              *)
(* the -ENOMEM fallback of the copy (a 30 s BOOKKEEP wait on the shared    *)
(* resv), release_notify, and a failing dma_resv_trylock in ttm_bo_release *)
(* (the BO's own _resv has no other user here, so it always succeeds).     *)
(***************************************************************************)
EXTENDS GpuMem

CONSTANTS
    InitResv,   \* [BOs -> BOs]: bo->base.resv at creation, named by the BO whose _resv it is
    Releasable, \* the BOs whose last reference the model drops
    NewBOs      \* BOs created during the behaviour (no memory at the start): they reuse freed ranges

ASSUME /\ InitResv \in [BOs -> BOs]
       \* the owner of a shared resv uses its own _resv
       /\ \A b \in BOs : InitResv[InitResv[b]] = InitResv[b]
       \* a BO whose _resv others share (the VM's) is not released: the VM
       \* outlives its BOs (amdgpu: abo->parent = amdgpu_bo_ref(vm->root.bo);
       \* xe: xe_vm_get(vm) per user BO)
       /\ Releasable \subseteq {b \in BOs : InitPlace[b] # None
                                            /\ \A c \in BOs \ {b} : InitResv[c] # b}
       /\ NewBOs \subseteq {b \in BOs : InitPlace[b] = None /\ InitResv[b] = b} \ Releasable
       /\ Contention = FALSE

VARIABLES
    resvOf,     \* [BOs -> BOs]: bo->base.resv, named by the BO whose _resv it is
    boState,    \* [BOs -> BoStates]: where the BO is in its life
    relop       \* the CPU thread's release (steps 1-6) or creation (7, 8) of a BO (RelIdle: none)

(* "live": referenced (its GEM handle is open); "releasing": in
   ttm_bo_release; "deleted": queued for delayed delete (bo->deleted =
   true); "freed": ttm_bo_cleanup_memtype_use has given its memory back. *)
BoStates == {"live", "releasing", "deleted", "freed"}
relVars == <<resvOf, boState, relop>>
relAll == <<gpuVars, relVars>>
RelIdle == [s |-> 0, o |-> None]

ReleaseTypeOK ==
    /\ GpuTypeOK
    /\ resvOf \in [BOs -> BOs]
    /\ boState \in [BOs -> BoStates]
    /\ relop \in [s : 0..8, o : BOs \cup {None}]

ReleaseInit ==
    /\ GpuInit
    /\ resvOf = InitResv
    /\ boState = [b \in BOs |-> "live"]
    /\ relop = RelIdle

-----------------------------------------------------------------------------
CpuIdle == At("idle", 0) /\ relop = RelIdle
RAt(n) == relop.s = n
RGoto(n) == relop' = [relop EXCEPT !.s = n]
NoJobStep == UNCHANGED <<mmVars, jobVars, histVars, op, rop>>

(* ttm_bo_cleanup_memtype_use(bo) -> ttm_resource_free(bo, &bo->resource):
   the BO's range goes back to its manager. *)
FreeBo(b) ==
    /\ owner' = [owner EXCEPT ![place[b]] = None]
    /\ place' = [place EXCEPT ![b] = None]
    /\ boState' = [boState EXCEPT ![b] = "freed"]
    /\ UNCHANGED <<tenure, manFences, jobVars, histVars, op, rop>>

-----------------------------------------------------------------------------
(* A submission that uses BO b with mode m (GpuMem's SubmitBegin ...
   SubmitUnlock), on the resv bo->base.resv points at: for a VM-private BO
   the VM's.  amdgpu locks the root PD with the BO list (amdgpu_cs.c:
   amdgpu_vm_lock_pd) and amdgpu_cs_submit adds the gang leader's fence to
   every locked object:
       dma_resv_add_fence(gobj->resv, p->fence, DMA_RESV_USAGE_WRITE);
   xe_exec_ioctl adds it to the VM's resv as BOOKKEEP (mode "explicit"):
       drm_gpuvm_resv_add_fence(&vm->gpuvm, exec, &job->drm.s_fence->finished,
                                DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
   op.o is the resv, op.e the BO the job touches; GpuMem's SubmitReserve,
   SubmitAdd and SubmitUnlock act on op.o unchanged. *)
RSubmitBegin(e, b, m) ==
    /\ CpuIdle /\ nextCtx > 1 /\ boState[b] = "live" /\ place[b] # None /\ NextFences(e) # {}
    /\ TrylockStep(resvOf[b])
    /\ op' = [IdleOp EXCEPT !.k = "submit", !.s = 2, !.o = resvOf[b], !.e = b, !.m = m,
                            !.f = CHOOSE f \in NextFences(e) : TRUE]
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>> /\ UNCHANGED relVars
(* drm_sched_job_add_implicit_dependencies on the resv, drm_sched_job_arm;
   the job will touch the range backing b now. *)
RSubmitArm ==
    LET b == op.e IN
    /\ At("submit", 3) /\ ArmStep(op.f) /\ Goto(4)
    /\ jobState' = [jobState EXCEPT ![op.f] = "armed"]
    /\ jobDeps' = [jobDeps EXCEPT ![op.f] = SubmitDeps(op.o, op.m, op.f)]
    /\ jobBinds' = [jobBinds EXCEPT ![op.f] = {[o |-> b, r |-> place[b], ten |-> tenure[place[b]]]}]
    /\ jobKernel' = [jobKernel EXCEPT ![op.f] = PendingKernel(op.o)]
    /\ jobMode' = [jobMode EXCEPT ![op.f] = op.m]
    /\ UNCHANGED <<mmVars, histVars, rop>> /\ UNCHANGED relVars

-----------------------------------------------------------------------------
(* The release of b: its last reference goes (amdgpu_gem_object_free /
   xe's GEM free -> ttm_bo_put -> kref_put(&bo->kref, ttm_bo_release)).
   ttm_bo_release (ttm_bo.c, 6.12.118):
       if (!bo->deleted) {
               ret = ttm_bo_individualize_resv(bo);
               ...
               if (!dma_resv_test_signaled(bo->base.resv,
                                           DMA_RESV_USAGE_BOOKKEEP) ||
                   (want_init_on_free() && (bo->ttm != NULL)) ||
                   bo->type == ttm_bo_type_sg ||
                   !dma_resv_trylock(bo->base.resv)) {
                       /* The BO is not idle, resurrect it for delayed destroy */
                       ttm_bo_flush_all_fences(bo);
                       bo->deleted = true;
                       ...
                       queue_work_node(bdev->pool.nid, bdev->wq, &bo->delayed_delete);
                       return;
               }
               ttm_bo_cleanup_memtype_use(bo);
               dma_resv_unlock(bo->base.resv);
       }
   ttm_bo_individualize_resv:
       if (bo->base.resv == &bo->base._resv)
               return 0;
       BUG_ON(!dma_resv_trylock(&bo->base._resv));
       r = dma_resv_copy_fences(&bo->base._resv, bo->base.resv);
       dma_resv_unlock(&bo->base._resv);
       if (r)
               return r;
       if (bo->type != ttm_bo_type_sg) {
               /* This works because the BO is about to be destroyed and nobody
                * reference it any more. ... */
               spin_lock(&bo->bdev->lru_lock);
               bo->base.resv = &bo->base._resv;
               spin_unlock(&bo->bdev->lru_lock);
       }
   Steps: 1 enter ttm_bo_release (and trylock the BO's own _resv, if its
   resv is shared), 2 dma_resv_copy_fences, 3 unlock and point
   bo->base.resv at _resv, 4 dma_resv_test_signaled (busy: queue the BO,
   done), 5 dma_resv_trylock and ttm_bo_cleanup_memtype_use, 6 unlock.
   ttm_bo_flush_all_fences (dma_fence_enable_sw_signaling of each fence)
   is not modelled: the engines run their jobs anyway.

   Mutant no_copy: the release judges a shared-resv BO idle on its own,
   empty, _resv: the trylock is followed by the unlock, with no copy of
   the shared resv's fences (ttm_bo_individualize_resv without its
   dma_resv_copy_fences). *)
Rule_no_copy == 3
AfterOwnTrylock == IF GpuMutant = "no_copy" THEN Rule_no_copy ELSE 2
RelBegin(b) ==
    /\ CpuIdle /\ b \in Releasable /\ boState[b] = "live"
    /\ boState' = [boState EXCEPT ![b] = "releasing"]
    /\ IF resvOf[b] = b
       THEN /\ UNCHANGED allVars /\ UNCHANGED wwState     \* individual already: return 0
            /\ relop' = [s |-> 4, o |-> b]
       ELSE /\ TrylockStep(b)                             \* BUG_ON(!dma_resv_trylock(&bo->base._resv))
            /\ relop' = [s |-> AfterOwnTrylock, o |-> b]
    /\ UNCHANGED resvOf /\ NoJobStep
(* dma_resv_copy_fences(&bo->base._resv, bo->base.resv): DmaResv's
   CopyFences (dst locked; the unsignaled fences of the shared resv, each
   with its usage, become the BO's own list). *)
RelCopy ==
    /\ RAt(2) /\ CopyFences(Cpu, relop.o, resvOf[relop.o]) /\ UNCHANGED wwState
    /\ RGoto(3) /\ UNCHANGED <<resvOf, boState>> /\ NoJobStep
(* dma_resv_unlock(&bo->base._resv); bo->base.resv = &bo->base._resv. *)
RelUnlockOwn ==
    /\ RAt(3) /\ UnlockStep(relop.o)
    /\ resvOf' = [resvOf EXCEPT ![relop.o] = relop.o]
    /\ RGoto(4) /\ UNCHANGED boState /\ NoJobStep
(* dma_resv_test_signaled(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP) (mainline:
   &bo->base._resv; the same object now): DmaResv's TestSignaled.  Busy:
   bo->deleted = true, queue_work_node(.., &bo->delayed_delete). *)
RelTest ==
    /\ RAt(4) /\ TestSignaled(Cpu, relop.o, BOOKKEEP) /\ UNCHANGED wwState
    /\ IF TestSignaledValue(relop.o, BOOKKEEP)
       THEN RGoto(5) /\ UNCHANGED boState
       ELSE /\ relop' = RelIdle
            /\ boState' = [boState EXCEPT ![relop.o] = "deleted"]
    /\ UNCHANGED resvOf /\ NoJobStep
(* dma_resv_trylock(bo->base.resv) (it succeeds: nobody else uses the BO's
   own _resv); ttm_bo_cleanup_memtype_use(bo). *)
RelFreeNow ==
    /\ RAt(5) /\ TrylockStep(relop.o) /\ FreeBo(relop.o)
    /\ RGoto(6) /\ UNCHANGED resvOf
(* dma_resv_unlock(bo->base.resv); bo->destroy(bo). *)
RelUnlockFree ==
    /\ RAt(6) /\ UnlockStep(relop.o) /\ relop' = RelIdle
    /\ UNCHANGED <<resvOf, boState>> /\ NoJobStep

(* The delayed-delete worker (ttm_bo.c, ttm_bo_delayed_delete, 6.12.118):
       dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP, false,
                             MAX_SCHEDULE_TIMEOUT);
       dma_resv_lock(bo->base.resv, NULL);
       ttm_bo_cleanup_memtype_use(bo);
       dma_resv_unlock(bo->base.resv);
       ttm_bo_put(bo);
   (mainline waits on &bo->base._resv, the same object here).  One step,
   as GpuMem's GhostFree: taken when the wait would return (every fence of
   the BO's resv with usage <= the wait's has signaled) and nobody holds
   the lock.
   Mutant delete_waits_read: the worker waits with DMA_RESV_USAGE_READ, as
   if BOOKKEEP fences (explicit-sync submissions, page-table updates,
   preemption fences) could not be touching the memory. *)
Rule_delete_waits_read == READ
DeleteWaitUsage == IF GpuMutant = "delete_waits_read" THEN Rule_delete_waits_read ELSE BOOKKEEP
DelayedDelete(b) ==
    /\ boState[b] = "deleted" /\ holder[resvOf[b]] = None
    /\ TestSignaledValue(resvOf[b], DeleteWaitUsage)
    /\ FreeBo(b)
    /\ UNCHANGED <<resvOf, relop>>
    /\ UNCHANGED allVars /\ UNCHANGED wwState

(* The creation of a BO with its own resv that gets memory, reusing a range
   a release freed (amdgpu_bo_create -> ttm_bo_init_reserved, ttm_bo.c):
       if (!resv)
               WARN_ON(!dma_resv_trylock(bo->base.resv));
       ...
       ret = ttm_bo_validate(bo, placement, ctx);
   ttm_bo_validate -> ttm_bo_alloc_resource: dma_resv_reserve_fences(
   bo->base.resv, 1), ttm_resource_alloc (a free range; the manager records
   no fence here, so ttm_bo_add_move_fence adds none); then the creator
   unlocks (amdgpu_object.c, amdgpu_bo_create: if (!bp->resv)
   amdgpu_bo_unreserve(bo)).
   Steps 7 trylock, 8 reserve and allocate, then unlock. *)
CreateBegin(b) ==
    /\ CpuIdle /\ b \in NewBOs /\ place[b] = None /\ boState[b] = "live"
    /\ \E r \in Ranges : owner[r] = None
    /\ TrylockStep(b) /\ relop' = [s |-> 7, o |-> b]
    /\ UNCHANGED <<resvOf, boState>> /\ NoJobStep
CreateAlloc ==
    /\ RAt(7) /\ ReserveStep(relop.o)
    /\ \E r \in Ranges :
          /\ owner[r] = None
          /\ owner' = [owner EXCEPT ![r] = relop.o]
          /\ tenure' = [tenure EXCEPT ![r] = @ + 1]
          /\ place' = [place EXCEPT ![relop.o] = r]
    /\ RGoto(8)
    /\ UNCHANGED <<manFences, jobVars, histVars, op, rop, resvOf, boState>>
CreateUnlock ==
    /\ RAt(8) /\ UnlockStep(relop.o) /\ relop' = RelIdle
    /\ UNCHANGED <<resvOf, boState>> /\ NoJobStep

(* GpuMem's own steps, with this slice's variables unchanged (named, so that
   counterexamples name them). *)
RDriverLoad == DriverLoad /\ UNCHANGED relVars
RSubmitReserve == SubmitReserve /\ UNCHANGED relVars
RSubmitAdd == SubmitAdd /\ UNCHANGED relVars
RSubmitUnlock == SubmitUnlock /\ UNCHANGED relVars
RRunJob(f) == RunJob(f) /\ UNCHANGED relVars

ReleaseNext ==
    \/ RDriverLoad
    \/ \E e \in UserEngines, b \in BOs, m \in UserModes : RSubmitBegin(e, b, m)
    \/ RSubmitReserve \/ RSubmitArm \/ RSubmitAdd \/ RSubmitUnlock
    \/ \E b \in BOs : RelBegin(b)
    \/ RelCopy \/ RelUnlockOwn \/ RelTest \/ RelFreeNow \/ RelUnlockFree
    \/ \E b \in BOs : DelayedDelete(b)
    \/ \E b \in BOs : CreateBegin(b)
    \/ CreateAlloc \/ CreateUnlock
    \/ \E f \in Fences : RRunJob(f)

ReleaseSpec == ReleaseInit /\ [][ReleaseNext]_relAll

-----------------------------------------------------------------------------
(* [MEM-RELEASE-IDLE] A released BO's memory goes back to its manager only
   when no job can still reach it: every job given the BO's range in its
   current tenure has completed.  MEM-FREE-UNREACHABLE for the release path
   (a release records no fence in the manager, so nothing may be pending).
   Relies on the copy (the BO's own _resv then holds every fence that
   reaches it) and on the delayed delete's BOOKKEEP wait.  An action
   property on the steps that free a released BO. *)
ReleaseIdle ==
    [][\A b \in BOs :
          (boState[b] # "live" /\ place[b] # None /\ place'[b] = None)
              => \A j \in Fences :
                    (/\ jobState[j] # "none"
                     /\ \E x \in jobBinds[j] : x.r = place[b] /\ x.ten = tenure[place[b]])
                        => signaled'[j]]_relAll
=============================================================================
