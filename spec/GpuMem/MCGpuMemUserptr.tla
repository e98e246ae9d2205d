--------------------------- MODULE MCGpuMemUserptr ---------------------------
(* Model values for GpuMemUserptr.  Bounds live here, never in the spec. *)
EXTENDS GpuMemUserptr, TLC

CONSTANTS cpu, gpu, mm, ex, cpu2, x1, x2, g1, g2, g3, m1, b1, u1, gfx

\* One engine, gfx (context 1: the exec's jobs g1 < g2, and g3 in the deep model), one
\* issuer with plain ops (the scheduler's finished fences), 32-bit seqnos.
MCFenceCtx   == [f \in Fences |-> 1]
MCFenceSeqno == [f \in Fences |-> IF f = g2 THEN 2 ELSE IF f = g3 THEN 3 ELSE 1]
MCFenceIs64  == [f \in Fences |-> FALSE]
MCIssuer     == [f \in Fences |-> m1]
MCIssuerOps  == [m \in Modules |-> {}]
MCNoInts     == {}
MCNoFences   == {}
MCCallsNone  == {}
MCEngineCtx  == [e \in Engines |-> 1]
MCNoEngines  == {}
MCModesNone  == {}

\* The memory: u1, the pages backing the userptr (SYSTEM), b1's placement.
\* No VRAM: TTM neither evicts nor moves; GpuMem's own submissions are off
\* (no user engines or modes): every job is the exec's.
MCRangeDom   == [r \in Ranges |-> "SYSTEM"]
MCInitPlace  == [b \in BOs |-> u1]

\* View: ret and out are write-only (no action reads them), as in MCGpuMem.
MCUpView == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
              cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
              errAtSignal, warnings, opsFault, hwDone,
              table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug,
              wwState, memVars, upVars>>
=============================================================================
