----------------------- MODULE MCDrmExecConformance -----------------------
(* The conformance model of DrmExec: five clients over three GEM objects   *)
(* whose dma_resv locks are of reservation_ww_class (Wait-Die).  Never     *)
(* model-checked exhaustively; TLC's evaluator checks traces of the Java   *)
(* DrmExec / I915GemWwCtx against it and walks it (property-tests,         *)
(* execution drm-exec-conformance).  A generated program runs a subset of  *)
(* the clients; the others stay at "init".  ConfNext is Next without the   *)
(* stuttering of Terminated, so that every step is named by its action.   *)
EXTENDS DrmExec, TLC

CONSTANTS t1, t2, t3, t4, t5, o1, o2, o3, x1, x2, x3, x4, x5, K

\* t1 drm_exec o1 o2 o3; t2 drm_exec with DRM_EXEC_IGNORE_DUPLICATES o3 o1 o3;
\* t3 i915 o3 o2 o1; t4 drm_exec without the flag o2 o3 o2 (the duplicate is
\* -EALREADY: the client gives up); t5 i915 o2 o1 o2 (the duplicate is 0).
ConfWant == [t \in Threads |-> CASE t = t1 -> <<o1, o2, o3>>
                                 [] t = t2 -> <<o3, o1, o3>>
                                 [] t = t3 -> <<o3, o2, o1>>
                                 [] t = t4 -> <<o2, o3, o2>>
                                 [] t = t5 -> <<o2, o1, o2>>]
ConfClient == [t \in Threads |-> IF t \in {t3, t5} THEN "i915" ELSE "drm_exec"]
ConfIgnoreDup == [t \in Threads |-> t = t2]
ConfCtxOf == [t \in Threads |-> CASE t = t1 -> x1 [] t = t2 -> x2 [] t = t3 -> x3
                                  [] t = t4 -> x4 [] t = t5 -> x5]
ConfLockClass == [l \in WwLocks |-> K]
ConfWaitDie == [k \in Classes |-> "wait-die"]

ConfNext == \E t \in Threads : ThreadNext(t)
=============================================================================
