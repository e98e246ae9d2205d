------------------------- MODULE MCDmaResvConformance -------------------------
(* The conformance model of DmaResv: the fences, threads, callbacks and
   modules of DmaFence's conformance model (MCDmaFence's C* definitions, so
   the Java conformance world of DmaFence is reused), two resvs, and every
   dma_resv call.  Never model-checked exhaustively; TLC's evaluator checks
   Java traces against it and walks it (property-tests, resv execution). *)
EXTENDS DmaResv, MCDmaFence

CONSTANTS r1, r2

CNoFences == {}
CAllUsages == Usages
\* A resv wait that sleeps (ResvWaitWake / ResvWaitExpire) is left out: the Java
\* world makes a dma_resv_wait_timeout one call; sleeping resv waits are compared
\* with Java through litmus files (ImplRunner wakes and expires them).
CAllCalls == ResvCalls \ {"wait_sleep"}
=============================================================================
