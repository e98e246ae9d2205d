------------------------------- MODULE WwMutex -------------------------------
(***************************************************************************)
(* ww_mutex deadlock avoidance (Wait-Die and Wound-Wait) and the client    *)
(* backoff protocol of Documentation/locking/ww-mutex-design.rst, as in    *)
(* mainline.                                                               *)
(*                                                                         *)
(* Kernel sources followed:                                                *)
(*   include/linux/ww_mutex.h   ww_acquire_init (stamp = ++class->stamp),  *)
(*       ww_acquire_done, ww_acquire_fini, ww_mutex_lock_slow,             *)
(*       ww_mutex_unlock                                                   *)
(*   kernel/locking/ww_mutex.h  __ww_ctx_less, __ww_mutex_die,             *)
(*       __ww_mutex_wound, __ww_mutex_check_waiters,                       *)
(*       __ww_mutex_check_kill, __ww_mutex_add_waiter                      *)
(*   kernel/locking/mutex.c     __mutex_lock_common (trylock, then         *)
(*       check_kill, on every wake-up), __mutex_unlock_slowpath (handoff)  *)
(*                                                                         *)
(* One acquire context per thread at a time, so a context is named by its  *)
(* thread and stamp[t] is its ticket (smaller = older).  Every thread runs *)
(* transactions over the locks Want[t], taking them in any order (so       *)
(* every ABBA order is explored), with the textbook backoff: on -EDEADLK   *)
(* unlock everything, ww_mutex_lock_slow the contended lock, go on.  The   *)
(* context (and its stamp) is kept across backoffs.                        *)
(*                                                                         *)
(* The mutex under the ww_mutex is mutex.c's owner word: a released lock *)
(* is free even with waiters, and any lock call, trylock or woken waiter  *)
(* takes a free lock (lock stealing, __mutex_trylock); a first waiter that *)
(* wakes and finds the lock taken sets MUTEX_FLAG_HANDOFF (WaitHandoff),   *)
(* and the next unlock then hands the lock to the first waiter (PICKUP,    *)
(* __mutex_handoff), which nobody can steal.  MUTEX_FLAG_WAITERS is "the   *)
(* wait list is not empty" (mutex.c keeps them equal).                     *)
(*                                                                         *)
(* Abstractions: all waiters have a context (no ctx-less waiters); a       *)
(* sleeper may run its wait loop at any time (a wake-up, which may be      *)
(* spurious: the loop re-checks everything), and the wake-ups the kernel   *)
(* owes are WakeDue; the post-schedule trylock-or-handoff and the loop's   *)
(* trylock and __ww_mutex_check_kill are one step; optimistic spinning,    *)
(* interruptible locks and PREEMPT_RT priorities are not modelled.         *)
(*                                                                         *)
(* Kernel builds (Build):                                                  *)
(*   "production"  no CONFIG_DEBUG_LOCK_ALLOC: ww_mutex_lock first tries   *)
(*       __mutex_trylock_fast, whose ww_mutex_set_context_fastpath does    *)
(*       not clear ctx->wounded (mutex.c, #ifndef CONFIG_DEBUG_LOCK_ALLOC);*)
(*   "debug-lock-alloc"  CONFIG_DEBUG_LOCK_ALLOC without PROVE_LOCKING:    *)
(*       every lock takes __mutex_lock_common, which clears the wound when *)
(*       nothing is held;                                                  *)
(*   "prove-locking"  CONFIG_PROVE_LOCKING, which selects DEBUG_LOCK_ALLOC *)
(*       and DEBUG_WW_MUTEX_SLOWPATH: as debug-lock-alloc, plus the        *)
(*       deadlock injection of ww_mutex_lock (mutex.c): a lock that        *)
(*       succeeded with ctx->acquired > 1 (taken free, stolen, or got by a *)
(*       woken sleeper) may be released again (ww_mutex_unlock, owner-word *)
(*       rules) and return -EDEADLK (see Injects below for the abstraction *)
(*       of the countdown).                                                *)
(* Kconfig (lib/Kconfig.debug) has no PROVE_LOCKING without the injection. *)
(***************************************************************************)
EXTENDS Integers, FiniteSets

CONSTANTS
    Threads,      \* tasks, each running transactions
    Locks,        \* ww_mutexes of one ww_class
    Want,         \* [Threads -> SUBSET Locks]: the locks of each thread's transaction
    Algorithm,    \* "wait-die" (DEFINE_WD_CLASS), "wound-wait" (DEFINE_WW_CLASS), or
                  \* "none": plain mutexes without contexts (the ABBA _bug model)
    MaxTx,        \* transactions per thread (model bound)
    UseTrylock,   \* whether the clients also use trylock and meet -EALREADY (model bound)
    WwMutant,     \* "none" or a broken variant (WwMutants)
    Build,        \* the kernel build, one of Builds (module comment)
    None

WwMutants == {"none",
    "no_unlock",      \* backoff calls lock_slow without unlocking everything first
    "no_wound",       \* Wound-Wait that never wounds
    "older_dies",     \* Wait-Die where the older context dies instead of the younger
    "eager_backoff",  \* Wound-Wait: a wounded context backs off at its next lock, contended or not
    "all_die"}        \* no seniority: every contender that holds locks backs off (livelock)

Builds == {"production", "debug-lock-alloc", "prove-locking"}
(* Without CONFIG_DEBUG_LOCK_ALLOC an uncontended lock takes the fast path. *)
FastPath == Build = "production"
(* CONFIG_DEBUG_WW_MUTEX_SLOWPATH (selected by PROVE_LOCKING): deadlock injection. *)
Injection == Build = "prove-locking"

ASSUME /\ Want \in [Threads -> SUBSET Locks]
       /\ Algorithm \in {"wait-die", "wound-wait", "none"}
       /\ MaxTx \in Nat \ {0} /\ UseTrylock \in BOOLEAN /\ WwMutant \in WwMutants /\ Build \in Builds /\ None \notin Threads \cup Locks

EDEADLK == 35
EALREADY == 114

VARIABLES
    stamp,      \* [Threads -> Nat]: the ticket of the thread's acquire context (0: none)
    nextStamp,  \* ww_class->stamp + 1
    owner,      \* [Locks -> Threads \cup {None}]: the context holding the lock (lock->ctx)
    waiting,    \* [Threads -> Locks \cup {None}]: the lock the thread sleeps on
    wounded,    \* [Threads -> BOOLEAN]: ctx->wounded
    pc,         \* [Threads -> PCs]: where the thread is in its transaction
    contending, \* [Threads -> Locks \cup {None}]: the lock that returned -EDEADLK (ctx->contending_lock)
    txDone,     \* [Threads -> Nat]: finished transactions
    ret,        \* [Threads -> Int]: the last call's return value (0, -EDEADLK)
    phantom,    \* [Threads -> SUBSET Locks]: locks the client believes it holds because
                \* ww_mutex_lock_slow (void) swallowed an -EDEADLK; empty unless misused
    handoff,    \* [Locks -> BOOLEAN]: MUTEX_FLAG_HANDOFF in lock->owner
    pickup      \* [Locks -> Threads \cup {None}]: the task the lock was handed to
                \* (owner word task|MUTEX_FLAG_PICKUP; lock->ctx still NULL)

vars == <<stamp, nextStamp, owner, waiting, wounded, pc, contending, txDone, ret, phantom,
          handoff, pickup>>
mutexVars == <<handoff, pickup>>

PCs == {"idle", "acquire", "backoff", "slow", "cs", "release", "finished"}

TypeOK ==
    /\ stamp \in [Threads -> Nat]
    /\ nextStamp \in Nat \ {0}
    /\ owner \in [Locks -> Threads \cup {None}]
    /\ waiting \in [Threads -> Locks \cup {None}]
    /\ wounded \in [Threads -> BOOLEAN]
    /\ pc \in [Threads -> PCs]
    /\ contending \in [Threads -> Locks \cup {None}]
    /\ txDone \in [Threads -> Nat]
    /\ ret \in [Threads -> Int]
    /\ phantom \in [Threads -> SUBSET Locks]
    /\ handoff \in [Locks -> BOOLEAN]
    /\ pickup \in [Locks -> Threads \cup {None}]
    \* the owner word: HANDOFF only on a taken lock with waiters; PICKUP names a waiter
    /\ \A l \in Locks : handoff[l] => owner[l] # None /\ \E u \in Threads : waiting[u] = l
    /\ \A l \in Locks : pickup[l] # None => owner[l] = None /\ waiting[pickup[l]] = l

Init ==
    /\ stamp = [t \in Threads |-> 0]
    /\ nextStamp = 1
    /\ owner = [l \in Locks |-> None]
    /\ waiting = [t \in Threads |-> None]
    /\ wounded = [t \in Threads |-> FALSE]
    /\ pc = [t \in Threads |-> "idle"]
    /\ contending = [t \in Threads |-> None]
    /\ txDone = [t \in Threads |-> 0]
    /\ ret = [t \in Threads |-> 0]
    /\ phantom = [t \in Threads |-> {}]
    /\ handoff = [l \in Locks |-> FALSE]
    /\ pickup = [l \in Locks |-> None]

-----------------------------------------------------------------------------
Held(t) == {l \in Locks : owner[l] = t}
Acquired(t) == Held(t) # {}                    \* ctx->acquired > 0
Waiters(l) == {u \in Threads : waiting[u] = l}
(* __ww_ctx_less(a, b): a is younger (larger stamp). *)
Younger(a, b) == stamp[a] > stamp[b]
Older(a, b) == stamp[a] < stamp[b]
(* The wait list is sorted by stamp, oldest first: the first waiter. *)
First(t, l) == \A u \in Waiters(l) \ {t} : Older(t, u)
(* The owner word has no task: __mutex_trylock takes it, waiters or not. *)
Free(l) == owner[l] = None /\ pickup[l] = None
Uncontended(l) == Free(l) /\ Waiters(l) = {}
(* Wound-Wait, ww_mutex_set_context_fastpath's (and the stealing waiter's)
   __ww_mutex_check_waiters after t took l with waiters queued: an older
   waiter that holds locks wounds t (__ww_mutex_wound). *)
StealWounded(t, l) ==
    /\ Algorithm = "wound-wait" /\ WwMutant # "no_wound"
    /\ \E u \in Waiters(l) \ {t} : Acquired(u) /\ Older(u, t)
(* __mutex_remove_waiter: the flags go when the wait list empties. *)
HandoffAfterLeave(t, l, h) == IF Waiters(l) \ {t} = {} THEN FALSE ELSE h

(* Who dies (Wait-Die) when t holds locks and must wait for l: its holder
   or a waiter already queued is older (mutant: younger). *)
Beats(u, t) == IF WwMutant = "older_dies" THEN Younger(u, t) ELSE Older(u, t)
WaitDieKill(t, l) ==
    /\ Algorithm = "wait-die" /\ Acquired(t)
    /\ \/ owner[l] # None /\ (Beats(owner[l], t) \/ WwMutant = "all_die")
       \/ \E u \in Waiters(l) \ {t} : Beats(u, t)
(* Wound-Wait: a wounded context that holds locks dies when it contends. *)
WoundWaitKill(t) == Algorithm = "wound-wait" /\ Acquired(t) /\ wounded[t]
(* __ww_mutex_wound: t, holding locks, blocks on l held by a younger ctx. *)
WoundsHolder(t, l) ==
    /\ Algorithm = "wound-wait" /\ WwMutant # "no_wound"
    /\ Acquired(t) /\ owner[l] # None /\ Younger(owner[l], t)

Take(t, l) == owner' = [owner EXCEPT ![l] = t]
Die(t, l) ==
    /\ pc' = [pc EXCEPT ![t] = "backoff"]
    /\ contending' = [contending EXCEPT ![t] = l]
    /\ ret' = [ret EXCEPT ![t] = -EDEADLK]

(* ww_acquire_init: a new context with the next ticket. *)
AcquireInit(t) ==
    /\ pc[t] = "idle" /\ txDone[t] < MaxTx
    /\ stamp' = [stamp EXCEPT ![t] = IF Algorithm = "none" THEN 0 ELSE nextStamp]
    /\ nextStamp' = nextStamp + 1
    /\ wounded' = [wounded EXCEPT ![t] = FALSE]
    /\ pc' = [pc EXCEPT ![t] = "acquire"]
    /\ ret' = [ret EXCEPT ![t] = 0]
    /\ UNCHANGED <<owner, waiting, contending, txDone, phantom, mutexVars>>

(* ww_mutex_deadlock_injection (kernel/locking/mutex.c, under
   CONFIG_DEBUG_WW_MUTEX_SLOWPATH), run by ww_mutex_lock and
   ww_mutex_lock_interruptible when the lock call returned 0 and
   ctx->acquired > 1, i.e. t held another lock before this one:

       if (ctx->deadlock_inject_countdown-- == 0) {
           tmp = ctx->deadlock_inject_interval;  ... tmp = tmp*2 + tmp + tmp/2;
           ctx->deadlock_inject_interval = tmp;
           ctx->deadlock_inject_countdown = tmp;
           ctx->contending_lock = lock;
           ww_mutex_unlock(lock);
           return -EDEADLK;
       }

   ww_acquire_init sets interval = 1 and countdown = ctx->stamp & 0xf, so a
   context is told to back off at the (stamp & 0xf) + 1st such lock, then 4,
   11, 36, ... such locks later.  Injects(t) abstracts the countdown away:
   every such lock MAY be turned into -EDEADLK.  This is sound (every kernel
   behaviour is one of the spec's): the stamps of a model stand for any
   stamps in the same order, and stamp & 0xf is not fixed by the order (the
   class counter is shared by every user of the class, e.g. all GPU drivers
   for reservation_ww_class), so the first injection can come at any of the
   first 16 such locks, which covers every model here; the spec allows more
   injections than the kernel (two within 4 locks), never fewer.  The
   over-approximation is harmless for safety, but not for liveness: a
   context injected at every lock would never finish, while the kernel's
   growing interval lets it through, so no liveness model runs on the
   prove-locking build.  Injection is independent of the stamps: the oldest
   context backs off too (WW-OLDEST-WINS and WW-WOUND-LAZY do not hold). *)
Injects(t) == Injection /\ Acquired(t)

(* ww_mutex_lock(l, ctx) for a lock the context does not hold: the wounded
   flag is cleared if nothing is held; an uncontended lock is taken (the
   mutant eager_backoff first acts on a wound here); a free lock with
   waiters is stolen (__mutex_lock_common's __mutex_trylock: the fastpath
   cmpxchg fails on MUTEX_FLAG_WAITERS, so the wound reset always runs), and
   ww_mutex_set_context_fastpath checks the waiters; a taken one: die
   (Wait-Die check at queueing, Wound-Wait check_kill), or queue, wounding
   a younger holder (Wound-Wait). *)
Lock(t, l) ==
    /\ pc[t] = "acquire" /\ waiting[t] = None /\ l \in Want[t] \ (Held(t) \cup phantom[t])
    /\ LET w == Acquired(t) /\ wounded[t]      \* the flag after the entry reset
       IN
       IF Uncontended(l)
       THEN IF WwMutant = "eager_backoff" /\ Algorithm = "wound-wait" /\ w
            THEN /\ Die(t, l) /\ UNCHANGED <<owner, waiting, wounded>>
            ELSE /\ \/ /\ Take(t, l) /\ ret' = [ret EXCEPT ![t] = 0]
                       /\ UNCHANGED <<waiting, pc, contending>>
                    \* deadlock injection: taken, unlocked again, -EDEADLK
                    \/ Injects(t) /\ Die(t, l) /\ UNCHANGED <<owner, waiting>>
                 \* the fast path of a production build keeps a stale wound
                 /\ wounded' = IF FastPath THEN wounded ELSE [wounded EXCEPT ![t] = w]
       ELSE IF Free(l) /\ ~(WwMutant = "eager_backoff" /\ Algorithm = "wound-wait" /\ w)
       THEN /\ \/ /\ Take(t, l) /\ ret' = [ret EXCEPT ![t] = 0]
                  /\ UNCHANGED <<waiting, pc, contending>>
               \* deadlock injection after the steal: ww_mutex_unlock of a lock
               \* with waiters (free again, the first waiter woken), -EDEADLK
               \/ Injects(t) /\ Die(t, l) /\ UNCHANGED <<owner, waiting>>
            /\ wounded' = [wounded EXCEPT ![t] = w \/ StealWounded(t, l)]
       ELSE IF Free(l)
       THEN /\ Die(t, l) /\ UNCHANGED <<owner, waiting, wounded>>
       ELSE IF WaitDieKill(t, l) \/ (Algorithm = "wound-wait" /\ w)
       THEN /\ Die(t, l) /\ UNCHANGED <<owner, waiting>>
            \* __ww_mutex_add_waiter wounds a younger holder before the wait
            \* loop's __ww_mutex_check_kill makes a wounded t die (found by
            \* the Java conformance walk)
            /\ wounded' = IF WoundsHolder(t, l)
                          THEN [wounded EXCEPT ![t] = w, ![owner[l]] = TRUE]
                          ELSE [wounded EXCEPT ![t] = w]
       ELSE /\ waiting' = [waiting EXCEPT ![t] = l]
            /\ wounded' = IF WoundsHolder(t, l)
                          THEN [wounded EXCEPT ![t] = w, ![owner[l]] = TRUE]
                          ELSE [wounded EXCEPT ![t] = w]
            /\ UNCHANGED <<owner, pc, contending, ret>>
    /\ UNCHANGED <<stamp, nextStamp, txDone, phantom, mutexVars>>

(* ww_mutex_lock on a lock the context already holds: -EALREADY, checked
   first (lock->ctx == ctx); nothing changes.  drm_exec meets it for an
   object listed twice (DRM_EXEC_IGNORE_DUPLICATES). *)
LockHeld(t, l) ==
    /\ UseTrylock    \* model bound: only the clients that trylock meet -EALREADY
    /\ pc[t] = "acquire" /\ waiting[t] = None /\ owner[l] = t /\ Algorithm # "none"
    /\ ret' = [ret EXCEPT ![t] = -EALREADY]
    /\ UNCHANGED <<stamp, nextStamp, owner, waiting, wounded, pc, contending, txDone, phantom, mutexVars>>

(* ww_mutex_trylock(l, ctx): 1 and the lock if it is free (__mutex_trylock:
   waiters or not, unless handed to a waiter), else 0; no deadlock handling,
   and 0 (not -EALREADY) on a lock the context holds (test-ww_mutex.c
   test_aa).  The wounded flag is cleared if nothing is held; then
   ww_mutex_set_context_fastpath checks the waiters. *)
Trylock(t, l) ==
    /\ UseTrylock    \* model bound
    /\ pc[t] = "acquire" /\ waiting[t] = None /\ l \in Want[t] \ phantom[t]
    /\ IF Free(l)
       THEN /\ Take(t, l) /\ ret' = [ret EXCEPT ![t] = 1]
            /\ wounded' = [wounded EXCEPT ![t] = (Acquired(t) /\ @) \/ StealWounded(t, l)]
       ELSE /\ ret' = [ret EXCEPT ![t] = 0] /\ UNCHANGED owner
            /\ wounded' = [wounded EXCEPT ![t] = Acquired(t) /\ @]
    /\ UNCHANGED <<stamp, nextStamp, waiting, pc, contending, txDone, phantom, mutexVars>>

(* A sleeping lock call wakes and takes the lock (__mutex_trylock in the
   wait loop): the free lock, or the lock handed to it (PICKUP); the call
   returns 0.  On the prove-locking build a ww_mutex_lock (not the
   lock_slow of a backoff, which holds nothing) that held other locks may
   then be told to back off by the deadlock injection (ww_mutex_lock's
   ww_mutex_deadlock_injection after __ww_mutex_lock returned 0): its
   ww_mutex_unlock leaves the lock free (the first waiter is woken; the
   HANDOFF flag is clear, as the lock was just taken) and the call returns
   -EDEADLK.  WaitAcquire: t is the first waiter then. *)
GotLock(t, l) ==
    /\ waiting' = [waiting EXCEPT ![t] = None]
    /\ pickup' = [pickup EXCEPT ![l] = None]
    /\ \/ /\ Take(t, l)
          /\ pc' = [pc EXCEPT ![t] = "acquire"]
          /\ contending' = [contending EXCEPT ![t] = IF pc[t] = "slow" THEN None ELSE @]
          /\ ret' = [ret EXCEPT ![t] = 0]
       \/ pc[t] = "acquire" /\ Injects(t) /\ Die(t, l) /\ UNCHANGED owner
    /\ UNCHANGED <<stamp, nextStamp, txDone, phantom, handoff>>
WaitAcquire(t) ==
    LET l == waiting[t] IN
    /\ l # None /\ (Free(l) \/ pickup[l] = t) /\ First(t, l)
    /\ GotLock(t, l)
    /\ UNCHANGED wounded

(* ... or t is not the first waiter then (it stole the free lock, or an
   older context queued ahead of it after the handoff); Wound-Wait then
   checks the waiters ("we stole the lock (!first_waiter)",
   __mutex_lock_common's acquired: path), before any injection. *)
WaitSteal(t) ==
    LET l == waiting[t] IN
    /\ l # None /\ (Free(l) \/ pickup[l] = t) /\ ~First(t, l)
    /\ GotLock(t, l)
    /\ wounded' = [wounded EXCEPT ![t] = @ \/ StealWounded(t, l)]

(* ... or the first waiter wakes to a lock that someone else took
   (stole, or holds after a spurious wake-up): __mutex_trylock_or_handoff(lock,
   first) sets MUTEX_FLAG_HANDOFF, and it sleeps again. *)
WaitHandoff(t) ==
    LET l == waiting[t] IN
    /\ l # None /\ First(t, l) /\ owner[l] # None /\ ~handoff[l]
    /\ ~(WaitDieKill(t, l) \/ WoundWaitKill(t))
    /\ handoff' = [handoff EXCEPT ![l] = TRUE]
    /\ UNCHANGED <<stamp, nextStamp, owner, waiting, wounded, pc, contending, txDone, ret,
                   phantom, pickup>>

(* ... or __ww_mutex_check_kill on the wake-up says die: -EDEADLK (the
   trylock-or-handoff before it may have set HANDOFF, which stays for the
   next first waiter unless the list empties).  In ww_mutex_lock_slow
   (void) the -EDEADLK is dropped and the caller goes on as if it held the
   lock: possible only if it holds other locks (no_unlock). *)
WaitDie(t) ==
    LET l == waiting[t] IN
    /\ l # None /\ ~Free(l) /\ pickup[l] # t
    /\ WaitDieKill(t, l) \/ WoundWaitKill(t)
    /\ handoff' = [handoff EXCEPT ![l] =
                      HandoffAfterLeave(t, l, @ \/ (First(t, l) /\ pickup[l] = None))]
    /\ UNCHANGED pickup
    /\ waiting' = [waiting EXCEPT ![t] = None]
    /\ IF pc[t] = "slow"
       THEN /\ pc' = [pc EXCEPT ![t] = "acquire"]
            /\ contending' = [contending EXCEPT ![t] = None]
            /\ phantom' = [phantom EXCEPT ![t] = @ \cup {l}]
            /\ ret' = [ret EXCEPT ![t] = -EDEADLK]
       ELSE /\ Die(t, l) /\ UNCHANGED phantom
    /\ UNCHANGED <<stamp, nextStamp, owner, wounded, txDone>>

(* ww_mutex_unlock's mutex_unlock (__mutex_unlock_slowpath): the lock is
   released, or with MUTEX_FLAG_HANDOFF handed to the first waiter
   (__mutex_handoff: PICKUP set, HANDOFF cleared); the first waiter is woken. *)
Release(l) ==
    /\ owner' = [owner EXCEPT ![l] = None]
    /\ IF handoff[l] /\ Waiters(l) # {}
       THEN /\ pickup' = [pickup EXCEPT ![l] = CHOOSE u \in Waiters(l) : First(u, l)]
            /\ handoff' = [handoff EXCEPT ![l] = FALSE]
       ELSE UNCHANGED mutexVars

(* The backoff: ww_mutex_unlock of every held lock ... *)
BackoffUnlock(t, l) ==
    /\ pc[t] = "backoff" /\ owner[l] = t
    /\ Release(l)
    /\ ret' = [ret EXCEPT ![t] = 0]
    /\ UNCHANGED <<stamp, nextStamp, waiting, wounded, pc, contending, txDone, phantom>>

(* ... then ww_mutex_lock_slow(contended, ctx): a lock with nothing held,
   which never dies; it takes a free lock (waiters or not, as Lock) or
   sleeps until it gets the lock.  The mutant no_unlock calls it while still
   holding locks. *)
LockSlow(t) ==
    LET l == contending[t] IN
    /\ pc[t] = "backoff"
    /\ Held(t) = {} \/ WwMutant = "no_unlock"
    /\ wounded' = [wounded EXCEPT ![t] = (IF Held(t) = {} /\ (~FastPath \/ ~Uncontended(l))
                                          THEN FALSE ELSE @)
                                         \/ (Free(l) /\ StealWounded(t, l))]
    /\ UNCHANGED mutexVars
    /\ IF Free(l)
       THEN /\ Take(t, l) /\ pc' = [pc EXCEPT ![t] = "acquire"]
            /\ contending' = [contending EXCEPT ![t] = None]
            /\ UNCHANGED waiting
       ELSE /\ waiting' = [waiting EXCEPT ![t] = l] /\ pc' = [pc EXCEPT ![t] = "slow"]
            /\ UNCHANGED <<owner, contending>>
    /\ ret' = [ret EXCEPT ![t] = 0]
    /\ UNCHANGED <<stamp, nextStamp, txDone, phantom>>

(* ww_acquire_done: every wanted lock held; the critical section. *)
AcquireDone(t) ==
    /\ pc[t] = "acquire" /\ waiting[t] = None /\ Held(t) \cup phantom[t] = Want[t]
    /\ pc' = [pc EXCEPT ![t] = "cs"]
    /\ ret' = [ret EXCEPT ![t] = 0]
    /\ UNCHANGED <<stamp, nextStamp, owner, waiting, wounded, contending, txDone, phantom, mutexVars>>

(* ww_mutex_unlock at the end of the transaction (a wound is ignored). *)
Unlock(t, l) ==
    /\ pc[t] \in {"cs", "release"} /\ owner[l] = t
    /\ Release(l)
    /\ pc' = [pc EXCEPT ![t] = "release"]
    /\ ret' = [ret EXCEPT ![t] = 0]
    /\ UNCHANGED <<stamp, nextStamp, waiting, wounded, contending, txDone, phantom>>

(* ww_acquire_fini, everything unlocked. *)
AcquireFini(t) ==
    /\ pc[t] \in {"cs", "release"} /\ Held(t) = {}
    /\ txDone' = [txDone EXCEPT ![t] = @ + 1]
    /\ pc' = [pc EXCEPT ![t] = IF txDone[t] + 1 < MaxTx THEN "idle" ELSE "finished"]
    /\ stamp' = [stamp EXCEPT ![t] = 0]
    /\ ret' = [ret EXCEPT ![t] = 0]
    /\ phantom' = [phantom EXCEPT ![t] = {}]
    /\ UNCHANGED <<nextStamp, owner, waiting, wounded, contending, mutexVars>>

ThreadNext(t) ==
    \/ AcquireInit(t) \/ AcquireDone(t) \/ AcquireFini(t) \/ LockSlow(t)
    \/ WaitAcquire(t) \/ WaitSteal(t) \/ WaitHandoff(t) \/ WaitDie(t)
    \/ \E l \in Locks : Lock(t, l) \/ BackoffUnlock(t, l) \/ Unlock(t, l)
    \/ \E l \in Locks : Trylock(t, l) \/ LockHeld(t, l)

(* Every transaction finished: the system stops (not a deadlock). *)
Terminated == \A t \in Threads : pc[t] = "finished"

Next == (\E t \in Threads : ThreadNext(t)) \/ (Terminated /\ UNCHANGED vars)

Spec == Init /\ [][Next]_vars
FairSpec == Spec /\ \A t \in Threads : WF_vars(ThreadNext(t))

-----------------------------------------------------------------------------
(* [WW-MUTEX] Two threads in their critical sections want disjoint locks. *)
MutualExclusion ==
    \A t1, t2 \in Threads :
        (t1 # t2 /\ pc[t1] = "cs" /\ pc[t2] = "cs") => Want[t1] \cap Want[t2] = {}

(* [WW-NO-STUCK-CYCLE] No deadlock: t waits for the holder of the lock it
   sleeps on and for the waiters queued before it (the lock is handed to the
   first waiter).  Such a cycle does arise for a moment (the older context
   queues, then the younger is told to die or is wounded), so the property is
   that every cycle has a member that is due to back off (its check_kill
   says die).  TLC's deadlock check (Terminated stutters) is the other half. *)
WaitsFor(t, u) ==
    /\ waiting[t] # None /\ t # u /\ pickup[waiting[t]] # t
    /\ \/ owner[waiting[t]] = u \/ pickup[waiting[t]] = u
       \/ u \in Waiters(waiting[t]) /\ First(u, waiting[t])
RECURSIVE Reach(_, _, _)
Reach(t, u, n) == WaitsFor(t, u) \/ (n > 0 /\ \E v \in Threads : WaitsFor(t, v) /\ Reach(v, u, n - 1))
DueToBackOff(t) == waiting[t] # None /\ (WaitDieKill(t, waiting[t]) \/ WoundWaitKill(t))
NoStuckCycle ==
    \A t \in Threads :
        LET n == Cardinality(Threads) IN
        Reach(t, t, n) => \E u \in Threads : Reach(t, u, n) /\ Reach(u, t, n) /\ DueToBackOff(u)

(* [WW-OLDEST-WINS] The oldest live transaction never gets -EDEADLK.  Holds
   on the debug-lock-alloc build only: the production build's stale wound
   (WwWoundWait_nolockdep_stale_wound_bug) and the prove-locking build's
   deadlock injection (WwWaitDie_prove_locking_oldest_backs_off_bug) break it. *)
Live(t) == stamp[t] # 0
Oldest(t) == Live(t) /\ \A u \in Threads : (Live(u) /\ u # t) => Older(t, u)
OldestNeverBacksOff ==
    [][\A t \in Threads : (pc'[t] = "backoff" /\ pc[t] # "backoff") => ~Oldest(t)]_vars

(* [WW-WOUND-LAZY] A context backs off only at a contended lock: the lock it
   got -EDEADLK on is held by another context or has waiters.  Not on the
   prove-locking build (WwWoundWait_prove_locking_uncontended_backoff_bug). *)
BackoffOnlyWhenContended ==
    [][\A t \in Threads :
         (pc'[t] = "backoff" /\ pc[t] # "backoff")
             => ~Uncontended(contending'[t])]_vars

(* [WW-PROGRESS] Under weak fairness every transaction completes (both
   algorithms: the kept stamp ages until it is the oldest). *)
AllFinish == <>Terminated
=============================================================================
