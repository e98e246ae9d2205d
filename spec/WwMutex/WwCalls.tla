------------------------------- MODULE WwCalls -------------------------------
(***************************************************************************)
(* ww_mutex at the level of single kernel calls, for litmus scenarios: any *)
(* thread may make any call in any order, so misuse is expressible and the *)
(* debug checks are observable outcomes.  WwMutex.tla is the protocol      *)
(* level (threads that run the backoff loop) and holds the properties;     *)
(* this module is its call-level companion, with the same abstractions     *)
(* (mutex.c's owner word with lock stealing, HANDOFF and PICKUP; a sleeper *)
(* may run its wait loop at any time, as after a wake-up, which may be     *)
(* spurious) and these additions:                                          *)
(*   - acquire contexts are objects (Ctxs), several per thread if wanted;  *)
(*   - the wait list is a sequence: ctx-less waiters (ww_mutex_lock(m,     *)
(*     NULL)) queue at the tail and are never overtaken, context waiters   *)
(*     queue in stamp order among the context waiters                      *)
(*     (__ww_mutex_add_waiter scans from the tail, skipping ctx-less ones);*)
(*   - several ww_classes, each with its own algorithm and stamp counter;  *)
(*   - the checks of CONFIG_DEBUG_WW_MUTEX_SLOWPATH, DEBUG_MUTEXES and the  *)
(*     lockdep release of ww_acquire_fini (CONFIG_PROVE_LOCKING, as the    *)
(*     Java implementation) as WARNs recorded in wwWarn.                   *)
(*                                                                         *)
(* Kernel sources followed (mainline):                                     *)
(*   include/linux/ww_mutex.h   ww_acquire_init (stamp =                   *)
(*       atomic_long_inc_return(&ww_class->stamp)), ww_acquire_done        *)
(*       (DEBUG_LOCKS_WARN_ON(ctx->done_acquire)), ww_acquire_fini         *)
(*       (DEBUG_LOCKS_WARN_ON(ctx->acquired)), ww_mutex_lock_slow          *)
(*       (DEBUG_LOCKS_WARN_ON(!ctx->contending_lock))                      *)
(*   kernel/locking/ww_mutex.h  ww_mutex_lock_acquired (the four debug     *)
(*       checks), __ww_ctx_less, __ww_mutex_kill, __ww_mutex_die,          *)
(*       __ww_mutex_wound, __ww_mutex_check_kill, __ww_mutex_add_waiter,   *)
(*       __ww_mutex_unlock                                                 *)
(*   kernel/locking/mutex.c     __mutex_lock_common (-EALREADY first, the  *)
(*       wounded reset when nothing is held), ww_mutex_trylock,            *)
(*       __mutex_unlock_slowpath (MUTEX_WARN_ON(owner != current)),        *)
(*       ww_mutex_deadlock_injection                                       *)
(*   kernel/locking/test-ww_mutex.c  ww_acquire_init_noinject (a macro of  *)
(*       the kernel's own ww_mutex test, since 5.16)                       *)
(* The kernel builds (Build) are those of WwMutex.tla.                     *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS
    Threads,     \* tasks
    Ctxs,        \* struct ww_acquire_ctx objects
    WwLocks,     \* struct ww_mutex objects
    Classes,     \* struct ww_class objects
    ClassAlg,    \* [Classes -> {"wait-die", "wound-wait"}]
    LockClass,   \* [WwLocks -> Classes]: the class a mutex was initialised with
    Build,       \* "production": an uncontended ww_mutex_lock / lock_slow takes
                 \* __mutex_trylock_fast, whose ww_mutex_set_context_fastpath keeps a
                 \* stale wound; "debug-lock-alloc": every lock takes __mutex_lock_common,
                 \* which clears ctx->wounded when nothing is held; "prove-locking": as
                 \* debug-lock-alloc, plus the deadlock injection (InjectOK below)
    None

EDEADLK_ == 35
(* ~0U, the acquired count a fini leaves without lockdep (here TLC's largest
   integer, 2^31 - 1); a later acquired++ wraps to 0 (unsigned int). *)
AcquiredFini == 2147483647
EALREADY_ == 114

VARIABLES
    ctxLive,     \* [Ctxs -> {"unused", "live", "fini"}]
    ctxClass,    \* [Ctxs -> Classes \cup {None}]
    ctxStamp,    \* [Ctxs -> Nat]: ctx->stamp (smaller is older)
    ctxDone,     \* [Ctxs -> BOOLEAN]: ctx->done_acquire
    acquired,    \* [Ctxs -> Nat]: ctx->acquired
    wounded,     \* [Ctxs -> BOOLEAN]: ctx->wounded
    contending,  \* [Ctxs -> WwLocks \cup {None}]: ctx->contending_lock
    classStamp,  \* [Classes -> Nat]: ww_class->stamp
    lockOwner,   \* [WwLocks -> Threads \cup {None}]: the mutex owner task
    lockCtx,     \* [WwLocks -> Ctxs \cup {None}]: lock->ctx
    waitq,       \* [WwLocks -> Seq(Threads)]: the wait list, first waiter first
    sleepOn,     \* [Threads -> WwLocks \cup {None}]: the lock a sleeping lock call waits for
    sleepCtx,    \* [Threads -> Ctxs \cup {None}]: that call's context
    sleepFn,     \* [Threads -> STRING]: that call's kernel function ("" if none)
    wwWarn,      \* set of [fn, check]: the debug checks that fired
    ret,         \* [Threads -> Int]: the last call's return value (shared with DmaFence)
    noInject,    \* [Ctxs -> BOOLEAN]: initialised with ww_acquire_init_noinject
    handoff,     \* [WwLocks -> BOOLEAN]: MUTEX_FLAG_HANDOFF in lock->base.owner
    pickup       \* [WwLocks -> Threads \cup {None}]: the task the lock was handed to
                 \* (owner word task|MUTEX_FLAG_PICKUP, not yet taken: lockOwner is None)

wwVars == <<ctxLive, ctxClass, ctxStamp, ctxDone, acquired, wounded, contending,
            classStamp, lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, wwWarn, noInject,
            handoff, pickup>>
mutexVars == <<handoff, pickup>>

WwInit ==
    /\ ctxLive = [c \in Ctxs |-> "unused"]
    /\ ctxClass = [c \in Ctxs |-> None]
    /\ ctxStamp = [c \in Ctxs |-> 0]
    /\ ctxDone = [c \in Ctxs |-> FALSE]
    /\ acquired = [c \in Ctxs |-> 0]
    /\ wounded = [c \in Ctxs |-> FALSE]
    /\ contending = [c \in Ctxs |-> None]
    /\ classStamp = [k \in Classes |-> 0]
    /\ lockOwner = [l \in WwLocks |-> None]
    /\ lockCtx = [l \in WwLocks |-> None]
    /\ waitq = [l \in WwLocks |-> <<>>]
    /\ sleepOn = [t \in Threads |-> None]
    /\ sleepCtx = [t \in Threads |-> None]
    /\ sleepFn = [t \in Threads |-> ""]
    /\ wwWarn = {}
    /\ noInject = [c \in Ctxs |-> FALSE]
    /\ handoff = [l \in WwLocks |-> FALSE]
    /\ pickup = [l \in WwLocks |-> None]

(* The type invariant: the domain and range of every variable, and the wait
   lists: a sleeping lock call is queued exactly once, on the lock it sleeps
   on, and only sleepers are queued. *)
WwFns == {"ww_mutex_lock", "ww_mutex_lock_slow", "ww_mutex_trylock", "ww_acquire_done",
          "ww_acquire_fini", "ww_mutex_unlock"}
WwTypeOK ==
    /\ ctxLive \in [Ctxs -> {"unused", "live", "fini"}]
    /\ ctxClass \in [Ctxs -> Classes \cup {None}]
    /\ ctxStamp \in [Ctxs -> Nat]
    /\ ctxDone \in [Ctxs -> BOOLEAN]
    /\ acquired \in [Ctxs -> 0..AcquiredFini]
    /\ wounded \in [Ctxs -> BOOLEAN]
    /\ contending \in [Ctxs -> WwLocks \cup {None}]
    /\ classStamp \in [Classes -> Nat]
    /\ lockOwner \in [WwLocks -> Threads \cup {None}]
    /\ lockCtx \in [WwLocks -> Ctxs \cup {None}]
    /\ waitq \in [WwLocks -> Seq(Threads)]
    /\ sleepOn \in [Threads -> WwLocks \cup {None}]
    /\ sleepCtx \in [Threads -> Ctxs \cup {None}]
    /\ sleepFn \in [Threads -> {"", "ww_mutex_lock", "ww_mutex_lock_slow"}]
    /\ wwWarn \subseteq [fn : WwFns, check : STRING]
    /\ ret \in [Threads -> Int]
    /\ noInject \in [Ctxs -> BOOLEAN]
    /\ handoff \in [WwLocks -> BOOLEAN]
    /\ pickup \in [WwLocks -> Threads \cup {None}]
    /\ \A l \in WwLocks : \A i, j \in DOMAIN waitq[l] :
          /\ sleepOn[waitq[l][i]] = l
          /\ i # j => waitq[l][i] # waitq[l][j]
    /\ \A t \in Threads : sleepOn[t] # None =>
          \E i \in DOMAIN waitq[sleepOn[t]] : waitq[sleepOn[t]][i] = t
    /\ \A t \in Threads : (sleepOn[t] = None) = (sleepFn[t] = "")

-----------------------------------------------------------------------------
Builds == {"production", "debug-lock-alloc", "prove-locking"}
ASSUME Build \in Builds
FastPath == Build = "production"
(* CONFIG_DEBUG_LOCK_ALLOC (lockdep's maps): the debug-lock-alloc and
   prove-locking builds. *)
LockdepBuild == Build # "production"

Awake(t) == sleepOn[t] = None
SetRet(t, v) == ret' = [ret EXCEPT ![t] = v]
W(fn, check) == [fn |-> fn, check |-> check]
WaitDieCtx(c) == ClassAlg[ctxClass[c]] = "wait-die"
(* __ww_ctx_less(a, b): a is younger (its stamp is larger). *)
Less(a, b) == ctxStamp[a] > ctxStamp[b]
(* The owner word has no task: __mutex_trylock takes the lock, waiters or
   not (lock stealing; MUTEX_FLAG_WAITERS is "waitq is not empty"). *)
Free(l) == lockOwner[l] = None /\ pickup[l] = None
Uncontended(l) == Free(l) /\ waitq[l] = <<>>
Pos(s, x) == CHOOSE i \in DOMAIN s : s[i] = x
CtxWaiter(u) == sleepCtx[u] # None
InsertAt(s, i, x) == SubSeq(s, 1, i - 1) \o <<x>> \o SubSeq(s, i, Len(s))
Drop(s, x) == SelectSeq(s, LAMBDA y : y # x)

(* __ww_mutex_add_waiter's position for context c in wait list s: scanning
   from the tail and skipping ctx-less waiters, stop at the first context
   waiter that is older than c; c goes before the last context waiter it
   passed (all younger), or at the tail if it passed none. *)
QueuePos(s, c) ==
    LET older == {i \in DOMAIN s : CtxWaiter(s[i]) /\ Less(c, sleepCtx[s[i]])}
        stop == IF older = {} THEN 0 ELSE CHOOSE i \in older : \A j \in older : j <= i
        passed == {i \in DOMAIN s : i > stop /\ CtxWaiter(s[i])}
    IN IF passed = {} THEN Len(s) + 1 ELSE CHOOSE i \in passed : \A j \in passed : i <= j

(* Wound-Wait's __ww_mutex_check_waiters after context c took l with waiters
   queued (ww_mutex_set_context_fastpath, or a waiter that was not first):
   a context waiter that holds locks and is older wounds c (__ww_mutex_wound). *)
StealWounds(c, l) ==
    /\ c # None /\ ~WaitDieCtx(c)
    /\ \E i \in DOMAIN waitq[l] : CtxWaiter(waitq[l][i]) /\ acquired[sleepCtx[waitq[l][i]]] > 0
                                 /\ Less(c, sleepCtx[waitq[l][i]])

(* __ww_mutex_kill: -EDEADLK when the context holds locks; the debug check
   that an earlier -EDEADLK was backed off from. *)
KillWarn(c) == IF contending[c] # None
               THEN {W("ww_mutex_lock", "DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock)")} ELSE {}

(* Wait-Die: a context waiter with locks dies when the holder is older or a
   context waiter is queued before it (__ww_mutex_check_kill, and
   __ww_mutex_add_waiter's scan for a newcomer).  Wound-Wait: when wounded. *)
KillCond(l, c, ahead) ==
    /\ acquired[c] > 0
    /\ IF WaitDieCtx(c)
       THEN \/ lockCtx[l] # None /\ Less(c, lockCtx[l])
            \/ \E u \in ahead : CtxWaiter(u)
       ELSE wounded[c]

(* ww_mutex_lock_acquired with DEBUG_WW_MUTEXES: the checks that fire when
   c takes l from function fn.  With lockdep (debug-lock-alloc, prove-locking)
   a context that ww_acquire_fini released no longer holds its dep_map, the
   nest_lock of mutex_acquire_nest in __mutex_lock_common: lockdep reports
   "WARNING: Nested lock was not taken" and turns debug_locks off, so the
   DEBUG_LOCKS_WARN_ONs that follow print nothing. *)
AcquiredWarns(fn, l, c) ==
    IF LockdepBuild /\ ctxLive[c] = "fini"
    THEN {W(fn, "lockdep: nested lock was not taken")}
    ELSE
    (IF ctxDone[c] THEN {W(fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->done_acquire)")} ELSE {})
    \cup (IF contending[c] # None /\ contending[c] # l
          THEN {W(fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock != ww)")} ELSE {})
    \cup (IF contending[c] # None /\ acquired[c] > 0
          THEN {W(fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->acquired > 0)")} ELSE {})
    \cup (IF ctxClass[c] # LockClass[l]
          THEN {W(fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->ww_class != ww->ww_class)")} ELSE {})

(* t takes l with context c (or None): lock->ctx, ctx->acquired++,
   contending_lock cleared, the debug checks. *)
Take(fn, t, l, c, extraWarn) ==
    /\ lockOwner' = [lockOwner EXCEPT ![l] = t]
    /\ IF c = None
       THEN /\ UNCHANGED <<lockCtx, acquired, contending>>
            /\ wwWarn' = wwWarn \cup extraWarn
       ELSE /\ lockCtx' = [lockCtx EXCEPT ![l] = c]
            /\ acquired' = [acquired EXCEPT ![c] = IF @ = AcquiredFini THEN 0 ELSE @ + 1]
            /\ contending' = [contending EXCEPT ![c] = None]
            /\ wwWarn' = wwWarn \cup extraWarn \cup AcquiredWarns(fn, l, c)

-----------------------------------------------------------------------------
(* ww_acquire_init(c, k): a fresh stamp from the class counter (on the
   prove-locking build also deadlock_inject_interval = 1,
   deadlock_inject_countdown = stamp & 0xf: see InjectOK). *)
AcquireInitAs(t, c, k, noinj) ==
    /\ Awake(t) /\ ctxLive[c] # "live"
    /\ noInject' = [noInject EXCEPT ![c] = noinj]
    /\ classStamp' = [classStamp EXCEPT ![k] = @ + 1]
    /\ ctxStamp' = [ctxStamp EXCEPT ![c] = classStamp[k] + 1]
    /\ ctxClass' = [ctxClass EXCEPT ![c] = k]
    /\ ctxLive' = [ctxLive EXCEPT ![c] = "live"]
    /\ ctxDone' = [ctxDone EXCEPT ![c] = FALSE]
    /\ acquired' = [acquired EXCEPT ![c] = 0]
    /\ wounded' = [wounded EXCEPT ![c] = FALSE]
    /\ contending' = [contending EXCEPT ![c] = None]
    /\ SetRet(t, 0)
    /\ UNCHANGED <<lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, wwWarn, mutexVars>>

AcquireInit(t, c, k) == AcquireInitAs(t, c, k, FALSE)

(* ww_acquire_init_noinject(c, k), kernel/locking/test-ww_mutex.c:
       #ifdef CONFIG_DEBUG_WW_MUTEX_SLOWPATH
       #define ww_acquire_init_noinject(a, b) do { \
               ww_acquire_init((a), (b)); \
               (a)->deadlock_inject_countdown = ~0U; \
           } while (0)
       #else ... ww_acquire_init((a), (b))
   The countdown of ~0U takes 2^32 locks to run out: no injection. A macro
   of the kernel's test, not an API; kernel-check's generated suite defines
   the same. *)
AcquireInitNoinject(t, c, k) == AcquireInitAs(t, c, k, TRUE)

(* ww_mutex_deadlock_injection (mutex.c, CONFIG_DEBUG_WW_MUTEX_SLOWPATH):
   ww_mutex_lock (so also ww_mutex_lock_slow, which calls it) that returned
   0 with ctx->acquired > 1 counts down deadlock_inject_countdown; at 0 it
   sets contending_lock = lock, ww_mutex_unlock(lock)s and returns -EDEADLK.
   The countdown starts at stamp & 0xf (ww_acquire_init) and restarts at
   3, 10, 35, ... after each injection.  Abstraction (soundness argued in
   WwMutex.tla, Injects): every such lock MAY be injected; the class's stamp
   counter is shared with every other user of the class, so stamp & 0xf is
   not fixed by the file's order of ww_acquire_init calls.  The spec
   allows more injections than the kernel (two within 4 locks), never fewer:
   a verdict Never stays true of the kernel, a Sometimes may be one the
   kernel does not show for a given stamp. *)
InjectOK(c) == Build = "prove-locking" /\ c # None /\ ~noInject[c] /\ acquired[c] > 0

(* ww_acquire_done(c): WARN if already done. *)
AcquireDone(t, c) ==
    /\ Awake(t) /\ ctxLive[c] = "live"
    /\ ctxDone' = [ctxDone EXCEPT ![c] = TRUE]
    /\ wwWarn' = wwWarn \cup (IF ctxDone[c] THEN {W("ww_acquire_done", "DEBUG_LOCKS_WARN_ON(ctx->done_acquire)")} ELSE {})
    /\ SetRet(t, 0)
    /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, acquired, wounded, contending, classStamp, noInject,
                   lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, mutexVars>>

(* ww_acquire_fini(c): WARN if it still holds locks
   (DEBUG_LOCKS_WARN_ON(ctx->acquired)).  With CONFIG_PROVE_LOCKING a second
   fini is a lockdep "bad unlock balance" (mutex_release of ctx->dep_map).
   Without CONFIG_PROVE_LOCKING (production and debug-lock-alloc) fini sets
   done_acquire = 1, so a later lock with the context WARNs; without
   CONFIG_DEBUG_LOCK_ALLOC (production) it also sets acquired = ~0U ("ensure
   ww_acquire_fini will still fail if called twice", include/linux/ww_mutex.h),
   so the second fini WARNs DEBUG_LOCKS_WARN_ON(ctx->acquired) instead. *)
AcquireFini(t, c) ==
    /\ Awake(t) /\ ctxLive[c] # "unused"
    /\ ctxLive' = [ctxLive EXCEPT ![c] = "fini"]
    /\ wwWarn' = wwWarn
          \cup (IF LockdepBuild /\ ctxLive[c] = "fini" THEN {W("ww_acquire_fini", "lockdep: bad unlock balance")} ELSE {})
          \cup (IF acquired[c] # 0 THEN {W("ww_acquire_fini", "DEBUG_LOCKS_WARN_ON(ctx->acquired)")} ELSE {})
    \* "if (!IS_ENABLED(CONFIG_PROVE_LOCKING)) ctx->done_acquire = 1;": also on debug-lock-alloc
    /\ ctxDone' = IF Build = "prove-locking" THEN ctxDone ELSE [ctxDone EXCEPT ![c] = TRUE]
    /\ acquired' = IF LockdepBuild THEN acquired ELSE [acquired EXCEPT ![c] = AcquiredFini]
    /\ SetRet(t, 0)
    /\ UNCHANGED <<ctxClass, ctxStamp, wounded, contending, classStamp, noInject,
                   lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, mutexVars>>

(* The lock call took l and the injection gives it back: acquired and
   lock->ctx as before (acquired++ then ww_mutex_unlock's acquired--), the
   owner none, contending_lock = l, -EDEADLK.  The lock was free when t
   took it (HANDOFF is only set on a taken lock), so the unlock hands it to
   nobody: it is free again and the first waiter left is woken. *)
Injected(t, l, c, warns) ==
    /\ SetRet(t, -EDEADLK_)
    /\ contending' = [contending EXCEPT ![c] = l]
    /\ lockOwner' = [lockOwner EXCEPT ![l] = None]
    /\ lockCtx' = [lockCtx EXCEPT ![l] = None]
    /\ wwWarn' = wwWarn \cup warns
    /\ UNCHANGED acquired

(* ww_mutex_lock(l, c) (fn "ww_mutex_lock") and ww_mutex_lock_slow(l, c)
   (fn "ww_mutex_lock_slow", which first WARNs unless an -EDEADLK is being
   recovered from, and drops the return value).  c = None: mutex_lock.
   -EALREADY if c holds l; the wounded flag is reset when c holds nothing;
   an uncontended lock is taken; a free lock with waiters is stolen
   (__mutex_lock_common's __mutex_trylock: the fastpath cmpxchg fails on
   MUTEX_FLAG_WAITERS, so the wound reset runs in every build) and
   ww_mutex_set_context_fastpath checks the waiters; else Wait-Die dies at once if an older
   context holds or waits (and c holds locks), Wound-Wait wounds a younger
   holder (if c holds locks) and dies at once if c itself is wounded;
   otherwise the thread sleeps in the wait list. *)
LockCall(fn, t, l, c) ==
    LET slowWarn == IF fn = "ww_mutex_lock_slow" /\ contending[c] = None
                    THEN {W(fn, "DEBUG_LOCKS_WARN_ON(!ctx->contending_lock)")} ELSE {}
        w == IF c # None /\ acquired[c] = 0 THEN FALSE ELSE c # None /\ wounded[c]
        holderCtx == lockCtx[l]
        wound == c # None /\ ~WaitDieCtx(c) /\ holderCtx # None /\ lockOwner[l] # None
                 /\ acquired[c] > 0 /\ Less(holderCtx, c)
        newWounded == IF c = None THEN wounded
                      ELSE [u \in Ctxs |-> IF u = c THEN w
                                           ELSE IF wound /\ u = holderCtx THEN TRUE ELSE wounded[u]]
        dies == c # None /\ acquired[c] > 0
                /\ IF WaitDieCtx(c)
                   THEN \/ holderCtx # None /\ Less(c, holderCtx)
                        \/ \E i \in DOMAIN waitq[l] : CtxWaiter(waitq[l][i])
                                                     /\ Less(c, sleepCtx[waitq[l][i]])
                   ELSE w
    IN
    /\ Awake(t)
    /\ c # None => ctxLive[c] # "unused"
    /\ UNCHANGED mutexVars
    /\ IF c # None /\ lockCtx[l] = c
       THEN /\ SetRet(t, -EALREADY_)
            /\ wwWarn' = wwWarn \cup slowWarn
            /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, acquired, wounded, contending,
                           classStamp, lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, noInject>>
       ELSE IF Uncontended(l)
       THEN /\ \/ /\ Take(fn, t, l, c, slowWarn)
                  /\ SetRet(t, 0)
               \* prove-locking: taken (with its debug checks), then injected
               \/ /\ InjectOK(c)
                  /\ Injected(t, l, c, slowWarn \cup AcquiredWarns(fn, l, c))
            \* production: the fast path skips the reset of the wounded flag
            /\ wounded' = IF ~FastPath \/ c = None THEN newWounded ELSE wounded
            /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, classStamp, waitq,
                           sleepOn, sleepCtx, sleepFn, noInject>>
       ELSE IF Free(l)
       THEN /\ \/ /\ Take(fn, t, l, c, slowWarn)
                  /\ SetRet(t, 0)
               \* prove-locking: stolen (with its debug checks), then injected
               \/ /\ InjectOK(c)
                  /\ Injected(t, l, c, slowWarn \cup AcquiredWarns(fn, l, c))
            /\ wounded' = IF c = None THEN wounded
                          ELSE [newWounded EXCEPT ![c] = @ \/ StealWounds(c, l)]
            /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, classStamp, waitq,
                           sleepOn, sleepCtx, sleepFn, noInject>>
       ELSE IF dies
       THEN /\ SetRet(t, -EDEADLK_)
            /\ contending' = [contending EXCEPT ![c] = l]
            /\ wwWarn' = wwWarn \cup slowWarn \cup KillWarn(c)
            /\ wounded' = newWounded
            /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, acquired, classStamp, noInject,
                           lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn>>
       ELSE /\ waitq' = [waitq EXCEPT ![l] = IF c = None THEN Append(@, t)
                                             ELSE InsertAt(@, QueuePos(@, c), t)]
            /\ sleepOn' = [sleepOn EXCEPT ![t] = l]
            /\ sleepCtx' = [sleepCtx EXCEPT ![t] = c]
            /\ sleepFn' = [sleepFn EXCEPT ![t] = fn]
            /\ wounded' = newWounded
            /\ wwWarn' = wwWarn \cup slowWarn
            /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, acquired, contending,
                           classStamp, lockOwner, lockCtx, ret, noInject>>

Lock(t, l, c) == LockCall("ww_mutex_lock", t, l, c)
LockSlow(t, l, c) == c # None /\ LockCall("ww_mutex_lock_slow", t, l, c)

(* ww_mutex_trylock(l, c): 1 and the lock if it is free (__mutex_trylock:
   waiters or not, unless it was handed to a waiter), else 0 (also on a lock
   c holds: no -EALREADY); never sleeps or dies; ww_mutex_set_context_fastpath
   checks the waiters.  c = None: mutex_trylock. *)
Trylock(t, l, c) ==
    LET reset == IF c # None /\ acquired[c] = 0 THEN [wounded EXCEPT ![c] = FALSE] ELSE wounded
    IN
    /\ Awake(t)
    /\ c # None => ctxLive[c] # "unused"
    /\ IF Free(l)
       THEN /\ Take("ww_mutex_trylock", t, l, c, {})
            /\ SetRet(t, 1)
            /\ wounded' = IF c = None THEN reset ELSE [reset EXCEPT ![c] = @ \/ StealWounds(c, l)]
       ELSE /\ SetRet(t, 0)
            /\ wounded' = reset
            /\ UNCHANGED <<lockOwner, lockCtx, acquired, contending, wwWarn>>
    /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, classStamp, noInject, waitq, sleepOn,
                   sleepCtx, sleepFn, mutexVars>>

(* A sleeping lock call wakes and takes the lock (the wait loop's
   __mutex_trylock): it is free, or was handed to t (PICKUP); the call
   returns 0, or, on the prove-locking build, the deadlock injection gives
   the lock back (ww_mutex_unlock: the lock is free, the first waiter
   woken) and returns -EDEADLK.  WaitAcquire: t is the first waiter then. *)
GotLock(t) ==
    LET l == sleepOn[t]
        c == sleepCtx[t]
    IN
    /\ \/ /\ Take(sleepFn[t], t, l, c, {})
          /\ SetRet(t, 0)
       \/ /\ InjectOK(c)
          /\ Injected(t, l, c, AcquiredWarns(sleepFn[t], l, c))
    /\ waitq' = [waitq EXCEPT ![l] = Drop(@, t)]
    /\ sleepOn' = [sleepOn EXCEPT ![t] = None]
    /\ sleepCtx' = [sleepCtx EXCEPT ![t] = None]
    /\ sleepFn' = [sleepFn EXCEPT ![t] = ""]
    /\ pickup' = [pickup EXCEPT ![l] = None]
    /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, classStamp, noInject, handoff>>
CanTake(t) == sleepOn[t] # None /\ (Free(sleepOn[t]) \/ pickup[sleepOn[t]] = t)
WaitAcquire(t) ==
    /\ CanTake(t) /\ Head(waitq[sleepOn[t]]) = t
    /\ GotLock(t)
    /\ UNCHANGED wounded

(* ... or t is not the first waiter then (it steals the free lock, or an
   older context queued ahead of it after the handoff): Wound-Wait checks
   the waiters ("we stole the lock (!first_waiter)", __mutex_lock_common),
   before any injection. *)
WaitSteal(t) ==
    LET c == sleepCtx[t] IN
    /\ CanTake(t) /\ Head(waitq[sleepOn[t]]) # t
    /\ GotLock(t)
    /\ wounded' = IF c = None THEN wounded
                  ELSE [wounded EXCEPT ![c] = @ \/ StealWounds(c, sleepOn[t])]

(* ... or the first waiter wakes to a lock another task holds:
   __mutex_trylock_or_handoff(lock, first) sets MUTEX_FLAG_HANDOFF, and
   (__ww_mutex_check_kill says nothing) it sleeps again. *)
WaitHandoff(t) ==
    LET l == sleepOn[t]
        c == sleepCtx[t]
    IN
    /\ l # None /\ Head(waitq[l]) = t /\ lockOwner[l] # None /\ ~handoff[l]
    /\ c # None => ~KillCond(l, c, {})
    /\ handoff' = [handoff EXCEPT ![l] = TRUE]
    /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, acquired, wounded, contending,
                   classStamp, lockOwner, lockCtx, waitq, sleepOn, sleepCtx, sleepFn, wwWarn,
                   noInject, pickup, ret>>

(* ... or __ww_mutex_check_kill on a wake-up says die: -EDEADLK (the
   trylock-or-handoff before it may have set HANDOFF, which stays for the
   next first waiter; __mutex_remove_waiter clears the flags when the list
   empties). *)
WaitDie(t) ==
    LET l == sleepOn[t]
        c == sleepCtx[t]
    IN
    /\ l # None /\ c # None
    /\ ~CanTake(t)
    /\ KillCond(l, c, {waitq[l][i] : i \in 1..(Pos(waitq[l], t) - 1)})
    /\ handoff' = [handoff EXCEPT ![l] = IF Len(waitq[l]) = 1 THEN FALSE
                                          ELSE @ \/ (Head(waitq[l]) = t /\ pickup[l] = None)]
    /\ UNCHANGED pickup
    /\ waitq' = [waitq EXCEPT ![l] = Drop(@, t)]
    /\ sleepOn' = [sleepOn EXCEPT ![t] = None]
    /\ sleepCtx' = [sleepCtx EXCEPT ![t] = None]
    /\ sleepFn' = [sleepFn EXCEPT ![t] = ""]
    /\ contending' = [contending EXCEPT ![c] = l]
    /\ wwWarn' = wwWarn \cup KillWarn(c)
    /\ SetRet(t, -EDEADLK_)
    /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, acquired, wounded, classStamp, noInject,
                   lockOwner, lockCtx>>

(* ww_mutex_unlock(l): if lock->ctx, WARN unless it counts locks, acquired--,
   lock->ctx = NULL; then mutex_unlock, which WARNs when the caller is not
   the owner and releases the lock anyway: __mutex_unlock_slowpath, which
   with MUTEX_FLAG_HANDOFF hands it to the first waiter (__mutex_handoff:
   PICKUP).  The unlock of a lock handed to a sleeper (misuse) frees it here;
   mutex.c would leave PICKUP in the word for the next taker's WARN. *)
Unlock(t, l) ==
    LET c == lockCtx[l] IN
    /\ Awake(t)
    /\ lockOwner' = [lockOwner EXCEPT ![l] = None]
    /\ IF handoff[l] /\ waitq[l] # <<>>
       THEN /\ pickup' = [pickup EXCEPT ![l] = Head(waitq[l])]
            /\ handoff' = [handoff EXCEPT ![l] = FALSE]
       ELSE /\ pickup' = [pickup EXCEPT ![l] = None]
            /\ UNCHANGED handoff
    /\ lockCtx' = [lockCtx EXCEPT ![l] = None]
    /\ acquired' = IF c # None /\ acquired[c] > 0 THEN [acquired EXCEPT ![c] = @ - 1] ELSE acquired
    /\ wwWarn' = wwWarn
          \cup (IF c # None /\ acquired[c] = 0 THEN {W("ww_mutex_unlock", "DEBUG_LOCKS_WARN_ON(!lock->ctx->acquired)")} ELSE {})
          \cup (IF lockOwner[l] # t THEN {W("ww_mutex_unlock", "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)")} ELSE {})
    /\ SetRet(t, 0)
    /\ UNCHANGED <<ctxLive, ctxClass, ctxStamp, ctxDone, wounded, contending, classStamp, noInject,
                   waitq, sleepOn, sleepCtx, sleepFn>>
=============================================================================
