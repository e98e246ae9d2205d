-------------------------------- MODULE Litmus --------------------------------
(***************************************************************************)
(* The kernel that litmus scenarios run on: DmaFence and DmaResv (EXTENDS) *)
(* and the call-level ww_mutex of WwCalls (INSTANCE), in one state, with   *)
(* every kernel call a litmus file can make as one action.  A resv's lock  *)
(* is a ww_mutex of reservation_ww_class (Wait-Die; DEFINE_WD_CLASS in     *)
(* drivers/dma-buf/dma-resv.c), so dma_resv_lock(obj, ctx) is WwCalls'    *)
(* Lock on the resv; DmaResv's `holder` follows the ww_mutex owner.        *)
(*                                                                         *)
(* `syncref check` (model-check/.../litmus) generates a module MCLitmus    *)
(* per litmus file that EXTENDS this one and fixes the constants (threads, *)
(* fences and their contexts and seqnos, resvs, ww_classes, ww_mutexes,    *)
(* acquire contexts, timeouts and error values the file uses), then        *)
(* explores every interleaving of the file's threads with TLC's evaluator: *)
(* each call is the action named in the Litmus table of spec/MAPPING.md, *)
(* with the thread as first argument.  Litmus threads receive no signals, *)
(* so the -ERESTARTSYS outcome of an interruptible wait is not taken.   *)
(***************************************************************************)
EXTENDS DmaResv

CONSTANTS
    Ctxs,          \* acquire contexts the file names (ww_acquire_init)
    WwMutexes,     \* the file's ww_mutexes
    WwClasses,     \* the file's ww_classes (strings)
    WwClassAlg,    \* [WwClasses -> {"wait-die", "wound-wait"}]
    MutexClass,    \* [WwMutexes -> WwClasses]
    LitmusBuild    \* the kernel build (WwCalls' Build): "production", "debug-lock-alloc", "prove-locking"

VARIABLES ctxLive, ctxClass, ctxStamp, ctxDone, acquired, wounded, contending,
          classStamp, lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, wwWarn, noInject,
          handoff, pickup

ResvClass == "reservation_ww_class"
AllClasses == WwClasses \cup {ResvClass}
WwLockSet == WwMutexes \cup Resvs

WW == INSTANCE WwCalls WITH
        WwLocks <- WwLockSet, Classes <- AllClasses,
        ClassAlg <- [k \in AllClasses |-> IF k = ResvClass THEN "wait-die" ELSE WwClassAlg[k]],
        LockClass <- [l \in WwLockSet |-> IF l \in Resvs THEN ResvClass ELSE MutexClass[l]],
        Build <- LitmusBuild

wwState == <<ctxLive, ctxClass, ctxStamp, ctxDone, acquired, wounded, contending,
             classStamp, lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, wwWarn, noInject,
             handoff, pickup>>
litmusVars == <<allVars, wwState>>

LitmusInit == ResvInit /\ WW!WwInit

(* A thread can make a call: no BUG fired, not asleep in a wait or lock. *)
Ready(t) == Alive /\ waitOn[t] = None /\ WW!Awake(t)

NoResv == UNCHANGED resvVars
NoWw == UNCHANGED wwState
(* A ww step: the resv holders follow the ww_mutex owners. *)
WwStep == /\ holder' = [r \in Resvs |-> lockOwner'[r]]
          /\ UNCHANGED <<table, maxSlots, gen, nul, budget, cursor, out, attached, replacedCtx, kbug>>
          /\ UNCHANGED fenceState /\ UNCHANGED warnings

-----------------------------------------------------------------------------
(* Setup (before the threads run): contexts in declaration order, fences. *)
LContextAlloc(t, n) == Alive /\ ContextAlloc(t, n) /\ NoResv /\ NoWw
LFenceInit(t, f) == Alive /\ FenceInit(t, f) /\ NoResv /\ NoWw

(* dma_fence calls (DmaFence) *)
LSignal(t, f) == Ready(t) /\ Signal(t, f) /\ NoResv /\ NoWw
LCheckAndSignal(t, f) == Ready(t) /\ CheckAndSignal(t, f) /\ NoResv /\ NoWw
LSetError(t, f, e) == Ready(t) /\ SetError(t, f, e) /\ NoResv /\ NoWw
LGetStatus(t, f) == Ready(t) /\ GetStatus(t, f) /\ NoResv /\ NoWw
LIsSignaled(t, f) == Ready(t) /\ IsSignaled(t, f) /\ NoResv /\ NoWw
LEnableSignaling(t, f) == Ready(t) /\ EnableSignaling(t, f) /\ NoResv /\ NoWw
LAddCallback(t, f, cb) == Ready(t) /\ AddCallback(t, f, cb) /\ NoResv /\ NoWw
LRemoveCallback(t, f, cb) == Ready(t) /\ RemoveCallback(t, f, cb) /\ NoResv /\ NoWw
LWaitTimeout(t, f, intr, to) == Ready(t) /\ WaitTimeout(t, f, intr, to) /\ NoResv /\ NoWw
(* The end of a sleep: of dma_fence_wait_timeout, or of one fence's wait
   inside dma_resv_wait_timeout (DmaResv's ResvWaitWake / ResvWaitExpire). *)
LWaitWake(t) == Alive /\ (IF InResvWait(t) THEN ResvWaitWake(t) ELSE WaitWake(t) /\ NoResv) /\ NoWw
LWaitExpire(t) == Alive /\ (IF InResvWait(t) THEN ResvWaitExpire(t) ELSE WaitExpire(t) /\ NoResv) /\ NoWw
(* hw_complete(f): not a kernel call; the hardware passes f (DmaFence's
   HwComplete), which a fence declared with `ops signaled` / `ops
   enable_signaling` then reports to the core. *)
LHwComplete(t, f) == Ready(t) /\ HwComplete(t, f) /\ NoResv /\ NoWw

(* dma_resv calls (DmaResv) *)
LReserveFences(t, r, n) == Ready(t) /\ ReserveFences(t, r, n) /\ NoWw
LAddFence(t, r, f, u) == Ready(t) /\ AddFence(t, r, f, u) /\ NoWw
(* What the kernel does with an add that breaks the contract (no slot
   reserved in this lock hold): the explorer takes it where LAddFence is not
   enabled and marks the execution "contract; kernel: ...". *)
LAddFenceKernel(t, r, f, u) == Ready(t) /\ AddFenceKernel(t, r, f, u) /\ UNCHANGED budget /\ NoWw
LReplaceFences(t, r, c, f, u) == Ready(t) /\ ReplaceFences(t, r, c, f, u) /\ NoWw
LTestSignaled(t, r, u) == Ready(t) /\ TestSignaled(t, r, u) /\ NoWw
LGetFences(t, r, u) == Ready(t) /\ GetFences(t, r, u) /\ NoWw
(* dma_resv_get_singleton(obj, usage, &fence): out holds NULL, the fence, or
   the new dma_fence_array's members (DmaResv's GetSingleton). *)
LGetSingleton(t, r, u) == Ready(t) /\ GetSingleton(t, r, u) /\ NoWw
(* dma_resv_for_each_fence(&cursor, obj, usage, fence), lock held, collecting
   the fences: DmaResv's locked walk (IterFirst, IterNext ..., IterEnd) in one
   step, as nothing can change the list while the lock is held.  It yields
   every entry with usage <= u in table order, signaled or not, so its length
   for BOOKKEEP is num_fences; this is how a litmus file sees the entries that
   dma_resv_get_fences skips (a signaled one an add should have reused).
   Without the lock it breaks the contract (dma_resv_iter_first's
   dma_resv_assert_held). *)
LockedFences(r, u) ==
    LET es == SelectSeq(table[r], LAMBDA e : e.u <= u) IN [i \in DOMAIN es |-> es[i].f]
LForEachFence(t, r, u) ==
    /\ Ready(t) /\ Holds(t, r) /\ cursor[t].r = None
    /\ SetOut(t, LockedFences(r, u))
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings /\ NoWw
LResvWaitTimeout(t, r, u, timeout) == Ready(t) /\ ResvWaitTimeout(t, r, u, timeout) /\ NoWw

(* dma_resv_lock(obj, ctx), dma_resv_lock_slow(obj, ctx): ww_mutex_lock and
   ww_mutex_lock_slow on obj->lock (include/linux/dma-resv.h). *)
LResvLock(t, r, ctx) == Ready(t) /\ WW!Lock(t, r, ctx) /\ WwStep
LResvLockSlow(t, r, ctx) == Ready(t) /\ WW!LockSlow(t, r, ctx) /\ WwStep
(* dma_resv_unlock: DmaResv's ResvUnlock (max_fences reset) + ww_mutex_unlock. *)
LResvUnlock(t, r) == Ready(t) /\ ResvUnlock(t, r) /\ WW!Unlock(t, r)

(* ww_mutex calls (WwCalls) *)
LAcquireInit(t, ctx, k) == Ready(t) /\ WW!AcquireInit(t, ctx, k) /\ WwStep
LAcquireInitNoinject(t, ctx, k) == Ready(t) /\ WW!AcquireInitNoinject(t, ctx, k) /\ WwStep
LAcquireDone(t, ctx) == Ready(t) /\ WW!AcquireDone(t, ctx) /\ WwStep
LAcquireFini(t, ctx) == Ready(t) /\ WW!AcquireFini(t, ctx) /\ WwStep
LWwLock(t, l, ctx) == Ready(t) /\ WW!Lock(t, l, ctx) /\ WwStep
LWwLockSlow(t, l, ctx) == Ready(t) /\ WW!LockSlow(t, l, ctx) /\ WwStep
LWwTrylock(t, l, ctx) == Ready(t) /\ WW!Trylock(t, l, ctx) /\ WwStep
LWwUnlock(t, l) == Ready(t) /\ WW!Unlock(t, l) /\ WwStep
LWwWaitAcquire(t) == Alive /\ WW!WaitAcquire(t) /\ WwStep
LWwWaitDie(t) == Alive /\ WW!WaitDie(t) /\ WwStep
LWwWaitSteal(t) == Alive /\ WW!WaitSteal(t) /\ WwStep
LWwWaitHandoff(t) == Alive /\ WW!WaitHandoff(t) /\ WwStep

LitmusNext ==
    \/ \E t \in Threads, n \in 1..MaxContext : LContextAlloc(t, n)
    \/ \E t \in Threads, f \in Fences :
          \/ LFenceInit(t, f) \/ LSignal(t, f) \/ LCheckAndSignal(t, f) \/ LGetStatus(t, f)
          \/ LIsSignaled(t, f) \/ LEnableSignaling(t, f) \/ LHwComplete(t, f)
    \/ \E t \in Threads, f \in Fences, e \in ErrorArgs : LSetError(t, f, e)
    \/ \E t \in Threads, f \in Fences, cb \in Callbacks :
          LAddCallback(t, f, cb) \/ LRemoveCallback(t, f, cb)
    \/ \E t \in Threads, f \in Fences, intr \in BOOLEAN, to \in Timeouts : LWaitTimeout(t, f, intr, to)
    \/ \E t \in Threads : LWaitWake(t) \/ LWaitExpire(t) \/ LWwWaitAcquire(t) \/ LWwWaitDie(t)
    \/ \E t \in Threads : LWwWaitSteal(t) \/ LWwWaitHandoff(t)
    \/ \E t \in Threads, r \in Resvs, n \in 1..MaxReserve : LReserveFences(t, r, n)
    \/ \E t \in Threads, r \in Resvs, f \in Fences, u \in Usages : LAddFence(t, r, f, u)
    \* only after a contract breach (the explorer's choice, never a call of its own)
    \/ \E t \in Threads, r \in Resvs, f \in Fences, u \in Usages : LAddFenceKernel(t, r, f, u)
    \/ \E t \in Threads, r \in Resvs, c \in {FenceCtx[g] : g \in Fences}, f \in Fences, u \in Usages :
          LReplaceFences(t, r, c, f, u)
    \/ \E t \in Threads, r \in Resvs, u \in Usages : LTestSignaled(t, r, u) \/ LGetFences(t, r, u)
    \/ \E t \in Threads, r \in Resvs, u \in Usages : LForEachFence(t, r, u)
    \/ \E t \in Threads, r \in Resvs, u \in Usages : LGetSingleton(t, r, u)
    \/ \E t \in Threads, r \in Resvs, u \in Usages, timeout \in Timeouts :
          LResvWaitTimeout(t, r, u, timeout)
    \/ \E t \in Threads, r \in Resvs, ctx \in Ctxs \cup {None} : LResvLock(t, r, ctx)
    \/ \E t \in Threads, r \in Resvs, ctx \in Ctxs : LResvLockSlow(t, r, ctx)
    \/ \E t \in Threads, r \in Resvs : LResvUnlock(t, r)
    \/ \E t \in Threads, ctx \in Ctxs, k \in AllClasses : LAcquireInit(t, ctx, k)
    \/ \E t \in Threads, ctx \in Ctxs, k \in AllClasses : LAcquireInitNoinject(t, ctx, k)
    \/ \E t \in Threads, ctx \in Ctxs : LAcquireDone(t, ctx) \/ LAcquireFini(t, ctx)
    \/ \E t \in Threads, l \in WwMutexes, ctx \in Ctxs \cup {None} :
          LWwLock(t, l, ctx) \/ LWwTrylock(t, l, ctx)
    \/ \E t \in Threads, l \in WwMutexes, ctx \in Ctxs : LWwLockSlow(t, l, ctx)
    \/ \E t \in Threads, l \in WwMutexes : LWwUnlock(t, l)
=============================================================================
