------------------------------- MODULE DmaResv -------------------------------
(***************************************************************************)
(* dma_resv with usage flags, as in mainline (6.x usage-based API, with    *)
(* the Nov 2023 is_later_or_same fix).                                     *)
(*                                                                         *)
(* Kernel sources followed:                                                *)
(*   drivers/dma-buf/dma-resv.c   dma_resv_reserve_fences,                 *)
(*       dma_resv_add_fence, dma_resv_replace_fences,                      *)
(*       dma_resv_test_signaled, dma_resv_list_alloc                       *)
(*   include/linux/dma-resv.h     enum dma_resv_usage, dma_resv_lock,      *)
(*       dma_resv_unlock (dma_resv_reset_max_fences under DEBUG_MUTEXES)   *)
(* Digest: shared/reference/kernel-semantics.md section 3.                 *)
(*                                                                         *)
(* Fences come from DmaFence (EXTENDS): a resv entry refers to a fence     *)
(* object, fences signal through DmaFence's Signal, and same-context       *)
(* ordering is DmaFence's IssuerInOrder assumption.                        *)
(*                                                                         *)
(* This first part models the writer side under the lock and the          *)
(* unlocked test_signaled as one atomic step.  Not yet modelled: the       *)
(* unlocked iterator with restarts, get_fences, wait_timeout, copy_fences, *)
(* get_singleton, container fences (the WARN in add_fence), references    *)
(* held by entries, kmalloc rounding of the capacity.                      *)
(***************************************************************************)
EXTENDS DmaFence

CONSTANTS
    Resvs,        \* dma_resv objects
    MaxFences,    \* model bound on a table's capacity
    ResvMutant,   \* "none", or a historical/bad add_fence rule (see ResvMutants)
    ModelUsages,  \* the usages the model's calls use (a subset of Usages; model bound)
    MaxReserve,   \* the largest n passed to dma_resv_reserve_fences (model bound)
    ModelReplace  \* whether the model's clients call dma_resv_replace_fences (model bound)

(* enum dma_resv_usage (include/linux/dma-resv.h): a lower value is
   stronger; a query with usage U covers every entry with usage <= U. *)
KERNEL == 0
WRITE == 1
READ == 2
BOOKKEEP == 3
Usages == {KERNEL, WRITE, READ, BOOKKEEP}

ResvMutants == {"none",
    "shared_5_4",     \* 5.4 add_shared_fence: any same-context entry, no is-later check
    "is_later",       \* 5.19 .. Nov 2023: dma_fence_is_later, not is_later_or_same
    "dag",            \* seed 000's dropped DAG idea: drop an entry another context's add "covers"
    "downgrade"}      \* the usage check omitted: an add may weaken an entry's usage

ASSUME /\ IsFiniteSet(Resvs) /\ MaxFences \in Nat \ {0}
       /\ ResvMutant \in ResvMutants
       /\ ModelUsages \subseteq Usages /\ MaxReserve \in Nat \ {0}
       /\ ModelReplace \in BOOLEAN

VARIABLES
    table,      \* [Resvs -> Seq([f : Fences, u : Usages])]: dma_resv_list entries, in order
    maxSlots,   \* [Resvs -> Nat]: max_fences of the list (0: no list yet)
    holder,     \* [Resvs -> Threads \cup {None}]: the thread holding the resv's ww_mutex
    budget,     \* [Threads -> [Resvs -> Nat]]: reserved slots the thread has not used yet
    attached,   \* ghost: [Resvs -> SUBSET [f : Fences, u : Usages]]: every (fence, usage) ever added
    replacedCtx,\* ghost: [Resvs -> SUBSET Nat]: contexts passed to dma_resv_replace_fences
    kbug        \* ghost: "none" or the kernel function whose BUG_ON fired (the kernel oopsed)

resvVars == <<table, maxSlots, holder, budget, attached, replacedCtx, kbug>>
allVars == <<vars, resvVars>>

ResvTypeOK ==
    /\ TypeOK
    /\ table \in [Resvs -> Seq([f : Fences, u : Usages])]
    /\ maxSlots \in [Resvs -> Nat]
    /\ holder \in [Resvs -> Threads \cup {None}]
    /\ budget \in [Threads -> [Resvs -> Nat]]
    /\ attached \in [Resvs -> SUBSET [f : Fences, u : Usages]]
    /\ replacedCtx \in [Resvs -> SUBSET Nat]
    /\ kbug \in {"none", "dma_resv_add_fence"}

ResvInit ==
    /\ Init
    /\ table = [r \in Resvs |-> <<>>]
    /\ maxSlots = [r \in Resvs |-> 0]
    /\ holder = [r \in Resvs |-> None]
    /\ budget = [t \in Threads |-> [r \in Resvs |-> 0]]
    /\ attached = [r \in Resvs |-> {}]
    /\ replacedCtx = [r \in Resvs |-> {}]
    /\ kbug = "none"

-----------------------------------------------------------------------------
Max(a, b) == IF a > b THEN a ELSE b
RECURSIVE Pow2AtLeast(_, _)
Pow2AtLeast(n, p) == IF p >= n THEN p ELSE Pow2AtLeast(n, 2 * p)
Entries(r) == {table[r][i] : i \in DOMAIN table[r]}
TestSignaledValue(r, u) == \A e \in Entries(r) : e.u <= u => signaled[e.f]
Alive == kbug = "none"
Holds(t, r) == holder[r] = t

(* dma_resv_lock(obj, NULL): ww_mutex_lock with a NULL context, a plain
   mutex here (reservation_ww_class is Wait-Die; contexts come with the
   ww_mutex spec).  The call blocks while another thread holds the lock,
   which is modelled as the action being disabled. *)
ResvLock(t, r) ==
    /\ Alive /\ waitOn[t] = None /\ holder[r] = None
    /\ holder' = [holder EXCEPT ![r] = t]
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, budget, attached, replacedCtx, kbug>>
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, warnings, opsFault>>

(* dma_resv_unlock: with CONFIG_DEBUG_MUTEXES, dma_resv_reset_max_fences sets
   max_fences = num_fences, so reservations are good for one lock hold only
   (the contract this spec takes for every build). *)
ResvUnlock(t, r) ==
    /\ Alive /\ Holds(t, r)
    /\ holder' = [holder EXCEPT ![r] = None]
    /\ maxSlots' = [maxSlots EXCEPT ![r] = Len(table[r])]
    /\ budget' = [budget EXCEPT ![t][r] = 0]
    /\ Return(t, 0)
    /\ UNCHANGED <<table, attached, replacedCtx, kbug>>
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, warnings, opsFault>>

(* dma_resv_reserve_fences(obj, n), lock held: nothing to do if the list has
   room for n more; otherwise a new list of max(num + n, 2 * max) slots
   (max(4, roundup_pow_of_two(n)) without a list) into which the unsignaled
   entries are copied in order: signaled entries are pruned.  kmalloc rounding
   (extra slack) is not modelled.  Afterwards n slots are free, not n more
   than a previous reservation promised: the caller's budget becomes n (two
   reserve_fences(obj, 1) calls do not allow two appends). *)
ReserveFences(t, r, n) ==
    LET num == Len(table[r])
        newMax == IF maxSlots[r] = 0 THEN Max(4, Pow2AtLeast(n, 1))
                  ELSE Max(num + n, 2 * maxSlots[r])
    IN
    /\ Alive /\ Holds(t, r) /\ n >= 1
    /\ IF maxSlots[r] > 0 /\ num + n <= maxSlots[r]
       THEN UNCHANGED <<table, maxSlots>>
       ELSE /\ newMax <= MaxFences
            /\ maxSlots' = [maxSlots EXCEPT ![r] = newMax]
            /\ table' = [table EXCEPT ![r] = SelectSeq(@, LAMBDA e : ~signaled[e.f])]
    /\ budget' = [budget EXCEPT ![t][r] = n]
    /\ Return(t, 0)
    /\ UNCHANGED <<holder, attached, replacedCtx, kbug>>
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, warnings, opsFault>>

(* The seed-000 "DAG" idea, rejected there: entries of other contexts are
   dropped when a fence is added, on the assumption that it depends on them. *)
DagDrop(r, f) ==
    IF ResvMutant = "dag"
    THEN SelectSeq(table[r], LAMBDA e : SameCtx(e.f, f))
    ELSE table[r]

(* The entry of table `tb` that dma_resv_add_fence replaces
   (drivers/dma-buf/dma-resv.c): the first, in index order, that is (same
   context, old usage >= new usage, new fence later-or-same) or already
   signaled (dma_fence_is_signaled). *)
Replaceable(tb, f, u, i) ==
    LET old == tb[i] IN
    \/ /\ SameCtx(old.f, f)
       /\ CASE ResvMutant = "shared_5_4" -> TRUE
            [] ResvMutant = "downgrade"  -> IsLaterOrSame(f, old.f)
            [] ResvMutant = "is_later"   -> old.u >= u /\ IsLater(f, old.f)
            [] OTHER                     -> old.u >= u /\ IsLaterOrSame(f, old.f)
    \/ signaled[old.f]
FirstReplaceable(tb, f, u) ==
    {i \in DOMAIN tb : Replaceable(tb, f, u, i) /\ \A j \in 1..(i - 1) : ~Replaceable(tb, f, u, j)}

(* dma_resv_add_fence(obj, fence, usage), lock held.  Overwrite the first
   replaceable entry with (fence, usage); otherwise BUG_ON(num >= max) and
   append.  Client contract (include/linux/dma-resv.h, M-LOS): every add uses
   one slot reserved in this lock hold, except adding a fence that the table
   already holds with the same or a weaker usage ("It's valid to add the same
   fence multiple times ... we shouldn't need one extra slot for each"). *)
ReAdd(r, f, u) == \E e \in Entries(r) : e.f = f /\ e.u >= u
AddFence(t, r, f, u) ==
    LET tb == DagDrop(r, f)
        hit == FirstReplaceable(tb, f, u)
        new == [f |-> f, u |-> u]
    IN
    /\ Alive /\ Holds(t, r) /\ life[f] = "live"
    /\ ReAdd(r, f, u) \/ budget[t][r] >= 1
    /\ budget' = [budget EXCEPT ![t][r] = IF ReAdd(r, f, u) THEN @ ELSE @ - 1]
    /\ attached' = [attached EXCEPT ![r] = @ \cup {new}]
    /\ IF hit # {}
       THEN /\ table' = [table EXCEPT ![r] = [tb EXCEPT ![CHOOSE i \in hit : TRUE] = new]]
            /\ UNCHANGED kbug
       ELSE IF Len(tb) >= maxSlots[r]
       THEN /\ kbug' = "dma_resv_add_fence"     \* BUG_ON(num_fences >= max_fences)
            /\ UNCHANGED table
       ELSE /\ table' = [table EXCEPT ![r] = Append(tb, new)]
            /\ UNCHANGED kbug
    /\ Return(t, 0)
    /\ UNCHANGED <<holder, maxSlots, replacedCtx>>
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, warnings, opsFault>>

(* dma_resv_replace_fences(obj, context, replacement, usage), lock held:
   every entry of `context` becomes (replacement, usage), with no is-later
   check and possibly a weaker usage.  Only for hardware mechanisms where the
   original operation no longer touches the resource once the replacement
   completes (digest 3.5). *)
ReplaceFences(t, r, c, f, u) ==
    /\ Alive /\ Holds(t, r) /\ life[f] = "live"
    /\ table' = [table EXCEPT ![r] = [i \in DOMAIN @ |->
                    IF FenceCtx[@[i].f] = c THEN [f |-> f, u |-> u] ELSE @[i]]]
    /\ replacedCtx' = [replacedCtx EXCEPT ![r] = @ \cup {c}]
    /\ attached' = [attached EXCEPT ![r] = @ \cup
                       (IF \E i \in DOMAIN table[r] : FenceCtx[table[r][i].f] = c
                        THEN {[f |-> f, u |-> u]} ELSE {})]
    /\ Return(t, 0)
    /\ UNCHANGED <<holder, maxSlots, budget, kbug>>
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, warnings, opsFault>>

(* dma_resv_test_signaled(obj, usage): true iff every fence with usage <= U
   is signaled.  No lock needed; here one atomic step (the unlocked
   iterator's interleavings are not modelled yet). *)
TestSignaled(t, r, u) ==
    /\ Alive /\ waitOn[t] = None
    /\ Return(t, B2I(TestSignaledValue(r, u)))
    /\ UNCHANGED resvVars
    /\ UNCHANGED <<nextCtx, life, refs, signaled, enabled, error, detached, cbq,
                   cbState, cbFence, waitOn, waitTimeout, waitIntr, modLoaded,
                   cbAdded, cbRan, errAtSignal, warnings, opsFault>>

(* The fence actions a resv client needs: contexts, fences, the issuer's
   signal; DmaFence's actions, with the resv variables unchanged. *)
ContextAllocStep(t, n) == Alive /\ ContextAlloc(t, n) /\ UNCHANGED resvVars
FenceInitStep(t, f) == Alive /\ FenceInit(t, f) /\ UNCHANGED resvVars
SignalStep(t, f) == Alive /\ Signal(t, f) /\ UNCHANGED resvVars

ResvNext ==
    \/ \E t \in Threads, n \in 1..MaxContext : ContextAllocStep(t, n)
    \/ \E t \in Threads, f \in Fences : FenceInitStep(t, f) \/ SignalStep(t, f)
    \/ \E t \in Threads, r \in Resvs :
          \/ ResvLock(t, r) \/ ResvUnlock(t, r)
          \/ \E n \in 1..MaxReserve : ReserveFences(t, r, n)
          \/ \E f \in Fences, u \in ModelUsages : AddFence(t, r, f, u)
          \/ \E u \in ModelUsages : TestSignaled(t, r, u)
          \/ ModelReplace /\ \E c \in {FenceCtx[g] : g \in Fences}, f \in Fences, u \in ModelUsages :
                ReplaceFences(t, r, c, f, u)

ResvSpec == ResvInit /\ [][ResvNext]_allVars

-----------------------------------------------------------------------------
(* [RESV-NO-BUG] A client that reserves before it adds never hits the BUG_ON
   in dma_resv_add_fence (re-adding a fence needs no extra slot, M-LOS). *)
NoKernelBug == kbug = "none"

(* [RESV-KEEP] (seed 000: "keep all fences around ... until they are
   signaled") An unsignaled attached fence stays in the table, unless a
   later-or-same fence of its context with equal or stronger usage took its
   entry, or dma_resv_replace_fences replaced its context. *)
NoUnsignaledFenceLost ==
    \A r \in Resvs : \A a \in attached[r] :
        \/ signaled[a.f]
        \/ FenceCtx[a.f] \in replacedCtx[r]
        \/ \E e \in Entries(r) : SameCtx(e.f, a.f) /\ IsLaterOrSame(e.f, a.f) /\ e.u <= a.u

(* [RESV-NO-DOWNGRADE] dma_resv_add_fence never weakens the usage of an
   entry it overwrites with a fence of the same context. *)
AddNeverDowngrades ==
    [][\A t \in Threads, r \in Resvs, f \in Fences, u \in Usages :
          AddFence(t, r, f, u) =>
              \A i \in DOMAIN table[r] :
                  (i \in DOMAIN table'[r] /\ table'[r][i] # table[r][i]
                   /\ SameCtx(table[r][i].f, f) /\ ~signaled[table[r][i].f])
                      => table'[r][i].u <= table[r][i].u]_allVars

(* [RESV-IMPLICIT-SYNC] Whenever dma_resv_test_signaled(r, U) would return
   true (every entry with usage <= U signaled), every operation attached with
   usage <= U has completed, also those whose fences were replaced by later
   fences of their context.  Relies on same-context ordering (DmaFence's
   IssuerInOrder).  Contexts handed to dma_resv_replace_fences are exempt by
   that function's contract.  Stated on states, so it covers every call. *)
ImplicitSync ==
    \A r \in Resvs, u \in Usages :
        TestSignaledValue(r, u) =>
            \A a \in attached[r] :
                (a.u <= u /\ FenceCtx[a.f] \notin replacedCtx[r]) => signaled[a.f]
=============================================================================
