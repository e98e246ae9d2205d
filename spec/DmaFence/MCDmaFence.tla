------------------------------ MODULE MCDmaFence ------------------------------
(* Model values for DmaFence.  Bounds live here, never in the spec. *)
EXTENDS DmaFence, TLC

CONSTANTS f1, f2, f3, f4, f5, m1, m2

\* Two fences on context 1 (seqnos 1, 2), one on context 2; 32-bit seqnos.
MCFenceCtx   == [f \in Fences |-> IF f = f3 THEN 2 ELSE 1]
MCFenceSeqno == [f \in Fences |-> IF f = f2 THEN 2 ELSE 1]
MCFenceIs64  == [f \in Fences |-> FALSE]
\* Every fence is issued by m1, whose ops are the self-test mock's: names only.
MCIssuer     == [f \in Fences |-> m1]
MCIssuerOps  == [m \in Modules |-> {}]
\* Module-lifetime model: f1 by m1 (no release/wait: detaches on signal),
\* f2 by m2 which implements release (must stay loaded until f2 is freed).
\* Each module's fence on its own context.
MCFenceCtx2  == [f \in Fences |-> IF f = f2 THEN 2 ELSE 1]
MCIssuer2    == [f \in Fences |-> IF f = f2 THEN m2 ELSE m1]
MCIssuerOps2 == [m \in Modules |-> IF m = m2 THEN {"release"} ELSE {"enable_signaling"}]
\* Peek model: m1's ops implement signaled and an enable_signaling that
\* returns false once the hardware has passed the fence (HwComplete).
MCIssuerOpsPeek == [m \in Modules |-> {"signaled", "enable_signaling"}]
\* Wrap-around model: seqnos 7 and 1 modulo 8, 1 is later than 7.
\* -EIO: cfg files cannot spell negative numbers.
MCErrorArgs == {-EIO}
MCSeqnoWrap  == [f \in Fences |-> IF f = f2 THEN 1 ELSE 7]

\* Symmetry: threads are interchangeable; callbacks too (each is added at
\* most once and only its identity differs).  Fences are not: their
\* contexts and seqnos differ.
MCSymmetry == Permutations(Threads) \cup Permutations(Callbacks)

\* Conformance model (MCDmaFenceConformance.cfg): two engines of the hardware
\* model, each with its own context allocated in order (1 and 2); engine 1
\* (driver m1, ops with signaled) issues f1, f2, f3 from a u32 counter that
\* starts at 0xfffffffe and wraps (0xfffffffe, 0xffffffff, 0: modulo 8,
\* 6, 7, 0); engine 2 (driver m2, ops with release and enable_signaling)
\* issues f4 with seqno 1.  f5 (m1) is a software fence on context 3 that a
\* caller allocates, initialises, signals and puts (init64).
CFenceCtx    == [f \in Fences |-> CASE f = f4 -> 2 [] f = f5 -> 3 [] OTHER -> 1]
CFenceSeqno  == [f \in Fences |-> CASE f = f1 -> 6 [] f = f2 -> 7 [] f = f3 -> 0
                                     [] f = f4 -> 1 [] f = f5 -> 1]
CFenceIs64   == [f \in Fences |-> f \in {f4, f5}]
CIssuer      == [f \in Fences |-> IF f = f4 THEN m2 ELSE m1]
CIssuerOps   == [m \in Modules |-> IF m = m2 THEN {"release", "enable_signaling"}
                                  ELSE {"signaled"}]
\* -EIO, -ETIME, -ECANCELED, and 1 (an invalid error: WARN) 
CErrorArgs   == {-EIO, -62, -125, 1}
CTimeouts    == {0, 1, 2}

\* View for model checking: ret is write-only (no action reads it), so two
\* states that differ only in ret have the same successors, up to ret.  Every
\* invariant that reads ret is an action property evaluated on the generated
\* transitions, so leaving ret out of the fingerprint is sound.
MCView == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
            cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
            errAtSignal, warnings, opsFault, hwDone>>
=============================================================================
