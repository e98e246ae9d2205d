-------------------------------- MODULE Litmus --------------------------------
(***************************************************************************)
(* The kernel that litmus scenarios run on: DmaFence and DmaResv and the   *)
(* call-level ww_mutex of WwCalls, in one state, with every kernel call a  *)
(* litmus file can make as one action.  A resv's lock is a ww_mutex of     *)
(* reservation_ww_class (Wait-Die; DEFINE_WD_CLASS in                      *)
(* drivers/dma-buf/dma-resv.c), so dma_resv_lock(obj, ctx) is WwCalls'    *)
(* Lock on the resv; DmaResv's `holder` follows the ww_mutex owner.        *)
(*                                                                         *)
(* Component actions are reached by their own names through the instances *)
(* Fence (DmaFence), Resv (DmaResv) and WW (WwCalls).  The module EXTENDS  *)
(* DmaResv too, for the state (DmaFence's and DmaResv's variables and      *)
(* constants) and the helpers (Alive, Holds, SetOut, ...): an INSTANCE     *)
(* alone would have to declare all of them again here.                     *)
(*                                                                         *)
(* Most calls are plain: `Ready(t) /\ Component!Action(args) /\ frame`,   *)
(* with the frame of the component (FenceFrame, ResvFrame, WwStep below).  *)
(* Those wrappers are not written here: each call is declared once, in     *)
(* org.syncref.litmus.Calls.Fn, and `syncref check` (SpecModel) writes the *)
(* wrappers, L<Action> (LWw<Action> for WwCalls), with their disjuncts     *)
(* into the module MCLitmus it generates per litmus file.  MCLitmus        *)
(* EXTENDS this one and fixes the constants (threads, fences and their     *)
(* contexts and seqnos, resvs, ww_classes, ww_mutexes, acquire contexts,   *)
(* timeouts and error values the file uses); its next-state relation is   *)
(* LitmusNext (the actions written here) or the generated calls.  The      *)
(* explorer then runs every interleaving of the file's threads with TLC's  *)
(* evaluator: each call is the action named in the Litmus table of         *)
(* spec/MAPPING.md, with the thread as first argument.  Litmus threads     *)
(* receive no signals, so the -ERESTARTSYS outcome of an interruptible     *)
(* wait is not taken.                                                      *)
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

Fence == INSTANCE DmaFence
Resv == INSTANCE DmaResv
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

(* The type invariants of the three components; the explorer checks it in
   every state it reaches (INVARIANT of the generated model). *)
LitmusTypeOK == ResvTypeOK /\ WW!WwTypeOK

(* A thread can make a call: no BUG fired, not asleep in a wait or lock. *)
Ready(t) == Alive /\ waitOn[t] = None /\ WW!Awake(t)

NoResv == UNCHANGED resvVars
NoWw == UNCHANGED wwState
(* A ww step: the resv holders follow the ww_mutex owners. *)
WwStep == /\ holder' = [r \in Resvs |-> lockOwner'[r]]
          /\ UNCHANGED <<table, maxSlots, gen, nul, budget, cursor, out, attached, replacedCtx, kbug>>
          /\ UNCHANGED fenceState /\ UNCHANGED warnings
(* The frames of the generated wrappers, by component: a DmaFence call
   leaves the resv and ww state as it is, a DmaResv call the ww state; a
   WwCalls call is a WwStep. *)
FenceFrame == NoResv /\ NoWw
ResvFrame == NoWw

-----------------------------------------------------------------------------
(* The actions below are written by hand: each is more than a plain
   wrapper of one component action (the reason is given with it).  The
   plain calls are generated (see the header). *)

(* Setup (before the threads run): contexts in declaration order, fences.
   Not calls of a thread: no Ready(t), they run before the threads. *)
LContextAlloc(t, n) == Alive /\ Fence!ContextAlloc(t, n) /\ FenceFrame
LFenceInit(t, f) == Alive /\ Fence!FenceInit(t, f) /\ FenceFrame

(* The end of a sleep: of dma_fence_wait_timeout, or of one fence's wait
   inside dma_resv_wait_timeout (DmaResv's ResvWaitWake / ResvWaitExpire).
   Not a call: a step of a sleeping thread (no Ready(t)), and one of two
   components' actions depending on which wait sleeps. *)
LWaitWake(t) == Alive /\ (IF InResvWait(t) THEN Resv!ResvWaitWake(t) ELSE Fence!WaitWake(t) /\ NoResv) /\ NoWw
LWaitExpire(t) == Alive /\ (IF InResvWait(t) THEN Resv!ResvWaitExpire(t) ELSE Fence!WaitExpire(t) /\ NoResv) /\ NoWw

(* What the kernel does with an add that breaks the contract (no slot
   reserved in this lock hold): the explorer takes it where LAddFence is not
   enabled and marks the execution "contract; kernel: ...".  Not a call of
   its own, and it keeps the reservation budget (UNCHANGED budget). *)
LAddFenceKernel(t, r, f, u) == Ready(t) /\ Resv!AddFenceKernel(t, r, f, u) /\ UNCHANGED budget /\ ResvFrame

(* dma_resv_for_each_fence(&cursor, obj, usage, fence), lock held, collecting
   the fences: DmaResv's locked walk (IterFirst, IterNext ..., IterEnd) in one
   step, as nothing can change the list while the lock is held.  It yields
   every entry with usage <= u in table order, signaled or not, so its length
   for BOOKKEEP is num_fences; this is how a litmus file sees the entries that
   dma_resv_get_fences skips (a signaled one an add should have reused).
   Without the lock it breaks the contract (dma_resv_iter_first's
   dma_resv_assert_held).  Written here: three DmaResv actions in one step. *)
LockedFences(r, u) ==
    LET es == SelectSeq(table[r], LAMBDA e : e.u <= u) IN [i \in DOMAIN es |-> es[i].f]
LForEachFence(t, r, u) ==
    /\ Ready(t) /\ Holds(t, r) /\ cursor[t].r = None
    /\ SetOut(t, LockedFences(r, u))
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings /\ NoWw

(* dma_resv_lock(obj, ctx), dma_resv_lock_slow(obj, ctx): ww_mutex_lock and
   ww_mutex_lock_slow on obj->lock (include/linux/dma-resv.h).  Written here:
   the WwCalls action runs on the resv, not on one of the file's ww_mutexes. *)
LResvLock(t, r, ctx) == Ready(t) /\ WW!Lock(t, r, ctx) /\ WwStep
LResvLockSlow(t, r, ctx) == Ready(t) /\ WW!LockSlow(t, r, ctx) /\ WwStep
(* dma_resv_unlock: DmaResv's ResvUnlock (max_fences reset) + ww_mutex_unlock:
   two components' actions in one step. *)
LResvUnlock(t, r) == Ready(t) /\ Resv!ResvUnlock(t, r) /\ WW!Unlock(t, r)

(* The steps of a sleeping ww_mutex lock (WwCalls): not calls (no Ready(t)). *)
LWwWaitAcquire(t) == Alive /\ WW!WaitAcquire(t) /\ WwStep
LWwWaitDie(t) == Alive /\ WW!WaitDie(t) /\ WwStep
LWwWaitSteal(t) == Alive /\ WW!WaitSteal(t) /\ WwStep
LWwWaitHandoff(t) == Alive /\ WW!WaitHandoff(t) /\ WwStep

(* The actions written here; MCLitmus adds the generated calls. *)
LitmusNext ==
    \/ \E t \in Threads, n \in 1..MaxContext : LContextAlloc(t, n)
    \/ \E t \in Threads, f \in Fences : LFenceInit(t, f)
    \/ \E t \in Threads : LWaitWake(t) \/ LWaitExpire(t) \/ LWwWaitAcquire(t) \/ LWwWaitDie(t)
    \/ \E t \in Threads : LWwWaitSteal(t) \/ LWwWaitHandoff(t)
    \* only after a contract breach (the explorer's choice, never a call of its own)
    \/ \E t \in Threads, r \in Resvs, f \in Fences, u \in Usages : LAddFenceKernel(t, r, f, u)
    \/ \E t \in Threads, r \in Resvs, u \in Usages : LForEachFence(t, r, u)
    \/ \E t \in Threads, r \in Resvs, ctx \in Ctxs \cup {None} : LResvLock(t, r, ctx)
    \/ \E t \in Threads, r \in Resvs, ctx \in Ctxs : LResvLockSlow(t, r, ctx)
    \/ \E t \in Threads, r \in Resvs : LResvUnlock(t, r)
=============================================================================
