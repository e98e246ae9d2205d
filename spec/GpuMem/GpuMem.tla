------------------------------- MODULE GpuMem --------------------------------
(***************************************************************************)
(* The GPU memory system, slice 1: what the dma_resv usages guarantee.     *)
(*                                                                         *)
(* "completely rework the dma_resv semantic" (Christian König, dri-devel,  *)
(* 23 Nov 2021) keeps every fence until it signals, each with a usage, so  *)
(* that no engine ever touches memory that was moved or freed.  This       *)
(* module puts that promise to the test: buffer objects with their         *)
(* reservation objects and placements, submissions through the GPU         *)
(* scheduler (implicit sync), and a TTM-like memory manager (eviction,     *)
(* pipelined eviction, ghost objects), with the accesses of the jobs as    *)
(* events.  It is composed of the existing modules, not of copies:         *)
(*   - DmaResv (EXTENDS, and so DmaFence): every kernel call on a fence or *)
(*     a reservation object is that module's action (FenceInit, Signal,    *)
(*     ReserveFences, AddFence, ResvUnlock) or reads its state with its    *)
(*     operators (Entries, TestSignaledValue, IsLater);                    *)
(*   - WwCalls (INSTANCE WW): a reservation lock is a ww_mutex of          *)
(*     reservation_ww_class; dma_resv_trylock is WW!Trylock, as in         *)
(*     Litmus.tla.                                                         *)
(*                                                                         *)
(* Kernel sources followed (6.12.118, the Debian linux-source-6.12 tree;   *)
(* mainline differences named where they matter):                          *)
(*   drivers/gpu/drm/scheduler/sched_main.c                                *)
(*       drm_sched_job_add_implicit_dependencies,                          *)
(*       drm_sched_job_add_resv_dependencies                               *)
(*   include/linux/dma-resv.h  enum dma_resv_usage, dma_resv_usage_rw      *)
(*   drivers/gpu/drm/etnaviv/etnaviv_gem_submit.c  submit_fence_sync,      *)
(*       submit_attach_object_fences (an implicit-sync driver)             *)
(*   drivers/gpu/drm/xe/xe_exec.c  xe_exec_ioctl (KERNEL deps, BOOKKEEP    *)
(*       fences: a driver without implicit sync)                           *)
(*   drivers/gpu/drm/ttm/ttm_bo.c  ttm_bo_evict_alloc, ttm_bo_evict_cb,    *)
(*       ttm_bo_evict, ttm_bo_alloc_resource, ttm_bo_add_move_fence,       *)
(*       ttm_bo_delayed_delete, ttm_bo_release, ttm_bo_wait_ctx            *)
(*   drivers/gpu/drm/ttm/ttm_bo_util.c  ttm_lru_walk_for_evict,            *)
(*       ttm_lru_walk_trylock, ttm_lru_walk_ticketlock,                    *)
(*       ttm_bo_move_accel_cleanup, ttm_bo_move_pipeline_evict,            *)
(*       ttm_bo_move_to_ghost, ttm_buffer_object_transfer                  *)
(*   drivers/gpu/drm/amd/amdgpu/amdgpu_ttm.c  amdgpu_move_blit,            *)
(*       amdgpu_ttm_prepare_job (the copy job's dependencies)              *)
(*   "drm/ttm: rework pipelined eviction fence handling" (Pierre-Eric      *)
(*       Pelloux-Prayer, dri-devel, v3 21 Nov 2025): the manager's single  *)
(*       `move` fence becomes TTM_NUM_MOVE_FENCES slots, one per context.  *)
(*                                                                         *)
(* Granularity.  One CPU thread (Cpu) runs one operation at a time (a      *)
(* submission, an eviction, a move into VRAM), each as the sequence of its *)
(* kernel calls, one step per call; the GPU (Gpu) runs jobs and the        *)
(* delayed-delete worker frees idle ghosts in between, at any step.  A job *)
(* runs and completes in one step (RunJob): its accesses happen, then its  *)
(* finished fence signals.  With one CPU thread no reservation lock is     *)
(* ever contended, so the eviction walk's trylock pass always succeeds;    *)
(* with Contention a rival ww transaction holds the victim, and the walk's *)
(* ticketlock pass (one dma_resv_lock with the evictor's ticket, -EDEADLK  *)
(* turned into -ENOSPC, never a backoff) is taken (the TEvict and Rival   *)
(* actions).                                                               *)
(*                                                                         *)
(* Addresses.  A job names its objects at submission; the ranges that back *)
(* them then are the ranges it touches when it runs (its command stream    *)
(* holds their addresses: relocations or GART/GPU-VA bindings made under   *)
(* the reservation locks).  So a job that runs after its object moved      *)
(* touches the old range; the usages must prevent exactly that.  A range   *)
(* is identified with its tenure: the how-manieth allocation of it this    *)
(* is (`tenure`).                                                          *)
(***************************************************************************)
EXTENDS DmaResv

CONSTANTS
    Cpu, Gpu,       \* the CPU thread (ioctls, TTM) and the GPU (engines); both in Threads
    BOs,            \* buffer objects; each is its own dma_resv (bo->base.resv = &bo->base._resv)
    Ghosts,         \* ghost objects (ttm_buffer_object_transfer), each with its own resv
    Ranges,         \* address ranges of the memory managers (struct ttm_resource)
    RangeDom,       \* [Ranges -> Domains]: the manager a range belongs to
    InitPlace,      \* [BOs -> Ranges \cup {None}]: the placement at the start
    Engines,        \* engines, each with one scheduler entity
    EngineCtx,      \* [Engines -> Nat]: the fence context of the engine's entity
    CopyEngine,     \* the engine TTM's moves run on (amdgpu: adev->mman.high_pr)
    UserEngines,    \* the engines user submissions use
    UserModes,      \* the submissions of the model: SUBSET DriverModes[Driver]
    Contention,     \* TRUE: the eviction walk's ticket pass against a rival transaction
    Rival,          \* the rival thread (in Threads when Contention)
    RivalObj,       \* the BO the rival's ww transaction locks
    CpuTicket,      \* the evictor's ww_acquire_ctx (its validation's transaction)
    RivalTicket,    \* the rival's ww_acquire_ctx
    GpuMutant,      \* "none", or a deliberate bug (GpuMutants)
    Driver          \* the driver policy (DriverPolicies): "generic", "amdgpu", "xe", "i915"

Domains == {"VRAM", "SYSTEM"}

(* The deliberate bugs of the _bug models; "none" is mainline.  Each is a
   named rule below (the Rule_ operators), kept apart from the mainline
   reading. *)
GpuMutants == {"none",
    "evict_waits_write",  \* the eviction copy depends on the WRITE query, not on every fence
    "ignore_kernel",      \* a submission's implicit dependencies skip KERNEL fences
    "no_move_fence",      \* pipelined eviction frees the range without recording the copy fence
    "rw_swapped",         \* dma_resv_usage_rw the wrong way round: a writer waits for writers only
    "edeadlk_retry",      \* the walk's ticketlock retries after -EDEADLK instead of -ENOSPC
    \* GpuMemVm (slice 2): VMs, long-running contexts and their BOOKKEEP fences
    "evict_skips_bookkeep", \* the eviction copy waits up to READ, not for BOOKKEEP fences
    "replace_stub",       \* an unmap replaces the preemption fence with the signaled stub
    "resume_no_rebind",   \* the rebind worker resumes the context without updating the PTEs
    \* driver policies
    "amdgpu_skip_moves",  \* amdgpu's sync modes filter TTM moves by owner like any other fence
    \* GpuMemRelease (slice 3): release and delayed delete of BOs with a shared resv
    "no_copy",            \* release judges a shared-resv BO idle on its own _resv, no fences copied
    "delete_waits_read",  \* the delayed-delete worker waits with READ, not BOOKKEEP
    \* GpuMem slice 1, hang and reset, liveness, the DAG rule (GpuResetNext, GpuFairSpec)
    "signal_before_stop", \* the reset signals the hung job's fence before the engine is stopped
    "no_timeout",         \* no timeout: a hung job is never reset
    "cancel_skips_deps",  \* a job dropped by the reset signals before its dependencies
    "evict_no_reserve",   \* the eviction adds its copy fence without reserving a slot
    "dag",                \* a WRITE add replaces the other contexts' fences (pre-5.19 excl fence)
    \* GpuMemUserptr (slice 4): userptr and the MMU interval notifier
    "check_unlocked",     \* the exec checks the notifier sequence without the notifier lock
    "no_recheck",         \* the exec publishes without checking the notifier sequence again
    "inval_waits_read",   \* the invalidation callback waits up to READ, not for BOOKKEEP
    \* GpuMemTlb (slice 5): TLB flush fences
    "no_tlb_fence",       \* the TLB flush fence is never added to the VM's resv
    "flush_before_update", \* the TLB flush does not wait for the page-table update
    "resume_before_flush", \* the rebind worker resumes the context before the TLB flush
    \* GpuMemThreads (slice 6): several CPU threads, fence signalling critical sections
    "run_job_locks",      \* a TTM move's run_job takes the reservation lock of the BO it moves
    "user_fence_in_resv", \* userspace imports a fence only it signals into a reservation object
    "no_backoff"}         \* drm_exec slow-locks the contended object without unlocking the others

(* Driver policies.  The rules the kernel leaves to the driver, each as the
   driver's code has it (Debian linux-source-6.12, 6.12.118; the same in
   mainline where not said otherwise):
   - the submissions its exec ioctl makes (the modes: what the job waits
     for, and the usage its fence is added with: QueryOf, UsageOf,
     SubmitDeps);
   - what the eviction copy waits for (EvictQuery).
   "generic": etnaviv's implicit sync ("read", "write") and xe's explicit
     sync ("explicit") side by side, as the slice-1 models explore them;
   "amdgpu": amdgpu_cs.c amdgpu_cs_sync_rings / amdgpu_cs_submit with
     amdgpu_sync.c amdgpu_sync_resv ("amdgpu": AMDGPU_SYNC_NE_OWNER, the
     default; "amdgpu_explicit": a BO created with
     AMDGPU_GEM_CREATE_EXPLICIT_SYNC, AMDGPU_SYNC_EXPLICIT); the eviction
     copy waits BOOKKEEP (amdgpu_ttm_prepare_job);
   "xe": xe_exec.c xe_exec_ioctl ("explicit": KERNEL deps, BOOKKEEP
     fence); the eviction copy waits BOOKKEEP (xe_migrate.c
     xe_migrate_copy: xe_sched_job_add_deps(job, src_bo->ttm.base.resv,
     DMA_RESV_USAGE_BOOKKEEP));
   "i915": i915_gem_execbuffer.c eb_move_to_gpu → i915_request_await_object
     (dma_resv_usage_rw(write)) and i915_vma.c _i915_vma_move_to_active
     (the fence added as WRITE or READ); the eviction copy waits READ:
     i915_gem_ttm_move.c i915_ttm_move → i915_deps.c i915_deps_add_resv:
         dma_resv_for_each_fence(&iter, resv, dma_resv_usage_rw(true), fence)
     which leaves BOOKKEEP fences out.  i915 adds no BOOKKEEP fence in
     6.12 (no dma_resv_add_fence with DMA_RESV_USAGE_BOOKKEEP under
     drivers/gpu/drm/i915), so the i915 reading is the mutant
     evict_skips_bookkeep made safe by the driver's own submissions;
     GpuMemVm's long-running context is not an i915 one. *)
AmdgpuModes == {"amdgpu", "amdgpu_explicit"}
DriverModes == [generic |-> {"write", "read", "explicit"},
                amdgpu  |-> {"amdgpu", "amdgpu_explicit"},
                xe      |-> {"explicit"},
                i915    |-> {"write", "read"}]

ASSUME /\ {Cpu, Gpu} \subseteq Threads /\ Cpu # Gpu
       /\ Resvs = BOs \cup Ghosts /\ BOs \cap Ghosts = {}
       /\ RangeDom \in [Ranges -> Domains]
       /\ InitPlace \in [BOs -> Ranges \cup {None}]
       /\ \A a, b \in BOs : a # b /\ InitPlace[a] # None => InitPlace[a] # InitPlace[b]
       /\ EngineCtx \in [Engines -> Nat \ {0}]
       /\ CopyEngine \in Engines /\ UserEngines \subseteq Engines
       /\ GpuMutant \in GpuMutants
       /\ Driver \in DOMAIN DriverModes /\ UserModes \subseteq DriverModes[Driver]
       /\ Contention \in BOOLEAN
       /\ Contention => (Rival \in Threads \ {Cpu, Gpu} /\ RivalObj \in BOs /\ CpuTicket # RivalTicket)
       /\ \A f \in Fences : \E e \in Engines : EngineCtx[e] = FenceCtx[f]

(* The ww_mutex state of the reservation locks (WwCalls), as in Litmus.tla. *)
VARIABLES ctxLive, ctxClass, ctxStamp, ctxDone, acquired, wounded, contending,
          classStamp, lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, wwWarn, noInject,
          handoff, pickup

ResvClass == "reservation_ww_class"
(* Acquire contexts: none, or with Contention the evictor's and the rival's. *)
Tickets == IF Contention THEN {CpuTicket, RivalTicket} ELSE {}
WW == INSTANCE WwCalls WITH
        Ctxs <- Tickets, WwLocks <- Resvs, Classes <- {ResvClass},
        ClassAlg <- [k \in {ResvClass} |-> "wait-die"],
        LockClass <- [l \in Resvs |-> ResvClass],
        Build <- "production"

wwState == <<ctxLive, ctxClass, ctxStamp, ctxDone, acquired, wounded, contending,
             classStamp, lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, wwWarn, noInject,
             handoff, pickup>>

VARIABLES
    place,      \* [BOs -> Ranges \cup {None}]: bo->resource (its range), None: no backing store
    owner,      \* [Ranges -> Resvs \cup {None}]: the object (BO or ghost) the range is allocated to
    tenure,     \* [Ranges -> Nat]: how many times the range was allocated
    manFences,  \* [Domains -> SUBSET Fences]: the manager's pipelined-eviction fences
    jobState,   \* [Fences -> JobStates]: the job whose finished fence it is
    jobDeps,    \* [Fences -> SUBSET Fences]: the job's dependencies (job->dependencies)
    jobBinds,   \* [Fences -> SUBSET Bind]: the (object, range, tenure) the job touches
    jobKernel,  \* ghost: [Fences -> SUBSET Fences]: KERNEL fences pending on its objects at arm time
    jobMode,    \* ghost: [Fences -> JobModes]: how the job uses its objects
    accesses,   \* ghost: SUBSET Access: every access a job has made
    op,         \* the CPU's current operation and step (IdleOp: none)
    rop         \* the rival's step: "idle", "init", "locking", "locked", "unlocked", "done"

Bind == [o : Resvs, r : Ranges, ten : Nat]
Access == [j : Fences, o : Resvs, r : Ranges, ten : Nat]
OpKinds == {"idle", "submit", "evict", "movein", "tevict"}
(* "hung": the engine runs the job and it does not complete (it may go on
   touching its ranges); "stopped": the reset has taken it off the engine,
   or dropped it before it ran; its fence is yet to signal, with an error. *)
JobStates == {"none", "armed", "queued", "hung", "stopped", "done"}
IdleOp == [k |-> "idle", s |-> 0, o |-> None, f |-> None, m |-> "none",
           src |-> None, dst |-> None, g |-> None, e |-> None, cont |-> "none"]

mmVars == <<place, owner, tenure, manFences>>
jobVars == <<jobState, jobDeps, jobBinds, jobKernel, jobMode>>
(* "kernel": a TTM move (reads the old range, writes the new one). *)
JobModes == {"none", "write", "read", "explicit", "amdgpu", "amdgpu_explicit", "kernel"}
histVars == <<accesses>>
memVars == <<mmVars, jobVars, histVars, op, rop>>
gpuVars == <<allVars, wwState, memVars>>

GpuTypeOK ==
    /\ ResvTypeOK
    /\ place \in [BOs -> Ranges \cup {None}]
    /\ owner \in [Ranges -> Resvs \cup {None}]
    /\ tenure \in [Ranges -> Nat]
    /\ manFences \in [Domains -> SUBSET Fences]
    /\ jobState \in [Fences -> JobStates]
    /\ jobDeps \in [Fences -> SUBSET Fences]
    /\ jobBinds \in [Fences -> SUBSET Bind]
    /\ jobKernel \in [Fences -> SUBSET Fences]
    /\ jobMode \in [Fences -> JobModes]
    /\ accesses \subseteq Access
    /\ op.k \in OpKinds

GpuInit ==
    /\ ResvInit
    /\ WW!WwInit
    /\ place = InitPlace
    /\ owner = [r \in Ranges |-> IF \E b \in BOs : InitPlace[b] = r
                                 THEN CHOOSE b \in BOs : InitPlace[b] = r ELSE None]
    /\ tenure = [r \in Ranges |-> IF \E b \in BOs : InitPlace[b] = r THEN 1 ELSE 0]
    /\ manFences = [d \in Domains |-> {}]
    /\ jobState = [f \in Fences |-> "none"]
    /\ jobDeps = [f \in Fences |-> {}]
    /\ jobBinds = [f \in Fences |-> {}]
    /\ jobKernel = [f \in Fences |-> {}]
    /\ jobMode = [f \in Fences |-> "none"]
    /\ accesses = {}
    /\ op = IdleOp
    /\ rop = "idle"

-----------------------------------------------------------------------------
(* Helpers *)

EngineOf(f) == CHOOSE e \in Engines : EngineCtx[e] = FenceCtx[f]
(* drm_sched_job_arm: the entity's next seqno; here the unborn fence of the
   engine's context with the lowest seqno. *)
NextFences(e) ==
    {f \in Fences : /\ FenceCtx[f] = EngineCtx[e] /\ life[f] = "unborn"
                    /\ \A g \in Fences : (FenceCtx[g] = EngineCtx[e] /\ life[g] = "unborn")
                                            => FenceSeqno[f] <= FenceSeqno[g]}
FreeRanges(d) == {r \in Ranges : RangeDom[r] = d /\ owner[r] = None}
FreeGhosts == {g \in Ghosts : \A r \in Ranges : owner[r] # g}

(* dma_resv_for_each_fence(&cursor, resv, usage, fence), lock held: every
   entry with usage <= u, signaled or not (DmaResv's locked walk). *)
LockedDeps(o, u) == {e.f : e \in {x \in Entries(o) : x.u <= u}}
(* KERNEL fences of o that have not signaled. *)
PendingKernel(o) == {e.f : e \in {x \in Entries(o) : x.u = KERNEL /\ ~signaled[x.f]}}

(* The query and the usage of a user submission (mode m):
   "write"/"read": implicit sync, drm_sched_job_add_implicit_dependencies
   (job, obj, write) = drm_sched_job_add_resv_dependencies(job, obj->resv,
   dma_resv_usage_rw(write)), and the fence added as WRITE or READ
   (etnaviv's submit_attach_object_fences:
       dma_resv_add_fence(obj->resv, submit->out_fence, write ?
                          DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);)
   include/linux/dma-resv.h, dma_resv_usage_rw:
       "new write operations needs to wait for the existing read and write
        operations to finish.  But a new read operation only needs to wait
        for the existing write operations to finish."
       return write ? DMA_RESV_USAGE_READ : DMA_RESV_USAGE_WRITE;
   "explicit": no implicit sync, as xe_exec_ioctl does it: the job waits for
   the KERNEL fences of every locked object
       err = xe_sched_job_add_deps(job, obj->resv, DMA_RESV_USAGE_KERNEL);
   and its fence is added as BOOKKEEP (drm_gpuvm_resv_add_fence(...,
   DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP)). *)
QueryOfMainline(m) == CASE m = "write" -> READ [] m = "read" -> WRITE [] m = "explicit" -> KERNEL
                            [] m \in AmdgpuModes -> BOOKKEEP
(* Mutant rw_swapped: the query the name suggests, the one the comment in
   dma_resv_usage_rw warns about ("This looks confusing at first sight, but
   is indeed correct"): a writer waits for writers only, a reader for
   readers and writers. *)
Rule_rw_swapped(m) == CASE m = "write" -> WRITE [] m = "read" -> READ [] m = "explicit" -> KERNEL
                            [] m \in AmdgpuModes -> BOOKKEEP
QueryOf(m) == IF GpuMutant = "rw_swapped" THEN Rule_rw_swapped(m) ELSE QueryOfMainline(m)
UsageOf(m) == CASE m = "write" -> WRITE [] m = "read" -> READ [] m = "explicit" -> BOOKKEEP
                    [] m \in AmdgpuModes -> WRITE

(* amdgpu (amdgpu_cs.c amdgpu_cs_sync_rings): for every locked BO
       sync_mode = amdgpu_bo_explicit_sync(bo) ?
               AMDGPU_SYNC_EXPLICIT : AMDGPU_SYNC_NE_OWNER;
       r = amdgpu_sync_resv(p->adev, &p->sync, resv, sync_mode,
                            &fpriv->vm);
   amdgpu_sync.c amdgpu_sync_resv walks every fence
       /* TODO: Use DMA_RESV_USAGE_READ here */
       dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, f) {
   and keeps those amdgpu_sync_test_fence accepts:
       /* Always sync to moves, no matter what */
       if (fence_owner == AMDGPU_FENCE_OWNER_UNDEFINED)
               return true;
       /* We only want to trigger KFD eviction fences on
        * evict or move jobs. Skip KFD fences otherwise.
        */ ...
       /* Never sync to VM updates either. */ ...
       case AMDGPU_SYNC_NE_OWNER:
               if (amdgpu_sync_same_dev(adev, f) &&
                   fence_owner == owner)
                       return false;
       ...
       case AMDGPU_SYNC_EXPLICIT:
               return false;
   The moves are TTM's copy jobs (owner AMDGPU_FENCE_OWNER_UNDEFINED,
   amdgpu_ttm_prepare_job), the KERNEL entries here.  The owner of a user
   job is its process's VM (&fpriv->vm); each user engine's entity belongs
   to its own process in the models, so "another owner" is "another user
   engine" (jobs of one entity are ordered by their context anyway).
   Fences of no user engine (page-table updates: AMDGPU_FENCE_OWNER_VM;
   preemption fences: AMDGPU_FENCE_OWNER_KFD) are skipped.  Either way the
   job's fence is added as WRITE (amdgpu_cs_submit: "The gang leader as
   remembered as writer"), so amdgpu's jobs are writers to everybody else.
   Mutant amdgpu_skip_moves: the owner filter applies to moves too (the
   first test of amdgpu_sync_test_fence dropped), so an explicit-sync BO's
   job waits for nothing. *)
Rule_amdgpu_skip_moves(o) == {}
AmdgpuMoves(o) ==
    IF GpuMutant = "amdgpu_skip_moves" THEN Rule_amdgpu_skip_moves(o) ELSE LockedDeps(o, KERNEL)
AmdgpuDeps(o, m, e) ==
    AmdgpuMoves(o) \cup
    IF m = "amdgpu_explicit" THEN {}
    ELSE {x.f : x \in {y \in Entries(o) : EngineOf(y.f) \in UserEngines \ {e}}}

(* Mutant ignore_kernel: the dependencies skip KERNEL entries (a driver
   that treats the usages as "implicit sync only"; enum dma_resv_usage:
   "Drivers *always* must wait for those fences before accessing the
   resource protected by the dma_resv object"). *)
Rule_ignore_kernel(o, u) == {e.f : e \in {x \in Entries(o) : x.u <= u /\ x.u # KERNEL}}
SubmitDeps(o, m, f) ==
    IF m \in AmdgpuModes THEN AmdgpuDeps(o, m, EngineOf(f))
    ELSE IF GpuMutant = "ignore_kernel" THEN Rule_ignore_kernel(o, QueryOf(m))
    ELSE LockedDeps(o, QueryOf(m))

(* The dependencies of a TTM move's copy job on the moved object o.
   amdgpu_ttm_prepare_job (amdgpu_ttm.c), for the copy amdgpu_move_blit
   makes with bo->base.resv:
       return drm_sched_job_add_resv_dependencies(<the job's base>, resv,
                                                  DMA_RESV_USAGE_BOOKKEEP);
   every fence; as ttm_bo_wait_ctx waits for a BO to be idle:
       ret = dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP, ...
   Mutant evict_waits_write: the WRITE query (KERNEL and WRITE fences only),
   as if readers and BOOKKEEP users could not be touching the memory. *)
Rule_evict_waits_write(o) == LockedDeps(o, WRITE)
(* Mutant evict_skips_bookkeep (GpuMemVm): the READ query, what an
   implicit-sync writer waits for (dma_resv_usage_rw(true)): every fence but
   the BOOKKEEP ones, so a long-running context's preemption fence is never
   waited for and the context is never preempted. *)
Rule_evict_skips_bookkeep(o) == LockedDeps(o, READ)
(* The driver's reading (DriverModes): BOOKKEEP, or READ for i915. *)
EvictQuery == [generic |-> BOOKKEEP, amdgpu |-> BOOKKEEP, xe |-> BOOKKEEP, i915 |-> READ]
MoveDeps(o) ==
    IF GpuMutant = "evict_waits_write" THEN Rule_evict_waits_write(o)
    ELSE IF GpuMutant = "evict_skips_bookkeep" THEN Rule_evict_skips_bookkeep(o)
    ELSE LockedDeps(o, EvictQuery[Driver])

(* ttm_bo_move_pipeline_evict records the copy fence in the manager the
   range came from (6.12: one `move` fence, replaced by a later one;
   mainline after "drm/ttm: rework pipelined eviction fence handling": one
   slot per fence context, replaced by a later fence of its context):
       for (i = 0; i < TTM_NUM_MOVE_FENCES; i++) {
               tmp = from->eviction_fences[i];
               if (!tmp)
                       break;
               if (fence->context != tmp->context)
                       continue;
               if (dma_fence_is_later(fence, tmp)) {
                       dma_fence_put(tmp);
                       break;
               }
               goto unlock;
       }
       if (i < TTM_NUM_MOVE_FENCES)
               from->eviction_fences[i] = dma_fence_get(fence);
   Mutant no_move_fence: nothing recorded. *)
RecordMove(fs, f) ==
    IF \E g \in fs : SameCtx(g, f) /\ ~IsLater(f, g) THEN fs
    ELSE {g \in fs : ~SameCtx(g, f)} \cup {f}
Rule_no_move_fence(fs, f) == fs
MoveRecorded(fs, f) ==
    IF GpuMutant = "no_move_fence" THEN Rule_no_move_fence(fs, f) ELSE RecordMove(fs, f)

Goto(n) == op' = [op EXCEPT !.s = n]
Finish == op' = IdleOp
At(k, n) == op.k = k /\ op.s = n

(* The kernel calls, each with the ww_mutex or resv state it leaves alone. *)
(* dma_resv_trylock(obj) = ww_mutex_trylock(&obj->lock, NULL), which
   succeeds (one CPU thread: the lock is free); holder follows the owner. *)
TrylockStep(r) ==
    /\ WW!Trylock(Cpu, r, None) /\ lockOwner'[r] = Cpu
    /\ holder' = [holder EXCEPT ![r] = Cpu]
    /\ UNCHANGED <<table, maxSlots, gen, nul, budget, cursor, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings
(* dma_resv_unlock: DmaResv's ResvUnlock (max_fences reset) + ww_mutex_unlock. *)
UnlockStep(r) == ResvUnlock(Cpu, r) /\ WW!Unlock(Cpu, r)
ReserveStep(r) == ReserveFences(Cpu, r, 1) /\ UNCHANGED wwState
AddStep(r, f, u) == AddFence(Cpu, r, f, u) /\ UNCHANGED wwState
(* drm_sched_job_arm: the finished fence is initialised (dma_fence_init). *)
ArmStep(f) == FenceInit(Cpu, f) /\ UNCHANGED resvVars /\ UNCHANGED wwState

-----------------------------------------------------------------------------
(* Driver load: drm_sched_entity_init of each engine's entity allocates the
   fence context(s) of its finished fences (dma_fence_context_alloc). *)
DriverLoad ==
    /\ nextCtx = 1
    /\ ContextAlloc(Cpu, Cardinality(Engines))
    /\ UNCHANGED resvVars /\ UNCHANGED wwState /\ UNCHANGED memVars

(* A user submission of a job on engine e that names object o with mode m,
   as an implicit-sync driver makes it (etnaviv_ioctl_gem_submit):
     1. lock the object (drm_exec / ww_mutex; here a trylock: see above)
     2. dma_resv_reserve_fences(robj, 1)   (submit_fence_sync)
     3. drm_sched_job_add_implicit_dependencies(job, obj, write) and
        drm_sched_job_arm: the job's dependencies are the fences of the
        query (SubmitDeps); the job will touch the range backing o now
     4. dma_resv_add_fence(obj->resv, fence, WRITE or READ) and
        drm_sched_entity_push_job
     5. unlock. *)
SubmitBegin(e, o, m) ==
    /\ At("idle", 0) /\ nextCtx > 1 /\ place[o] # None /\ NextFences(e) # {}
    /\ TrylockStep(o)
    /\ op' = [IdleOp EXCEPT !.k = "submit", !.s = 2, !.o = o, !.m = m,
                            !.f = CHOOSE f \in NextFences(e) : TRUE]
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
SubmitReserve ==
    /\ At("submit", 2) /\ ReserveStep(op.o) /\ Goto(3)
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
SubmitArm ==
    LET o == op.o IN
    /\ At("submit", 3) /\ ArmStep(op.f) /\ Goto(4)
    /\ jobState' = [jobState EXCEPT ![op.f] = "armed"]
    /\ jobDeps' = [jobDeps EXCEPT ![op.f] = SubmitDeps(o, op.m, op.f)]
    /\ jobBinds' = [jobBinds EXCEPT ![op.f] = {[o |-> o, r |-> place[o], ten |-> tenure[place[o]]]}]
    /\ jobKernel' = [jobKernel EXCEPT ![op.f] = PendingKernel(o)]
    /\ jobMode' = [jobMode EXCEPT ![op.f] = op.m]
    /\ UNCHANGED <<mmVars, histVars, rop>>
(* The other fence contexts of a table (mutant dag, below). *)
DagCovered(tb, f) == {FenceCtx[tb[i].f] : i \in DOMAIN tb} \ {FenceCtx[f]}
SubmitAdd ==
    /\ At("submit", 4) /\ AddStep(op.o, op.f, UsageOf(op.m))
    /\ Goto(IF GpuMutant = "dag" /\ op.m = "write" /\ DagCovered(table'[op.o], op.f) # {} THEN 6 ELSE 5)
    /\ jobState' = [jobState EXCEPT ![op.f] = "queued"]
    /\ UNCHANGED <<mmVars, jobDeps, jobBinds, jobKernel, jobMode, histVars, rop>>
SubmitUnlock ==
    /\ At("submit", 5) /\ UnlockStep(op.o) /\ Finish
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>

(* Mutant dag: the "DAG" rule that "completely rework the dma_resv semantic"
   (Christian König, dri-devel, 23 Nov 2021) dropped.  Before 5.19 a writer
   set the exclusive fence, and dma_resv_add_excl_fence
   (drivers/dma-buf/dma-resv.c, v5.15) dropped every shared fence, on the
   assumption that the new fence's job had waited for them:
       /* ... Note that this function replaces all fences attached to @obj,
        * see also &dma_resv.fence_excl for a discussion of the semantics. */
       RCU_INIT_POINTER(obj->fence_excl, fence);
       if (old)
               old->shared_count = 0;
   Here, after its WRITE add (step 6, only with the mutant) the submission
   makes the object's other fence contexts covered by its own fence, one
   context per step, with DmaResv's own dma_resv_replace_fences(obj,
   context, fence, DMA_RESV_USAGE_WRITE): afterwards no query of the object
   finds their fences.  Wrong where the writer did not wait for them: an
   implicit-sync writer queries READ and never sees an explicit job's
   BOOKKEEP fence. *)
Rule_dag(c) == ReplaceFences(Cpu, op.o, c, op.f, WRITE) /\ UNCHANGED wwState
SubmitDagReplace ==
    /\ At("submit", 6)
    /\ \E c \in DagCovered(table[op.o], op.f) :
          /\ Rule_dag(c)
          /\ op' = IF DagCovered(table[op.o], op.f) \ {c} = {} THEN [op EXCEPT !.s = 5] ELSE op
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>

(* Eviction of b from its VRAM range to a free SYSTEM range, to make room in
   VRAM (enabled when VRAM has no free range), as ttm_bo_evict_alloc does it
   (ttm_bo.c, 6.12 and mainline):
       evict_walk.walk.trylock_only = true;
       lret = ttm_lru_walk_for_evict(&evict_walk.walk, bdev, man, 1);
       if (lret || !ticket)
               goto out;
       /* If ticket-locking, repeat while making progress. */
   The victim is trylocked (ttm_lru_walk_trylock: dma_resv_trylock(bo->base.resv))
   and ttm_bo_evict_cb -> ttm_bo_evict -> ttm_bo_mem_space (reserve, allocate
   the new range) -> the driver's move (amdgpu_move_blit: a copy job on the
   copy engine that depends on every fence of b, MoveDeps) ->
   ttm_bo_move_accel_cleanup(bo, fence, evict = true, pipeline = true, new_mem):
       dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL);
       if (!evict)
               ret = ttm_bo_move_to_ghost(bo, fence, man->use_tt);
       else if (!from->use_tt && pipeline)
               ttm_bo_move_pipeline_evict(bo, fence);
       ...
       ttm_bo_assign_mem(bo, new_mem);
   VRAM has no TT (!use_tt), so the eviction is pipelined: the old range is
   freed at once (ttm_resource_free) and the copy fence is recorded in the
   VRAM manager (MoveRecorded).  Steps: 1 trylock, 2 reserve, 3 allocate the
   SYSTEM range + arm and push the copy job, 4 add its fence as KERNEL,
   record it, free the VRAM range, assign the new one, 5 unlock.
   Allocating from SYSTEM adds no manager fence: nothing is ever evicted
   from SYSTEM here (EvictBegin only evicts from VRAM). *)
EvictBegin(b) ==
    /\ At("idle", 0) /\ nextCtx > 1
    /\ place[b] # None /\ RangeDom[place[b]] = "VRAM" /\ FreeRanges("VRAM") = {}
    /\ FreeRanges("SYSTEM") # {} /\ NextFences(CopyEngine) # {}
    /\ TrylockStep(b)
    /\ op' = [IdleOp EXCEPT !.k = "evict", !.s = 2, !.o = b, !.src = place[b],
                            !.f = CHOOSE f \in NextFences(CopyEngine) : TRUE]
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
(* Mutant evict_no_reserve (a liveness control, GpuMemLive): the eviction
   skips dma_resv_reserve_fences, against dma_resv_add_fence's kernel-doc
   ("Add a fence to a slot, @obj must be locked with dma_resv_lock(), and
   dma_resv_reserve_fences() has been called."); the kernel's add then hits
   BUG_ON(fobj->num_fences >= fobj->max_fences) when the list is full and
   the thread dies holding the lock.  Here the add (DmaResv's AddFence, the
   add within the contract) is never enabled: the eviction never finishes. *)
Rule_evict_no_reserve == UNCHANGED allVars /\ UNCHANGED wwState
EvictReserve ==
    /\ At("evict", 2)
    /\ IF GpuMutant = "evict_no_reserve" THEN Rule_evict_no_reserve ELSE ReserveStep(op.o)
    /\ Goto(3)
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
EvictArm ==
    LET b == op.o IN
    /\ At("evict", 3) /\ ArmStep(op.f)
    /\ \E s \in FreeRanges("SYSTEM") :
          /\ owner' = [owner EXCEPT ![s] = b]
          /\ tenure' = [tenure EXCEPT ![s] = @ + 1]
          /\ op' = [op EXCEPT !.s = 4, !.dst = s]
          /\ jobBinds' = [jobBinds EXCEPT ![op.f] =
                            {[o |-> b, r |-> op.src, ten |-> tenure[op.src]],
                             [o |-> b, r |-> s, ten |-> tenure[s] + 1]}]
    /\ jobState' = [jobState EXCEPT ![op.f] = "queued"]
    /\ jobDeps' = [jobDeps EXCEPT ![op.f] = MoveDeps(b)]
    /\ jobKernel' = [jobKernel EXCEPT ![op.f] = PendingKernel(b)]
    /\ jobMode' = [jobMode EXCEPT ![op.f] = "kernel"]
    /\ UNCHANGED <<place, manFences, histVars, rop>>
EvictAdd ==
    LET b == op.o IN
    /\ At("evict", 4) /\ AddStep(b, op.f, KERNEL) /\ Goto(5)
    /\ manFences' = [manFences EXCEPT !["VRAM"] = MoveRecorded(@, op.f)]
    /\ owner' = [owner EXCEPT ![op.src] = None]
    /\ place' = [place EXCEPT ![b] = op.dst]
    /\ UNCHANGED <<tenure, jobVars, histVars, rop>>
EvictUnlock ==
    /\ At("evict", 5) /\ UnlockStep(op.o)
    \* an eviction inside a ticketed walk returns to it (EvictWithTicket)
    /\ IF op.cont = "tevict" THEN op' = [op EXCEPT !.k = "tevict", !.s = 6] ELSE Finish
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>

(* A move of o from its SYSTEM range into a free VRAM range (ttm_bo_validate
   -> ttm_bo_move_buffer, evict = false), so ttm_bo_move_accel_cleanup hangs
   the old range on a ghost (ttm_bo_move_to_ghost):
     1. lock o
     2. ttm_bo_alloc_resource: dma_resv_reserve_fences(bo->base.resv, 1);
        ttm_resource_alloc (a free VRAM range)
     3. ttm_bo_add_move_fence (6.12), once per recorded fence in mainline:
            dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL);
        (only when the manager has a fence)
     4. ret = dma_resv_reserve_fences(bo->base.resv, 1);
     5. the copy job on the copy engine, depending on every fence of o
        (MoveDeps), armed and pushed
     6. dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL)
     7. ttm_buffer_object_transfer: a ghost with its own resv,
            ret = dma_resv_trylock(&fbo->base.base._resv);
        the old range now belongs to the ghost (ttm_resource_set_bo)
     8.     ret = dma_resv_reserve_fences(&fbo->base.base._resv, 1);
     9. ttm_bo_move_to_ghost:
            dma_resv_add_fence(&ghost_obj->base._resv, fence, DMA_RESV_USAGE_KERNEL);
    10.     dma_resv_unlock(&ghost_obj->base._resv); ttm_bo_put(ghost_obj);
        and ttm_bo_assign_mem(bo, new_mem)
    11. unlock o.
   A ghost object's resv is a fresh dma_resv (dma_resv_init); here the
   ghost objects are reused once idle and freed, with the signaled entries
   their resv still holds (they answer no query). *)
MoveInBegin(o) ==
    /\ At("idle", 0) /\ nextCtx > 1
    /\ place[o] # None /\ RangeDom[place[o]] = "SYSTEM"
    /\ FreeRanges("VRAM") # {} /\ FreeGhosts # {} /\ NextFences(CopyEngine) # {}
    /\ TrylockStep(o)
    /\ op' = [IdleOp EXCEPT !.k = "movein", !.s = 2, !.o = o, !.src = place[o],
                            !.f = CHOOSE f \in NextFences(CopyEngine) : TRUE,
                            !.g = CHOOSE g \in FreeGhosts : TRUE]
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
MoveInAlloc ==
    /\ At("movein", 2) /\ ReserveStep(op.o)
    /\ \E v \in FreeRanges("VRAM") :
          /\ owner' = [owner EXCEPT ![v] = op.o]
          /\ tenure' = [tenure EXCEPT ![v] = @ + 1]
          /\ op' = [op EXCEPT !.s = IF manFences["VRAM"] = {} THEN 5 ELSE 3, !.dst = v]
    /\ UNCHANGED <<place, manFences, jobVars, histVars, rop>>
(* With one copy engine the VRAM manager holds at most one fence. *)
MoveInAddMoveFence ==
    /\ At("movein", 3)
    /\ \E mf \in manFences["VRAM"] : AddStep(op.o, mf, KERNEL)
    /\ Goto(4)
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
MoveInReserve ==
    /\ At("movein", 4) /\ ReserveStep(op.o) /\ Goto(5)
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
MoveInArm ==
    LET o == op.o IN
    /\ At("movein", 5) /\ ArmStep(op.f) /\ Goto(6)
    /\ jobState' = [jobState EXCEPT ![op.f] = "queued"]
    /\ jobDeps' = [jobDeps EXCEPT ![op.f] = MoveDeps(o)]
    /\ jobBinds' = [jobBinds EXCEPT ![op.f] =
                      {[o |-> o, r |-> op.src, ten |-> tenure[op.src]],
                       [o |-> o, r |-> op.dst, ten |-> tenure[op.dst]]}]
    /\ jobKernel' = [jobKernel EXCEPT ![op.f] = PendingKernel(o)]
    /\ jobMode' = [jobMode EXCEPT ![op.f] = "kernel"]
    /\ UNCHANGED <<mmVars, histVars, rop>>
MoveInAdd ==
    /\ At("movein", 6) /\ AddStep(op.o, op.f, KERNEL) /\ Goto(7)
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
MoveInGhost ==
    /\ At("movein", 7) /\ TrylockStep(op.g) /\ Goto(8)
    /\ owner' = [owner EXCEPT ![op.src] = op.g]
    /\ UNCHANGED <<place, tenure, manFences, jobVars, histVars, rop>>
MoveInGhostReserve ==
    /\ At("movein", 8) /\ ReserveStep(op.g) /\ Goto(9)
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
MoveInGhostAdd ==
    /\ At("movein", 9) /\ AddStep(op.g, op.f, KERNEL) /\ Goto(10)
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>
MoveInGhostUnlock ==
    /\ At("movein", 10) /\ UnlockStep(op.g) /\ Goto(11)
    /\ place' = [place EXCEPT ![op.o] = op.dst]
    /\ UNCHANGED <<owner, tenure, manFences, jobVars, histVars, rop>>
MoveInUnlock ==
    /\ At("movein", 11) /\ UnlockStep(op.o) /\ Finish
    /\ UNCHANGED <<mmVars, jobVars, histVars, rop>>

(* The delayed delete of an idle ghost (ttm_bo.c, ttm_bo_delayed_delete,
   queued by ttm_bo_release when the ghost's resv is not idle):
       dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP, false,
                             MAX_SCHEDULE_TIMEOUT);
       dma_resv_lock(bo->base.resv, NULL);
       ttm_bo_cleanup_memtype_use(bo);      -> ttm_resource_free
       dma_resv_unlock(bo->base.resv);
   One step, taken when every fence of the ghost's resv has signaled (the
   wait has returned) and no CPU operation holds the ghost's lock. *)
GhostFree(g, r) ==
    /\ owner[r] = g /\ g \in Ghosts /\ holder[g] = None
    /\ TestSignaledValue(g, BOOKKEEP)
    /\ owner' = [owner EXCEPT ![r] = None]
    /\ UNCHANGED <<place, tenure, manFences, jobVars, histVars, op, rop>>
    /\ UNCHANGED allVars /\ UNCHANGED wwState

(* The engine runs a job whose dependencies have all signaled
   (drm_sched_entity_pop_job / drm_sched_job_dependency), touches the
   ranges it was given (each an access event), and completes: its finished
   fence signals through DmaFence's Signal, whose MaySignal is the fence
   context's order (IssuerInOrder): an engine completes its jobs in the
   order they were armed.  IssuerInOrder = FALSE is an engine that
   completes out of order.  An engine with a hung job (GpuResetNext) runs
   no other job until the reset has stopped it (EngineFree). *)
EngineFree(f) == ~\E h \in Fences : jobState[h] = "hung" /\ SameCtx(h, f)
RunJob(f) ==
    /\ jobState[f] = "queued"
    /\ \A d \in jobDeps[f] : signaled[d]
    /\ EngineFree(f)
    /\ Signal(Gpu, f) /\ UNCHANGED resvVars /\ UNCHANGED wwState
    /\ jobState' = [jobState EXCEPT ![f] = "done"]
    /\ accesses' = accesses \cup {[j |-> f, o |-> b.o, r |-> b.r, ten |-> b.ten] : b \in jobBinds[f]}
    /\ UNCHANGED <<mmVars, jobDeps, jobBinds, jobKernel, jobMode, op, rop>>

-----------------------------------------------------------------------------
(* Contention (Contention = TRUE): the eviction walk of ttm_bo_evict_alloc
   with a ticket, against a rival ww transaction that holds the victim.
   The evictor is a validation inside a ww transaction (ticket CpuTicket,
   as drm_exec's) that holds its own BO e and needs VRAM, which is full.
   ttm_bo_evict_alloc (ttm_bo.c):
       evict_walk.walk.trylock_only = true;
       lret = ttm_lru_walk_for_evict(&evict_walk.walk, bdev, man, 1);
       if (lret || !ticket)
               goto out;
       /* If ticket-locking, repeat while making progress. */
       evict_walk.walk.trylock_only = false;
   The trylock pass (ttm_lru_walk_trylock: dma_resv_trylock(bo->base.resv));
   when it fails, one ticketlock (ttm_lru_walk_ticketlock, ttm_bo_util.c):
       ret = dma_resv_lock(resv, walk->ticket);
       if (!ret) {
               ...
               walk->ticket = NULL;
       } else if (ret == -EDEADLK) {
               /* Caller needs to exit the ww transaction. */
               ret = -ENOSPC;
       }
   so the walk never backs off: -EDEADLK ends the eviction with -ENOSPC, the
   allocation fails, and the caller unwinds its transaction (unlock, fini).
   The second pass's trylock is merged into the ticketlock (a lock that
   became free is taken uncontended either way).  The rival: ww_acquire_init,
   dma_resv_lock(RivalObj, ticket), unlock, ww_acquire_fini.  Each runs once
   per behaviour (model bound). *)
HolderFollows ==
    /\ holder' = [r \in Resvs |-> lockOwner'[r]]
    /\ UNCHANGED <<table, maxSlots, gen, nul, budget, cursor, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings
NoMem == UNCHANGED <<mmVars, jobVars, histVars, rop>>
(* The victim is locked: evict it (EvictReserve ... EvictUnlock), then
   come back (EvictUnlock: cont). *)
EvictLocked == [op EXCEPT !.k = "evict", !.s = 2, !.cont = "tevict"]
(* -EDEADLK: -ENOSPC, leave the transaction (unlock e, fini).  Mutant
   edeadlk_retry: try the ticketlock again with e still held. *)
Rule_edeadlk_retry == [op EXCEPT !.s = 4]
AfterDeadlk == IF GpuMutant = "edeadlk_retry" THEN Rule_edeadlk_retry ELSE [op EXCEPT !.s = 6]

TEvictBegin(b, e) ==
    /\ Contention /\ At("idle", 0) /\ nextCtx > 1 /\ ctxLive[CpuTicket] = "unused"
    /\ b # e /\ e # RivalObj /\ place[b] # None /\ RangeDom[place[b]] = "VRAM"
    /\ FreeRanges("VRAM") = {} /\ FreeRanges("SYSTEM") # {} /\ NextFences(CopyEngine) # {}
    /\ WW!AcquireInit(Cpu, CpuTicket, ResvClass) /\ HolderFollows
    /\ op' = [IdleOp EXCEPT !.k = "tevict", !.s = 2, !.o = b, !.e = e, !.src = place[b],
                            !.f = CHOOSE f \in NextFences(CopyEngine) : TRUE]
    /\ NoMem
(* dma_resv_lock(e, ticket): the evictor's own BO (nobody else locks it). *)
TEvictLockOwn ==
    /\ At("tevict", 2) /\ WW!Lock(Cpu, op.e, CpuTicket) /\ lockOwner'[op.e] = Cpu
    /\ HolderFollows /\ Goto(3) /\ NoMem
TEvictTrylock ==
    /\ At("tevict", 3) /\ WW!Trylock(Cpu, op.o, None) /\ HolderFollows
    /\ op' = IF lockOwner'[op.o] = Cpu THEN EvictLocked ELSE [op EXCEPT !.s = 4]
    /\ NoMem
TEvictTicketlock ==
    /\ At("tevict", 4) /\ WW!Lock(Cpu, op.o, CpuTicket) /\ HolderFollows
    /\ op' = IF lockOwner'[op.o] = Cpu THEN EvictLocked
             ELSE IF sleepOn'[Cpu] # None THEN [op EXCEPT !.s = 5]
             ELSE AfterDeadlk
    /\ NoMem
TEvictWait ==
    /\ At("tevict", 5)
    /\ WW!WaitAcquire(Cpu) \/ WW!WaitSteal(Cpu) \/ WW!WaitHandoff(Cpu) \/ WW!WaitDie(Cpu)
    /\ HolderFollows
    /\ op' = IF lockOwner'[op.o] = Cpu THEN EvictLocked
             ELSE IF sleepOn'[Cpu] # None THEN op
             ELSE AfterDeadlk
    /\ NoMem
TEvictUnlockOwn ==
    /\ At("tevict", 6) /\ UnlockStep(op.e) /\ Goto(7) /\ NoMem
TEvictFini ==
    /\ At("tevict", 7) /\ WW!AcquireFini(Cpu, CpuTicket) /\ HolderFollows /\ Finish /\ NoMem

RivalInit ==
    /\ Contention /\ rop = "idle"
    /\ WW!AcquireInit(Rival, RivalTicket, ResvClass) /\ HolderFollows /\ rop' = "init"
    /\ UNCHANGED <<mmVars, jobVars, histVars, op>>
RivalLock ==
    /\ rop = "init" /\ WW!Lock(Rival, RivalObj, RivalTicket) /\ HolderFollows
    /\ rop' = IF lockOwner'[RivalObj] = Rival THEN "locked" ELSE "locking"
    /\ UNCHANGED <<mmVars, jobVars, histVars, op>>
RivalWait ==
    /\ rop = "locking"
    /\ WW!WaitAcquire(Rival) \/ WW!WaitSteal(Rival) \/ WW!WaitHandoff(Rival)
    /\ HolderFollows
    /\ rop' = IF lockOwner'[RivalObj] = Rival THEN "locked" ELSE "locking"
    /\ UNCHANGED <<mmVars, jobVars, histVars, op>>
RivalUnlock ==
    /\ rop = "locked" /\ ResvUnlock(Rival, RivalObj) /\ WW!Unlock(Rival, RivalObj)
    /\ rop' = "unlocked"
    /\ UNCHANGED <<mmVars, jobVars, histVars, op>>
RivalFini ==
    /\ rop = "unlocked" /\ WW!AcquireFini(Rival, RivalTicket) /\ HolderFollows /\ rop' = "done"
    /\ UNCHANGED <<mmVars, jobVars, histVars, op>>

GpuNext ==
    \/ DriverLoad
    \/ \E e \in UserEngines, o \in BOs, m \in UserModes : SubmitBegin(e, o, m)
    \/ SubmitReserve \/ SubmitArm \/ SubmitAdd \/ SubmitUnlock
    \/ SubmitDagReplace
    \/ \E b \in BOs : EvictBegin(b)
    \/ EvictReserve \/ EvictArm \/ EvictAdd \/ EvictUnlock
    \/ \E o \in BOs : MoveInBegin(o)
    \/ MoveInAlloc \/ MoveInAddMoveFence \/ MoveInReserve \/ MoveInArm \/ MoveInAdd
    \/ MoveInGhost \/ MoveInGhostReserve \/ MoveInGhostAdd \/ MoveInGhostUnlock \/ MoveInUnlock
    \/ \E g \in Ghosts, r \in Ranges : GhostFree(g, r)
    \/ \E f \in Fences : RunJob(f)
    \/ \E b, e \in BOs : TEvictBegin(b, e)
    \/ TEvictLockOwn \/ TEvictTrylock \/ TEvictTicketlock \/ TEvictWait \/ TEvictUnlockOwn \/ TEvictFini
    \/ RivalInit \/ RivalLock \/ RivalWait \/ RivalUnlock \/ RivalFini

GpuSpec == GpuInit /\ [][GpuNext]_gpuVars

-----------------------------------------------------------------------------
(* Hang and reset (GpuResetNext).  A job the engine runs may hang: it has
   touched its ranges and, until the engine is stopped, may go on touching
   them.  The scheduler's timeout resets it (drivers/gpu/drm/scheduler/
   sched_main.c, 6.12):
       drm_sched_job_timedout:
               job = list_first_entry_or_null(&sched->pending_list, ...);
               ...
               status = job->sched->ops->timedout_job(job);
   The driver's timedout_job stops the engine before any fence signals:
     - drm_sched_stop(sched, bad) ("Stop the scheduler ...") takes the
       hardware fence callbacks off (dma_fence_remove_callback(
       s_job->s_fence->parent, &s_job->cb)), the driver resets the hardware,
       and drm_sched_start completes what is left:
               if (!fence) {
                       drm_sched_job_done(s_job, -ECANCELED);
                       continue;
               }
               if (dma_fence_add_callback(fence, &s_job->cb,
                                          drm_sched_job_done_cb))
                       drm_sched_job_done(s_job, fence->error);
       (amdgpu_device_gpu_recover: drm_sched_stop, then
       amdgpu_fence_driver_force_completion "after all hw jobs are reset, hw
       fence is meaningless", then drm_sched_start;
       drivers/gpu/drm/amd/amdgpu/amdgpu_device.c)
     - xe (drivers/gpu/drm/xe/xe_guc_submit.c, guc_exec_queue_timedout_job):
               /* Kill the run_job entry point */
               xe_sched_submission_stop(sched);
               ...
               /*
                * Must wait for scheduling to be disabled before signalling
                * any fences, if GT broken the GT reset code should signal us.
               ...
               /* Mark all outstanding jobs as bad, thus completing them */
               list_for_each_entry(tmp_job, &sched->base.pending_list, drm.list)
                       xe_sched_job_set_error(tmp_job, !i++ ? err : -ECANCELED);
       with err = -ETIME.
   The finished fence then signals with the error (sched_fence.c):
       void drm_sched_fence_finished(struct drm_sched_fence *fence, int result)
       {
               if (result)
                       dma_fence_set_error(&fence->finished, result);
               dma_fence_signal(&fence->finished);
       }
   Steps: ResetStop (the engine no longer runs the job: drm_sched_stop and
   the hardware reset, or xe's schedule disable), ResetSetError (DmaFence's
   SetError: -ETIME for the hung job, -ECANCELED for one dropped behind it),
   ResetSignal (DmaFence's Signal; MaySignal keeps the engine's order).
   ResetCancel drops a job queued behind the hung one on the same engine
   (xe's "Mark all outstanding jobs as bad"; an amdgpu entity marked guilty:
   drm_sched_entity_pop_job "skip jobs from entity that marked guilty",
   dma_fence_set_error(..., -ECANCELED), and amdgpu_job_run skips a job
   whose finished fence has an error); it then touches nothing.  A job that
   is not dropped runs as before.

   A job whose dependency signaled with an error still runs: drm_sched waits
   for the dependency and does not look at its error
   (sched_entity.c, drm_sched_entity_add_dependency_cb: an errored fence of
   the same scheduler is waited for as finished, not as scheduled:
       if (!fence->error && s_fence && s_fence->sched == sched && ...
   and drm_sched_entity_pop_job reads only its own entity's guilty flag).
   RunJob reads `signaled`, never `error`.  Drivers differ: amdgpu_job_run
   skips the job when its own finished fence has an error ("Skip job if VRAM
   is lost and never resubmit gangs"), not when a dependency's has.

   Mutant signal_before_stop: the fence is set in error and signaled while
   the job is still on the engine, against xe's "Must wait for scheduling to
   be disabled before signalling any fences" and drm_sched_stop's removal of
   the hardware fence callbacks before drm_sched_start completes the jobs.
   Mutant no_timeout: the hung job is never reset (a scheduler whose timeout
   never fires, MAX_SCHEDULE_TIMEOUT); a liveness bug. *)
ETIME == 62         \* include/uapi/asm-generic/errno.h
ECANCELED == 125

Touched(f) == \E a \in accesses : a.j = f
JobTouches(f) == {[j |-> f, o |-> b.o, r |-> b.r, ten |-> b.ten] : b \in jobBinds[f]}
GpuQuiet == UNCHANGED <<mmVars, jobDeps, jobBinds, jobKernel, jobMode, op, rop>>

(* The engine starts a job whose dependencies have signaled and that is
   first on its engine (every earlier fence of its context has completed),
   and the job hangs.  Its accesses happen (each an access event). *)
HangJob(f) ==
    /\ jobState[f] = "queued" /\ life[f] = "live"
    /\ \A d \in jobDeps[f] : signaled[d]
    /\ MaySignal(f) /\ EngineFree(f)
    /\ jobState' = [jobState EXCEPT ![f] = "hung"]
    /\ accesses' = accesses \cup JobTouches(f)
    /\ UNCHANGED allVars /\ UNCHANGED wwState /\ GpuQuiet
Rule_no_timeout(f) == FALSE
Timeout(f) == IF GpuMutant = "no_timeout" THEN Rule_no_timeout(f) ELSE TRUE
(* drm_sched_job_timedout -> timedout_job: drm_sched_stop and the hardware
   reset; the job no longer touches memory. *)
ResetStop(f) ==
    /\ jobState[f] = "hung" /\ Timeout(f)
    /\ jobState' = [jobState EXCEPT ![f] = IF signaled[f] THEN "done" ELSE "stopped"]
    /\ UNCHANGED allVars /\ UNCHANGED wwState /\ UNCHANGED accesses /\ GpuQuiet
(* A job queued behind a stopped one on its engine is dropped, once its
   dependencies have signaled: it was handed to the engine (xe's pending
   list; an amdgpu job of a guilty entity is popped, so its dependencies
   were waited for, drm_sched_entity_pop_job), and a killed entity's job
   waits for them too (sched_entity.c, drm_sched_entity_kill_jobs_work:
       /* Wait for all dependencies to avoid data corruptions */
   before drm_sched_fence_finished(job->s_fence, -ESRCH)).  Its fence must
   not signal ahead of its dependencies: a move dropped ahead of the reader
   it waits for lets the ghost be freed under that reader.
   A dependency on an earlier job of its own entity is the exception: the
   scheduler does not wait for it (sched_entity.c,
   drm_sched_entity_add_dependency_cb:
       if (fence->context == entity->fence_context ||
           fence->context == entity->fence_context + 1) {
               /*
                * Fence is a scheduled/finished fence from a job
                * which belongs to the same entity, we can ignore
                * fences from ourself
   ), so a job behind the hung one that depends on it was handed to the
   engine and is dropped with it.
   Mutant cancel_skips_deps: the job is dropped at once. *)
Rule_cancel_skips_deps(f) == TRUE
CancelReady(f) ==
    IF GpuMutant = "cancel_skips_deps" THEN Rule_cancel_skips_deps(f)
    ELSE \A d \in jobDeps[f] : signaled[d] \/ SameCtx(d, f)
ResetCancel(f) ==
    /\ jobState[f] = "queued" /\ CancelReady(f)
    /\ \E h \in Fences : jobState[h] = "stopped" /\ Touched(h) /\ IsLater(f, h)
    /\ jobState' = [jobState EXCEPT ![f] = "stopped"]
    /\ UNCHANGED allVars /\ UNCHANGED wwState /\ UNCHANGED accesses /\ GpuQuiet
Rule_signal_before_stop(f) == jobState[f] \in {"hung", "stopped"}
ResetSignalable(f) ==
    IF GpuMutant = "signal_before_stop" THEN Rule_signal_before_stop(f) ELSE jobState[f] = "stopped"
(* dma_fence_set_error(&s_fence->finished, result), result -ETIME for the
   job that hung, -ECANCELED for one dropped behind it. *)
ResetSetError(f) ==
    /\ ResetSignalable(f) /\ ~signaled[f] /\ error[f] = 0
    /\ SetError(Gpu, f, IF Touched(f) THEN -ETIME ELSE -ECANCELED)
    /\ UNCHANGED resvVars /\ UNCHANGED wwState /\ UNCHANGED jobState /\ UNCHANGED accesses /\ GpuQuiet
(* dma_fence_signal(&s_fence->finished). *)
ResetSignal(f) ==
    /\ ResetSignalable(f) /\ ~signaled[f] /\ error[f] # 0
    /\ Signal(Gpu, f) /\ UNCHANGED resvVars /\ UNCHANGED wwState
    /\ jobState' = [jobState EXCEPT ![f] = IF @ = "stopped" THEN "done" ELSE @]
    /\ UNCHANGED accesses /\ GpuQuiet

ResetStep(f) == ResetStop(f) \/ ResetSetError(f) \/ ResetSignal(f)
GpuResetNext ==
    \/ GpuNext
    \/ \E f \in Fences : HangJob(f) \/ ResetStep(f) \/ ResetCancel(f)

-----------------------------------------------------------------------------
(* Liveness (GpuFairSpec): weak fairness on what the kernel does by itself
   once started: the CPU finishing the operation it started (every step of
   an operation but its first; a ww wait is woken by the lock's release),
   the engine running a job whose dependencies have signaled, the
   scheduler's timeout and reset, and the delayed-delete worker.  Starting
   an operation, a job hanging and a job being dropped are not forced. *)
CpuContinue ==
    \/ SubmitReserve \/ SubmitArm \/ SubmitAdd \/ SubmitDagReplace \/ SubmitUnlock
    \/ EvictReserve \/ EvictArm \/ EvictAdd \/ EvictUnlock
    \/ MoveInAlloc \/ MoveInAddMoveFence \/ MoveInReserve \/ MoveInArm \/ MoveInAdd
    \/ MoveInGhost \/ MoveInGhostReserve \/ MoveInGhostAdd \/ MoveInGhostUnlock \/ MoveInUnlock
    \/ TEvictLockOwn \/ TEvictTrylock \/ TEvictTicketlock \/ TEvictWait \/ TEvictUnlockOwn \/ TEvictFini
GpuFairness ==
    /\ WF_gpuVars(CpuContinue)
    /\ \A f \in Fences : WF_gpuVars(RunJob(f)) /\ WF_gpuVars(ResetStep(f))
    /\ WF_gpuVars(\E g \in Ghosts, r \in Ranges : GhostFree(g, r))
GpuFairSpec == GpuInit /\ [][GpuResetNext]_gpuVars /\ GpuFairness

-----------------------------------------------------------------------------
(* Ordered before: what the kernel relies on to keep job j ahead of the
   completion of fence m: a scheduler dependency of m's job, or an earlier
   fence of m's context (FENCE-ORDER, the issuer's obligation, which
   dma_resv_add_fence relies on when a later fence takes an earlier one's
   entry), transitively. *)
RECURSIVE OrderedBefore(_, _)
OrderedBefore(j, m) ==
    \/ j \in jobDeps[m]
    \/ SameCtx(j, m) /\ IsLater(m, j)
    \/ \E d \in jobDeps[m] : jobState[d] # "none" /\ OrderedBefore(j, d)

(* [MEM-NO-STALE-ACCESS] No job touches a range for an object whose tenure of
   it has ended once the range's next tenant has been touched: the accesses
   to a range come in tenure order.  A job that reaches a range freed,
   moved away from or given to another object after its submission, and
   runs after the new tenant's first access, breaks it.  An action property
   on RunJob. *)
NoStaleAccess ==
    [][\A f \in Fences :
          (jobState[f] = "queued" /\ jobState'[f] = "done")
              => \A b \in jobBinds[f], a \in accesses : a.r = b.r => a.ten <= b.ten]_gpuVars

(* [MEM-KERNEL-FIRST] A job runs only after the KERNEL fences that were
   pending on its objects when it was armed have signaled (enum
   dma_resv_usage, DMA_RESV_USAGE_KERNEL: "Drivers *always* must wait for
   those fences before accessing the resource protected by the dma_resv
   object").  An action property on RunJob. *)
KernelFirst ==
    [][\A f \in Fences :
          (jobState[f] = "queued" /\ jobState'[f] = "done")
              => \A k \in jobKernel[f] : signaled[k]]_gpuVars

(* [MEM-FREE-UNREACHABLE] A range goes back to its manager only when no job
   can still reach it: every job that was given the range in its current
   tenure has completed, or is ordered before a fence the manager now
   records (pipelined eviction: every later allocation from the manager
   depends on that fence).  An action property on the steps that free. *)
FreeUnreachable ==
    [][\A r \in Ranges :
          (owner[r] # None /\ owner'[r] = None)
              => \A j \in Fences :
                    (/\ jobState[j] # "none" /\ ~signaled'[j]
                     /\ \E b \in jobBinds[j] : b.r = r /\ b.ten = tenure[r])
                        => \E m \in manFences'[RangeDom[r]] : j = m \/ OrderedBefore(j, m)]_gpuVars


(* [MEM-RW-ORDERED] Two jobs that touch one object, one of them writing, run
   in an order the kernel forces: when a job runs, every conflicting job that
   is armed and has not run yet is ordered after it (it depends on it, or is
   a later fence of its context, transitively).  A conflicting job armed
   later sees the running one in the object's resv, or sees it completed.  A TTM move (KERNEL) counts as a writer and is ordered
   with every job: its copy waits for every fence of the object (BOOKKEEP)
   and every submission waits for KERNEL fences.  Exempt are the pairs in
   which one job opted out of implicit sync (fence added as BOOKKEEP, only
   KERNEL waited for: "explicit"): enum dma_resv_usage, BOOKKEEP "No
   implicit sync ... explicit synced user submissions"; such a job is
   ordered by the fences userspace passes (sync_file, syncobj), which are
   not modelled.  An action property on RunJob. *)
Writers == {"write", "kernel"} \cup AmdgpuModes
Conflict(j, f) == {jobMode[j], jobMode[f]} \cap Writers # {}
OptedOut(j, f) == {jobMode[j], jobMode[f]} \cap {"explicit", "amdgpu_explicit"} # {}
                  /\ "kernel" \notin {jobMode[j], jobMode[f]}
SameObject(j, f) == \E x \in jobBinds[j], y \in jobBinds[f] : x.o = y.o
RwOrdered ==
    [][\A f \in Fences :
          (jobState[f] = "queued" /\ jobState'[f] = "done")
              => \A j \in Fences :
                    (/\ j # f /\ jobState[j] \in {"armed", "queued"}
                     /\ SameObject(j, f) /\ Conflict(j, f) /\ ~OptedOut(j, f))
                        => OrderedBefore(f, j)]_gpuVars

(* [MEM-EVICT-TICKET] The eviction walk's ticketlock fires no ww_mutex debug
   check (WwCalls' wwWarn): after -EDEADLK it gives up with -ENOSPC and its
   caller leaves the transaction; it never locks again with -EDEADLK
   pending (kernel/locking/ww_mutex.h, ww_mutex_lock_acquired and
   __ww_mutex_kill's DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock)). *)
EvictTicketNoWarn == wwWarn = {}

(* [MEM-RESET-QUIET] A job that hung and has not been stopped may still
   touch its ranges: none of them has been touched in a later tenure
   (MEM-NO-STALE-ACCESS for the accesses a hung job goes on making).  Its
   fence must not signal before the engine is stopped, or the memory it
   touches is evicted and reused under it. *)
HungQuiet ==
    \A f \in Fences : jobState[f] = "hung" =>
        \A b \in jobBinds[f], a \in accesses : a.r = b.r => a.ten <= b.ten

(* [MEM-LIVE-SIGNAL] Every armed job's finished fence eventually signals
   (with or without an error), under GpuFairSpec. *)
FencesSignal == \A f \in Fences : (jobState[f] # "none") ~> signaled[f]

(* [MEM-LIVE-OP] Every operation the CPU starts (a submission, an eviction,
   a move into VRAM, with the allocation in it) eventually finishes. *)
OpsFinish == (op.k # "idle") ~> (op.k = "idle")
=============================================================================
