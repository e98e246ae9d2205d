------------------------------ MODULE MCDmaResv ------------------------------
(* Model values for DmaResv.  Bounds live here, never in the spec. *)
EXTENDS DmaResv, TLC

CONSTANTS f1, f2, f3, m1, r1, r2

\* f1 < f2 on context 1 (32-bit seqnos 1, 2), f3 on context 2; one issuer
\* with the self-tests' mock ops.
MCFenceCtx   == [f \in Fences |-> IF f = f3 THEN 2 ELSE 1]
MCFenceSeqno == [f \in Fences |-> IF f = f2 THEN 2 ELSE 1]
MCFenceIs64  == [f \in Fences |-> FALSE]
MCIssuer     == [f \in Fences |-> m1]
MCIssuerOps  == [m \in Modules |-> {}]
MCNoInts     == {}
MCNoFences   == {}
\* Three usages: a strong one, a middle one, and the weakest.
MCUsages     == {KERNEL, READ, BOOKKEEP}
\* Two usages: the strongest and the weakest.
MCUsages2    == {KERNEL, BOOKKEEP}
MCUsagesBookkeep == {BOOKKEEP}
\* f3 stands for a container (a dma_fence_array's ops).
MCContainers == {f3}

\* The optional calls each model enables (ResvCalls).
MCCallsNone     == {}
MCCallsReplace  == {"replace"}
MCCallsReaders  == {"iter_unlocked"}
MCCallsQueries  == {"iter_locked", "get_fences", "get_singleton", "wait", "wait_sleep"}
MCCallsCopy     == {"copy", "iter_unlocked"}
MCCallsPut      == {"iter_unlocked", "put"}
MCCallsWait     == {"wait", "wait_sleep"}

\* View: ret and out are write-only (no action reads them) and every property
\* that reads them is an action property, so they are left out of the
\* fingerprint.
MCView == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
            cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
            errAtSignal, warnings, opsFault, hwDone,
            table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug>>

\* State constraint: tables of at most two entries (enough for a reader at
\* one entry and a freed fence ahead of it).
MCShortTables == \A r \in Resvs : Len(table[r]) <= 2

\* Symmetry: threads are interchangeable.
MCSymmetry == Permutations(Threads)
=============================================================================
