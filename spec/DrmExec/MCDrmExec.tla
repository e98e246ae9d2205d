------------------------------ MODULE MCDrmExec ------------------------------
(* Model values for DrmExec.  Bounds live here, never in the spec. *)
EXTENDS DrmExec, TLC

CONSTANTS t1, t2, t3, o1, o2, o3, x1, x2, x3, K

\* Three clients over three objects, in different orders:
\* t1 drm_exec o1 o2 o3; t2 drm_exec with DRM_EXEC_IGNORE_DUPLICATES o3 o1 o3 (a
\* duplicate); t3 the i915 client o2 o1 (its loop re-locks the backed-off object: -EALREADY).
MCWant3 == [t \in Threads |-> CASE t = t1 -> <<o1, o2, o3>>
                              [] t = t2 -> <<o3, o1, o3>>
                              [] t = t3 -> <<o2, o1>>]
MCClient3 == [t \in Threads |-> IF t = t3 THEN "i915" ELSE "drm_exec"]
\* The Wound-Wait user of the same loop: three drm_modeset_lock clients (crtc_ww_class);
\* t2's duplicate is -EALREADY, which modeset_lock treats as 0.
MCClientModeset == [t \in Threads |-> "drm_modeset"]
MCIgnoreDup == [t \in Threads |-> t = t2]
\* Without IGNORE_DUPLICATES the duplicate makes drm_exec_prepare_obj fail.
MCNoIgnoreDup == [t \in Threads |-> FALSE]
MCCtxOf == [t \in Threads |-> CASE t = t1 -> x1 [] t = t2 -> x2 [] t = t3 -> x3]
MCLockClass == [l \in WwLocks |-> K]
MCWaitDie == [k \in Classes |-> "wait-die"]
MCWoundWait == [k \in Classes |-> "wound-wait"]
=============================================================================
