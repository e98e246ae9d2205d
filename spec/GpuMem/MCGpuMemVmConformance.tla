------------------------ MODULE MCGpuMemVmConformance ------------------------
(* Model values for the conformance check of hw/'s VM (org.syncref.hw.vm.
   GpuVmSystem without its TLB) against GpuMemVm: never model-checked, loaded
   by TLC's evaluator in property-tests (org.syncref.conformance.gpumem.vm).
   The Java system has the gfx and comp user entities, TTM's copy entity and
   the VM's page-table entity (both on sdma0, each its own fence context),
   and the long-running context's preemption fences; one VRAM range and four
   SYSTEM ranges.  Fences are named by engine and seqno (g1 < g2 < g3, k..,
   c1 < .. < c4, u1 < u2 < u3, p1 < p2 < p3), as the Java numbers them.

   ConfNext is GpuMemVm's VmNext with GpuStep split into one operator per
   GpuMem action (Mem...): TLC's evaluator names each disjunct of the next
   state relation by the operator it comes from, and GpuStep's conjunction
   would hide its actions.  The split leaves out GpuNext's SubmitDagReplace
   (DAG mutant only) and the contention actions (Contention = FALSE). *)
EXTENDS GpuMemVm, TLC

CONSTANTS cpu, gpu, vmw, cpu2, x1, x2, m1, g1, g2, g3, k1, k2, k3, c1, c2, c3, c4,
          u1, u2, u3, p1, p2, p3, st,
          b1, b2, b3, h1, h2, h3, h4, v1, s1, s2, s3, s4, gfx, comp, copy, pte, lrq

\* Contexts: gfx 1, copy 2, comp 3, pte 4, lrq 5.
ConfFenceCtx   == [f \in Fences |-> CASE f \in {c1, c2, c3, c4} -> 2 [] f \in {k1, k2, k3} -> 3
                                    [] f \in {u1, u2, u3} -> 4 [] f \in {p1, p2, p3} -> 5 [] OTHER -> 1]
ConfFenceSeqno == [f \in Fences |-> CASE f \in {g1, k1, c1, u1, p1} -> 1
                                    [] f \in {g2, k2, c2, u2, p2} -> 2
                                    [] f \in {g3, k3, c3, u3, p3} -> 3 [] OTHER -> 4]
ConfFenceIs64  == [f \in Fences |-> FALSE]
ConfIssuer     == [f \in Fences |-> m1]
ConfIssuerOps  == [m \in Modules |-> {}]
ConfNoInts     == {}
ConfNoFences   == {}
ConfCallsNone  == {}
ConfEngineCtx  == [e \in Engines |-> CASE e = copy -> 2 [] e = comp -> 3 [] e = pte -> 4
                                      [] e = lrq -> 5 [] OTHER -> 1]
ConfUser       == {gfx, comp}
ConfModes      == {"write", "read", "explicit"}
ConfBoth       == {"rebind", "unmap"}
\* b1 (the VM's BO) starts in VRAM v1, b2 in s1, b3 in s2.
ConfRangeDom   == [r \in Ranges |-> IF r = v1 THEN "VRAM" ELSE "SYSTEM"]
ConfInitPlace  == [b \in BOs |-> IF b = b1 THEN v1 ELSE IF b = b2 THEN s1 ELSE s2]

\* GpuMem's actions, each leaving the VM alone (GpuMemVm's GpuStep, split).
MemDriverLoad == DriverLoad /\ UNCHANGED vmVars
MemSubmitBegin(e, o, m) == SubmitBegin(e, o, m) /\ UNCHANGED vmVars
MemSubmitReserve == SubmitReserve /\ UNCHANGED vmVars
MemSubmitArm == SubmitArm /\ UNCHANGED vmVars
MemSubmitAdd == SubmitAdd /\ UNCHANGED vmVars
MemSubmitUnlock == SubmitUnlock /\ UNCHANGED vmVars
MemEvictBegin(b) == EvictBegin(b) /\ UNCHANGED vmVars
MemEvictReserve == EvictReserve /\ UNCHANGED vmVars
MemEvictArm == EvictArm /\ UNCHANGED vmVars
MemEvictAdd == EvictAdd /\ UNCHANGED vmVars
MemEvictUnlock == EvictUnlock /\ UNCHANGED vmVars
MemMoveInBegin(o) == MoveInBegin(o) /\ UNCHANGED vmVars
MemMoveInAlloc == MoveInAlloc /\ UNCHANGED vmVars
MemMoveInAddMoveFence == MoveInAddMoveFence /\ UNCHANGED vmVars
MemMoveInReserve == MoveInReserve /\ UNCHANGED vmVars
MemMoveInArm == MoveInArm /\ UNCHANGED vmVars
MemMoveInAdd == MoveInAdd /\ UNCHANGED vmVars
MemMoveInGhost == MoveInGhost /\ UNCHANGED vmVars
MemMoveInGhostReserve == MoveInGhostReserve /\ UNCHANGED vmVars
MemMoveInGhostAdd == MoveInGhostAdd /\ UNCHANGED vmVars
MemMoveInGhostUnlock == MoveInGhostUnlock /\ UNCHANGED vmVars
MemMoveInUnlock == MoveInUnlock /\ UNCHANGED vmVars
MemGhostFree(g, r) == GhostFree(g, r) /\ UNCHANGED vmVars
MemRunJob(f) == f \notin PtFences /\ RunJob(f) /\ UNCHANGED vmVars

ConfNext ==
    \/ MemDriverLoad
    \/ \E e \in UserEngines, o \in BOs, m \in UserModes : MemSubmitBegin(e, o, m)
    \/ MemSubmitReserve \/ MemSubmitArm \/ MemSubmitAdd \/ MemSubmitUnlock
    \/ \E b \in BOs : MemEvictBegin(b)
    \/ MemEvictReserve \/ MemEvictArm \/ MemEvictAdd \/ MemEvictUnlock
    \/ \E o \in BOs : MemMoveInBegin(o)
    \/ MemMoveInAlloc \/ MemMoveInAddMoveFence \/ MemMoveInReserve \/ MemMoveInArm \/ MemMoveInAdd
    \/ MemMoveInGhost \/ MemMoveInGhostReserve \/ MemMoveInGhostAdd \/ MemMoveInGhostUnlock
    \/ MemMoveInUnlock
    \/ \E g \in Ghosts, r \in Ranges : MemGhostFree(g, r)
    \/ \E f \in Fences : MemRunJob(f)
    \/ \E f \in PtFences : RunPtJob(f)
    \/ LrStartBegin \/ LrStartReserve \/ LrStartArm \/ LrStartAdd \/ LrStartUnlock
    \/ LrAccess \/ LrPreempt
    \/ RebindBegin \/ RebindReserve \/ RebindArm \/ RebindAdd \/ RebindWait
    \/ RebindReserve2 \/ RebindArmFence \/ RebindResume \/ RebindUnlock
    \/ UnmapBegin \/ UnmapArm \/ UnmapStubInit \/ UnmapStubSignal \/ UnmapReplace \/ UnmapUnlock
=============================================================================
