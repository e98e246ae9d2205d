--------------------------- MODULE MCGpuMemRelease ----------------------------
(* Model values for GpuMemRelease.  Bounds live here, never in the spec. *)
EXTENDS GpuMemRelease, TLC

CONSTANTS cpu, gpu, cpu2, x1, x2, g1, g2, g3, k1, m1, pd, b1, b2, b3, b4, v1, v2, s1, gfx, comp

\* Engines, each one entity with one fence context: gfx (context 1: g1 < g2
\* < g3) and, in the deep model, comp (context 2: k1).  32-bit seqnos, one
\* issuer with plain ops (the scheduler's finished fences).
MCFenceCtx   == [f \in Fences |-> IF f = k1 THEN 2 ELSE 1]
MCFenceSeqno == [f \in Fences |-> IF f = g2 THEN 2 ELSE IF f = g3 THEN 3 ELSE 1]
MCFenceIs64  == [f \in Fences |-> FALSE]
MCIssuer     == [f \in Fences |-> m1]
MCIssuerOps  == [m \in Modules |-> {}]
MCNoInts     == {}
MCNoFences   == {}
MCCallsCopy  == {"copy"}
MCEngineCtx  == [e \in Engines |-> IF e = comp THEN 2 ELSE 1]
MCGfx        == {gfx}
MCGfxComp    == {gfx, comp}

\* The memory: pd is the VM's root page directory (amdgpu) or drm_gpuvm's
\* r_obj (xe): its _resv is the VM's resv; its own memory is not modelled.
\* b1 (VRAM v1) and, in the deep model, b4 (VRAM v2) are private to the VM and
\* share pd's resv; b2 (SYSTEM s1) has its own.  b3 is created during the
\* behaviour (its own resv) and takes a range a release freed.
MCRangeDom   == [r \in Ranges |-> IF r \in {v1, v2} THEN "VRAM" ELSE "SYSTEM"]
MCInitPlace  == [b \in BOs |-> CASE b = b1 -> v1 [] b = b2 -> s1 [] b = b4 -> v2 [] OTHER -> None]
MCInitResv   == [b \in BOs |-> IF b \in {b1, b4} THEN pd ELSE b]
MCReleasable == {b1, b2}
MCReleaseB1  == {b1}
MCReleaseAll == {b1, b2, b4}
MCNewBOs     == {b3}
MCNoBOs      == {}

\* The submissions: implicit-sync readers and writers, explicit (BOOKKEEP).
MCModesAll   == {"write", "read", "explicit"}

\* View: ret and out are write-only (no action reads them); no property
\* reads them.
MCRelView == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
               cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
               errAtSignal, warnings, opsFault, hwDone,
               table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug,
               wwState, memVars, relVars>>
=============================================================================
