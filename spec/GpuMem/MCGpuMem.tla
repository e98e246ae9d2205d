------------------------------ MODULE MCGpuMem -------------------------------
(* Model values for GpuMem.  Bounds live here, never in the spec. *)
EXTENDS GpuMem, TLC

CONSTANTS cpu, gpu, cpu2, x1, x2, g1, g2, c1, c2, c3, k1, m1, b1, b2, h1, v1, v2, s1, s2, gfx, copy, comp

\* Engines, each one entity with one fence context: gfx (context 1:
\* g1 < g2), copy (context 2: c1 < c2 < c3) and, in GpuMemRW, comp (context
\* 3: k1).  32-bit seqnos, one issuer with plain ops (the scheduler's finished
\* fences).
MCFenceCtx   == [f \in Fences |-> IF f \in {c1, c2, c3} THEN 2 ELSE IF f = k1 THEN 3 ELSE 1]
MCFenceSeqno == [f \in Fences |-> IF f \in {g2, c2} THEN 2 ELSE IF f = c3 THEN 3 ELSE 1]
MCFenceIs64  == [f \in Fences |-> FALSE]
MCIssuer     == [f \in Fences |-> m1]
MCIssuerOps  == [m \in Modules |-> {}]
MCNoInts     == {}
MCNoFences   == {}
MCCallsNone  == {}
MCEngineCtx  == [e \in Engines |-> IF e = copy THEN 2 ELSE IF e = comp THEN 3 ELSE 1]
MCGfx        == {gfx}
MCGfxComp    == {gfx, comp}

\* The memory: VRAM v1 (and v2 in GpuMemDeep), SYSTEM s1, s2.  b1 starts in VRAM, b2 in
\* SYSTEM.
MCRangeDom   == [r \in Ranges |-> IF r \in {v1, v2} THEN "VRAM" ELSE "SYSTEM"]
MCInitPlace  == [b \in BOs |-> IF b = b1 THEN v1 ELSE s1]

\* The submissions: implicit-sync readers and writers, explicit (BOOKKEEP).
MCModesAll   == {"write", "read", "explicit"}
MCModesRead  == {"read"}
MCModesRW    == {"read", "write"}
\* The driver policies' submissions (GpuMem's DriverModes).
MCModesAmdgpu == {"amdgpu", "amdgpu_explicit"}
MCModesXe     == {"explicit"}

\* View: ret and out are write-only (no action reads them); no property
\* reads them.
MCView == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
            cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
            errAtSignal, warnings, opsFault, hwDone,
            table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug,
            wwState, memVars>>
=============================================================================
