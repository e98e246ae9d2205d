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
CAllCalls == ResvCalls
=============================================================================
