------------------------------- MODULE DrmExec -------------------------------
(***************************************************************************)
(* Multi-object acquisition over the call-level ww_mutex of WwCalls:       *)
(* each thread runs one client loop that locks a list of GEM objects       *)
(* (their dma_resv locks, one ww_class; for drm_modeset, modeset locks)    *)
(* and reserves fence slots on each, then holds them all (the             *)
(* submission), then releases them.                                       *)
(*                                                                         *)
(* Three clients, with their kernel names:                                *)
(*   "drm_exec"  drivers/gpu/drm/drm_exec.c: drm_exec_init (contended =   *)
(*       DRM_EXEC_DUMMY), drm_exec_until_all_locked / drm_exec_cleanup    *)
(*       (DUMMY: ww_acquire_init, enter the body; NULL: ww_acquire_done,  *)
(*       leave; an object: drm_exec_unlock_all, enter the body again),    *)
(*       drm_exec_prepare_obj = drm_exec_lock_obj + dma_resv_reserve_fences,*)
(*       drm_exec_lock_contended (the contended object is slow-locked     *)
(*       first and remembered as prelocked), -EALREADY is 0 with          *)
(*       DRM_EXEC_IGNORE_DUPLICATES and an error without it,              *)
(*       drm_exec_retry_on_contention, drm_exec_fini.                     *)
(*   "i915"      drivers/gpu/drm/i915/i915_gem_ww.c and gem/i915_gem_object.h: *)
(*       for_i915_gem_ww runs the body; __i915_gem_object_lock treats      *)
(*       -EALREADY as 0 and records -EDEADLK's object as ww->contended;   *)
(*       the pass ends with err = -EDEADLK, and i915_gem_ww_ctx_backoff   *)
(*       unlocks obj_list, slow-locks the contended object and puts it on *)
(*       obj_list before the body runs again.                             *)
(*   "drm_modeset" drivers/gpu/drm/drm_modeset_lock.c, whose locks are of   *)
(*       crtc_ww_class (DEFINE_WW_CLASS: Wound-Wait; drm_exec and i915     *)
(*       always lock reservation_ww_class, DEFINE_WD_CLASS in               *)
(*       drivers/dma-buf/dma-resv.c, Wait-Die): drm_modeset_acquire_init,  *)
(*       drm_modeset_lock (modeset_lock: list_add at the head of            *)
(*       ctx->locked, -EALREADY is 0, -EDEADLK records ctx->contended),    *)
(*       drm_modeset_backoff (drm_modeset_drop_locks unlocks from the head *)
(*       of ctx->locked, newest first; then the slow lock of the contended *)
(*       lock, put on ctx->locked), drm_modeset_drop_locks +               *)
(*       drm_modeset_acquire_fini.  No fence slots (no dma_resv).  The      *)
(*       backoff clears ctx->contended before it drops the locks; the spec *)
(*       clears it when the slow lock returns, as for i915 (the variable  *)
(*       is the thread's own: no other thread sees the difference).       *)
(*                                                                         *)
(* The ticket (acquire context) is initialised once, so its stamp ages    *)
(* across retries.  Each unlock is its own step (drm_exec_unlock_all       *)
(* walks the array in reverse).  Fence slots: dma_resv_reserve_fences     *)
(* guarantees n free slots until the lock is dropped (dma_resv_unlock     *)
(* resets max_fences under CONFIG_DEBUG_MUTEXES); `slots` is that         *)
(* guarantee, not the table (DmaResv.tla has the table).                  *)
(***************************************************************************)
EXTENDS WwCalls

CONSTANTS
    Want,        \* [Threads -> Seq(WwLocks)]: the objects each thread prepares, in order
    Client,      \* [Threads -> {"drm_exec", "i915", "drm_modeset"}]
    IgnoreDup,   \* [Threads -> BOOLEAN]: DRM_EXEC_IGNORE_DUPLICATES (drm_exec only)
    NumFences,   \* the num_fences of drm_exec_prepare_obj
    CtxOf,       \* [Threads -> Ctxs]: each thread's ticket
    ResvClass,   \* the class of every object's lock (reservation_ww_class)
    ExecMutant   \* "none", or a broken client (see ExecMutants)

ExecMutants == {"none",
    "no_unlock_all",    \* on contention the body is entered again without unlocking
    "no_slow_first",    \* the contended object is not slow-locked first: the body restarts with lock
    "reserve_once"}     \* slots are reserved in the first pass only, as if a reservation
                        \* outlived the unlock of the backoff

Dummy == "DRM_EXEC_DUMMY"

VARIABLES
    xpc,         \* [Threads -> STRING]: where the client is
    contended,   \* [Threads -> WwLocks \cup {None, Dummy}]: exec->contended / ww->contended
    prelocked,   \* [Threads -> WwLocks \cup {None}]: exec->prelocked
    objs,        \* [Threads -> Seq(WwLocks)]: exec->objects / ww->obj_list / ctx->locked
                 \* (locked, tracked; the head of a list first)
    idx,         \* [Threads -> Nat]: the body's position in Want[t]
    cur,         \* [Threads -> WwLocks \cup {None}]: the object of the call in progress
    status,      \* [Threads -> Int]: the client's result (0, or -EALREADY without IGNORE_DUPLICATES)
    slots,       \* [WwLocks -> Nat]: fence slots reserved in the current lock hold
    retried      \* [Threads -> BOOLEAN]: the client has backed off at least once
\* (WwCalls declares ret, [Threads -> Int], the return register of its calls.)

vars == <<wwVars, xpc, contended, prelocked, objs, idx, cur, status, slots, retried, ret>>
execVars == <<xpc, contended, prelocked, objs, idx, cur, status, slots, retried>>

ASSUME /\ \A t \in Threads : Client[t] \in {"drm_exec", "i915", "drm_modeset"} /\ IgnoreDup[t] \in BOOLEAN
       /\ NumFences \in Nat \ {0} /\ ExecMutant \in ExecMutants
       /\ \A t, u \in Threads : t # u => CtxOf[t] # CtxOf[u]

Init ==
    /\ WwInit
    /\ xpc = [t \in Threads |-> "init"]
    /\ contended = [t \in Threads |-> None]
    /\ prelocked = [t \in Threads |-> None]
    /\ objs = [t \in Threads |-> <<>>]
    /\ idx = [t \in Threads |-> 1]
    /\ cur = [t \in Threads |-> None]
    /\ status = [t \in Threads |-> 0]
    /\ slots = [l \in WwLocks |-> 0]
    /\ retried = [t \in Threads |-> FALSE]
    /\ ret = [t \in Threads |-> 0]

Go(t, pc) == xpc' = [xpc EXCEPT ![t] = pc]
(* The type invariant of the client variables (WwTypeOK covers WwCalls'):
   the domain and range of each; the body's position runs from 1 to one past
   the end of Want[t]; the slots of a lock are 0 or NumFences. *)
XPCs == {"init", "cleanup", "unlockall", "body", "slowdone", "lockdone", "reserve",
         "backoff", "locked", "fini", "finished"}
ExecTypeOK ==
    /\ xpc \in [Threads -> XPCs]
    /\ contended \in [Threads -> WwLocks \cup {None, Dummy}]
    /\ prelocked \in [Threads -> WwLocks \cup {None}]
    /\ objs \in [Threads -> Seq(WwLocks)]
    /\ idx \in [Threads -> Nat]
    /\ \A t \in Threads : idx[t] \in 1..(Len(Want[t]) + 1)
    /\ cur \in [Threads -> WwLocks \cup {None}]
    /\ status \in [Threads -> {0, -EALREADY_}]
    /\ slots \in [WwLocks -> {0, NumFences}]
    /\ retried \in [Threads -> BOOLEAN]

Range(s) == {s[i] : i \in DOMAIN s}
(* A locked object joins the client's list: drm_exec_obj_locked appends to
   exec->objects, i915 list_add_tail()s to obj_list, modeset_lock list_add()s
   to the head of ctx->locked. *)
Track(t, s, l) == IF Client[t] = "drm_modeset" THEN <<l>> \o s ELSE Append(s, l)
Tracked(t, l) == l \in Range(objs[t])

-----------------------------------------------------------------------------
(* drm_exec_init / for_i915_gem_ww's i915_gem_ww_ctx_init /
   drm_modeset_acquire_init. drm_exec defers
   ww_acquire_init to the first drm_exec_cleanup (contended = DUMMY). *)
ExecInit(t) ==
    /\ xpc[t] = "init"
    /\ IF Client[t] = "drm_exec"
       THEN /\ contended' = [contended EXCEPT ![t] = Dummy]
            /\ Go(t, "cleanup")
            /\ UNCHANGED <<wwVars, ret>>
       ELSE /\ AcquireInit(t, CtxOf[t], ResvClass)
            /\ contended' = contended
            /\ Go(t, "body")
    /\ UNCHANGED <<prelocked, objs, idx, cur, status, slots, retried>>

(* drm_exec_cleanup, the loop condition of drm_exec_until_all_locked. *)
Cleanup(t) ==
    /\ xpc[t] = "cleanup"
    /\ CASE contended[t] = None ->
              /\ AcquireDone(t, CtxOf[t])
              /\ Go(t, "locked")
              /\ UNCHANGED contended
         [] contended[t] = Dummy ->
              /\ contended' = [contended EXCEPT ![t] = None]
              /\ AcquireInit(t, CtxOf[t], ResvClass)
              /\ Go(t, "body")
         [] OTHER ->
              \* (mutant no_unlock_all: straight back into the body)
              /\ Go(t, IF ExecMutant # "no_unlock_all" THEN "unlockall" ELSE "body")
              /\ UNCHANGED <<wwVars, ret, contended>>
    /\ idx' = [idx EXCEPT ![t] = 1]
    /\ UNCHANGED <<prelocked, objs, cur, status, slots, retried>>

(* One object of drm_exec_unlock_all or of i915_gem_ww_ctx_unlock_all:
   dma_resv_unlock, which also drops the slots.  drm_exec walks its array from
   the end (drm_exec_for_each_locked_object_reverse); i915 (and
   drm_modeset_drop_locks, with list_first_entry) takes the head of its list
   each time:
       while ((obj = list_first_entry_or_null(&ww->obj_list, ...))) {
               list_del(&obj->obj_link);
               i915_gem_object_unlock(obj);
               i915_gem_object_put(obj);
       }
   (drivers/gpu/drm/i915/i915_gem_ww.c, i915_gem_ww_ctx_unlock_all). *)
UnlockStep(t) ==
    LET n == Len(objs[t])
        l == IF Client[t] = "drm_exec" THEN objs[t][n] ELSE objs[t][1]
    IN
    /\ Unlock(t, l)
    /\ objs' = [objs EXCEPT ![t] = IF Client[t] = "drm_exec" THEN SubSeq(@, 1, n - 1) ELSE Tail(@)]
    /\ slots' = [slots EXCEPT ![l] = 0]

UnlockAll(t) ==
    /\ xpc[t] = "unlockall"
    /\ IF objs[t] # <<>>
       THEN /\ UnlockStep(t)
            /\ UNCHANGED <<xpc, prelocked>>
       ELSE /\ Go(t, IF Client[t] = "drm_exec" THEN "body" ELSE "backoff")
            /\ prelocked' = [prelocked EXCEPT ![t] = None]
            /\ UNCHANGED <<wwVars, ret, objs, slots>>
    /\ UNCHANGED <<contended, idx, cur, status, retried>>

(* The body, at object idx: first the contended object (drm_exec_lock_contended),
   then drm_exec_prepare_obj / i915_gem_object_lock of Want[t][idx]. *)
Body(t) ==
    /\ xpc[t] = "body"
    /\ IF Client[t] = "drm_exec" /\ contended[t] \notin {None, Dummy} /\ ExecMutant # "no_slow_first"
       THEN \* drm_exec_lock_contended: "Always cleanup the contention so that error
            \* handling can kick in": exec->contended = NULL; dma_resv_lock_slow(obj->resv, ...)
            /\ LockSlow(t, contended[t], CtxOf[t])
            /\ cur' = [cur EXCEPT ![t] = contended[t]]
            /\ contended' = [contended EXCEPT ![t] = None]
            /\ Go(t, "slowdone")
            /\ UNCHANGED <<prelocked, idx>>
       ELSE IF idx[t] > Len(Want[t])
       THEN \* the end of the body: the loop condition / the i915 pass ends with err = 0
            /\ Go(t, IF Client[t] = "drm_exec" THEN "cleanup" ELSE "locked")
            /\ UNCHANGED <<wwVars, ret>>
            /\ UNCHANGED <<contended, prelocked, idx, cur>>
       ELSE IF Client[t] = "drm_exec" /\ Want[t][idx[t]] = prelocked[t]
       THEN \* drm_exec_lock_obj: the prelocked object is already ours;
            \*     drm_gem_object_put(exec->prelocked); exec->prelocked = NULL; return 0;
            /\ Go(t, "reserve")
            /\ cur' = [cur EXCEPT ![t] = Want[t][idx[t]]]
            /\ prelocked' = [prelocked EXCEPT ![t] = None]
            /\ UNCHANGED <<wwVars, ret, contended, idx>>
       ELSE /\ Lock(t, Want[t][idx[t]], CtxOf[t])
            /\ cur' = [cur EXCEPT ![t] = Want[t][idx[t]]]
            /\ Go(t, "lockdone")
            /\ UNCHANGED <<contended, prelocked, idx>>
    /\ UNCHANGED <<objs, status, slots, retried>>

(* The slow lock returned (it cannot die: the context holds nothing): drm_exec
   tracks the object and remembers it as prelocked; i915_gem_ww_ctx_backoff puts
   it on obj_list and clears ww->contended. *)
SlowDone(t) ==
    /\ xpc[t] = "slowdone" /\ Awake(t)
    /\ objs' = [objs EXCEPT ![t] = Track(t, @, cur[t])]
    /\ prelocked' = IF Client[t] = "drm_exec" THEN [prelocked EXCEPT ![t] = cur[t]] ELSE prelocked
    /\ contended' = [contended EXCEPT ![t] = None]
    /\ Go(t, "body")
    /\ idx' = [idx EXCEPT ![t] = 1]
    /\ UNCHANGED <<wwVars, ret, cur, status, slots, retried>>

(* After a lock: drm_exec_prepare_obj and the i915 caller reserve fence slots
   next; drm_modeset_lock is done, the body goes on with the next lock. *)
AfterLock(t) ==
    IF Client[t] = "drm_modeset"
    THEN /\ idx' = [idx EXCEPT ![t] = @ + 1]
         /\ Go(t, "body")
    ELSE /\ Go(t, "reserve")
         /\ UNCHANGED idx

(* dma_resv_lock returned (drm_exec_lock_obj / __i915_gem_object_lock), or
   ww_mutex_lock (modeset_lock). *)
LockDone(t) ==
    /\ xpc[t] = "lockdone" /\ Awake(t)
    /\ CASE ret[t] = 0 ->
              /\ objs' = [objs EXCEPT ![t] = Track(t, @, cur[t])]
              /\ AfterLock(t)
              /\ UNCHANGED <<contended, status>>
         [] ret[t] = -EDEADLK_ ->
              \* exec->contended = obj; drm_exec_retry_on_contention / the pass ends
              /\ contended' = [contended EXCEPT ![t] = cur[t]]
              /\ Go(t, IF Client[t] = "drm_exec" THEN "cleanup"
                        ELSE IF ExecMutant # "no_unlock_all" THEN "unlockall" ELSE "backoff")
              /\ UNCHANGED <<objs, status, idx>>
         [] ret[t] = -EALREADY_ ->
              IF Client[t] # "drm_exec" \/ IgnoreDup[t]
              THEN /\ AfterLock(t)
                   /\ UNCHANGED <<objs, contended, status>>
              ELSE \* drm_exec_prepare_obj fails with -EALREADY: the caller gives up
                   /\ status' = [status EXCEPT ![t] = -EALREADY_]
                   /\ Go(t, "fini")
                   /\ UNCHANGED <<objs, contended, idx>>
    /\ UNCHANGED <<wwVars, ret, prelocked, cur, slots>>
    /\ retried' = IF ret[t] = -EDEADLK_ THEN [retried EXCEPT ![t] = TRUE] ELSE retried

(* Mutant reserve_once: no reservation after the first backoff. *)
ReserveOnceSkips(t) == ExecMutant = "reserve_once" /\ retried[t]
(* dma_resv_reserve_fences(obj->resv, num_fences) (drm_exec_prepare_obj; the
   i915 caller reserves after locking as well), then the next object. *)
Reserve(t) ==
    /\ xpc[t] = "reserve"
    /\ slots' = IF ~ReserveOnceSkips(t)
                THEN [slots EXCEPT ![cur[t]] = IF @ >= NumFences THEN @ ELSE NumFences]
                ELSE slots
    /\ idx' = [idx EXCEPT ![t] = @ + 1]
    /\ Go(t, "body")
    /\ UNCHANGED <<wwVars, ret, contended, prelocked, objs, cur, status, retried>>

(* i915_gem_ww_ctx_backoff / drm_modeset_backoff: the list is empty; slow-lock
   the contended object and put it on the list; the body runs again. *)
Backoff(t) ==
    /\ xpc[t] = "backoff"
    /\ LockSlow(t, contended[t], CtxOf[t])
    /\ cur' = [cur EXCEPT ![t] = contended[t]]
    /\ Go(t, "slowdone")
    /\ UNCHANGED <<contended, prelocked, objs, idx, status, slots, retried>>

(* Every object locked and reserved: the submission would add its fences. *)
Submit(t) ==
    /\ xpc[t] = "locked"
    /\ Go(t, "fini")
    /\ UNCHANGED <<wwVars, ret, contended, prelocked, objs, idx, cur, status, slots, retried>>

(* drm_exec_fini / i915_gem_ww_ctx_fini / drm_modeset_drop_locks +
   drm_modeset_acquire_fini: unlock everything (drm_exec_unlock_all also drops
   exec->prelocked), ww_acquire_fini. *)
Fini(t) ==
    /\ xpc[t] = "fini"
    /\ IF objs[t] # <<>>
       THEN /\ UnlockStep(t)
            /\ UNCHANGED <<xpc, prelocked>>
       ELSE /\ AcquireFini(t, CtxOf[t])
            /\ Go(t, "finished")
            /\ prelocked' = [prelocked EXCEPT ![t] = None]
            /\ UNCHANGED <<objs, slots>>
    /\ UNCHANGED <<contended, idx, cur, status, retried>>

(* A sleeping lock call of the client wakes: it gets the lock, or is told to
   die, or (first waiter, lock taken) sets HANDOFF and sleeps on. *)
Wake(t) ==
    /\ WaitAcquire(t) \/ WaitSteal(t) \/ WaitHandoff(t) \/ WaitDie(t)
    /\ UNCHANGED execVars

ThreadNext(t) ==
    \/ ExecInit(t) \/ Cleanup(t) \/ UnlockAll(t) \/ Body(t)
    \/ SlowDone(t) \/ LockDone(t) \/ Reserve(t) \/ Backoff(t) \/ Submit(t) \/ Fini(t)
    \/ Wake(t)

Terminated == \A t \in Threads : xpc[t] = "finished"
Next == (\E t \in Threads : ThreadNext(t)) \/ (Terminated /\ UNCHANGED vars)
Spec == Init /\ [][Next]_vars
FairSpec == Spec /\ \A t \in Threads : WF_vars(ThreadNext(t))

-----------------------------------------------------------------------------
(* [EXEC-CONTRACT] When the loop has ended (the submission point), every
   object the thread asked for is locked by it with its ticket and has
   NumFences slots reserved (drm_modeset: no slots), and no object is tracked
   twice. *)
ExecContract ==
    \A t \in Threads : xpc[t] = "locked" =>
        /\ \A i \in DOMAIN Want[t] :
              LET l == Want[t][i] IN
              /\ lockOwner[l] = t /\ lockCtx[l] = CtxOf[t]
              /\ Client[t] # "drm_modeset" => slots[l] >= NumFences
        /\ \A i, j \in DOMAIN objs[t] : i # j => objs[t][i] # objs[t][j]

(* [EXEC-RESTART-UNLOCKED] The body is entered again after contention with
   no object locked (drm_exec_cleanup's unlock_all), so its first lock is
   the slow lock of the contended object. *)
RestartUnlocked ==
    [][\A t \in Threads :
         (xpc[t] \in {"cleanup", "unlockall", "lockdone"} /\ xpc'[t] \in {"body", "backoff"}
          /\ contended'[t] \notin {None, Dummy})
             => \A l \in WwLocks : lockOwner'[l] # t]_vars

(* [EXEC-NO-WARN] A client that follows the protocol fires none of the
   ww_mutex debug checks. *)
ExecNoWarn == wwWarn = {}

(* [EXEC-ALL-LOCKED] Under weak fairness every thread reaches the
   submission with all of its objects, then finishes. *)
AllSubmit == \A t \in Threads : <>(xpc[t] = "locked")
AllFinish == <>Terminated
=============================================================================
