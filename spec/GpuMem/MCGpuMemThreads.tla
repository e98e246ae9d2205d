--------------------------- MODULE MCGpuMemThreads ----------------------------
(* Model values for GpuMemThreads.  Bounds live here, never in the spec. *)
EXTENDS GpuMemThreads, TLC

CONSTANTS cpu, gpu, cpu2, usr, x1, x2, g1, k1, c1, u1, m1, b1, b2, v1, s1, s2,
          gfx, copy, comp, uq

\* Engines, each one entity with one fence context: gfx (context 1: g1), copy
\* (2: c1), comp (3: k1) and the userspace queue uq (4: u1, the fence only
\* userspace signals).  32-bit seqnos, one issuer with plain ops.
MCFenceCtx   == [f \in Fences |-> CASE f = c1 -> 2 [] f = k1 -> 3 [] f = u1 -> 4 [] OTHER -> 1]
MCFenceSeqno == [f \in Fences |-> 1]
MCFenceIs64  == [f \in Fences |-> FALSE]
MCIssuer     == [f \in Fences |-> m1]
MCIssuerOps  == [m \in Modules |-> {}]
MCNoInts     == {}
MCNoFences   == {}
\* dma_resv_wait_timeout sleeps (ttm_bo_vm_fault_idle's wait).
MCCallsWait  == {"wait_sleep"}
MCEngineCtx  == [e \in Engines |-> CASE e = copy -> 2 [] e = comp -> 3 [] e = uq -> 4 [] OTHER -> 1]
MCUserEngines == {gfx, comp}
MCComp       == {comp}

\* The memory: VRAM v1 (full: b1), SYSTEM s1 (b2) and s2 (free).
MCRangeDom   == [r \in Ranges |-> IF r = v1 THEN "VRAM" ELSE "SYSTEM"]
MCInitPlace  == [b \in BOs |-> IF b = b1 THEN v1 ELSE s1]
MCModesRead  == {"read"}

\* The submissions.  cpu2 (the rival's ticket x2) locks b1 then b2 and reads
\* them on gfx; cpu (ticket x1) locks b2, its validation evicts b1, and it
\* writes b2 on comp.  In the user models cpu2 submits nothing.
MCWant       == [t \in Submitters |-> IF t = cpu2 THEN <<b1, b2>> ELSE <<b2>>]
MCJobEngine  == [t \in Submitters |-> IF t = cpu2 THEN gfx ELSE comp]
MCSubmitMode == [t \in Submitters |-> IF t = cpu2 THEN "read" ELSE "write"]

\* View: ret and out are write-only (no action reads them), as in MCGpuMem.
MCThreadsView == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
                   cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
                   errAtSignal, warnings, opsFault, hwDone,
                   table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug,
                   wwState, memVars, exVars, thrVars>>
=============================================================================
