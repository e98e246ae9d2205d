------------------------- MODULE MCGpuMemConformance -------------------------
(* Model values for the conformance check of hw/ (the Java GPU memory system,
   org.syncref.hw.ttm.GpuMemSystem) against GpuMem: never model-checked,
   loaded by TLC's evaluator in property-tests (org.syncref.conformance.gpumem).
   The Java system has three engines (gfx, comp: the user entities; sdma0:
   TTM's copy entity), one VRAM range and four SYSTEM ranges; each engine's
   finished fences are named by their seqno (g1 < g2 < ..., k1 < ..., c1 <
   ...), as the Java scheduler numbers them. *)
EXTENDS GpuMem, TLC

CONSTANTS cpu, gpu, cpu2, x1, x2, m1, g1, g2, g3, g4, k1, k2, k3, k4, c1, c2, c3, c4,
          b1, b2, b3, h1, h2, h3, h4, v1, s1, s2, s3, s4, gfx, comp, copy

ConfGfx  == <<g1, g2, g3, g4>>
ConfComp == <<k1, k2, k3, k4>>
ConfCopy == <<c1, c2, c3, c4>>
ConfIndex(f) == CHOOSE i \in 1..4 : f \in {ConfGfx[i], ConfComp[i], ConfCopy[i]}

\* Contexts as DriverLoad allocates them: gfx 1, copy 2, comp 3.
ConfFenceCtx   == [f \in Fences |-> IF f \in {c1, c2, c3, c4} THEN 2
                                    ELSE IF f \in {k1, k2, k3, k4} THEN 3 ELSE 1]
ConfFenceSeqno == [f \in Fences |-> ConfIndex(f)]
ConfFenceIs64  == [f \in Fences |-> FALSE]
ConfIssuer     == [f \in Fences |-> m1]
ConfIssuerOps  == [m \in Modules |-> {}]
ConfNoInts     == {}
ConfNoFences   == {}
ConfCallsNone  == {}
ConfEngineCtx  == [e \in Engines |-> IF e = copy THEN 2 ELSE IF e = comp THEN 3 ELSE 1]
ConfUser       == {gfx, comp}
ConfModes      == {"write", "read", "explicit"}
\* The other driver policies' submissions (DriverModes; MCGpuMemConformanceAmdgpu, Xe, I915).
ConfModesAmdgpu == {"amdgpu", "amdgpu_explicit"}
ConfModesXe     == {"explicit"}
ConfModesI915   == {"write", "read"}
\* b1 starts in VRAM v1, b2 in s1, b3 in s2 (the Java system's first validates).
ConfRangeDom   == [r \in Ranges |-> IF r = v1 THEN "VRAM" ELSE "SYSTEM"]
ConfInitPlace  == [b \in BOs |-> IF b = b1 THEN v1 ELSE IF b = b2 THEN s1 ELSE s2]
=============================================================================
