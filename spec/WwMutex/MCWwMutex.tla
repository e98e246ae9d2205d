------------------------------ MODULE MCWwMutex ------------------------------
(* Model values for WwMutex.  Bounds live here, never in the spec. *)
EXTENDS WwMutex, TLC

CONSTANTS t1, t2, t3, t4, l1, l2, l3, l4

\* Every thread's transaction wants every lock (taken in any order).
MCWantAll == [t \in Threads |-> Locks]
\* t1 wants l1 only, the others want every lock.
MCWantOne == [t \in Threads |-> IF t = t1 THEN {l1} ELSE Locks]

\* Symmetry (safety models only: unsound for liveness): threads and locks are
\* interchangeable when every thread wants every lock.
MCSymmetry == Permutations(Threads) \cup Permutations(Locks)
=============================================================================
