----------------------- MODULE MCWwMutexConformance -----------------------
(* The conformance model of WwMutex: three threads, three locks, every     *)
(* thread wants every lock.  Never model-checked exhaustively; TLC's       *)
(* evaluator checks Java traces against it and walks it (property-tests,   *)
(* executions ww-wait-die-conformance and ww-wound-wait-conformance).      *)
(* ConfNext is Next without the stuttering of Terminated and with one      *)
(* disjunct per action, so that every step is named by its action (the     *)
(* configs set UseTrylock = TRUE, as the ASSUME below requires).           *)
EXTENDS WwMutex, TLC

ASSUME UseTrylock

CONSTANTS t1, t2, t3, l1, l2, l3

MCWantAll == [t \in Threads |-> Locks]

ConfNext ==
    \E t \in Threads :
        \/ AcquireInit(t)
        \/ AcquireDone(t)
        \/ AcquireFini(t)
        \/ LockSlow(t)
        \/ WaitAcquire(t)
        \/ WaitSteal(t)
        \/ WaitHandoff(t)
        \/ WaitDie(t)
        \/ \E l \in Locks : Lock(t, l)
        \/ \E l \in Locks : BackoffUnlock(t, l)
        \/ \E l \in Locks : Unlock(t, l)
        \/ \E l \in Locks : Trylock(t, l)
        \/ \E l \in Locks : LockHeld(t, l)
=============================================================================
