------------------------------ MODULE MCCounter ------------------------------
EXTENDS Counter
CONSTANTS p1, p2
\* Only ever counts up: deadlocks at Max.
UpOnly == \E p \in Procs : Inc(p, 1)
=============================================================================
