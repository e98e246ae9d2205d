------------------------------ MODULE Counter ------------------------------
(* A tiny spec for testing the syncref TLC runner: a bounded counter that    *)
(* processes move up and down, remembering the value each one left.          *)
EXTENDS Naturals
CONSTANTS Procs, Max
VARIABLES x, by
vars == <<x, by>>

Init == x = 0 /\ by = [p \in Procs |-> 0]
Inc(p, k) == /\ x + k <= Max
             /\ x' = x + k
             /\ by' = [by EXCEPT ![p] = x + k]
Dec(p) == /\ x > 0
          /\ x' = x - 1
          /\ by' = [by EXCEPT ![p] = x - 1]
Next == \/ \E p \in Procs, k \in {1, 2} : Inc(p, k)
        \/ \E p \in Procs : Dec(p)
Spec == Init /\ [][Next]_vars

TypeOK == x \in 0..Max /\ by \in [Procs -> 0..Max]
Small == x < 3
Mono == [][x' >= x]_x
=============================================================================
