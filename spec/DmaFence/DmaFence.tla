------------------------------- MODULE DmaFence -------------------------------
(***************************************************************************)
(* dma_fence as in mainline Linux (2026 tip: RCU-protected ops, inline     *)
(* lock, void dma_fence_signal, dma_fence_check_and_signal).               *)
(*                                                                         *)
(* Kernel sources followed (see ../../spec/MAPPING.md for the full table): *)
(*   drivers/dma-buf/dma-fence.c   dma_fence_context_alloc, dma_fence_init,*)
(*       dma_fence_signal_timestamp_locked, dma_fence_check_and_signal,    *)
(*       __dma_fence_enable_signaling, dma_fence_add_callback,             *)
(*       dma_fence_remove_callback, dma_fence_default_wait,                *)
(*       dma_fence_wait_timeout, dma_fence_release, dma_fence_set_deadline *)
(*   include/linux/dma-fence.h     __dma_fence_is_later, dma_fence_is_later*)
(*       dma_fence_is_later_or_same, dma_fence_is_signaled,                *)
(*       dma_fence_set_error, dma_fence_get_status, dma_fence_get/put      *)
(*                                                                         *)
(* Every action is one kernel call made by thread t with explicit          *)
(* arguments, so that litmus programs (fixed call sequences per thread)    *)
(* can drive the spec.  Every call leaves its return value in ret[t],      *)
(* in the C convention: bool results are 1/0, void calls leave 0.         *)
(* WARNs are recorded in `warnings`; they never block the call, exactly    *)
(* as in the kernel.  Calls the kernel leaves undefined (use after free,   *)
(* removing a callback never added) are not enabled.                       *)
(*                                                                         *)
(* Hardware peeks: an issuer whose ops implement `signaled` (or an        *)
(* `enable_signaling` that returns false for a fence that has passed)      *)
(* lets the core signal a fence that nobody passed to dma_fence_signal.    *)
(* What the ops read is the hardware's progress (`hwDone`, HwComplete).    *)
(* Not modelled: timestamps; deadline values; dma_fence_wait_any_timeout.  *)
(* Atomicity: every action is one critical section of the fence lock, and  *)
(* an RCU grace period is assumed between the last signal and              *)
(* ModuleUnload (the driver's obligation).                                 *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS
    Threads,      \* threads that make kernel calls
    Fences,       \* fence objects (struct dma_fence), unborn until FenceInit
    Callbacks,    \* struct dma_fence_cb objects; each is added at most once
    Modules,      \* issuing modules (drivers) that provide dma_fence_ops
    FenceCtx,     \* [Fences -> Nat]: the context each fence is initialised with
    FenceSeqno,   \* [Fences -> Nat]: the seqno each fence is initialised with
    FenceIs64,    \* [Fences -> BOOLEAN]: dma_fence_init64 (SEQNO64 flag)
    FenceIssuer,  \* [Fences -> Modules]: the module whose ops the fence uses
    IssuerOps,    \* [Modules -> SUBSET OptionalOps]: optional ops implemented
    MaxContext,   \* bound on dma_fence_context_alloc's counter (model bound)
    MaxRefs,      \* bound on a fence's refcount (model bound)
    SeqnoMod,     \* 2^32 in the kernel; a smaller even number in models
    Timeouts,     \* timeouts (jiffies) that dma_fence_wait_timeout is called with
    ErrorArgs,    \* values passed to dma_fence_set_error
    IssuerInOrder, \* TRUE: issuers signal each context in seqno order
    None,         \* model value: "no fence" / "not waiting"
    Mutant        \* "none", or the name of a deliberate bug (see Mutants)

OptionalOps == {"enable_signaling", "wait", "release", "signaled"}
(* "signaled": ops->signaled(fence) returns whether the hardware has passed
   the fence (hwDone), as drivers implement it by comparing the seqno the
   engine last wrote with fence->seqno.  "enable_signaling": the op arms the
   interrupt and returns false if the fence has passed already (hwDone), the
   "already passed" case of @enable_signaling in include/linux/dma-fence.h. *)
\* get_driver_name and get_timeline_name are mandatory (BUG_ON in dma_fence_init).

(* Deliberate bugs for the _bug models; "none" is mainline. *)
Mutants == {"none",
            "signal_not_once",      \* signal re-runs callbacks: no test_and_set of SIGNALED
            "callbacks_lifo",       \* add_callback uses list_add instead of list_add_tail
            "late_callback_runs",   \* add_callback on a signaled fence runs the callback
            "silent_set_error",     \* set_error after signal without the WARN
            "no_detach",            \* pre-M-RCU core (tags: spec/README.md): ops never detached at signal
            "release_no_signal",    \* release of an unsignaled fence leaves callbacks queued
            "wait_early",           \* a sleeping wait returns a remainder before the signal
            "refcount_underflow",   \* dma_fence_put on a zero refcount
            "get_after_free",       \* kref_get instead of dma_fence_get_rcu's get_unless_zero
            "remove_no_unlink",     \* remove_callback reports true but leaves cb queued
            "reinit_freed",         \* a freed fence is initialised again (slab reuse)
            "ignore_peek",          \* core never calls ops->signaled; enable_signaling assumed true
            "hw_unordered"}         \* the hardware passes a context's fences in any order

ASSUME /\ IsFiniteSet(Threads) /\ IsFiniteSet(Fences) /\ IsFiniteSet(Callbacks)
       /\ FenceCtx \in [Fences -> Nat] /\ FenceSeqno \in [Fences -> Nat]
       /\ FenceIs64 \in [Fences -> BOOLEAN] /\ FenceIssuer \in [Fences -> Modules]
       /\ IssuerOps \in [Modules -> SUBSET OptionalOps]
       /\ MaxContext \in Nat /\ MaxRefs \in Nat \ {0}
       /\ SeqnoMod \in Nat /\ SeqnoMod >= 2 /\ SeqnoMod % 2 = 0
       /\ Timeouts \subseteq Int /\ ErrorArgs \subseteq Int
       /\ IssuerInOrder \in BOOLEAN /\ None \notin Fences
       /\ Mutant \in Mutants

(* errno values (include/uapi/asm-generic/errno-base.h, errno.h) *)
ENOENT == 2
EIO == 5
EINVAL == 22
EDEADLK == 35
ERESTARTSYS == 512
MAX_ERRNO == 4095

VARIABLES
    nextCtx,     \* dma_fence_context_alloc's counter (starts at 1: context 0 is the stub's)
    life,        \* [Fences -> {"unborn", "live", "freed"}]
    refs,        \* [Fences -> Int]: the kref
    signaled,    \* [Fences -> BOOLEAN]: DMA_FENCE_FLAG_SIGNALED_BIT
    enabled,     \* [Fences -> BOOLEAN]: DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT
    error,       \* [Fences -> Int]: fence->error
    detached,    \* [Fences -> BOOLEAN]: fence->ops was set to NULL at signal time
    cbq,         \* [Fences -> Seq(Callbacks)]: fence->cb_list, in list order
    cbState,     \* [Callbacks -> {"idle","queued","ran","removed","enoent"}]
    cbFence,     \* [Callbacks -> Fences \cup {None}]: fence the callback was passed to
    waitOn,      \* [Threads -> Fences \cup {None}]: fence a thread sleeps on
    waitTimeout, \* [Threads -> Int]: the timeout of that sleeping wait
    waitIntr,    \* [Threads -> BOOLEAN]: whether that wait is interruptible
    ret,         \* [Threads -> Int]: return value of the thread's last call
    modLoaded,   \* [Modules -> BOOLEAN]
    \* ghost variables: history needed to state the safety properties
    cbAdded,     \* Seq(Callbacks): successful add_callback calls, in order
    cbRan,       \* Seq(Callbacks): callback invocations, in order
    errAtSignal, \* [Fences -> Int]: fence->error when SIGNALED was set
    warnings,    \* set of [fn, f]: WARNs that fired (kernel function, fence)
    opsFault,    \* BOOLEAN: an ops call reached an unloaded module
    hwDone       \* [Fences -> BOOLEAN]: the issuer's hardware has passed the fence
                 \* (not kernel state: what ops->signaled / enable_signaling read)

vars == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
          cbFence, waitOn, waitTimeout, waitIntr, ret, modLoaded,
          cbAdded, cbRan, errAtSignal, warnings, opsFault, hwDone>>

WarnFns == {"dma_fence_context_alloc", "dma_fence_set_error", "dma_fence_release",
            "dma_fence_is_later", "dma_fence_wait_timeout",
            "dma_resv_add_fence"}  \* the last one is DmaResv's (container fence added)

TypeOK ==
    /\ nextCtx \in Nat \ {0}
    /\ life \in [Fences -> {"unborn", "live", "freed"}]
    /\ refs \in [Fences -> Nat]
    /\ signaled \in [Fences -> BOOLEAN]
    /\ enabled \in [Fences -> BOOLEAN]
    /\ error \in [Fences -> Int]
    /\ detached \in [Fences -> BOOLEAN]
    /\ cbq \in [Fences -> Seq(Callbacks)]
    /\ cbState \in [Callbacks -> {"idle", "queued", "ran", "removed", "enoent"}]
    /\ cbFence \in [Callbacks -> Fences \cup {None}]
    /\ waitOn \in [Threads -> Fences \cup {None}]
    /\ waitTimeout \in [Threads -> Int]
    /\ waitIntr \in [Threads -> BOOLEAN]
    /\ ret \in [Threads -> Int]
    /\ modLoaded \in [Modules -> BOOLEAN]
    /\ cbAdded \in Seq(Callbacks) /\ cbRan \in Seq(Callbacks)
    /\ errAtSignal \in [Fences -> Int]
    /\ warnings \subseteq [fn : WarnFns, f : Fences \cup {None}]
    /\ opsFault \in BOOLEAN
    /\ hwDone \in [Fences -> BOOLEAN]

Init ==
    /\ nextCtx = 1
    /\ life = [f \in Fences |-> "unborn"]
    /\ refs = [f \in Fences |-> 0]
    /\ signaled = [f \in Fences |-> FALSE]
    /\ enabled = [f \in Fences |-> FALSE]
    /\ error = [f \in Fences |-> 0]
    /\ detached = [f \in Fences |-> FALSE]
    /\ cbq = [f \in Fences |-> <<>>]
    /\ cbState = [c \in Callbacks |-> "idle"]
    /\ cbFence = [c \in Callbacks |-> None]
    /\ waitOn = [t \in Threads |-> None]
    /\ waitTimeout = [t \in Threads |-> 0]
    /\ waitIntr = [t \in Threads |-> FALSE]
    /\ ret = [t \in Threads |-> 0]
    /\ modLoaded = [m \in Modules |-> TRUE]
    /\ cbAdded = <<>> /\ cbRan = <<>>
    /\ errAtSignal = [f \in Fences |-> 0]
    /\ warnings = {}
    /\ opsFault = FALSE
    /\ hwDone = [f \in Fences |-> FALSE]

-----------------------------------------------------------------------------
(* Helpers *)

Range(s) == {s[i] : i \in DOMAIN s}
Remove(s, x) == SelectSeq(s, LAMBDA y : y # x)
Warn(fn, f) == warnings' = warnings \cup {[fn |-> fn, f |-> f]}
Return(t, v) == ret' = [ret EXCEPT ![t] = v]
B2I(b) == IF b THEN 1 ELSE 0

(* The caller holds a reference: every call on a fence needs one. *)
Held(f) == life[f] = "live" /\ refs[f] >= 1

(* The core dereferences f->ops (reads a member of the issuer's ops table,
   which lives in the issuer's module) when `cond` holds and the ops are not
   detached; that is a fault once the module is unloaded.  Mainline reads
   the pointer with rcu_dereference and treats NULL as "no ops" (M-RCU). *)
OpsDeref(f, cond) ==
    opsFault' = (opsFault \/ (cond /\ ~detached[f] /\ ~modLoaded[FenceIssuer[f]]))

(* __dma_fence_is_later(fence, f1, f2) in include/linux/dma-fence.h: plain
   u64 ">" with SEQNO64, else (int)(lower_32_bits(f1) - lower_32_bits(f2)) > 0,
   i.e. wrap-around arithmetic modulo SeqnoMod (2^32 in the kernel). *)
SeqnoLater(f, s1, s2) ==
    IF FenceIs64[f] THEN s1 > s2
    ELSE LET d == (s1 - s2) % SeqnoMod IN d > 0 /\ d < SeqnoMod \div 2
SameCtx(f1, f2) == FenceCtx[f1] = FenceCtx[f2]
IsLater(f1, f2) == SameCtx(f1, f2) /\ SeqnoLater(f1, FenceSeqno[f1], FenceSeqno[f2])
IsLaterOrSame(f1, f2) == f1 = f2 \/ IsLater(f1, f2)

(* dma_fence_get_status_locked: 0 while unsignaled, else error or 1. *)
Status(f) == IF ~signaled[f] THEN 0 ELSE IF error[f] = 0 THEN 1 ELSE error[f]

(* A fence has completed when it is signaled or its hardware has passed it
   (an ops->signaled peek would then signal it). *)
Completed(f) == signaled[f] \/ hwDone[f]

(* The issuer's obligation (hardware): a fence is signaled, or passed by the
   hardware, only after every earlier fence of its context has completed.
   Enabling condition when IssuerInOrder. *)
EarlierCompleted(f) ==
    \A g \in Fences : (g # f /\ SameCtx(f, g) /\ IsLater(f, g)) => Completed(g)
MaySignal(f) == IssuerInOrder => EarlierCompleted(f)

(* The variables a signal changes (DoSignal). *)
sigVars == <<signaled, detached, cbq, cbState, cbRan, errAtSignal>>

(* The core reaches op `op` of f's issuer: implemented and not detached
   (mainline reads the ops with rcu_dereference; NULL once detached). *)
HasOp(f, op) == op \in IssuerOps[FenceIssuer[f]] /\ ~detached[f] /\ Mutant # "ignore_peek"

(* ops->signaled(f) returns true: the hardware has passed f. *)
PeekSignaled(f) == ~signaled[f] /\ HasOp(f, "signaled") /\ hwDone[f]

(* The first enable of an unsignaled fence calls ops->enable_signaling,
   which returns false because the hardware has passed f already. *)
EnableFails(f) == ~enabled[f] /\ ~signaled[f] /\ HasOp(f, "enable_signaling") /\ hwDone[f]

(* dma_fence_signal_timestamp_locked (drivers/dma-buf/dma-fence.c), with
   SIGNALED not yet set: set SIGNALED, detach ops when the issuer has neither
   release nor wait (M-RCU), then run the callbacks in list order, each node
   re-initialised first.  `err` is fence->error at that moment; `base` is
   the callback states the signal starts from (DoSignal: cbState). *)
DoSignalOn(f, err, base) ==
    LET keepOps == {"release", "wait"} \cap IssuerOps[FenceIssuer[f]] # {}
        detach == ~keepOps /\ Mutant # "no_detach"
    IN
    /\ signaled' = [signaled EXCEPT ![f] = TRUE]
    /\ detached' = [detached EXCEPT ![f] = detached[f] \/ detach]
    /\ cbq' = [cbq EXCEPT ![f] = IF Mutant = "signal_not_once" THEN cbq[f] ELSE <<>>]
    /\ cbState' = [c \in Callbacks |-> IF c \in Range(cbq[f]) THEN "ran" ELSE base[c]]
    /\ cbRan' = cbRan \o cbq[f]
    /\ errAtSignal' = [errAtSignal EXCEPT ![f] = err]
DoSignal(f, err) == DoSignalOn(f, err, cbState)

(* Signal if not yet signaled; with the mutant, signal again. *)
SignalIfNeeded(f) ==
    IF ~signaled[f] \/ Mutant = "signal_not_once"
    THEN DoSignal(f, error[f])
    ELSE UNCHANGED sigVars

(* __dma_fence_enable_signaling (drivers/dma-buf/dma-fence.c, lock held):
       was_set = test_and_set_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT,
                                  &fence->flags);
       if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
               return false;
       if (!was_set && fence->ops->enable_signaling) {
               trace_dma_fence_enable_signal(fence);
               if (!fence->ops->enable_signaling(fence)) {
                       dma_fence_signal_locked(fence);
                       return false;
               }
       }
       return true;
   (mainline: ops = rcu_dereference(fence->ops), `ops &&` in the test.)
   EnableCore sets the flag and reads the ops; EnableSignal is the
   signal_locked of an enable_signaling that returned false (EnableFails). *)
EnableCore(f) ==
    /\ enabled' = [enabled EXCEPT ![f] = TRUE]
    /\ OpsDeref(f, ~enabled[f] /\ ~signaled[f])
EnableSignal(f) == IF EnableFails(f) THEN DoSignal(f, error[f]) ELSE UNCHANGED sigVars

(* The peek of dma_fence_is_signaled(_locked): signal when ops->signaled
   returns true. *)
PeekSignal(f) == IF PeekSignaled(f) THEN DoSignal(f, error[f]) ELSE UNCHANGED sigVars

-----------------------------------------------------------------------------
(* Actions: one per kernel call *)

(* dma_fence_context_alloc(num): returns the first of num fresh contexts.
   WARN_ON(!num).  The counter starts at 1, context 0 is never handed out. *)
ContextAlloc(t, n) ==
    /\ waitOn[t] = None
    /\ nextCtx + n <= MaxContext + 1
    /\ nextCtx' = nextCtx + n
    /\ Return(t, nextCtx)
    /\ IF n = 0 THEN Warn("dma_fence_context_alloc", None) ELSE UNCHANGED warnings
    /\ UNCHANGED <<life, refs, signaled, enabled, error, detached, cbq, cbState,
                   cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded,
                   cbRan, errAtSignal, opsFault, hwDone>>

(* dma_fence_init / dma_fence_init64(fence, ops, NULL, context, seqno): the
   issuing module initialises f with its declared context and seqno, refcount 1,
   inline lock.  The context must have been allocated (or be 0, the stub's). *)
FenceInit(t, f) ==
    /\ waitOn[t] = None
    /\ \/ life[f] = "unborn"
       \/ Mutant = "reinit_freed" /\ life[f] = "freed"
    /\ modLoaded[FenceIssuer[f]]
    /\ FenceCtx[f] < nextCtx
    /\ life' = [life EXCEPT ![f] = "live"]
    /\ refs' = [refs EXCEPT ![f] = 1]
    /\ signaled' = [signaled EXCEPT ![f] = FALSE]
    /\ enabled' = [enabled EXCEPT ![f] = FALSE]
    /\ error' = [error EXCEPT ![f] = 0]
    /\ detached' = [detached EXCEPT ![f] = FALSE]
    /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, cbq, cbState, cbFence, waitOn, waitTimeout, waitIntr,
                   modLoaded, cbAdded, cbRan, errAtSignal, warnings, opsFault, hwDone>>

(* dma_fence_get(f): kref_get; the caller already holds a reference. *)
Get(t, f) ==
    /\ waitOn[t] = None
    /\ \/ Held(f)
       \/ Mutant = "get_after_free" /\ life[f] = "freed"
    /\ refs[f] < MaxRefs
    /\ refs' = [refs EXCEPT ![f] = @ + 1]
    /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, life, signaled, enabled, error, detached, cbq, cbState,
                   cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded,
                   cbRan, errAtSignal, warnings, opsFault, hwDone>>

(* dma_fence_put(f): kref_put.  A sleeping waiter holds its own reference,
   so the last reference cannot be dropped under it.  On the last put,
   dma_fence_release: an unsignaled fence with queued callbacks WARNs
   "Fence %s:%s:%llx:%llx released with pending signals!", gets error
   -EDEADLK and is signaled; then ops->release is called if the ops are
   still attached and implement it (else dma_fence_free). *)
Put(t, f) ==
    /\ waitOn[t] = None
    /\ \/ Held(f) /\ ~(refs[f] = 1 /\ \E u \in Threads : waitOn[u] = f)
       \/ Mutant = "refcount_underflow" /\ life[f] # "unborn"
    /\ Return(t, 0)
    /\ IF refs[f] # 1
       THEN /\ refs' = [refs EXCEPT ![f] = @ - 1]
            /\ UNCHANGED <<life, signaled, detached, cbq, cbState, cbRan,
                           errAtSignal, error, warnings, opsFault>>
       ELSE LET forced == ~signaled[f] /\ cbq[f] # <<>> /\ Mutant # "release_no_signal"
                keepOps == {"release", "wait"} \cap IssuerOps[FenceIssuer[f]] # {}
                \* release reads ops->release unless the ops are detached
                derefs == ~(detached[f] \/ (forced /\ ~keepOps /\ Mutant # "no_detach"))
            IN
            /\ refs' = [refs EXCEPT ![f] = 0]
            /\ life' = [life EXCEPT ![f] = "freed"]
            /\ IF forced
               THEN /\ error' = [error EXCEPT ![f] = -EDEADLK]
                    /\ DoSignal(f, -EDEADLK)
                    /\ Warn("dma_fence_release", f)
               ELSE UNCHANGED <<signaled, detached, cbq, cbState, cbRan,
                                errAtSignal, error, warnings>>
            /\ opsFault' = (opsFault \/ (derefs /\ ~modLoaded[FenceIssuer[f]]))
    /\ UNCHANGED <<nextCtx, enabled, cbFence, waitOn, waitTimeout, waitIntr,
                   modLoaded, cbAdded, hwDone>>

(* dma_fence_signal(f): void since the Dec 2025 series (M-VOID); a second
   signal is a no-op.  The issuer calls it; see MaySignal. *)
Signal(t, f) ==
    /\ waitOn[t] = None /\ Held(f) /\ MaySignal(f)
    /\ SignalIfNeeded(f)
    /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, life, refs, enabled, error, cbFence, waitOn,
                   waitTimeout, waitIntr, modLoaded, cbAdded, warnings, opsFault, hwDone>>

(* dma_fence_check_and_signal(f): signals if needed, returns true iff the
   fence was *already* signaled. *)
CheckAndSignal(t, f) ==
    /\ waitOn[t] = None /\ Held(f) /\ MaySignal(f)
    /\ SignalIfNeeded(f)
    /\ Return(t, B2I(signaled[f]))
    /\ UNCHANGED <<nextCtx, life, refs, enabled, error, cbFence, waitOn,
                   waitTimeout, waitIntr, modLoaded, cbAdded, warnings, opsFault, hwDone>>

(* dma_fence_set_error(f, err): WARN_ON(signaled); WARN_ON(err >= 0 ||
   err < -MAX_ERRNO); the error is stored anyway. *)
SetError(t, f, e) ==
    /\ waitOn[t] = None /\ Held(f)
    /\ error' = [error EXCEPT ![f] = e]
    /\ warnings' = warnings
          \cup (IF (signaled[f] /\ Mutant # "silent_set_error")
                   \/ ~(-MAX_ERRNO <= e /\ e < 0)
                THEN {[fn |-> "dma_fence_set_error", f |-> f]} ELSE {})
    /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, detached, cbq, cbState,
                   cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded,
                   cbRan, errAtSignal, opsFault, hwDone>>

(* dma_fence_get_status(f): 0 pending, 1 signaled, or the negative error.
   Under the lock, dma_fence_get_status_locked (include/linux/dma-fence.h):
       if (dma_fence_is_signaled_locked(fence))
               return fence->error ?: 1;
       else
               return 0;
   and dma_fence_is_signaled_locked peeks as dma_fence_is_signaled does
   (signalling with dma_fence_signal_locked).  An ops->signaled that sets
   fence->error ("May set &dma_fence.error if returning true") is not
   modelled: the error is the one set before. *)
GetStatus(t, f) ==
    /\ waitOn[t] = None /\ Held(f)
    /\ Return(t, IF signaled[f] \/ PeekSignaled(f)
                 THEN (IF error[f] = 0 THEN 1 ELSE error[f]) ELSE 0)
    /\ PeekSignal(f)
    /\ OpsDeref(f, ~signaled[f])
    /\ UNCHANGED <<nextCtx, life, refs, enabled, error, cbFence, waitOn,
                   waitTimeout, waitIntr, modLoaded, cbAdded, warnings, hwDone>>

(* dma_fence_is_signaled(f) (include/linux/dma-fence.h, mainline with RCU
   ops; 6.12 and 6.1 read fence->ops->signaled directly):
       if (dma_fence_test_signaled_flag(fence))
               return true;
       rcu_read_lock();
       ops = rcu_dereference(fence->ops);
       if (ops && ops->signaled && ops->signaled(fence)) {
               rcu_read_unlock();
               dma_fence_signal(fence);
               return true;
       }
       rcu_read_unlock();
       return false;
   So a fence whose hardware has passed can signal here, although its
   issuer never called dma_fence_signal.  It never enables signaling. *)
IsSignaled(t, f) ==
    /\ waitOn[t] = None /\ Held(f)
    /\ Return(t, B2I(signaled[f] \/ PeekSignaled(f)))
    /\ PeekSignal(f)
    /\ OpsDeref(f, ~signaled[f])
    /\ UNCHANGED <<nextCtx, life, refs, enabled, error, cbFence, waitOn,
                   waitTimeout, waitIntr, modLoaded, cbAdded, warnings, hwDone>>

(* dma_fence_set_deadline(f, deadline) (drivers/dma-buf/dma-fence.c,
   mainline with RCU ops):
       rcu_read_lock();
       ops = rcu_dereference(fence->ops);
       if (ops && ops->set_deadline && !dma_fence_is_signaled(fence))
               ops->set_deadline(fence, deadline);
       rcu_read_unlock();
   (6.12: `fence->ops->set_deadline && ...`, no RCU; 6.1 lacks the call,
   added in 6.4.)  The deadline is a hint to the driver with no effect the
   spec can observe, so it is not modelled (nor is time).  Which ops
   implement set_deadline: those that implement `signaled` (a modelling
   choice: msm's fence ops implement both; drm_sched's finished fence
   forwards a deadline without a signaled op, which this does not cover);
   for other ops the call only reads the NULL ops->set_deadline.
   So the call reads the ops table while the ops are attached, and with a
   set_deadline op it runs dma_fence_is_signaled, whose ops->signaled
   peek signals a fence the hardware has passed (PeekSignal). *)
SetDeadline(t, f) ==
    /\ waitOn[t] = None /\ Held(f)
    /\ IF "signaled" \in IssuerOps[FenceIssuer[f]] /\ ~detached[f]
       THEN PeekSignal(f) ELSE UNCHANGED sigVars
    /\ OpsDeref(f, TRUE)
    /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, life, refs, enabled, error, cbFence, waitOn,
                   waitTimeout, waitIntr, modLoaded, cbAdded, warnings, hwDone>>

(* dma_fence_driver_name(f) / dma_fence_timeline_name(f) (M-RCU): under
   rcu_read_lock, ops->get_driver_name(f) while unsignaled, else the fixed
   string "detached-driver" ("signaled-timeline").  ret: 1 when the name came
   from the driver's ops, 0 for the fixed string. *)
DriverName(t, f) ==
    /\ waitOn[t] = None /\ Held(f)
    /\ Return(t, B2I(~signaled[f]))
    /\ OpsDeref(f, ~signaled[f])
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, warnings, hwDone>>

(* dma_fence_is_later(f1, f2): WARN and false across contexts. *)
IsLaterCall(t, f1, f2) ==
    /\ waitOn[t] = None /\ Held(f1) /\ Held(f2)
    /\ Return(t, B2I(IsLater(f1, f2)))
    /\ IF SameCtx(f1, f2) THEN UNCHANGED warnings
       ELSE Warn("dma_fence_is_later", f1)
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, opsFault, hwDone>>

(* dma_fence_is_later_or_same(f1, f2): f1 == f2 || dma_fence_is_later(f1, f2). *)
IsLaterOrSameCall(t, f1, f2) ==
    /\ waitOn[t] = None /\ Held(f1) /\ Held(f2)
    /\ Return(t, B2I(IsLaterOrSame(f1, f2)))
    /\ IF f1 = f2 \/ SameCtx(f1, f2) THEN UNCHANGED warnings
       ELSE Warn("dma_fence_is_later", f1)
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, opsFault, hwDone>>

(* dma_fence_enable_signaling(f) (dma_fence_enable_sw_signaling in 6.12):
   __dma_fence_enable_signaling under the lock. *)
EnableSignaling(t, f) ==
    /\ waitOn[t] = None /\ Held(f)
    /\ EnableCore(f)
    /\ EnableSignal(f)
    /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, life, refs, error, cbFence, waitOn, waitTimeout,
                   waitIntr, modLoaded, cbAdded, warnings, hwDone>>

(* dma_fence_add_callback(f, cb, func) (drivers/dma-buf/dma-fence.c):
       if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
               INIT_LIST_HEAD(&cb->node);
               return -ENOENT;
       }
       spin_lock_irqsave(fence->lock, flags);
       if (__dma_fence_enable_signaling(fence)) {
               cb->func = func;
               list_add_tail(&cb->node, &fence->cb_list);
       } else {
               INIT_LIST_HEAD(&cb->node);
               ret = -ENOENT;
       }
   -ENOENT without running cb if f is signaled, or if enable_signaling
   returned false (the core signals f then, running the callbacks already
   queued); otherwise cb is appended and the call returns 0.  No peek. *)
AddCallback(t, f, cb) ==
    /\ waitOn[t] = None /\ Held(f) /\ cbState[cb] = "idle"
    /\ cbFence' = [cbFence EXCEPT ![cb] = f]
    /\ IF signaled[f]
       THEN /\ Return(t, -ENOENT)
            /\ IF Mutant = "late_callback_runs"
               THEN /\ cbRan' = Append(cbRan, cb)
                    /\ cbState' = [cbState EXCEPT ![cb] = "enoent"]
               ELSE /\ cbState' = [cbState EXCEPT ![cb] = "enoent"]
                    /\ UNCHANGED cbRan
            /\ UNCHANGED <<enabled, cbq, cbAdded, opsFault, signaled, detached, errAtSignal>>
       ELSE /\ EnableCore(f)
            /\ IF EnableFails(f)
               THEN /\ DoSignalOn(f, error[f], [cbState EXCEPT ![cb] = "enoent"])
                    /\ Return(t, -ENOENT)
                    /\ UNCHANGED cbAdded
               ELSE /\ cbq' = [cbq EXCEPT ![f] = IF Mutant = "callbacks_lifo"
                                                THEN <<cb>> \o @ ELSE Append(@, cb)]
                    /\ cbState' = [cbState EXCEPT ![cb] = "queued"]
                    /\ cbAdded' = Append(cbAdded, cb)
                    /\ Return(t, 0)
                    /\ UNCHANGED <<cbRan, signaled, detached, errAtSignal>>
    /\ UNCHANGED <<nextCtx, life, refs, error, waitOn,
                   waitTimeout, waitIntr, modLoaded, warnings, hwDone>>

(* dma_fence_remove_callback(f, cb): true iff cb was still queued. *)
RemoveCallback(t, f, cb) ==
    /\ waitOn[t] = None /\ Held(f) /\ cbFence[cb] = f
    /\ IF cb \in Range(cbq[f])
       THEN /\ cbq' = [cbq EXCEPT ![f] = IF Mutant = "remove_no_unlink" THEN @
                                         ELSE Remove(@, cb)]
            /\ cbState' = [cbState EXCEPT ![cb] = "removed"]
            /\ Return(t, 1)
       ELSE /\ UNCHANGED <<cbq, cbState>>
            /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbFence,
                   waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
                   errAtSignal, warnings, opsFault, hwDone>>

(* dma_fence_wait_timeout(f, intr, timeout) with dma_fence_default_wait:
   WARN and -EINVAL on a negative timeout; always enables signaling first
   (dma_fence_enable_sw_signaling, which signals if enable_signaling returns
   false); ops->wait (deprecated) is an ops call.  Then, under the lock:
   SIGNALED -> return timeout (1 when timeout is 0); intr with a signal
   pending -> -ERESTARTSYS; timeout 0 -> 0; otherwise the thread sleeps
   (waitOn).  dma_fence_default_wait tests the SIGNALED bit only (no peek). *)
WaitTimeout(t, f, intr, to) ==
    /\ waitOn[t] = None /\ Held(f)
    /\ IF to < 0
       THEN /\ Return(t, -EINVAL)
            /\ Warn("dma_fence_wait_timeout", f)
            /\ UNCHANGED <<enabled, opsFault, waitOn, waitTimeout, waitIntr>>
            /\ UNCHANGED sigVars
       ELSE /\ enabled' = [enabled EXCEPT ![f] = TRUE]
            \* reads ops->wait (and ops->enable_signaling on the first enable)
            /\ OpsDeref(f, TRUE)
            /\ EnableSignal(f)
            /\ UNCHANGED warnings
            /\ IF signaled[f] \/ EnableFails(f)
               THEN /\ Return(t, IF to = 0 THEN 1 ELSE to)
                    /\ UNCHANGED <<waitOn, waitTimeout, waitIntr>>
               ELSE \/ /\ intr
                       /\ Return(t, -ERESTARTSYS)
                       /\ UNCHANGED <<waitOn, waitTimeout, waitIntr>>
                    \/ /\ to = 0
                       /\ Return(t, 0)
                       /\ UNCHANGED <<waitOn, waitTimeout, waitIntr>>
                    \/ /\ to > 0
                       /\ waitOn' = [waitOn EXCEPT ![t] = f]
                       /\ waitTimeout' = [waitTimeout EXCEPT ![t] = to]
                       /\ waitIntr' = [waitIntr EXCEPT ![t] = intr]
                       /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, life, refs, error, cbFence, modLoaded, cbAdded, hwDone>>

WaitEnds(t, v) ==
    /\ waitOn' = [waitOn EXCEPT ![t] = None]
    /\ waitTimeout' = [waitTimeout EXCEPT ![t] = 0]
    /\ waitIntr' = [waitIntr EXCEPT ![t] = FALSE]
    /\ Return(t, v)
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, modLoaded, cbAdded, cbRan, errAtSignal,
                   warnings, opsFault, hwDone>>

(* The sleeping waiter of dma_fence_default_wait wakes after the signal and
   returns the remaining jiffies, some value in 1..timeout. *)
WaitWake(t) ==
    /\ waitOn[t] # None
    /\ signaled[waitOn[t]] \/ Mutant = "wait_early"
    /\ \E r \in 1..waitTimeout[t] : WaitEnds(t, r)

(* schedule_timeout ran out: 0.  Also possible when the fence signals in
   the same instant (the loop re-checks ret > 0 before SIGNALED). *)
WaitExpire(t) ==
    /\ waitOn[t] # None
    /\ WaitEnds(t, 0)

(* An interruptible sleeper with a signal pending: -ERESTARTSYS. *)
WaitInterrupt(t) ==
    /\ waitOn[t] # None /\ waitIntr[t]
    /\ WaitEnds(t, -ERESTARTSYS)

(* The issuing module unloads.  Driver protocol (the 2025 module-lifetime series, the
   @release/@wait comments in include/linux/dma-fence.h): every fence of the
   module that is still alive has signaled and its ops implement neither
   release nor wait; an RCU grace period has passed since (synchronize_rcu).
   A module with release or wait ops waits until its fences are freed. *)
ModuleUnload(m) ==
    /\ modLoaded[m]
    /\ \A f \in Fences : FenceIssuer[f] = m =>
          \/ life[f] # "live"
          \/ signaled[f] /\ IssuerOps[m] \cap {"release", "wait"} = {}
    /\ modLoaded' = [modLoaded EXCEPT ![m] = FALSE]
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, ret, cbAdded,
                   cbRan, errAtSignal, warnings, opsFault, hwDone>>

(* The issuer's hardware passes f: the engine writes f's seqno (or a later
   one) where the driver's ops read it.  Not a kernel call and no change to
   the fence: from now on ops->signaled returns true for f and a first
   ops->enable_signaling returns false, so the core signals f at the next
   dma_fence_is_signaled, dma_fence_get_status, add_callback, enable or wait
   that reaches such an op, although nobody called dma_fence_signal.  With
   IssuerInOrder the hardware passes a context's fences in seqno order.
   Only the peeking ops read hwDone, so it is tracked for their issuers
   only: for an issuer without them the step changes nothing (a litmus
   file may still say hw_complete). *)
PeekingOps == {"signaled", "enable_signaling"}
HwComplete(t, f) ==
    /\ waitOn[t] = None /\ Held(f) /\ ~hwDone[f]
    /\ MaySignal(f) \/ Mutant = "hw_unordered"
    /\ hwDone' = [hwDone EXCEPT ![f] = IssuerOps[FenceIssuer[f]] \cap PeekingOps # {}]
    /\ Return(t, 0)
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, warnings, opsFault>>

Next ==
    \/ \E t \in Threads, n \in 1..MaxContext : ContextAlloc(t, n)
    \/ \E t \in Threads, f \in Fences :
          \/ FenceInit(t, f) \/ Get(t, f) \/ Put(t, f)
          \/ Signal(t, f) \/ CheckAndSignal(t, f)
          \/ GetStatus(t, f) \/ IsSignaled(t, f) \/ EnableSignaling(t, f)
          \/ DriverName(t, f) \/ HwComplete(t, f) \/ SetDeadline(t, f)
    \/ \E t \in Threads, f \in Fences, e \in ErrorArgs : SetError(t, f, e)
    \/ \E t \in Threads, f1, f2 \in Fences :
          IsLaterCall(t, f1, f2) \/ IsLaterOrSameCall(t, f1, f2)
    \/ \E t \in Threads, f \in Fences, cb \in Callbacks :
          AddCallback(t, f, cb) \/ RemoveCallback(t, f, cb)
    \/ \E t \in Threads, f \in Fences, intr \in BOOLEAN, to \in Timeouts :
          WaitTimeout(t, f, intr, to)
    \/ \E t \in Threads : WaitWake(t) \/ WaitExpire(t) \/ WaitInterrupt(t)
    \/ \E m \in Modules : ModuleUnload(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Safety properties.  Names are cited in reviews, javadoc and tests. *)

(* [FENCE-ORDER] Same-context ordering, the issuer's obligation: fences of one
   context complete in seqno order.  Completed means signaled or passed by
   the hardware: a peek (ops->signaled) may set the SIGNALED bit of a later
   fence before that of an earlier one the hardware has also passed, and the
   earlier one reports signaled at its next peek.  The only exception the
   kernel makes is a fence released with pending callbacks (WARN, forced
   -EDEADLK signal). *)
SameContextOrdering ==
    \A f2 \in Fences : Completed(f2) =>
        \A f1 \in Fences :
            (~Completed(f1) /\ f1 # f2 /\ IsLater(f2, f1))
                => [fn |-> "dma_fence_release", f |-> f2] \in warnings

(* [FENCE-CB-ONCE] A callback runs at most once ... *)
CallbackRunsAtMostOnce ==
    \A i, j \in DOMAIN cbRan : i < j => cbRan[i] # cbRan[j]

(* [FENCE-CB-EXACTLY-ONCE] ... and a queued callback runs exactly once:
   it is either still queued, ran, or was removed. *)
CallbackStateConsistent ==
    \A cb \in Callbacks :
        /\ cbState[cb] = "queued" <=> (cbFence[cb] # None /\ cb \in Range(cbq[cbFence[cb]]))
        /\ cbState[cb] = "ran" <=> cb \in Range(cbRan)

(* [FENCE-CB-ORDER] Callbacks of one fence run in registration order. *)
CallbacksInRegistrationOrder ==
    \A i, j \in DOMAIN cbRan :
        (i < j /\ cbFence[cbRan[i]] = cbFence[cbRan[j]])
            => \E a, b \in DOMAIN cbAdded :
                   a < b /\ cbAdded[a] = cbRan[i] /\ cbAdded[b] = cbRan[j]

(* [FENCE-CB-LATE] A callback whose add returned -ENOENT never runs. *)
LateCallbackNeverRuns ==
    \A cb \in Callbacks : cbState[cb] = "enoent" => cb \notin Range(cbRan)

(* [FENCE-ERROR] The status is fixed at signal time: an error set after the
   signal always WARNs (dma_fence_set_error). *)
ErrorFixedAtSignal ==
    \A f \in Fences :
        (signaled[f] /\ error[f] # errAtSignal[f])
            => [fn |-> "dma_fence_set_error", f |-> f] \in warnings

(* [FENCE-RELEASE] No callback is left dangling on a freed fence. *)
NoDanglingCallbacks ==
    \A f \in Fences : life[f] = "freed" => cbq[f] = <<>>

(* [FENCE-OPS-RCU] No ops call ever reaches an unloaded module. *)
NoOpsCallAfterUnload == ~opsFault

(* [FENCE-REFCOUNT] A live fence has a positive refcount, a dead one none. *)
RefcountConsistent ==
    \A f \in Fences : (life[f] = "live") <=> (refs[f] > 0)

(* [FENCE-SIGNAL-ONCE] Signaled is stable (an action property). *)
SignaledIsStable == [][\A f \in Fences : signaled[f] => signaled'[f]]_vars

(* [FENCE-WAIT] A sleeping wait returns a positive remainder only after the
   fence has signaled (an action property). *)
WaitPositiveOnlyWhenSignaled ==
    [][\A t \in Threads :
          (waitOn[t] # None /\ waitOn'[t] = None /\ ret'[t] > 0)
              => signaled[waitOn[t]]]_vars

=============================================================================
