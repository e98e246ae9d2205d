------------------------------- MODULE DmaResv -------------------------------
(***************************************************************************)
(* dma_resv with usage flags, as in mainline (6.x usage-based API, with    *)
(* the Nov 2023 is_later_or_same fix).                                     *)
(*                                                                         *)
(* Kernel sources followed:                                                *)
(*   drivers/dma-buf/dma-resv.c   dma_resv_reserve_fences,                 *)
(*       dma_resv_add_fence, dma_resv_replace_fences,                      *)
(*       dma_resv_iter_restart_unlocked, dma_resv_iter_walk_unlocked,      *)
(*       dma_resv_iter_first_unlocked, dma_resv_iter_next_unlocked,        *)
(*       dma_resv_iter_first, dma_resv_iter_next, dma_resv_get_fences,     *)
(*       dma_resv_get_singleton, dma_resv_test_signaled,                   *)
(*       dma_resv_wait_timeout, dma_resv_copy_fences, dma_resv_list_alloc  *)
(*   include/linux/dma-resv.h     enum dma_resv_usage, dma_resv_lock,      *)
(*       dma_resv_unlock (dma_resv_reset_max_fences under DEBUG_MUTEXES)   *)
(*                                                                         *)
(* Fences come from DmaFence (EXTENDS): a resv entry refers to a fence     *)
(* object, fences signal through DmaFence's Signal, and same-context       *)
(* ordering is DmaFence's IssuerInOrder assumption.                        *)
(*                                                                         *)
(* Granularity.  Each kernel call is one step, with one exception that     *)
(* matters: an unlocked iteration is a sequence of steps (first_unlocked,  *)
(* next_unlocked ..., iter_end) and writers run between them.  Inside one  *)
(* first/next call the walk is atomic; that loses no behaviour the reader  *)
(* guarantee depends on, because the guarantee is a per-entry argument:    *)
(* an entry the walk reads was either the one at the snapshot or a         *)
(* later-or-same fence of its context or a recycled signaled entry (see    *)
(* UnlockedReaderGuarantee).  The Java reader is additionally tested with  *)
(* a writer step at every single read (DmaResvUnlockedReadExamples).       *)
(*                                                                         *)
(* References: `refs` counts the clients' references; those of list       *)
(* entries and unlocked cursors are not counted but keep a fence alive     *)
(* (InUse): with the optional call "put" a client may drop its last        *)
(* reference of a fence a list still holds, and the step that drops the    *)
(* list's or cursor's reference frees it (LifeAfter).  An unlocked walk    *)
(* may then meet a fence whose refcount hit zero: dma_fence_get_rcu fails  *)
(* and the walk restarts (IterNextUnlocked, GetRcuMayFail).                *)
(* Not modelled: ops->signaled in resv queries, kmalloc                    *)
(* rounding of the capacity, -ENOMEM, set_deadline, describe,              *)
(* interruptible waits.  A dma_fence_array made by get_singleton is        *)
(* returned as the sequence of its members, not as a new fence object.    *)
(***************************************************************************)
EXTENDS DmaFence

CONSTANTS
    Resvs,        \* dma_resv objects
    Containers,   \* the fences that are containers (dma_fence_array / chain ops)
    MaxFences,    \* model bound on a table's capacity
    MaxLists,     \* model bound on the lists a resv ever has (copy_fences makes new ones)
    ResvMutant,   \* "none", or a historical/bad rule (see ResvMutants)
    ModelUsages,  \* the usages the model's calls use (a subset of Usages; model bound)
    MaxReserve,   \* the largest n passed to dma_resv_reserve_fences (model bound)
    ModelCalls    \* the optional calls the model's clients make (model bound), from ResvCalls

(* enum dma_resv_usage (include/linux/dma-resv.h): a lower value is
   stronger; a query with usage U covers every entry with usage <= U. *)
KERNEL == 0
WRITE == 1
READ == 2
BOOKKEEP == 3
Usages == {KERNEL, WRITE, READ, BOOKKEEP}

ResvMutants == {"none",
    "shared_5_4",     \* 5.4 add_shared_fence: any same-context entry, no is-later check
    "is_later",       \* 5.19.8 .. Nov 2023: dma_fence_is_later, not is_later_or_same
    "no_seqno_5_19",  \* 5.19.0 .. 5.19.7: same context and usage, no seqno test (CVE-2022-49935)
    "dag",            \* a rejected "DAG" idea: drop the entries another context's add "covers"
    "downgrade",      \* the usage check omitted: an add may weaken an entry's usage
    "no_restart",     \* unlocked reader: on a new list, keep the index instead of restarting at 0
    "ignore_kernel",  \* unlocked walk (and so test_signaled) skips KERNEL entries
    "wait_early",     \* a resv wait's sleeper walks on before its fence signaled
    "list_reuse",     \* a new list at the address of a freed one: the reader's pointer test says "same"
    "get_rcu_skip"}   \* unlocked walk: a fence whose get_rcu failed is skipped, no restart

(* Calls beyond lock/reserve/add/test_signaled/signal that a model may enable. *)
ResvCalls == {"replace", "iter_unlocked", "iter_locked", "get_fences", "get_singleton",
              "wait", "wait_sleep", "copy", "put"}

ASSUME /\ IsFiniteSet(Resvs) /\ Containers \subseteq Fences
       /\ MaxFences \in Nat \ {0} /\ MaxLists \in Nat \ {0}
       /\ ResvMutant \in ResvMutants
       /\ ModelUsages \subseteq Usages /\ MaxReserve \in Nat \ {0}
       /\ ModelCalls \subseteq ResvCalls

(* A dma_resv_iter.  `r = None`: no iteration in progress (begin/end are
   the bounds of an iteration).  The ghost fields `must`, `seen` and `rc`
   state the unlocked reader's guarantee; `ahead` holds the entries the
   next walk may read, as <<index, fence>> (idx..num of the list as it was
   at the end of the cursor's last step: GetRcuMayFail). *)
IdleCursor == [r |-> None, u |-> 0, locked |-> FALSE, gen |-> 0, nul |-> TRUE, num |-> 0, idx |-> 1,
               fence |-> None, restarted |-> FALSE, must |-> {}, seen |-> {}, rc |-> {},
               ahead |-> {}]

VARIABLES
    table,      \* [Resvs -> Seq([f : Fences, u : Usages])]: the current dma_resv_list's entries
    maxSlots,   \* [Resvs -> Nat]: max_fences of the list (0: no list yet)
    gen,        \* [Resvs -> Nat]: which list is current (the fences pointer); new list => new gen
    nul,        \* [Resvs -> BOOLEAN]: the fences pointer is NULL (no list)
    holder,     \* [Resvs -> Threads \cup {None}]: the thread holding the resv's ww_mutex
    budget,     \* [Threads -> [Resvs -> Nat]]: reserved slots the thread has not used yet
    cursor,     \* [Threads -> cursor record]: the thread's dma_resv_iter (IdleCursor if none)
    out,        \* [Threads -> Seq(Fences)]: fences the last call returned (pointer or out-array)
    attached,   \* ghost: [Resvs -> SUBSET [f : Fences, u : Usages]]: every (fence, usage) ever added
    replacedCtx,\* ghost: [Resvs -> SUBSET Nat]: contexts passed to dma_resv_replace_fences
    kbug        \* ghost: "none" or the kernel function whose BUG_ON fired (the kernel oopsed)

resvVars == <<table, maxSlots, gen, nul, holder, budget, cursor, out, attached, replacedCtx, kbug>>
allVars == <<vars, resvVars>>
\* DmaFence's variables that no dma_resv call changes (all but ret and warnings).
fenceState == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
                cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
                errAtSignal, opsFault, hwDone>>

\* fenceState but life: what a resv step that may free fences leaves unchanged.
fenceStateButLife == <<nextCtx, refs, signaled, enabled, error, detached, cbq, cbState,
                       cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
                       errAtSignal, opsFault, hwDone>>

Entry == [f : Fences, u : Usages]
CursorType ==
    [r : Resvs \cup {None}, u : Usages, locked : BOOLEAN, gen : Nat, nul : BOOLEAN, num : Nat,
     idx : Nat \ {0},
     fence : Fences \cup {None}, restarted : BOOLEAN, must : SUBSET Entry,
     seen : SUBSET Fences, rc : SUBSET Nat, ahead : SUBSET (Nat \X Fences)]

ResvTypeOK ==
    /\ TypeOK
    /\ table \in [Resvs -> Seq(Entry)]
    /\ maxSlots \in [Resvs -> Nat]
    /\ gen \in [Resvs -> Nat]
    /\ nul \in [Resvs -> BOOLEAN]
    /\ holder \in [Resvs -> Threads \cup {None}]
    /\ budget \in [Threads -> [Resvs -> Nat]]
    /\ cursor \in [Threads -> CursorType]
    /\ out \in [Threads -> Seq(Fences)]
    /\ attached \in [Resvs -> SUBSET Entry]
    /\ replacedCtx \in [Resvs -> SUBSET Nat]
    /\ kbug \in {"none", "dma_resv_add_fence", "dma_resv_add_fence: NULL list"}

ResvInit ==
    /\ Init
    /\ table = [r \in Resvs |-> <<>>]
    /\ maxSlots = [r \in Resvs |-> 0]
    /\ gen = [r \in Resvs |-> 0]
    /\ nul = [r \in Resvs |-> TRUE]
    /\ holder = [r \in Resvs |-> None]
    /\ budget = [t \in Threads |-> [r \in Resvs |-> 0]]
    /\ cursor = [t \in Threads |-> IdleCursor]
    /\ out = [t \in Threads |-> <<>>]
    /\ attached = [r \in Resvs |-> {}]
    /\ replacedCtx = [r \in Resvs |-> {}]
    /\ kbug = "none"

-----------------------------------------------------------------------------
Max(a, b) == IF a > b THEN a ELSE b
Min(a, b) == IF a < b THEN a ELSE b
RECURSIVE Pow2AtLeast(_, _)
Pow2AtLeast(n, p) == IF p >= n THEN p ELSE Pow2AtLeast(n, 2 * p)
Entries(r) == {table[r][i] : i \in DOMAIN table[r]}
Alive == kbug = "none"
Holds(t, r) == holder[r] = t
Idle(t) == Alive /\ waitOn[t] = None
Calls(c) == c \in ModelCalls

(* A fence some list entry or unlocked cursor holds a reference on (the
   references `refs` does not count).  With the optional call "put", a
   fence whose clients all dropped theirs lives on while in use; the step
   that drops the last such reference frees it: dma_fence_put from
   dma_resv_add_fence and dma_resv_replace_fences (the replaced entry),
   dma_resv_reserve_fences (pruned signaled entries), dma_resv_list_free
   (copy_fences' old list) and dma_resv_iter_walk_unlocked / _iter_end
   (the cursor's previous fence).  No resv model registers callbacks or
   unloads modules, so such a release signals nothing and calls no ops. *)
InUse(f) ==
    \/ \E r \in Resvs : \E i \in DOMAIN table[r] : table[r][i].f = f
    \/ \E t \in Threads : cursor[t].r # None /\ ~cursor[t].locked /\ cursor[t].fence = f
LifeAfter ==
    IF Calls("put")
    THEN life' = [f \in Fences |->
                    IF life[f] = "live" /\ refs[f] = 0 /\ ~(InUse(f)') THEN "freed" ELSE life[f]]
    ELSE UNCHANGED life
(* What a resv step that may drop list or cursor references does to the
   fence variables (after table' and cursor' are set). *)
FencesAfter == UNCHANGED fenceStateButLife /\ LifeAfter

(* The unlocked walk's filter (dma_resv_iter_walk_unlocked): it yields an
   entry iff its fence is unsignaled and cursor->usage >= fence_usage. *)
UnlockedMatch(e, u) ==
    /\ ~signaled[e.f] /\ e.u <= u
    /\ ~(ResvMutant = "ignore_kernel" /\ e.u = KERNEL)
(* The fences an unlocked walk of r with usage u yields, in order, when no
   writer runs meanwhile: what get_fences collects. *)
UnlockedFences(r, u) ==
    LET yes == SelectSeq(table[r], LAMBDA e : UnlockedMatch(e, u))
    IN [i \in DOMAIN yes |-> yes[i].f]
(* dma_resv_test_signaled(obj, usage): the unlocked walk yields nothing. *)
TestSignaledValue(r, u) == \A e \in Entries(r) : ~UnlockedMatch(e, u)
\* The kernel's promise, without the mutant: every entry with usage <= u signaled.
AllSignaled(r, u) == \A e \in Entries(r) : e.u <= u => signaled[e.f]

SetOut(t, s) == out' = [out EXCEPT ![t] = s]

(* Thread t is in the middle of a locked walk over r (dma_resv_for_each_fence).
   Client contract: the walk ends inside the lock hold, and nothing replaces
   the list during it (the cursor keeps a pointer to the list). *)
LockedWalking(t, r) == cursor[t].r = r /\ cursor[t].locked /\ cursor[t].fence # None

(* dma_resv_lock(obj, NULL): ww_mutex_lock with a NULL context, a plain
   mutex here (reservation_ww_class is Wait-Die; contexts come with the
   ww_mutex spec).  The call blocks while another thread holds the lock,
   which is modelled as the action being disabled. *)
ResvLock(t, r) ==
    /\ Idle(t) /\ holder[r] = None
    /\ holder' = [holder EXCEPT ![r] = t]
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, budget, cursor, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings

(* dma_resv_unlock: with CONFIG_DEBUG_MUTEXES, dma_resv_reset_max_fences sets
   max_fences = num_fences, so reservations are good for one lock hold only
   (the contract this spec takes for every build).  A locked walk must have
   ended (LockedWalking). *)
ResvUnlock(t, r) ==
    /\ Alive /\ Holds(t, r)
    /\ ~LockedWalking(t, r)
    /\ holder' = [holder EXCEPT ![r] = None]
    /\ maxSlots' = [maxSlots EXCEPT ![r] = Len(table[r])]
    /\ budget' = [budget EXCEPT ![t][r] = 0]
    /\ Return(t, 0)
    /\ UNCHANGED <<table, gen, nul, cursor, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings

(* dma_resv_reserve_fences(obj, n), lock held: nothing to do if the list has
   room for n more; otherwise a new list of max(num + n, 2 * max) slots
   (max(4, roundup_pow_of_two(n)) without a list) into which the unsignaled
   entries are copied in order: signaled entries are pruned.  The new list
   is a new object (gen + 1): unlocked readers restart.  kmalloc rounding
   (extra slack) is not modelled.

       old = dma_resv_fences_list(obj);
       if (old && old->max_fences) {
               if ((old->num_fences + num_fences) <= old->max_fences)
                       return 0;
               max = max(old->num_fences + num_fences, old->max_fences * 2);
       } else {
               max = max(4ul, roundup_pow_of_two(num_fences));
       }

   Afterwards at least n slots are free, and free slots never shrink inside
   one lock hold but by appends (a reallocation doubles max_fences and only
   prunes): the caller's budget becomes ReservedAfter(budget, n), the
   larger of the two.  So reserve(obj, 2); reserve(obj, 1) leaves two slots
   (drm_exec_prepare_obj called twice on one object does that; DrmExec.tla's
   Reserve keeps the larger count too), and two reserve(obj, 1) calls leave
   one, not two. *)
ReservedAfter(b, n) == Max(b, n)

(* The identity (address) of the list a reallocation publishes: a new one.
   Mutant list_reuse: the old list goes by kfree_rcu(old, rcu) once a grace
   period has passed, and an unlocked reader holds no RCU read lock between
   its dma_resv_iter_next_unlocked calls, so kmalloc may hand the memory of
   an earlier, freed list to this one; the reader's test

       restart = dma_resv_fences_list(cursor->obj) != cursor->fences;

   then says "same list" although it is a new, compacted one (ABA).  Shown
   by MCDmaResvReaders_list_reuse_bug: the rule RESV-UNLOCKED-READ rests on list
   identity.  Whether a kernel reader can meet this depends on its holding
   the cursor across a grace period and on the allocator; the spec (mutant
   "none") takes every published list to be a new object. *)
NewListIds(r) ==
    {gen[r] + 1} \cup (IF ResvMutant = "list_reuse" THEN 1..(gen[r] - 1) ELSE {})
ReserveFences(t, r, n) ==
    LET num == Len(table[r])
        newMax == IF maxSlots[r] = 0 THEN Max(4, Pow2AtLeast(n, 1))
                  ELSE Max(num + n, 2 * maxSlots[r])
    IN
    /\ Alive /\ Holds(t, r) /\ n >= 1
    /\ IF maxSlots[r] > 0 /\ num + n <= maxSlots[r]
       THEN UNCHANGED <<table, maxSlots, gen, nul>>
       ELSE /\ newMax <= MaxFences
            /\ ~LockedWalking(t, r)
            /\ maxSlots' = [maxSlots EXCEPT ![r] = newMax]
            /\ table' = [table EXCEPT ![r] = SelectSeq(@, LAMBDA e : ~signaled[e.f])]
            /\ \E g \in NewListIds(r) : g < MaxLists /\ gen' = [gen EXCEPT ![r] = g]
            /\ nul' = [nul EXCEPT ![r] = FALSE]
    /\ budget' = [budget EXCEPT ![t][r] = ReservedAfter(@, n)]
    /\ Return(t, 0)
    /\ UNCHANGED <<holder, cursor, out, attached, replacedCtx, kbug>>
    /\ FencesAfter /\ UNCHANGED warnings

(* The "DAG" approach that "completely rework the dma_resv semantic"
   (Christian König, dri-devel, 23 Nov 2021) dropped: entries of other contexts are
   dropped when a fence is added, on the assumption that it depends on them. *)
DagDrop(r, f) ==
    IF ResvMutant = "dag"
    THEN SelectSeq(table[r], LAMBDA e : SameCtx(e.f, f))
    ELSE table[r]

(* The entry of table `tb` that dma_resv_add_fence replaces
   (drivers/dma-buf/dma-resv.c): the first, in index order, that is (same
   context, old usage >= new usage, new fence later-or-same) or already
   signaled (dma_fence_is_signaled):

       if ((old->context == fence->context && old_usage >= usage &&
            dma_fence_is_later_or_same(fence, old)) ||
           dma_fence_is_signaled(old)) {

   History (mutants): 5.19.0 to 5.19.7 (the usage rework) tested
   `old->context == fence->context && old_usage >= usage` only, so an
   older fence of the context (a fence imported from userspace through
   sync_file, for one) replaced a newer unsignaled one: CVE-2022-49935,
   fixed by a3f7c10a269d "dma-buf/dma-resv: check if the new fence is
   really later" (Christian König, Aug 2022; stable 5.19.8), which added
   dma_fence_is_later; 95ba893c9f4f "dma-buf: fix check in
   dma_resv_add_fence" (Christian König, Nov 2023; stable 5.19+) made it
   dma_fence_is_later_or_same, so re-adding a fence needs no new slot. *)
ReplaceableMainline(old, f, u) ==
    \/ SameCtx(old.f, f) /\ old.u >= u /\ IsLaterOrSame(f, old.f)
    \/ signaled[old.f]

(* The historical and rejected rules (mutants), each whole, as its kernel
   tested it. *)
(* 5.4 dma_resv_add_shared_fence: any entry of the same context. *)
Rule_shared_5_4(old, f, u) == SameCtx(old.f, f) \/ signaled[old.f]
(* 5.19.0 to 5.19.7: same context and usage, no seqno test (CVE-2022-49935). *)
Rule_no_seqno_5_19(old, f, u) == (SameCtx(old.f, f) /\ old.u >= u) \/ signaled[old.f]
(* 5.19.8 (a3f7c10a269d) until 95ba893c9f4f: dma_fence_is_later. *)
Rule_is_later(old, f, u) == (SameCtx(old.f, f) /\ old.u >= u /\ IsLater(f, old.f)) \/ signaled[old.f]
(* The usage test omitted: an add may weaken an entry's usage. *)
Rule_downgrade(old, f, u) == (SameCtx(old.f, f) /\ IsLaterOrSame(f, old.f)) \/ signaled[old.f]

AddRuleMutants == {"shared_5_4", "no_seqno_5_19", "is_later", "downgrade"}
Replaceable(tb, f, u, i) ==
    LET old == tb[i] IN
    CASE ResvMutant \notin AddRuleMutants -> ReplaceableMainline(old, f, u)
      [] ResvMutant = "shared_5_4"        -> Rule_shared_5_4(old, f, u)
      [] ResvMutant = "no_seqno_5_19"     -> Rule_no_seqno_5_19(old, f, u)
      [] ResvMutant = "is_later"          -> Rule_is_later(old, f, u)
      [] ResvMutant = "downgrade"         -> Rule_downgrade(old, f, u)
FirstReplaceable(tb, f, u) ==
    {i \in DOMAIN tb : Replaceable(tb, f, u, i) /\ \A j \in 1..(i - 1) : ~Replaceable(tb, f, u, j)}

(* dma_resv_add_fence(obj, fence, usage), lock held.  WARN_ON a container
   fence (and go on); overwrite the first replaceable entry with (fence,
   usage); otherwise BUG_ON(num >= max) and append.  Client contract
   (include/linux/dma-resv.h; commit 95ba893c9f4f for re-adds): every add
   uses one slot reserved in this lock hold, except adding a fence that the
   table already holds with the same or a weaker usage ("It's valid to add
   the same fence multiple times ... we shouldn't need one extra slot for
   each").

   AddFenceKernel is what the kernel does whether or not the contract
   holds: it has no notion of a reservation, only of the list's num_fences
   and max_fences:

       fobj = dma_resv_fences_list(obj);
       count = fobj->num_fences;
       ... replace the first replaceable entry, return ...
       BUG_ON(fobj->num_fences >= fobj->max_fences);

   so an add without a reserved slot still reuses a signaled entry's slot
   (or replaces a same-context entry), appends when the list happens to
   have room (slack of a growth, or a production build that never resets
   max_fences), hits the BUG_ON when the list is full, and dereferences
   NULL (an oops) on an object that never had a list.  Litmus runs it after
   a contract breach ("contract; kernel: ..."); AddFence is the add within
   the contract.  The budget of a breaching add is left as it is. *)
(* Ghost: a writer's in-place change on r adds the entries it leaves to the
   `ahead` of every unlocked iteration walking r's current list: its next
   walk may load any value an entry had since its last step. *)
AheadAfterWrite(r) ==
    cursor' = [t \in Threads |->
                 LET c == cursor[t] IN
                 IF c.r = r /\ ~c.locked /\ c.fence # None /\ ~c.nul /\ c.gen = gen[r]
                    /\ waitOn[t] = None     \* a sleeping resv wait's walk: not followed
                 THEN [c EXCEPT !.ahead = @ \cup {<<i, table'[r][i].f>> :
                                                   i \in c.idx..Min(c.num, Len(table'[r]))}]
                 ELSE c]
ReAdd(r, f, u) == \E e \in Entries(r) : e.f = f /\ e.u >= u
AddFenceKernel(t, r, f, u) ==
    LET tb == DagDrop(r, f)
        hit == FirstReplaceable(tb, f, u)
        new == [f |-> f, u |-> u]
    IN
    /\ Alive /\ Holds(t, r) /\ life[f] = "live"
    /\ attached' = [attached EXCEPT ![r] = @ \cup {new}]
    /\ IF f \in Containers THEN Warn("dma_resv_add_fence", f) ELSE UNCHANGED warnings
    /\ IF nul[r]
       THEN /\ kbug' = "dma_resv_add_fence: NULL list"    \* fobj->num_fences, fobj = NULL
            /\ UNCHANGED table
       ELSE IF hit # {}
       THEN /\ table' = [table EXCEPT ![r] = [tb EXCEPT ![CHOOSE i \in hit : TRUE] = new]]
            /\ UNCHANGED kbug
       ELSE IF Len(tb) >= maxSlots[r]
       THEN /\ kbug' = "dma_resv_add_fence"     \* BUG_ON(num_fences >= max_fences)
            /\ UNCHANGED table
       ELSE /\ table' = [table EXCEPT ![r] = Append(tb, new)]
            /\ UNCHANGED kbug
    /\ AheadAfterWrite(r)
    /\ Return(t, 0)
    /\ UNCHANGED <<holder, maxSlots, gen, nul, out, replacedCtx>>
    /\ FencesAfter
AddFence(t, r, f, u) ==
    /\ ReAdd(r, f, u) \/ budget[t][r] >= 1
    /\ budget' = [budget EXCEPT ![t][r] = IF ReAdd(r, f, u) THEN @ ELSE @ - 1]
    /\ AddFenceKernel(t, r, f, u)

(* dma_resv_replace_fences(obj, context, replacement, usage), lock held:
   every entry of `context` becomes (replacement, usage), with no is-later
   check and possibly a weaker usage.  Only for hardware mechanisms where the
   original operation no longer touches the resource once the replacement
   completes (the function's kernel-doc). *)
ReplaceFences(t, r, c, f, u) ==
    /\ Alive /\ Holds(t, r) /\ life[f] = "live"
    /\ table' = [table EXCEPT ![r] = [i \in DOMAIN @ |->
                    IF FenceCtx[@[i].f] = c THEN [f |-> f, u |-> u] ELSE @[i]]]
    /\ replacedCtx' = [replacedCtx EXCEPT ![r] = @ \cup {c}]
    /\ attached' = [attached EXCEPT ![r] = @ \cup
                       (IF \E i \in DOMAIN table[r] : FenceCtx[table[r][i].f] = c
                        THEN {[f |-> f, u |-> u]} ELSE {})]
    /\ AheadAfterWrite(r)
    /\ Return(t, 0)
    /\ UNCHANGED <<holder, maxSlots, gen, nul, budget, out, kbug>>
    /\ FencesAfter /\ UNCHANGED warnings

(* dma_resv_test_signaled(obj, usage): true iff the unlocked walk yields no
   fence.  One step: it is a single first_unlocked call. *)
TestSignaled(t, r, u) ==
    /\ Idle(t)
    /\ Return(t, B2I(TestSignaledValue(r, u)))
    /\ UNCHANGED resvVars
    /\ UNCHANGED fenceState /\ UNCHANGED warnings

-----------------------------------------------------------------------------
(* Unlocked iteration: dma_resv_iter_begin + dma_resv_for_each_fence_unlocked
   + dma_resv_iter_end.  A cursor holds the list it walks (gen), the number
   of entries it saw at its (re)start (num: appends after it are not seen),
   and its index; it reads entries of the current list in place, so it sees
   in-place replacements at indices it has not passed yet. *)

(* dma_resv_iter_restart_unlocked: index 0, the current list, its count.
   Ghost: must = the entries the reader is bound to account for (matching
   usage, unsignaled at the restart); rc = contexts replaced so far. *)
Restart(c) ==
    [c EXCEPT !.gen = gen[c.r], !.nul = nul[c.r], !.num = Len(table[c.r]), !.idx = 1,
              !.restarted = TRUE,
              !.must = {e \in Entries(c.r) : e.u <= c.u /\ ~signaled[e.f]},
              !.seen = {}, !.rc = replacedCtx[c.r]]

(* dma_resv_iter_walk_unlocked from c.idx: the first entry at or after idx
   (below num) that matches; none: fence NULL and the index past the end.
   On a NULL list it returns at once ("if (!cursor->fences) return;") and
   leaves cursor->fence as it was: a reader whose list copy_fences replaced
   by NULL gets its last fence again, and again (see the README). *)
WalkSkipping(c, skip) ==
    LET tb == table[c.r]
        \* Min: only under list_reuse can the count exceed the list (the kernel
        \* then reads table slots past num_fences, not modelled)
        hits == {i \in c.idx..Min(c.num, Len(tb)) : i \notin skip /\ UnlockedMatch(tb[i], c.u)}
    IN IF c.nul THEN (IF c.fence = None THEN c ELSE [c EXCEPT !.seen = @ \cup {c.fence}])
       ELSE IF hits = {} THEN [c EXCEPT !.idx = c.num + 1, !.fence = None]
       ELSE LET i == CHOOSE i \in hits : \A j \in hits : i <= j
            IN [c EXCEPT !.idx = i + 1, !.fence = tb[i].f, !.seen = @ \cup {tb[i].f}]
Walk(c) == WalkSkipping(c, {})
FenceOut(c) == IF c.fence = None THEN <<>> ELSE <<c.fence>>

(* The fences the cursor's next walk reads first: entries idx..num of its
   list, as they are at the end of a step (the list is then the current
   one, or NULL).  Ghost, for GetRcuMayFail. *)
WithAhead(c) ==
    [c EXCEPT !.ahead = IF c.fence = None \/ c.nul \/ c.gen # gen[c.r] THEN {}
                        ELSE {<<i, table[c.r][i].f>> : i \in c.idx..Min(c.num, Len(table[c.r]))}]

(* dma_resv_iter_begin + dma_resv_iter_first_unlocked: restart, walk.  The
   end-of-call check (list pointer unchanged) holds: the call is one step. *)
IterFirstUnlocked(t, r, u) ==
    LET c == WithAhead(Walk(Restart([IdleCursor EXCEPT !.r = r, !.u = u])))
    IN
    /\ Idle(t) /\ cursor[t].r = None
    /\ cursor' = [cursor EXCEPT ![t] = c]
    /\ SetOut(t, FenceOut(c))
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, attached, replacedCtx, kbug>>
    /\ FencesAfter /\ UNCHANGED warnings

(* dma_resv_iter_next_unlocked, called while the last call yielded a fence:
   if the resv's list is not the one the cursor walks (a reserve that
   reallocated, or copy_fences), restart at index 0 and set is_restarted;
   else clear is_restarted and walk on.  Mutant no_restart: take the new
   list but keep the index (the naive lock-free reader). *)
(* The cursor's list pointer equals the resv's: the same list, or both NULL
   (dma_resv_iter_next_unlocked compares pointers; two NULL lists are equal
   whatever happened in between, e.g. reserve then copy_fences from an empty
   resv; found by the Java conformance test, seed-dependent). *)
SameList(c) == c.gen = gen[c.r] \/ (c.nul /\ nul[c.r])

(* Mutant no_restart: the new list at the old index. *)
Rule_no_restart(c0) ==
    [c0 EXCEPT !.gen = gen[c0.r], !.nul = nul[c0.r], !.num = Len(table[c0.r]), !.restarted = FALSE]
NextCursor(c0) ==
    LET c1 == IF SameList(c0) THEN [c0 EXCEPT !.restarted = FALSE]
              ELSE IF ResvMutant # "no_restart" THEN Restart(c0)
              ELSE Rule_no_restart(c0)
    IN Walk(c1)
(* dma_fence_get_rcu failing.  dma_resv_iter_walk_unlocked reads an entry
   and takes a reference on its fence:

       dma_resv_list_entry(cursor->fences, cursor->index++, ...);
       cursor->fence = dma_fence_get_rcu(cursor->fence);
       if (!cursor->fence) {
               dma_resv_iter_restart_unlocked(cursor);
               continue;
       }

   Between the read and the get a writer may replace that entry in place
   (dma_resv_add_fence, dma_resv_replace_fences) and put the old fence; if
   that was its last reference, the get fails (the memory stays valid until
   an RCU grace period) and the walk restarts on the current list: index 0,
   is_restarted set, although the list pointer never changed.  In this
   spec a call is one step and the writer's step comes first, so the
   restart is allowed when a fence the walk was about to read (`ahead`) has
   been freed since the cursor's last step (`ahead` holds every value
   those entries had since then: AheadAfterWrite).  Over-approximation: the kernel
   also needs the walk to reach that entry before it stops at a match,
   which depends on when the entries before it signal or change; the spec
   does not follow that and allows the restart whenever the freed fence was
   ahead. *)
(* The indices of `ahead` entries whose fence has been freed. *)
DeadAhead(c0) == IF c0.nul \/ c0.gen # gen[c0.r] THEN {}
                 ELSE {p[1] : p \in {q \in c0.ahead : life[q[2]] = "freed"}}
GetRcuMayFail(c0) == DeadAhead(c0) # {}
(* The walk after a failed get: restart (the kernel); mutant get_rcu_skip:
   treat the dead fence as signaled and walk on past its entry, so the fence
   that replaced it there is never read. *)
Rule_get_rcu_skip(c0) == {WalkSkipping([c0 EXCEPT !.restarted = FALSE], {i}) : i \in DeadAhead(c0)}
FailedWalks(c0) ==
    IF ResvMutant # "get_rcu_skip" THEN {Walk(Restart(c0))}
    ELSE Rule_get_rcu_skip(c0)
IterNextUnlocked(t) ==
    LET c0 == cursor[t]
    IN
    /\ Idle(t) /\ c0.r # None /\ ~c0.locked /\ c0.fence # None
    /\ \E c1 \in {NextCursor(c0)} \cup (IF GetRcuMayFail(c0) THEN FailedWalks(c0) ELSE {}) :
          LET c == WithAhead(c1)
          IN /\ cursor' = [cursor EXCEPT ![t] = c]
             /\ SetOut(t, FenceOut(c))
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, attached, replacedCtx, kbug>>
    /\ FencesAfter /\ UNCHANGED warnings

(* Locked iteration, dma_resv_iter_first / dma_resv_iter_next
   (dma_resv_for_each_fence), lock held: filters by usage only, does not
   skip signaled fences, takes no references.  The list cannot change while
   the lock is held, so the cursor indexes the current table. *)
LockedWalk(c) ==
    LET tb == table[c.r]
        hits == {i \in c.idx..Len(tb) : tb[i].u <= c.u}
    IN IF hits = {} THEN [c EXCEPT !.idx = Len(tb) + 1, !.fence = None]
       ELSE LET i == CHOOSE i \in hits : \A j \in hits : i <= j
            IN [c EXCEPT !.idx = i + 1, !.fence = tb[i].f]
IterFirst(t, r, u) ==
    LET c == LockedWalk([IdleCursor EXCEPT !.r = r, !.u = u, !.locked = TRUE,
                                           !.restarted = TRUE])
    IN
    /\ Idle(t) /\ Holds(t, r) /\ cursor[t].r = None
    /\ cursor' = [cursor EXCEPT ![t] = c]
    /\ SetOut(t, FenceOut(c))
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings
IterNext(t) ==
    LET c0 == cursor[t]
        c == LockedWalk([c0 EXCEPT !.restarted = FALSE])
    IN
    /\ Idle(t) /\ c0.r # None /\ c0.locked /\ c0.fence # None /\ Holds(t, c0.r)
    /\ cursor' = [cursor EXCEPT ![t] = c]
    /\ SetOut(t, FenceOut(c))
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings

(* dma_resv_iter_end: drop the cursor (and its fence reference). *)
IterEnd(t) ==
    /\ Alive /\ cursor[t].r # None
    /\ cursor' = [cursor EXCEPT ![t] = IdleCursor]
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, out, attached, replacedCtx, kbug>>
    /\ FencesAfter /\ UNCHANGED warnings

-----------------------------------------------------------------------------
(* dma_resv_get_fences(obj, usage, &num, &fences): 0, and the fences of one
   complete unlocked walk (references owned by the caller). *)
GetFences(t, r, u) ==
    /\ Idle(t)
    /\ SetOut(t, UnlockedFences(r, u))
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug>>
    /\ UNCHANGED fenceState /\ UNCHANGED warnings

(* dma_resv_get_singleton(obj, usage, &fence): 0; NULL for no fence, the
   fence itself for one, else a new dma_fence_array of them on a context of
   its own (dma_fence_context_alloc(1)).  out holds the fences the result
   stands for: <<>>, <<f>>, or the array's members. *)
GetSingleton(t, r, u) ==
    LET fs == UnlockedFences(r, u) IN
    /\ Idle(t)
    /\ Len(fs) >= 2 => nextCtx <= MaxContext      \* model bound, as in ContextAlloc
    /\ IF Len(fs) >= 2 THEN nextCtx' = nextCtx + 1 ELSE UNCHANGED nextCtx
    /\ SetOut(t, fs)
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug>>
    /\ UNCHANGED <<life, refs, signaled, enabled, error, detached, cbq, cbState,
                   cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
                   errAtSignal, opsFault, warnings, hwDone>>

(* dma_resv_wait_timeout(obj, usage, intr = false, timeout), as in
   drivers/dma-buf/dma-resv.c (with commit 2b95a7db6e0f "dma-buf: fix timeout handling in
   dma_resv_wait_timeout v2", Christian König, 2025; in 6.1
   and 6.12 stable):

       long ret = timeout ? timeout : 1;
       dma_resv_iter_begin(&cursor, obj, usage);
       dma_resv_for_each_fence_unlocked(&cursor, fence) {
               ret = dma_fence_wait_timeout(fence, intr, timeout);
               if (ret <= 0)
                       break;
               /* Even for zero timeout the return value is 1 */
               if (timeout)
                       timeout = ret;
       }
       dma_resv_iter_end(&cursor);
       return ret;

   A sleeping wait keeps its walk in the thread's cursor, so in a model a
   thread in an unlocked iteration of its own makes only the waits that
   return at once (the kernel's cursor is a local of the call).  Each yielded fence is unsignaled when read, so
   dma_fence_wait_timeout enables its signaling and, for timeout 0, returns
   0 at once (a poll); for timeout > 0 the thread sleeps on it as
   DmaFence's WaitTimeout does (waitOn, waitTimeout), and ResvWaitWake /
   ResvWaitExpire end that sleep: woken after the signal it walks on with
   the remaining jiffies (1..timeout) as the next fence's timeout; the
   timeout running out returns 0.  MAX_SCHEDULE_TIMEOUT never runs out
   (schedule_timeout returns it unchanged when woken): the litmus language
   maps it to a timeout whose expiry it never takes, so such a wait sleeps
   until every fence it walks to has signaled, or for ever.  No signals are
   delivered here, so the -ERESTARTSYS of an interruptible wait is not
   taken.  An empty walk returns timeout, or 1 for timeout 0. *)
ResvWaitCall(t, r, u, timeout) ==
    LET c == Walk(Restart([IdleCursor EXCEPT !.r = r, !.u = u])) IN
    /\ Idle(t)
    /\ IF c.fence = None
       THEN /\ Return(t, IF timeout = 0 THEN 1 ELSE timeout)
            /\ UNCHANGED <<enabled, cursor, waitOn, waitTimeout>>
       ELSE /\ enabled' = [enabled EXCEPT ![c.fence] = TRUE]
            /\ IF timeout = 0
               THEN /\ Return(t, 0)
                    /\ UNCHANGED <<cursor, waitOn, waitTimeout>>
               ELSE /\ cursor[t].r = None      \* model bound: the sleeper keeps its walk in cursor[t]
                    /\ cursor' = [cursor EXCEPT ![t] = c]
                    /\ waitOn' = [waitOn EXCEPT ![t] = c.fence]
                    /\ waitTimeout' = [waitTimeout EXCEPT ![t] = timeout]
                    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED <<nextCtx, life, refs, signaled, error, detached, cbq, cbState,
                   cbFence, waitIntr, modLoaded, cbAdded, cbRan,
                   errAtSignal, opsFault, warnings, hwDone>>

(* The call in a model: without "wait_sleep" in ModelCalls only the calls
   that return at once (the conformance model, whose Java world makes a
   wait one call); Litmus has every call. *)
ResvWaitTimeout(t, r, u, timeout) ==
    ResvWaitCall(t, r, u, timeout) /\ (waitOn'[t] = None \/ Calls("wait_sleep"))

(* Thread t sleeps inside dma_resv_wait_timeout (not in a dma_fence wait). *)
InResvWait(t) == waitOn[t] # None /\ cursor[t].r # None /\ ~cursor[t].locked

(* The sleeper is woken after its fence signaled: dma_fence_wait_timeout
   returns rem in 1..timeout, the walk goes on (dma_resv_iter_next_unlocked,
   NextCursor, as IterNextUnlocked) and the wait either sleeps on the next unsignaled fence with
   timeout rem or, at the end of the walk, returns rem. *)
ResvWaitWake(t) ==
    /\ Alive /\ InResvWait(t) /\ (signaled[waitOn[t]] \/ ResvMutant = "wait_early")
    /\ \E rem \in 1..waitTimeout[t] :
          LET c == NextCursor(cursor[t]) IN
          IF c.fence = None
          THEN /\ cursor' = [cursor EXCEPT ![t] = IdleCursor]
               /\ waitOn' = [waitOn EXCEPT ![t] = None]
               /\ waitTimeout' = [waitTimeout EXCEPT ![t] = 0]
               /\ Return(t, rem)
               /\ UNCHANGED enabled
          ELSE /\ cursor' = [cursor EXCEPT ![t] = c]
               /\ enabled' = [enabled EXCEPT ![c.fence] = TRUE]
               /\ waitOn' = [waitOn EXCEPT ![t] = c.fence]
               /\ waitTimeout' = [waitTimeout EXCEPT ![t] = rem]
               /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED <<nextCtx, refs, signaled, error, detached, cbq, cbState,
                   cbFence, waitIntr, modLoaded, cbAdded, cbRan,
                   errAtSignal, opsFault, warnings, hwDone>>
    /\ LifeAfter

(* schedule_timeout ran out (also possible when the fence signals in the
   same instant): dma_fence_wait_timeout returns 0, and so does the call. *)
ResvWaitExpire(t) ==
    /\ Alive /\ InResvWait(t)
    /\ cursor' = [cursor EXCEPT ![t] = IdleCursor]
    /\ waitOn' = [waitOn EXCEPT ![t] = None]
    /\ waitTimeout' = [waitTimeout EXCEPT ![t] = 0]
    /\ Return(t, 0)
    /\ UNCHANGED <<table, maxSlots, gen, nul, holder, budget, out, attached, replacedCtx, kbug>>
    /\ UNCHANGED <<nextCtx, refs, signaled, enabled, error, detached, cbq, cbState,
                   cbFence, waitIntr, modLoaded, cbAdded, cbRan,
                   errAtSignal, opsFault, warnings, hwDone>>
    /\ LifeAfter

(* dma_resv_copy_fences(dst = r, src), dst locked: the unsignaled fences of src
   (unlocked BOOKKEEP walk, each with its usage) become dst's new list,
   allocated for src's count at the walk's start; no fence: no list (NULL).
   dst's old fences are dropped.  By contract dst's earlier operations are
   forgotten (its ghost history becomes the copied entries): copy_fences is
   for objects that take over src's fences, e.g. TTM's ghost objects.  The
   new list is full (max_fences = src's count), so slots reserved on dst
   before the copy are gone: the caller's budget becomes 0 (DmaResvCopy
   found the BUG_ON a client that kept counting them would hit). *)
CopyFences(t, r, src) ==     \* r is dst
    LET es == SelectSeq(table[src], LAMBDA e : UnlockedMatch(e, BOOKKEEP))
    IN
    /\ Alive /\ Holds(t, r) /\ r # src /\ gen[r] + 1 < MaxLists /\ ~LockedWalking(t, r)
    /\ table' = [table EXCEPT ![r] = es]
    /\ maxSlots' = [maxSlots EXCEPT ![r] = IF es = <<>> THEN 0 ELSE Len(table[src])]
    \* a new list object, unless NULL replaces NULL (readers compare pointers)
    /\ gen' = [gen EXCEPT ![r] = IF nul[r] /\ es = <<>> THEN @ ELSE @ + 1]
    /\ nul' = [nul EXCEPT ![r] = es = <<>>]
    /\ attached' = [attached EXCEPT ![r] = {es[i] : i \in DOMAIN es}]
    /\ replacedCtx' = [replacedCtx EXCEPT ![r] = {}]
    /\ budget' = [budget EXCEPT ![t][r] = 0]
    /\ Return(t, 0)
    /\ UNCHANGED <<holder, cursor, out, kbug>>
    /\ FencesAfter /\ UNCHANGED warnings

-----------------------------------------------------------------------------
(* The fence actions a resv client needs: contexts, fences, the issuer's
   signal; DmaFence's actions, with the resv variables unchanged. *)
ContextAllocStep(t, n) == Alive /\ ContextAlloc(t, n) /\ UNCHANGED resvVars
FenceInitStep(t, f) == Alive /\ FenceInit(t, f) /\ UNCHANGED resvVars
SignalStep(t, f) == Alive /\ Signal(t, f) /\ UNCHANGED resvVars
(* dma_fence_put by a client (optional call "put"): DmaFence's Put, except
   that the last client reference of a fence in use (InUse: a list entry
   or an unlocked cursor holds one) leaves the fence alive with refs = 0;
   the resv step that drops the last use frees it (LifeAfter).  The usual
   pattern: a driver adds its job's fence to the resv and puts its own
   reference. *)
PutStep(t, f) ==
    /\ Alive
    /\ IF refs[f] = 1 /\ life[f] = "live" /\ InUse(f)
       THEN /\ Idle(t) /\ ~\E u \in Threads : waitOn[u] = f
            /\ refs' = [refs EXCEPT ![f] = 0]
            /\ Return(t, 0)
            /\ UNCHANGED <<nextCtx, life, signaled, enabled, error, detached, cbq, cbState,
                           cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
                           errAtSignal, opsFault, hwDone, warnings>>
       ELSE Put(t, f)
    /\ UNCHANGED resvVars

(* CallThreads(c): the threads that may make optional call c, all or none
   (model bound; keeps each disjunct of ResvNext a plain action). *)
CallThreads(c) == IF c \in ModelCalls THEN Threads ELSE {}

ResvNext ==
    \/ \E t \in Threads, n \in 1..MaxContext : ContextAllocStep(t, n)
    \/ \E t \in Threads, f \in Fences : FenceInitStep(t, f)
    \/ \E t \in Threads, f \in Fences : SignalStep(t, f)
    \/ \E t \in CallThreads("put"), f \in Fences : PutStep(t, f)
    \/ \E t \in Threads, r \in Resvs : ResvLock(t, r)
    \/ \E t \in Threads, r \in Resvs : ResvUnlock(t, r)
    \/ \E t \in Threads, r \in Resvs, n \in 1..MaxReserve : ReserveFences(t, r, n)
    \/ \E t \in Threads, r \in Resvs, f \in Fences, u \in ModelUsages : AddFence(t, r, f, u)
    \/ \E t \in Threads, r \in Resvs, u \in ModelUsages : TestSignaled(t, r, u)
    \/ \E t \in CallThreads("replace"), r \in Resvs, c \in {FenceCtx[g] : g \in Fences},
          f \in Fences, u \in ModelUsages : ReplaceFences(t, r, c, f, u)
    \/ \E t \in CallThreads("iter_unlocked"), r \in Resvs, u \in ModelUsages :
          IterFirstUnlocked(t, r, u)
    \/ \E t \in CallThreads("iter_unlocked") : IterNextUnlocked(t)
    \/ \E t \in CallThreads("iter_locked"), r \in Resvs, u \in ModelUsages : IterFirst(t, r, u)
    \/ \E t \in CallThreads("iter_locked") : IterNext(t)
    \/ \E t \in CallThreads("iter_unlocked") \cup CallThreads("iter_locked") : IterEnd(t)
    \/ \E t \in CallThreads("get_fences"), r \in Resvs, u \in ModelUsages : GetFences(t, r, u)
    \/ \E t \in CallThreads("get_singleton"), r \in Resvs, u \in ModelUsages :
          GetSingleton(t, r, u)
    \/ \E t \in CallThreads("wait"), r \in Resvs, u \in ModelUsages, timeout \in 0..1 :
          ResvWaitTimeout(t, r, u, timeout)
    \/ \E t \in CallThreads("wait_sleep") : ResvWaitWake(t) \/ ResvWaitExpire(t)
    \/ \E t \in CallThreads("copy"), r \in Resvs, src \in Resvs : CopyFences(t, r, src)

ResvSpec == ResvInit /\ [][ResvNext]_allVars

-----------------------------------------------------------------------------
(* [RESV-NO-BUG] A client that reserves before it adds never hits the BUG_ON
   in dma_resv_add_fence (re-adding a fence needs no extra slot, 95ba893c9f4f). *)
NoKernelBug == kbug = "none"

(* [RESV-KEEP] An unsignaled attached fence stays in the table, unless a
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
   true, every operation attached with usage <= U has completed, also those
   whose fences were replaced by later fences of their context.  Relies on
   same-context ordering (DmaFence's IssuerInOrder).  Contexts handed to
   dma_resv_replace_fences are exempt by that function's contract.  Stated
   on states, so it covers every call; dma_resv_wait_timeout returns > 0
   exactly when test_signaled would return true. *)
ImplicitSync ==
    \A r \in Resvs, u \in Usages :
        TestSignaledValue(r, u) =>
            \A a \in attached[r] :
                (a.u <= u /\ FenceCtx[a.f] \notin replacedCtx[r]) => signaled[a.f]

(* [RESV-UNLOCKED-READ] The unlocked reader's guarantee.  Let S be the
   walk's last (re)start.  When the walk has ended (next returned NULL),
   every entry that was in the list at S with usage <= U and an unsignaled
   fence f is accounted for: f has signaled, or the walk yielded f, or it
   yielded a later-or-same fence of f's context (which took f's entry), or
   f's context was passed to dma_resv_replace_fences after S.  May be
   missed: fences added after S (appended past the count the walk took at
   S, or written to an entry it had passed) and fences that signal during
   the walk.  Every yielded fence was unsignaled and of usage <= U when it
   was read (Walk).  The restart is what makes this hold: a new list is
   compacted, so entries move to lower indices. *)
UnlockedReaderGuarantee ==
    \A t \in Threads :
        LET c == cursor[t] IN
        (c.r # None /\ ~c.locked /\ c.fence = None) =>
            \A e \in c.must :
                \/ signaled[e.f]
                \/ \E g \in c.seen : SameCtx(g, e.f) /\ IsLaterOrSame(g, e.f)
                \/ FenceCtx[e.f] \in replacedCtx[c.r] \ c.rc

(* [RESV-WAIT] dma_resv_wait_timeout returns > 0 only when the walk it
   waited along is done: every entry of the list at its last (re)start with
   usage <= U and an unsignaled fence f has signaled, or a later-or-same
   fence of f's context that the wait waited for has signaled, or f's
   context went through dma_resv_replace_fences since.  Stated on the step
   that ends a sleeping wait (its cursor computed as ResvWaitWake does). *)
WaitAccountedFor(c) ==
    \A e \in c.must :
        \/ signaled[e.f]
        \/ \E g \in c.seen : SameCtx(g, e.f) /\ IsLaterOrSame(g, e.f) /\ signaled[g]
        \/ FenceCtx[e.f] \in replacedCtx[c.r] \ c.rc
ResvWaitReturnsWhenSignaled ==
    [][\A t \in Threads :
          (InResvWait(t) /\ waitOn'[t] = None /\ ret'[t] > 0)
              => WaitAccountedFor(NextCursor(cursor[t]))]_allVars
=============================================================================
