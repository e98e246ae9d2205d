------------------------------ MODULE MCDmaResv ------------------------------
(* Model values for DmaResv.  Bounds live here, never in the spec. *)
EXTENDS DmaResv, TLC

CONSTANTS f1, f2, f3, m1, r1

\* f1 < f2 on context 1 (32-bit seqnos 1, 2), f3 on context 2; one issuer
\* with the self-tests' mock ops.
MCFenceCtx   == [f \in Fences |-> IF f = f3 THEN 2 ELSE 1]
MCFenceSeqno == [f \in Fences |-> IF f = f2 THEN 2 ELSE 1]
MCFenceIs64  == [f \in Fences |-> FALSE]
MCIssuer     == [f \in Fences |-> m1]
MCIssuerOps  == [m \in Modules |-> {}]
MCNoInts     == {}
\* Three usages: a strong one, a middle one, and the weakest.
MCUsages     == {KERNEL, READ, BOOKKEEP}

\* View: ret is write-only (no action reads it) and every property that
\* reads ret is an action property, so it is left out of the fingerprint.
MCView == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
            cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
            errAtSignal, warnings, opsFault, resvVars>>

\* Symmetry: threads are interchangeable.
MCSymmetry == Permutations(Threads)
=============================================================================
