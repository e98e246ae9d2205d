---------------------------- MODULE GpuMemThreads -----------------------------
(***************************************************************************)
(* The GPU memory system, slice 6: several CPU threads, fence signalling   *)
(* critical sections, deadlock freedom.                                    *)
(*                                                                         *)
(* GpuMem has one CPU thread (Cpu) that runs one operation at a time, and  *)
(* a rival that only locks.  Here two submission threads lock several BOs  *)
(* each with drm_exec (DrmExec.tla, INSTANCE EX: drm_exec_until_all_locked *)
(* with drm_exec_retry_on_contention, the slow lock of the contended       *)
(* object, drm_exec_fini), reserve, arm their job, add its fence to every  *)
(* object and unlock; the validation of one of them (Cpu) needs VRAM and   *)
(* evicts a BO of the other under its own ticket (GpuMem's ticketed walk,  *)
(* TEvictTrylock .. TEvictWait and EvictReserve .. EvictUnlock, reused     *)
(* unchanged); a userspace thread faults on a BO (ttm_bo_vm_reserve,       *)
(* ttm_bo_vm_fault_idle: it waits for the BO's KERNEL fences with the lock *)
(* held) and then signals a fence only it controls; the GPU scheduler's    *)
(* run_job is the signalling path of the jobs' fences.                     *)
(*                                                                         *)
(* Composition: GpuMem (EXTENDS, and so DmaResv and DmaFence, with WwCalls *)
(* as WW) and DrmExec (INSTANCE EX over the same ww_mutex state).  Every   *)
(* lock, reserve, add, wait and signal is the component's own action:      *)
(* EX's client steps, WW!Lock / WW!Trylock / WW!Wait* / WW!Unlock,         *)
(* ReserveFences, AddFence, ResvUnlock, ResvWaitTimeout / ResvWaitWake,    *)
(* FenceInit, Signal, and GpuMem's RunJob.  State of its own: each         *)
(* submission thread's step after drm_exec has locked everything (`sop`),  *)
(* the userspace thread's step (`uop`) and, in one mutant only, the        *)
(* scheduler's run_job in progress (`sched`).                              *)
(*                                                                         *)
(* The rules (drivers/dma-buf/dma-fence.c, DOC: fence cross-driver         *)
(* contract, rendered in Documentation/driver-api/dma-buf.rst):            *)
(*   "Drivers are allowed to call dma_fence_wait() while holding           *)
(*    dma_resv_lock(). This means any code required for fence completion   *)
(*    cannot acquire a &dma_resv lock."                                    *)
(* and Documentation/driver-api/dma-buf.rst, "Indefinite DMA Fences":      *)
(*   "Furthermore the kernel has to be able to hold up userspace command   *)
(*    submission for memory management needs, which means we must support  *)
(*    indefinite fences being dependent upon DMA fences. If the kernel     *)
(*    also support indefinite fences in the kernel like a DMA fence, like  *)
(*    any of the above proposal would, there is the potential for          *)
(*    deadlocks."                                                          *)
(*   "No future fences, proxy fences or userspace fences imported as DMA   *)
(*    fences, with or without a timeout."                                  *)
(*                                                                         *)
(* Kernel tree: Debian linux-source-6.12 (6.12.118); mainline was not     *)
(* re-read for this slice (GpuMem's README names the differences of the   *)
(* eviction walk).                                                         *)
(***************************************************************************)
EXTENDS GpuMem

CONSTANTS
    Submitters,  \* the submission threads: a subset of {Cpu, Rival} (their tickets
                 \* are GpuMem's CpuTicket and RivalTicket)
    Want,        \* [Submitters -> Seq(BOs)]: the objects each one locks, in order
    JobEngine,   \* [Submitters -> UserEngines]: the entity its job is pushed to
    SubmitMode,  \* [Submitters -> {"read", "write"}]: implicit sync, as GpuMem's modes
    Victim,      \* the BO Cpu's validation evicts to make room in VRAM, or None
    User,        \* the userspace thread, or None
    UserFence,   \* the fence only User signals (a userspace-controlled fence)
    UserObj      \* the BO User faults on (and, in the mutant, imports UserFence into)

ASSUME /\ Contention
       /\ Submitters \subseteq {Cpu, Rival}
       /\ \A t \in Submitters : /\ Want[t] \in Seq(BOs) /\ Len(Want[t]) >= 1
                                /\ JobEngine[t] \in UserEngines
                                /\ SubmitMode[t] \in {"read", "write"}
       /\ Victim # None => (Cpu \in Submitters /\ Victim \in BOs
                            /\ \A i \in DOMAIN Want[Cpu] : Want[Cpu][i] # Victim)
       /\ User # None => (User \in Threads \ ({Gpu} \cup Submitters)
                          /\ UserFence \in Fences /\ UserObj \in BOs
                          /\ \A e \in UserEngines \cup {CopyEngine} :
                                EngineCtx[e] # FenceCtx[UserFence])

(* The mutants of this slice (in GpuMem's GpuMutants). *)
ThreadsMutants == {"run_job_locks", "user_fence_in_resv", "no_backoff"}
ASSUME ThreadsMutants \subseteq GpuMutants

-----------------------------------------------------------------------------
(* drm_exec (DrmExec.tla) over GpuMem's reservation locks: the same ww
   class, tickets and locks as GpuMem's WW.  A thread that is no submitter
   has an empty list and never takes a drm_exec step; drm_exec needs a
   distinct context per thread, and such a thread's is its own name (never
   used). *)
VARIABLES xpc, contended, prelocked, objs, idx, cur, status, slots, retried

ExecWant == [t \in Threads |-> IF t \in Submitters THEN Want[t] ELSE <<>>]
ExecCtx == [t \in Threads |-> IF t = Cpu THEN CpuTicket ELSE IF t = Rival THEN RivalTicket ELSE t]
(* Mutant no_backoff: DrmExec's no_unlock_all, drm_exec_cleanup enters the
   body again without drm_exec_unlock_all, so the slow lock of the contended
   object is taken with the other locks still held. *)
Rule_no_backoff == "no_unlock_all"
ExecMutantOf == IF GpuMutant = "no_backoff" THEN Rule_no_backoff ELSE "none"

EX == INSTANCE DrmExec WITH
        Ctxs <- Tickets, WwLocks <- Resvs, Classes <- {ResvClass},
        ClassAlg <- [k \in {ResvClass} |-> "wait-die"],
        LockClass <- [l \in Resvs |-> ResvClass],
        Build <- "production",
        Want <- ExecWant, Client <- [t \in Threads |-> "drm_exec"],
        IgnoreDup <- [t \in Threads |-> FALSE], NumFences <- 1,
        CtxOf <- ExecCtx, ResvClass <- ResvClass, ExecMutant <- ExecMutantOf

exVars == <<xpc, contended, prelocked, objs, idx, cur, status, slots, retried>>

VARIABLES
    sop,    \* [Submitters -> record]: the step after drm_exec locked everything
    uop,    \* the userspace thread's step
    sched   \* mutant run_job_locks only: the run_job in progress [f, o, s]

thrVars == <<sop, uop, sched>>
thrAll == <<gpuVars, exVars, thrVars>>

SopKinds == {"start", "evict", "arm", "add", "push", "enospc", "done"}
IdleSop == [k |-> "start", f |-> None, i |-> 0]
UopKinds == {"none", "init", "ilock", "isleep", "ireserve", "iadd", "iunlock",
             "fault", "fsleep", "fwait", "funlock", "signal", "done"}
SchedKinds == {"idle", "sleep", "locked", "unlock"}
IdleSched == [f |-> None, o |-> None, s |-> "idle"]

ThreadsTypeOK ==
    /\ GpuTypeOK
    /\ EX!ExecTypeOK
    /\ sop \in [Submitters -> [k : SopKinds, f : Fences \cup {None}, i : Nat]]
    /\ uop \in UopKinds
    /\ sched \in [f : Fences \cup {None}, o : BOs \cup {None}, s : SchedKinds]

ThreadsInit ==
    /\ GpuInit
    /\ EX!Init
    /\ sop = [t \in Submitters |-> IdleSop]
    /\ uop = IF User = None THEN "none" ELSE "init"
    /\ sched = IdleSched

-----------------------------------------------------------------------------
(* The reservation object follows the ww_mutex: a lock or a wake-up sets
   dma_resv's holder (GpuMem's HolderFollows); an unlock is DmaResv's
   ResvUnlock (max_fences reset) beside WW!Unlock. *)
Keep == UNCHANGED <<memVars, thrVars>>

(* Cpu validates at the end of the body of drm_exec_until_all_locked,
   every object locked, before the loop condition (ValidateBegin below). *)
EndOfBody(t) == xpc[t] = "body" /\ idx[t] > Len(Want[t]) /\ contended[t] = None
ValidatePending(t) == t = Cpu /\ EndOfBody(t) /\ sop[t].k \in {"start", "evict", "enospc"}

(* drm_exec's steps (EX), unchanged: drm_exec_init, the loop condition
   drm_exec_cleanup (ww_acquire_init on the first pass, drm_exec_unlock_all
   after contention, ww_acquire_done at the end), the body's
   drm_exec_lock_obj (dma_resv_lock with the ticket, or
   drm_exec_lock_contended's dma_resv_lock_slow), -EDEADLK recorded as
   exec->contended (drm_exec_retry_on_contention: back to the loop
   condition), the wake-ups of a sleeping lock call, and drm_exec_fini. *)
ExecLockStep(t) ==
    /\ ~ValidatePending(t)
    /\ \/ EX!ExecInit(t) \/ EX!Cleanup(t) \/ EX!Body(t) \/ EX!SlowDone(t)
       \/ EX!LockDone(t) \/ EX!Wake(t)
       \/ EX!UnlockAll(t) /\ objs[t] = <<>>
       \/ EX!Fini(t) /\ objs[t] = <<>>
    /\ HolderFollows /\ Keep
(* One dma_resv_unlock of drm_exec_unlock_all (after contention, or in
   drm_exec_fini): the last object of exec->objects. *)
ExecUnlockStep(t) ==
    /\ objs[t] # <<>>
    /\ EX!UnlockAll(t) \/ EX!Fini(t)
    /\ ResvUnlock(t, objs[t][Len(objs[t])])
    /\ Keep
(* drm_exec_prepare_obj's dma_resv_reserve_fences(obj->resv, num_fences):
   DrmExec's slot guarantee and DmaResv's table. *)
ExecReserveStep(t) ==
    /\ EX!Reserve(t) /\ ReserveFences(t, cur[t], 1) /\ Keep

ExecStep(t) == ExecLockStep(t) \/ ExecUnlockStep(t) \/ ExecReserveStep(t)

-----------------------------------------------------------------------------
(* The submission, once every object is locked and reserved (xpc =
   "locked"), as GpuMem's SubmitArm / SubmitAdd for several objects:
   drm_sched_job_add_implicit_dependencies for each object and
   drm_sched_job_arm (one step), dma_resv_add_fence(obj->resv, fence,
   WRITE or READ) for each object, drm_sched_entity_push_job, then
   drm_exec_fini (EX).  Cpu validates first (ValidateBegin). *)
Objs(t) == {Want[t][i] : i \in DOMAIN Want[t]}
SopTo(t, r) == sop' = [sop EXCEPT ![t] = r]
KeepSub == UNCHANGED <<exVars, uop, sched, op, rop>>

SubArm(t) ==
    LET e == JobEngine[t] IN
    /\ xpc[t] = "locked" /\ sop[t].k = "arm" /\ NextFences(e) # {}
    /\ \E f \in NextFences(e) :
          /\ FenceInit(t, f) /\ UNCHANGED resvVars /\ UNCHANGED wwState
          /\ jobState' = [jobState EXCEPT ![f] = "armed"]
          /\ jobDeps' = [jobDeps EXCEPT ![f] = UNION {SubmitDeps(o, SubmitMode[t], f) : o \in Objs(t)}]
          /\ jobBinds' = [jobBinds EXCEPT ![f] =
                            {[o |-> o, r |-> place[o], ten |-> tenure[place[o]]] : o \in Objs(t)}]
          /\ jobKernel' = [jobKernel EXCEPT ![f] = UNION {PendingKernel(o) : o \in Objs(t)}]
          /\ jobMode' = [jobMode EXCEPT ![f] = SubmitMode[t]]
          /\ SopTo(t, [k |-> "add", f |-> f, i |-> 1])
    /\ UNCHANGED <<mmVars, histVars>> /\ KeepSub
SubAdd(t) ==
    LET f == sop[t].f
        i == sop[t].i
    IN
    /\ xpc[t] = "locked" /\ sop[t].k = "add"
    /\ AddFence(t, Want[t][i], f, UsageOf(SubmitMode[t])) /\ UNCHANGED wwState
    /\ SopTo(t, IF i = Len(Want[t]) THEN [sop[t] EXCEPT !.k = "push"] ELSE [sop[t] EXCEPT !.i = i + 1])
    /\ UNCHANGED <<mmVars, jobVars, histVars>> /\ KeepSub
(* drm_sched_entity_push_job, then drm_exec_fini (EX's Submit leaves the
   loop for the fini). *)
SubPush(t) ==
    /\ xpc[t] = "locked" /\ sop[t].k = "push"
    /\ EX!Submit(t)
    /\ jobState' = [jobState EXCEPT ![sop[t].f] = "queued"]
    /\ SopTo(t, [sop[t] EXCEPT !.k = "done"])
    /\ UNCHANGED <<allVars, wwState, mmVars, jobDeps, jobBinds, jobKernel, jobMode, histVars>>
    /\ UNCHANGED <<uop, sched, op, rop>>

(* Cpu's validation: ttm_bo_validate -> ttm_bo_alloc_resource (ttm_bo.c)
       ticket = dma_resv_locking_ctx(bo->base.resv);
       ...
       ret = ttm_bo_evict_alloc(bdev, man, place, bo, ctx, ticket, res);
   The walk runs with the ticket the BO was locked with: drm_exec's.  The
   validation runs inside drm_exec_until_all_locked, after the last
   drm_exec_lock_obj and before the loop condition (drm_exec_cleanup, whose
   ww_acquire_done would make any later dma_resv_lock with the ticket fire
   DEBUG_LOCKS_WARN_ON(ww_ctx->done_acquire)), as xe_exec_ioctl validates
   inside its loop.  VRAM is full, so the walk evicts Victim: GpuMem's
   ticketed walk from its trylock pass on (TEvictTrylock, TEvictTicketlock,
   TEvictWait, then the eviction EvictReserve .. EvictUnlock), unchanged;
   its ww_acquire_init and the lock of the own BO (TEvictBegin,
   TEvictLockOwn) are drm_exec's here, and its unwind (TEvictUnlockOwn,
   TEvictFini) is drm_exec_fini.  ValidateDone takes over where
   TEvictUnlockOwn would run: the walk has evicted Victim (the loop goes
   on), or ended with -ENOSPC ("Caller needs to exit the ww transaction"):
   the driver leaves the loop with the error and calls drm_exec_fini
   (ValidateFail).  The move of Cpu's own BO into the freed VRAM is not
   modelled. *)
CanEvict == /\ Victim # None /\ place[Victim] # None /\ RangeDom[place[Victim]] = "VRAM"
            /\ FreeRanges("VRAM") = {} /\ FreeRanges("SYSTEM") # {}
            /\ NextFences(CopyEngine) # {}
ValidateBegin ==
    /\ Cpu \in Submitters /\ EndOfBody(Cpu) /\ sop[Cpu].k = "start" /\ At("idle", 0)
    /\ IF CanEvict
       THEN /\ op' = [IdleOp EXCEPT !.k = "tevict", !.s = 3, !.o = Victim, !.e = Want[Cpu][1],
                                    !.src = place[Victim],
                                    !.f = CHOOSE f \in NextFences(CopyEngine) : TRUE]
            /\ SopTo(Cpu, [sop[Cpu] EXCEPT !.k = "evict"])
       ELSE /\ SopTo(Cpu, [sop[Cpu] EXCEPT !.k = "arm"])
            /\ UNCHANGED op
    /\ UNCHANGED <<allVars, wwState, mmVars, jobVars, histVars, rop, exVars, uop, sched>>
ValidateDone ==
    /\ Cpu \in Submitters /\ sop[Cpu].k = "evict" /\ At("tevict", 6)
    /\ op' = IdleOp
    /\ SopTo(Cpu, [sop[Cpu] EXCEPT !.k = IF place[op.o] # op.src THEN "arm" ELSE "enospc"])
    /\ UNCHANGED <<allVars, wwState, mmVars, jobVars, histVars, rop, exVars, uop, sched>>
(* -ENOSPC: the driver's error path leaves drm_exec_until_all_locked
   (goto err) for drm_exec_fini. *)
ValidateFail ==
    /\ Cpu \in Submitters /\ EndOfBody(Cpu) /\ sop[Cpu].k = "enospc"
    /\ xpc' = [xpc EXCEPT ![Cpu] = "fini"]
    /\ SopTo(Cpu, [sop[Cpu] EXCEPT !.k = "done"])
    /\ UNCHANGED <<allVars, wwState, memVars, uop, sched>>
    /\ UNCHANGED <<contended, prelocked, objs, idx, cur, status, slots, retried>>
(* Submitters other than Cpu, and Cpu without a victim, go straight to arm. *)
SubStart(t) ==
    /\ t # Cpu \/ Victim = None
    /\ xpc[t] = "locked" /\ sop[t].k = "start"
    /\ SopTo(t, [sop[t] EXCEPT !.k = "arm"])
    /\ UNCHANGED <<allVars, wwState, memVars, exVars, uop, sched>>
(* GpuMem's walk, reused: each step is GpuMem's action and leaves this
   slice's variables alone. *)
Walking == Cpu \in Submitters /\ sop[Cpu].k = "evict" /\ UNCHANGED <<exVars, thrVars>>
WalkTrylock == Walking /\ TEvictTrylock
WalkTicketlock == Walking /\ TEvictTicketlock
WalkWait == Walking /\ TEvictWait
WalkEvictReserve == Walking /\ EvictReserve
WalkEvictArm == Walking /\ EvictArm
WalkEvictAdd == Walking /\ EvictAdd
WalkEvictUnlock == Walking /\ EvictUnlock
WalkStep ==
    \/ WalkTrylock \/ WalkTicketlock \/ WalkWait
    \/ WalkEvictReserve \/ WalkEvictArm \/ WalkEvictAdd \/ WalkEvictUnlock

-----------------------------------------------------------------------------
(* The userspace thread.  It creates its fence (UserFence: a userspace
   queue's fence, or a future fence whose completion "is entirely under
   userspace's control"), touches UserObj through a CPU mapping, and signals
   the fence after the access:
     ttm_bo_vm_reserve (ttm_bo_vm.c):
         if (unlikely(!dma_resv_trylock(bo->base.resv))) {
                 ...
                 if (dma_resv_lock_interruptible(bo->base.resv, NULL))
                         return VM_FAULT_NOPAGE;
         }
     ttm_bo_vm_fault_idle, with the lock held:
         err = dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_KERNEL, true,
                                     MAX_SCHEDULE_TIMEOUT);
   then the PTEs are set up and the lock dropped (ttm_bo_vm_fault:
   dma_resv_unlock(bo->base.resv)).  The lock is taken as dma_resv_lock
   (WW!Lock with no context: the trylock that fails is then the lock that
   sleeps); the wait is DmaResv's ResvWaitTimeout with MAX_SCHEDULE_TIMEOUT
   (no expiry; no signals are delivered).  Mutant user_fence_in_resv: before
   the access, userspace imports its fence into UserObj's reservation
   object, as DMA_BUF_IOCTL_IMPORT_SYNC_FILE does with a sync_file
   (dma_buf_import_sync_file, drivers/dma-buf/dma-buf.c):
         dma_resv_lock(dmabuf->resv, NULL);
         ret = dma_resv_reserve_fences(dmabuf->resv, num_fences);
         ...     dma_resv_add_fence(dmabuf->resv, f, usage);
         dma_resv_unlock(dmabuf->resv);
   with usage DMA_RESV_USAGE_WRITE: a userspace fence imported as a DMA
   fence, what "Indefinite DMA Fences" forbids. *)
UopTo(k) == uop' = k
KeepUser == UNCHANGED <<memVars, exVars, sop, sched>>
Rule_user_fence_in_resv == "ilock"
AfterInit == IF GpuMutant = "user_fence_in_resv" THEN Rule_user_fence_in_resv ELSE "fault"

UserInit ==
    /\ uop = "init" /\ FenceInit(User, UserFence) /\ UNCHANGED resvVars /\ UNCHANGED wwState
    /\ UopTo(AfterInit) /\ KeepUser
(* dma_resv_lock(UserObj, NULL): taken, or asleep in the wait list. *)
UserLock(k, sleepK, nextK) ==
    /\ uop = k /\ WW!Lock(User, UserObj, None) /\ HolderFollows
    /\ UopTo(IF lockOwner'[UserObj] = User THEN nextK ELSE sleepK) /\ KeepUser
UserWake(k, nextK) ==
    /\ uop = k
    /\ WW!WaitAcquire(User) \/ WW!WaitSteal(User) \/ WW!WaitHandoff(User)
    /\ HolderFollows
    /\ UopTo(IF lockOwner'[UserObj] = User THEN nextK ELSE k) /\ KeepUser
UserUnlock(k, nextK) ==
    /\ uop = k /\ waitOn[User] = None
    /\ ResvUnlock(User, UserObj) /\ WW!Unlock(User, UserObj)
    /\ UopTo(nextK) /\ KeepUser
UserImportReserve ==
    /\ uop = "ireserve" /\ ReserveFences(User, UserObj, 1) /\ UNCHANGED wwState
    /\ UopTo("iadd") /\ KeepUser
UserImportAdd ==
    /\ uop = "iadd" /\ AddFence(User, UserObj, UserFence, WRITE) /\ UNCHANGED wwState
    /\ UopTo("iunlock") /\ KeepUser
(* ttm_bo_vm_fault_idle's wait; ResvWaitWake ends it (ThreadsNext). *)
UserFaultWait ==
    /\ uop = "fwait" /\ ResvWaitTimeout(User, UserObj, KERNEL, 1) /\ UNCHANGED wwState
    /\ UopTo("funlock") /\ KeepUser
(* Userspace signals its fence once its access is done. *)
UserSignal ==
    /\ uop = "signal" /\ Signal(User, UserFence) /\ UNCHANGED resvVars /\ UNCHANGED wwState
    /\ UopTo("done") /\ KeepUser

-----------------------------------------------------------------------------
(* The scheduler's run_job work (drm_sched_run_job_work, sched_main.c:
   fence = sched->ops->run_job(sched_job); ... drm_sched_job_done) and the
   completion that signals the job's finished fence: GpuMem's RunJob, one
   step, taking no lock.  This is the signalling critical section of the
   job's fence (dma-fence.c, DOC: fence signalling annotation: "All code
   necessary to complete a &dma_fence must be annotated, from the point
   where a fence is accessible to other threads, to the point where
   dma_fence_signal() is called."; xe annotates its preemption work,
   preempt_fence_work_func: cookie = dma_fence_begin_signalling(); ...
   dma_fence_end_signalling(cookie)).
   Mutant run_job_locks: the run_job of a TTM move takes the reservation
   lock of the BO it moves (dma_resv_lock(bo->base.resv, NULL), say to look
   at its placement) before the copy runs, and drops it after: against "any
   code required for fence completion cannot acquire a &dma_resv lock". *)
Rule_run_job_locks(f) == jobMode[f] = "kernel"
RunJobLocks(f) == GpuMutant = "run_job_locks" /\ Rule_run_job_locks(f)
MovedBO(f) == CHOOSE o \in {b.o : b \in jobBinds[f]} : TRUE

SchedRun(f) ==
    /\ ~RunJobLocks(f) \/ (sched.f = f /\ sched.s = "locked")
    /\ RunJob(f)
    /\ sched' = IF RunJobLocks(f) THEN [sched EXCEPT !.s = "unlock"] ELSE sched
    /\ UNCHANGED <<exVars, sop, uop>>
SchedLock(f) ==
    /\ RunJobLocks(f) /\ sched.s = "idle"
    /\ jobState[f] = "queued" /\ \A d \in jobDeps[f] : signaled[d]
    /\ WW!Lock(Gpu, MovedBO(f), None) /\ HolderFollows
    /\ sched' = [f |-> f, o |-> MovedBO(f),
                 s |-> IF lockOwner'[MovedBO(f)] = Gpu THEN "locked" ELSE "sleep"]
    /\ UNCHANGED <<memVars, exVars, sop, uop>>
SchedWake ==
    /\ sched.s = "sleep"
    /\ WW!WaitAcquire(Gpu) \/ WW!WaitSteal(Gpu) \/ WW!WaitHandoff(Gpu)
    /\ HolderFollows
    /\ sched' = [sched EXCEPT !.s = IF lockOwner'[sched.o] = Gpu THEN "locked" ELSE "sleep"]
    /\ UNCHANGED <<memVars, exVars, sop, uop>>
SchedUnlock ==
    /\ sched.s = "unlock"
    /\ ResvUnlock(Gpu, sched.o) /\ WW!Unlock(Gpu, sched.o)
    /\ sched' = IdleSched
    /\ UNCHANGED <<memVars, exVars, sop, uop>>

-----------------------------------------------------------------------------
(* The end: every submission thread has left drm_exec_fini, userspace is
   done, every job that was armed has run, the scheduler is idle.  The only
   state in which nothing may happen (MEM-NO-DEADLOCK: TLC's deadlock check
   is on, and this stuttering step is the only one allowed at the end). *)
Terminated ==
    /\ \A t \in Submitters : xpc[t] = "finished"
    /\ uop \in {"none", "done"}
    /\ \A f \in Fences : jobState[f] \in {"none", "done"}
    /\ sched = IdleSched
    /\ At("idle", 0)

(* Driver load (GpuMem's DriverLoad) and the end of a sleeping
   dma_resv_wait_timeout (DmaResv's ResvWaitWake), as steps of this spec. *)
ThreadsDriverLoad == DriverLoad /\ UNCHANGED <<exVars, thrVars>>
WaitWakes(t) == ResvWaitWake(t) /\ UNCHANGED wwState /\ UNCHANGED <<memVars, exVars, thrVars>>

ThreadsNext ==
    \/ ThreadsDriverLoad
    \/ \E t \in Submitters : ExecStep(t) \/ SubStart(t) \/ SubArm(t) \/ SubAdd(t) \/ SubPush(t)
    \/ ValidateBegin \/ ValidateDone \/ ValidateFail
    \/ WalkTrylock \/ WalkTicketlock \/ WalkWait
    \/ WalkEvictReserve \/ WalkEvictArm \/ WalkEvictAdd \/ WalkEvictUnlock
    \* (uop is "none" when there is no User: no user step is enabled)
    \/ UserInit
    \/ UserLock("ilock", "isleep", "ireserve") \/ UserWake("isleep", "ireserve")
    \/ UserImportReserve \/ UserImportAdd \/ UserUnlock("iunlock", "fault")
    \/ UserLock("fault", "fsleep", "fwait") \/ UserWake("fsleep", "fwait")
    \/ UserFaultWait \/ UserUnlock("funlock", "signal")
    \/ UserSignal
    \/ \E t \in Threads : WaitWakes(t)
    \/ \E f \in Fences : SchedRun(f) \/ SchedLock(f)
    \/ SchedWake \/ SchedUnlock
    \/ Terminated /\ UNCHANGED thrAll

ThreadsSpec == ThreadsInit /\ [][ThreadsNext]_thrAll

-----------------------------------------------------------------------------
(* The wait-for graph.  Nodes: threads, reservation locks, fences.
   Edges, each a "cannot go on until":
     thread -> lock     the thread sleeps in dma_resv_lock / ww_mutex_lock
     lock -> thread     the lock is held by the thread (a lock handed to a
                        sleeper, PICKUP, is that sleeper's to take: no edge)
     thread -> fence    the thread sleeps in dma_fence_wait / dma_resv_wait_timeout
     fence -> fence     the fence's job depends on it (drm_sched dependency), or
                        it is an earlier fence of the same context (an engine
                        completes in order: FENCE-ORDER)
     fence -> thread    the fence's signalling path runs in the thread: the
                        job is armed but not yet pushed by the submitter; the
                        scheduler is in its run_job; the userspace fence is
                        signalled by userspace.
   The signalling critical section of a fence (dma-fence.c: "from the point
   where a fence is accessible to other threads, to the point where
   dma_fence_signal() is called") is every path out of its node. *)
Pending(f) == life[f] = "live" /\ ~signaled[f]
ThreadNodes == Threads
WaitEdges ==
    {<<t, sleepOn[t]>> : t \in {u \in Threads : sleepOn[u] # None}}
    \cup {<<l, lockOwner[l]>> : l \in {r \in Resvs : lockOwner[r] # None}}
    \cup {<<t, waitOn[t]>> : t \in {u \in Threads : waitOn[u] # None}}
    \cup {<<f, d>> \in Fences \X Fences :
             jobState[f] \in {"armed", "queued"} /\ d \in jobDeps[f] /\ ~signaled[d]}
    \cup {<<f, g>> \in Fences \X Fences : Pending(f) /\ Pending(g) /\ IsLater(f, g)}
    \cup {<<sop[t].f, t>> : t \in {u \in Submitters : sop[u].f # None /\ jobState[sop[u].f] = "armed"}}
    \cup (IF sched.f # None THEN {<<sched.f, Gpu>>} ELSE {})
    \cup (IF User # None /\ Pending(UserFence) THEN {<<UserFence, User>>} ELSE {})

(* Transitive closure (Warshall over the nodes that occur). *)
Closure(R) ==
    LET N == {e[1] : e \in R} \cup {e[2] : e \in R}
        RECURSIVE Step(_, _)
        Step(S, M) ==
            IF M = {} THEN S
            ELSE LET k == CHOOSE x \in M : TRUE
                 IN Step(S \cup {<<a, b>> \in N \X N : <<a, k>> \in S /\ <<k, b>> \in S}, M \ {k})
    IN Step(R, N)

(* [MEM-WAIT-DAG] The wait-for graph of threads, locks and fences has no
   cycle. *)
MemWaitDag == \A e \in Closure(WaitEdges) : e[1] # e[2]

(* [MEM-NO-DEADLOCK] Every reachable state but the end has a step: TLC's
   deadlock check, with Terminated as the only state that may stutter.
   Stated here for reference (TLC checks it, not this formula). *)
MemNoDeadlock == ~Terminated => ENABLED ThreadsNext

(* drm_exec's guarantees over the composition (DrmExec's EXEC-CONTRACT,
   EXEC-RESTART-UNLOCKED, and no ww_mutex debug check fires). *)
ThreadsExecContract == EX!ExecContract
ThreadsRestartUnlocked == EX!RestartUnlocked
ThreadsNoWarn == wwWarn = {}
=============================================================================
