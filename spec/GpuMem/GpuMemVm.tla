------------------------------ MODULE GpuMemVm -------------------------------
(***************************************************************************)
(* The GPU memory system, slice 2: a VM, a long-running (compute) context  *)
(* and the BOOKKEEP fences that guard them.                                *)
(*                                                                         *)
(* enum dma_resv_usage (include/linux/dma-resv.h), DMA_RESV_USAGE_BOOKKEEP:*)
(*   "No implicit sync.  This should be used by submissions which don't    *)
(*    want to participate in any implicit synchronization.  The most       *)
(*    common cases are preemption fences, page table updates, TLB flushes  *)
(*    as well as explicit synced user submissions."                        *)
(* A long-running context has no job fences: it touches the ranges its     *)
(* VM's page tables point at whenever it runs.  What keeps TTM from moving *)
(* memory under it is a preemption (KFD: eviction) fence in each of its    *)
(* BOs' resvs as BOOKKEEP: TTM's eviction copy depends on every fence      *)
(* (amdgpu_ttm_prepare_job: DMA_RESV_USAGE_BOOKKEEP), the scheduler's      *)
(* dependency callback calls the fence's enable_signaling, which preempts  *)
(* the context; once it is off the hardware the fence signals, the copy    *)
(* runs, and a rebind worker updates the page tables (a job whose fence    *)
(* is BOOKKEEP in the VM's resv) before the context resumes with a new     *)
(* preemption fence.  An unmap takes the other way the kernel-doc of       *)
(* dma_resv_replace_fences names: the page-table update that makes the     *)
(* range unreachable replaces the preemption fence.                        *)
(*                                                                         *)
(* Why a new module: GpuMemVm EXTENDS GpuMem and adds its own variables    *)
(* and actions; GpuMem's models do not see them and keep their state       *)
(* counts.  GpuMem.tla only gained the names of the three mutants below    *)
(* (its GpuMutants) and the eviction rule of one of them (MoveDeps).       *)
(*                                                                         *)
(* Kernel sources followed (6.12.118, the Debian linux-source-6.12 tree):  *)
(*   drivers/dma-buf/dma-resv.c  dma_resv_replace_fences (kernel-doc)      *)
(*   drivers/gpu/drm/xe/xe_vm_doc.h  "Preempt fences", "Rebind worker"     *)
(*   Documentation/gpu/drm-vm-bind-locking.rst  (local objects share the   *)
(*       gpu_vm's dma_resv)                                                *)
(*   drivers/gpu/drm/xe/xe_vm.c  xe_vm_add_compute_exec_queue,             *)
(*       preempt_rebind_work_func, resume_and_reinstall_preempt_fences     *)
(*   drivers/gpu/drm/xe/xe_preempt_fence.c                                 *)
(*       preempt_fence_enable_signaling, preempt_fence_work_func           *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_amdkfd_fence.c                      *)
(*       amdkfd_fence_enable_signaling                                     *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_amdkfd_gpuvm.c                      *)
(*       amdgpu_amdkfd_bo_validate_and_fence,                              *)
(*       amdgpu_amdkfd_remove_eviction_fence                               *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_vm.c  amdgpu_vm_bo_update;          *)
(*       amdgpu_vm_sdma.c  amdgpu_vm_sdma_commit (the update's fence)      *)
(*                                                                         *)
(* Granularity.  The VM has one BO (VmBo), private to the VM: it shares    *)
(* the VM's resv (drm_gpuvm's r_obj; amdgpu's per-VM BOs share the root    *)
(* PD's resv), so "the VM's resv and the BO's" is one reservation object.  *)
(* The VM worker (VmWorker, a kernel thread of its own: the rebind worker, *)
(* the unmap ioctl) runs one operation at a time, one kernel call a step.  *)
(* Its locks are trylocks that must succeed (a dma_resv_lock that would    *)
(* sleep is not taken until the lock is free).  The page tables are the    *)
(* map `ptes`; page-table BOs and TLB flushes are not modelled.            *)
(***************************************************************************)
EXTENDS GpuMem

CONSTANTS
    VmWorker,   \* the VM's kernel thread (in Threads)
    VmBo,       \* the BO the VM maps (private to the VM: its resv is the VM's)
    PtEngine,   \* the engine the page-table updates run on (amdgpu: vm_pte_scheds)
    LrEngine,   \* the long-running context; its fence context is its preemption fences'
    StubFence,  \* dma_fence_get_stub()'s fence (only the replace_stub mutant uses it)
    VmFlows     \* SUBSET {"rebind", "unmap"}: what the VM worker does

ASSUME /\ VmWorker \in Threads \ {Cpu, Gpu}
       /\ VmBo \in BOs /\ InitPlace[VmBo] # None
       /\ {PtEngine, LrEngine} \subseteq Engines
       /\ GpuMutant = "replace_stub" => StubFence \in Fences
       /\ VmFlows \subseteq {"rebind", "unmap"}
       \* a long-running context with preemption fences is amdgpu's (KFD
       \* eviction fences, amdgpu_amdkfd_fence.c) or xe's (preempt fences,
       \* xe_preempt_fence.c); i915 has none, and its eviction copy leaves
       \* BOOKKEEP fences out (GpuMem's EvictQuery)
       /\ Driver # "i915"

VARIABLES
    ptes,       \* [BOs -> SUBSET Bind]: what the VM's page tables map the BO to (at most one bind)
    ptSet,      \* [Fences -> [o, b]]: the page-table update job's effect: ptes[o] := b
    lr,         \* the long-running context: "off", "running", "preempted"
    lrFence,    \* its current preemption fence (None before it starts)
    vop         \* the VM worker's operation and step

vmVars == <<ptes, ptSet, lr, lrFence, vop>>
vmAll == <<gpuVars, vmVars>>
VIdle == [k |-> "idle", s |-> 0, o |-> None, f |-> None, p |-> None]
PtFences == {f \in Fences : FenceCtx[f] = EngineCtx[PtEngine]}
BindOf(o) == [o |-> o, r |-> place[o], ten |-> tenure[place[o]]]

VmTypeOK ==
    /\ GpuTypeOK
    /\ ptes \in [BOs -> SUBSET Bind]
    /\ \A o \in BOs : Cardinality(ptes[o]) <= 1
    /\ ptSet \in [Fences -> [o : BOs \cup {None}, b : SUBSET Bind]]
    /\ lr \in {"off", "running", "preempted"}
    /\ lrFence \in Fences \cup {None}
    /\ vop.k \in {"idle", "start", "rebind", "unmap"}

VmInit ==
    /\ GpuInit
    \* VmBo was mapped, and its update completed, before the model starts.
    /\ ptes = [o \in BOs |-> IF o = VmBo THEN {[o |-> o, r |-> InitPlace[o], ten |-> 1]} ELSE {}]
    /\ ptSet = [f \in Fences |-> [o |-> None, b |-> {}]]
    /\ lr = "off"
    /\ lrFence = None
    /\ vop = VIdle

-----------------------------------------------------------------------------
(* The VM worker's kernel calls (as GpuMem's TrylockStep ... ArmStep, on
   its own thread). *)
VTrylock(r) ==
    /\ WW!Trylock(VmWorker, r, None) /\ lockOwner'[r] = VmWorker
    /\ holder' = [holder EXCEPT ![r] = VmWorker]
    /\ UNCHANGED <<table, maxSlots, gen, nul, budget, cursor, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings
VUnlock(r) == ResvUnlock(VmWorker, r) /\ WW!Unlock(VmWorker, r)
VReserve(r) == ReserveFences(VmWorker, r, 1) /\ UNCHANGED wwState
VAdd(r, f, u) == AddFence(VmWorker, r, f, u) /\ UNCHANGED wwState
VArm(f) == FenceInit(VmWorker, f) /\ UNCHANGED resvVars /\ UNCHANGED wwState
VNoFence == UNCHANGED allVars /\ UNCHANGED wwState
VAt(k, n) == vop.k = k /\ vop.s = n
VGoto(n) == vop' = [vop EXCEPT !.s = n]
NoMemVars == UNCHANGED memVars

(* A page-table update job (amdgpu_vm_bo_update -> amdgpu_vm_update_range ->
   amdgpu_vm_sdma_commit: amdgpu_job_submit) armed and pushed on PtEngine:
   it will set ptes[o] to b.  It touches no BO range (the page-table BOs
   are not modelled).  Its dependencies are those given. *)
ArmPtJob(u, o, b, deps) ==
    /\ VArm(u)
    /\ jobState' = [jobState EXCEPT ![u] = "queued"]
    /\ jobDeps' = [jobDeps EXCEPT ![u] = deps]
    \* MEM-KERNEL-FIRST for an update that maps o: the context must not reach
    \* o's new range before the move into it completed.  A clear makes
    \* nothing reachable.
    /\ jobKernel' = [jobKernel EXCEPT ![u] = IF b = {} THEN {} ELSE PendingKernel(o)]
    /\ jobMode' = [jobMode EXCEPT ![u] = "explicit"]
    /\ ptSet' = [ptSet EXCEPT ![u] = [o |-> o, b |-> b]]
    /\ UNCHANGED <<mmVars, jobBinds, histVars, op, rop>>

-----------------------------------------------------------------------------
(* The long-running context starts (xe_vm.c, xe_vm_add_compute_exec_queue):
       pfence = xe_preempt_fence_create(q, q->lr.context, ++q->lr.seqno);
       ...
       drm_gpuvm_resv_add_fence(&vm->gpuvm, exec, pfence,
                                DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
   (amdgpu_amdkfd_gpuvm.c, amdgpu_amdkfd_bo_validate_and_fence:
       ret = dma_resv_reserve_fences(bo->tbo.base.resv, 1);
       dma_resv_add_fence(bo->tbo.base.resv, fence, DMA_RESV_USAGE_BOOKKEEP);)
   Steps: 1 lock, 2 reserve, 3 create the preemption fence (dma_fence_init),
   4 add it as BOOKKEEP, 5 unlock; the context runs.  It starts while its
   mapping is current (model bound: a start after VmBo moved would rebind
   first, as RebindBegin does). *)
LrStartBegin ==
    /\ VAt("idle", 0) /\ nextCtx > 1 /\ lr = "off"
    /\ place[VmBo] # None /\ ptes[VmBo] = {BindOf(VmBo)} /\ NextFences(LrEngine) # {}
    /\ VTrylock(VmBo)
    /\ vop' = [VIdle EXCEPT !.k = "start", !.s = 2, !.o = VmBo,
                            !.p = CHOOSE f \in NextFences(LrEngine) : TRUE]
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
LrStartReserve ==
    /\ VAt("start", 2) /\ VReserve(vop.o) /\ VGoto(3)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
LrStartArm ==
    /\ VAt("start", 3) /\ VArm(vop.p) /\ VGoto(4)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
LrStartAdd ==
    /\ VAt("start", 4) /\ VAdd(vop.o, vop.p, BOOKKEEP) /\ VGoto(5)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
LrStartUnlock ==
    /\ VAt("start", 5) /\ VUnlock(vop.o) /\ vop' = VIdle
    /\ lr' = "running" /\ lrFence' = vop.p
    /\ UNCHANGED <<ptes, ptSet>> /\ NoMemVars

(* The running context touches what its page tables map (access events,
   recorded once each; it touches them again whenever it runs, which
   LrNoStaleAccess checks in every state). *)
LrAccess ==
    /\ lr = "running"
    /\ accesses' = accesses \cup {[j |-> lrFence, o |-> b.o, r |-> b.r, ten |-> b.ten] : b \in ptes[VmBo]}
    /\ accesses' # accesses
    /\ UNCHANGED <<mmVars, jobVars, op, rop>> /\ VNoFence /\ UNCHANGED vmVars

(* Preemption.  A job that depends on the preemption fence makes the
   scheduler add a callback (drm_sched_entity_add_dependency_cb ->
   dma_fence_add_callback), which enables signaling:
   xe_preempt_fence.c, preempt_fence_enable_signaling:
       pfence->error = q->ops->suspend(q);
       queue_work(q->vm->xe->preempt_fence_wq, &pfence->preempt_work);
   preempt_fence_work_func:
       int err = q->ops->suspend_wait(q);
       ...
       dma_fence_signal(&pfence->base);
       xe_vm_queue_rebind_worker(q->vm);
   (amdgpu_amdkfd_fence.c, amdkfd_fence_enable_signaling: "This gets called
   when TTM wants to evict a KFD BO and schedules a job to move the BO ...
   If fence is not signaled schedule a evict KFD process work item":
   kgd2kfd_schedule_evict_and_restore_process.)  One step: the context is
   off the hardware, then its fence signals. *)
LrPreempt ==
    /\ lr = "running" /\ lrFence # None
    /\ \E j \in Fences : jobState[j] = "queued" /\ lrFence \in jobDeps[j]
    /\ Signal(Gpu, lrFence) /\ UNCHANGED resvVars /\ UNCHANGED wwState
    /\ lr' = "preempted"
    /\ UNCHANGED <<ptes, ptSet, lrFence, vop>> /\ NoMemVars

(* A page-table update completes: the engine runs it (GpuMem's RunJob) and
   the page tables now map what it wrote. *)
RunPtJob(f) ==
    /\ f \in PtFences /\ RunJob(f)
    /\ ptes' = [ptes EXCEPT ![ptSet[f].o] = ptSet[f].b]
    /\ UNCHANGED <<ptSet, lr, lrFence, vop>>

(* The rebind worker after a preemption (xe_vm.c, preempt_rebind_work_func;
   amdgpu's KFD restore worker does the same: validate, update the page
   tables, wait for the updates, new eviction fence, resume the queues):
       err = xe_preempt_work_begin(&exec, vm, &done);     (lock, validate)
       err = alloc_preempt_fences(vm, &preempt_fences, &fence_count);
       err = xe_vm_rebind(vm, true);
       /* Wait on rebinds and munmap style VM unbinds */
       wait = dma_resv_wait_timeout(xe_vm_resv(vm), DMA_RESV_USAGE_KERNEL, ...
       arm_preempt_fences(vm, &preempt_fences);
       resume_and_reinstall_preempt_fences(vm, &exec);
   resume_and_reinstall_preempt_fences:
       q->ops->resume(q);
       drm_gpuvm_resv_add_fence(&vm->gpuvm, exec, q->lr.pfence,
                                DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
   The page-table update maps the BO where it is now, after its move:
   amdgpu_vm.c, amdgpu_vm_bo_update:
       /* Implicitly sync to moving fences before mapping anything */
       r = amdgpu_sync_resv(adev, &sync, bo->tbo.base.resv, AMDGPU_SYNC_EXPLICIT, vm);
   (its KERNEL fences), and its fence goes into the VM's resv as BOOKKEEP
   (amdgpu_vm_sdma.c, amdgpu_vm_sdma_commit:
       dma_resv_add_fence(p->vm->root.bo->tbo.base.resv, f, DMA_RESV_USAGE_BOOKKEEP);)
   Steps: 1 lock, 2 reserve, 3 arm the update, 4 add it as BOOKKEEP, 5 wait
   for it, 6 reserve, 7 create the new preemption fence, 8 resume and add
   it as BOOKKEEP, 9 unlock.  The worker's validate is not modelled: the BO
   is mapped where TTM left it (SYSTEM is GPU-accessible, through GART).
   Mutant resume_no_rebind: after 2, straight to 6: no update, no wait; the
   context resumes on its old page tables. *)
RebindBegin ==
    /\ VAt("idle", 0) /\ "rebind" \in VmFlows /\ lr = "preempted"
    /\ place[VmBo] # None /\ NextFences(LrEngine) # {} /\ NextFences(PtEngine) # {}
    /\ VTrylock(VmBo)
    /\ vop' = [VIdle EXCEPT !.k = "rebind", !.s = 2, !.o = VmBo,
                            !.f = CHOOSE f \in NextFences(PtEngine) : TRUE,
                            !.p = CHOOSE f \in NextFences(LrEngine) : TRUE]
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
Rule_resume_no_rebind == 6
RebindReserve ==
    /\ VAt("rebind", 2) /\ VReserve(vop.o)
    /\ VGoto(IF GpuMutant = "resume_no_rebind" THEN Rule_resume_no_rebind ELSE 3)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
RebindArm ==
    /\ VAt("rebind", 3)
    /\ ArmPtJob(vop.f, vop.o, {BindOf(vop.o)}, LockedDeps(vop.o, KERNEL))
    /\ VGoto(4) /\ UNCHANGED <<ptes, lr, lrFence>>
RebindAdd ==
    /\ VAt("rebind", 4) /\ VAdd(vop.o, vop.f, BOOKKEEP) /\ VGoto(5)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
RebindWait ==
    /\ VAt("rebind", 5) /\ signaled[vop.f] /\ VGoto(6)
    /\ VNoFence /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
RebindReserve2 ==
    /\ VAt("rebind", 6) /\ VReserve(vop.o) /\ VGoto(7)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
RebindArmFence ==
    /\ VAt("rebind", 7) /\ VArm(vop.p) /\ VGoto(8)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
RebindResume ==
    /\ VAt("rebind", 8) /\ VAdd(vop.o, vop.p, BOOKKEEP) /\ VGoto(9)
    /\ lr' = "running" /\ lrFence' = vop.p
    /\ UNCHANGED <<ptes, ptSet>> /\ NoMemVars
RebindUnlock ==
    /\ VAt("rebind", 9) /\ VUnlock(vop.o) /\ vop' = VIdle
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars

(* An unmap of VmBo while the context may run, the way the kernel-doc of
   dma_resv_replace_fences (drivers/dma-buf/dma-resv.c) describes it:
       "Replace fences with a specified context with a new fence.  Only
        valid if the operation represented by the original fence has no
        longer access to the resources represented by the dma_resv object
        when the new fence completes.
        And example for using this is replacing a preemption fence with a
        page table update fence which makes the resource inaccessible."
   Steps: 1 lock, 2 arm the update that clears the PTEs (no dependency: the
   context keeps running until the update lands), 3
   dma_resv_replace_fences(resv, <preemption context>, update,
   DMA_RESV_USAGE_BOOKKEEP), 4 unlock.  An eviction afterwards waits for
   the update, not for the context.
   amdgpu 6.12 takes another way: amdgpu_vm_bo_update syncs a clear to the
   KFD fences (amdgpu_sync_kfd, which preempts the process) and
   amdgpu_amdkfd_remove_eviction_fence then replaces the eviction fence with
   dma_fence_get_stub(), with "TODO: Instead of block before we should use
   the fence of the page table update and TLB flush here directly."
   Mutant replace_stub: the stub replaces the preemption fence right away,
   without the blocking: steps 3a dma_fence_get_stub (init and signal: 3, 4)
   and the replacement is the stub (5). *)
UnmapBegin ==
    /\ VAt("idle", 0) /\ "unmap" \in VmFlows /\ lr # "off" /\ ptes[VmBo] # {}
    /\ NextFences(PtEngine) # {}
    /\ VTrylock(VmBo)
    /\ vop' = [VIdle EXCEPT !.k = "unmap", !.s = 2, !.o = VmBo,
                            !.f = CHOOSE f \in NextFences(PtEngine) : TRUE]
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
UnmapArm ==
    /\ VAt("unmap", 2) /\ ArmPtJob(vop.f, vop.o, {}, {})
    /\ VGoto(IF GpuMutant = "replace_stub" THEN 3 ELSE 5)
    /\ UNCHANGED <<ptes, lr, lrFence>>
UnmapStubInit ==
    /\ VAt("unmap", 3) /\ VArm(StubFence) /\ VGoto(4)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
UnmapStubSignal ==
    /\ VAt("unmap", 4) /\ Signal(VmWorker, StubFence) /\ UNCHANGED resvVars
    /\ UNCHANGED wwState /\ VGoto(5)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
Rule_replace_stub == StubFence
Replacement == IF GpuMutant = "replace_stub" THEN Rule_replace_stub ELSE vop.f
UnmapReplace ==
    /\ VAt("unmap", 5)
    /\ ReplaceFences(VmWorker, vop.o, EngineCtx[LrEngine], Replacement, BOOKKEEP)
    /\ UNCHANGED wwState /\ VGoto(6)
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars
UnmapUnlock ==
    /\ VAt("unmap", 6) /\ VUnlock(vop.o) /\ vop' = VIdle
    /\ UNCHANGED <<ptes, ptSet, lr, lrFence>> /\ NoMemVars

(* A step of GpuMem (a CPU operation's kernel call, a job that is no
   page-table update, a ghost freed), leaving the VM alone. *)
GpuStep == GpuNext /\ UNCHANGED vmVars /\ \A f \in PtFences : jobState'[f] = jobState[f]

VmNext ==
    \/ GpuStep
    \/ \E f \in PtFences : RunPtJob(f)
    \/ LrStartBegin \/ LrStartReserve \/ LrStartArm \/ LrStartAdd \/ LrStartUnlock
    \/ LrAccess \/ LrPreempt
    \/ RebindBegin \/ RebindReserve \/ RebindArm \/ RebindAdd \/ RebindWait
    \/ RebindReserve2 \/ RebindArmFence \/ RebindResume \/ RebindUnlock
    \/ UnmapBegin \/ UnmapArm \/ UnmapStubInit \/ UnmapStubSignal \/ UnmapReplace \/ UnmapUnlock

VmSpec == VmInit /\ [][VmNext]_vmAll

-----------------------------------------------------------------------------
(* [MEM-NO-STALE-ACCESS] for the long-running context: it touches what its
   page tables map whenever it runs, so in every state in which it runs,
   no range it maps has been touched in a later tenure (its accesses would
   come out of tenure order).  GpuMem's NoStaleAccess covers the jobs. *)
LrNoStaleAccess ==
    lr = "running" => \A b \in ptes[VmBo], a \in accesses : a.r = b.r => a.ten <= b.ten

(* [MEM-PT-BOOKKEEP] A range goes back to its manager only when the running
   context can no longer reach it through the page tables, or when a fence
   that ends that reach is ordered before a fence the manager records
   (pipelined eviction): the context's preemption fence, or a pending
   update that unmaps the BO.  Both are BOOKKEEP fences of the BO: only
   an eviction that waits for BOOKKEEP sees them.  An action property on
   the steps that free. *)
ReachGuards(o) ==
    {f \in Fences : f = lrFence \/ (jobState[f] = "queued" /\ f \in PtFences
                                    /\ ptSet[f].o = o /\ ptSet[f].b = {})}
PtBookkeep ==
    [][\A r \in Ranges :
          (owner[r] # None /\ owner'[r] = None /\ lr = "running"
           /\ \E b \in ptes[VmBo] : b.r = r /\ b.ten = tenure[r])
              => \E m \in manFences'[RangeDom[r]], g \in ReachGuards(VmBo) :
                    g = m \/ OrderedBefore(g, m)]_vmAll
=============================================================================
