----------------------------- MODULE MCGpuMemTlb ------------------------------
(* Model values for GpuMemTlb.  Bounds live here, never in the spec. *)
EXTENDS GpuMemTlb, TLC

CONSTANTS cpu, gpu, vmw, cpu2, x1, x2, c1, c2, c3, u1, u2, p1, p2, t1, t2, st, m1,
          b1, b2, h1, v1, s1, s2, copy, pte, lrq, tlbq, stubq, gfx, g1

\* Engines, each one fence context: copy (1: c1 < c2 < c3), pte (2: u1 < u2), the
\* long-running queue lrq (3: its preemption fences p1 < p2), the VM's TLB fence
\* context tlbq (4: t1 < t2, amdgpu's vm->tlb_fence_context with tlb_seq as the
\* seqno, 64-bit: amdgpu_tlb_fence_ops.use_64bit_seqno in 6.12, dma_fence_init64
\* in mainline) and a fifth context (5): gfx's g1 in the deep model; the stub
\* st (unused here) would share it.  One issuer with plain ops.
MCFenceCtx   == [f \in Fences |-> CASE f \in {c1, c2, c3} -> 1 [] f \in {u1, u2} -> 2
                                    [] f \in {p1, p2} -> 3 [] f \in {t1, t2} -> 4 [] OTHER -> 5]
MCFenceSeqno == [f \in Fences |-> IF f \in {c2, u2, p2, t2} THEN 2 ELSE IF f = c3 THEN 3 ELSE 1]
MCFenceIs64  == [f \in Fences |-> f \in {t1, t2}]
MCIssuer     == [f \in Fences |-> m1]
MCIssuerOps  == [m \in Modules |-> {}]
MCNoInts     == {}
MCNoFences   == {}
MCCallsNone  == {}
MCEngineCtx  == [e \in Engines |-> CASE e = copy -> 1 [] e = pte -> 2 [] e = lrq -> 3
                                     [] e = tlbq -> 4 [] OTHER -> 5]
MCNoEngines  == {}
MCGfx        == {gfx}

\* The memory: VRAM v1, SYSTEM s1, s2.  b1 (the VM's BO) starts in v1, b2 in s1.
MCRangeDom   == [r \in Ranges |-> IF r = v1 THEN "VRAM" ELSE "SYSTEM"]
MCInitPlace  == [b \in BOs |-> IF b = b1 THEN v1 ELSE s1]

MCModesNone  == {}
MCModesRead  == {"read"}
MCRebind     == {"rebind"}
MCUnmap      == {"unmap"}
MCBoth       == {"rebind", "unmap"}

\* View: ret and out are write-only, as in MCGpuMem.
MCTlbView == <<nextCtx, life, refs, signaled, enabled, error, detached, cbq, cbState,
               cbFence, waitOn, waitTimeout, waitIntr, modLoaded, cbAdded, cbRan,
               errAtSignal, warnings, opsFault, hwDone,
               table, maxSlots, gen, nul, holder, budget, cursor, attached, replacedCtx, kbug,
               wwState, memVars, vmVars, tlbVars>>
=============================================================================
