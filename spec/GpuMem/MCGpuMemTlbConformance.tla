------------------------ MODULE MCGpuMemTlbConformance -----------------------
(* Model values for the conformance check of hw/'s VM with its TLB
   (org.syncref.hw.vm.GpuVmSystem) against GpuMemTlb: never model-checked,
   loaded by TLC's evaluator in property-tests (org.syncref.conformance.
   gpumem.tlb).  As MCGpuMemVmConformance, with the VM's TLB fence context
   (t1 < t2 < t3).  ConfNext is GpuMemTlb's TlbNext with TlbGpuStep split
   into one Mem... operator per GpuMem action and TlbVmStep into one T...
   operator per GpuMemVm step: TLC's evaluator names each disjunct of the
   next-state relation by the operator it comes from. *)
EXTENDS GpuMemTlb, TLC

CONSTANTS cpu, gpu, vmw, cpu2, x1, x2, m1, g1, g2, g3, k1, k2, k3, c1, c2, c3, c4,
          u1, u2, u3, p1, p2, p3, t1, t2, t3, st,
          b1, b2, b3, h1, h2, h3, h4, v1, s1, s2, s3, s4, gfx, comp, copy, pte, lrq, tlbq

\* Contexts: gfx 1, copy 2, comp 3, pte 4, lrq 5, tlbq 6.
ConfFenceCtx   == [f \in Fences |-> CASE f \in {c1, c2, c3, c4} -> 2 [] f \in {k1, k2, k3} -> 3
                                    [] f \in {u1, u2, u3} -> 4 [] f \in {p1, p2, p3} -> 5 [] f \in {t1, t2, t3} -> 6
                                    [] OTHER -> 1]
ConfFenceSeqno == [f \in Fences |-> CASE f \in {g1, k1, c1, u1, p1, t1} -> 1
                                    [] f \in {g2, k2, c2, u2, p2, t2} -> 2
                                    [] f \in {g3, k3, c3, u3, p3, t3} -> 3 [] OTHER -> 4]
ConfFenceIs64  == [f \in Fences |-> FALSE]
ConfIssuer     == [f \in Fences |-> m1]
ConfIssuerOps  == [m \in Modules |-> {}]
ConfNoInts     == {}
ConfNoFences   == {}
ConfCallsNone  == {}
ConfEngineCtx  == [e \in Engines |-> CASE e = copy -> 2 [] e = comp -> 3 [] e = pte -> 4
                                      [] e = lrq -> 5 [] e = tlbq -> 6 [] OTHER -> 1]
ConfUser       == {gfx, comp}
ConfModes      == {"write", "read", "explicit"}
ConfBoth       == {"rebind", "unmap"}
\* b1 (the VM's BO) starts in VRAM v1, b2 in s1, b3 in s2.
ConfRangeDom   == [r \in Ranges |-> IF r = v1 THEN "VRAM" ELSE "SYSTEM"]
ConfInitPlace  == [b \in BOs |-> IF b = b1 THEN v1 ELSE IF b = b2 THEN s1 ELSE s2]

\* GpuMem's actions, each leaving the VM and the TLB alone (GpuMemTlb's TlbGpuStep, split).
MemDriverLoad == DriverLoad /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemSubmitBegin(e, o, m) == SubmitBegin(e, o, m) /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemSubmitReserve == SubmitReserve /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemSubmitArm == SubmitArm /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemSubmitAdd == SubmitAdd /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemSubmitUnlock == SubmitUnlock /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemEvictBegin(b) == EvictBegin(b) /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemEvictReserve == EvictReserve /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemEvictArm == EvictArm /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemEvictAdd == EvictAdd /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemEvictUnlock == EvictUnlock /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInBegin(o) == MoveInBegin(o) /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInAlloc == MoveInAlloc /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInAddMoveFence == MoveInAddMoveFence /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInReserve == MoveInReserve /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInArm == MoveInArm /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInAdd == MoveInAdd /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInGhost == MoveInGhost /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInGhostReserve == MoveInGhostReserve /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInGhostAdd == MoveInGhostAdd /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInGhostUnlock == MoveInGhostUnlock /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemMoveInUnlock == MoveInUnlock /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemGhostFree(g, r) == GhostFree(g, r) /\ UNCHANGED vmVars /\ UNCHANGED tlbVars
MemRunJob(f) == f \notin PtFences \cup TlbFences /\ RunJob(f) /\ UNCHANGED vmVars /\ UNCHANGED tlbVars

\* GpuMemVm's steps that need no TLB condition (GpuMemTlb's TlbVmStep, split).
TRunPtJob(f) == RunPtJob(f) /\ UNCHANGED tlbVars
TLrStartBegin == LrStartBegin /\ UNCHANGED tlbVars
TLrStartReserve == LrStartReserve /\ UNCHANGED tlbVars
TLrStartArm == LrStartArm /\ UNCHANGED tlbVars
TLrStartAdd == LrStartAdd /\ UNCHANGED tlbVars
TLrStartUnlock == LrStartUnlock /\ UNCHANGED tlbVars
TLrPreempt == LrPreempt /\ UNCHANGED tlbVars
TRebindBegin == RebindBegin /\ UNCHANGED tlbVars
TRebindReserve == RebindReserve /\ UNCHANGED tlbVars
TRebindArm == RebindArm /\ UNCHANGED tlbVars
TRebindAdd == RebindAdd /\ UNCHANGED tlbVars
TRebindReserve2 == RebindReserve2 /\ UNCHANGED tlbVars
TRebindArmFence == RebindArmFence /\ UNCHANGED tlbVars
TRebindResume == RebindResume /\ UNCHANGED tlbVars
TUnmapBegin == UnmapBegin /\ UNCHANGED tlbVars
TUnmapArm == UnmapArm /\ UNCHANGED tlbVars
TUnmapStubInit == UnmapStubInit /\ UNCHANGED tlbVars
TUnmapStubSignal == UnmapStubSignal /\ UNCHANGED tlbVars
TUnmapReplace == UnmapReplace /\ UNCHANGED tlbVars

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
    \/ \E f \in PtFences : TRunPtJob(f)
    \/ TLrStartBegin \/ TLrStartReserve \/ TLrStartArm \/ TLrStartAdd \/ TLrStartUnlock
    \/ TLrPreempt
    \/ TRebindBegin \/ TRebindReserve \/ TRebindArm \/ TRebindAdd
    \/ TRebindReserve2 \/ TRebindArmFence \/ TRebindResume
    \/ TUnmapBegin \/ TUnmapArm \/ TUnmapStubInit \/ TUnmapStubSignal \/ TUnmapReplace
    \/ \E t \in TlbFences : RunTlbFlush(t)
    \/ TlbReserve \/ TlbArm \/ TlbAdd
    \/ TlbRebindWait \/ TlbRebindUnlock \/ TlbUnmapUnlock
    \/ TlbAccess
=============================================================================
