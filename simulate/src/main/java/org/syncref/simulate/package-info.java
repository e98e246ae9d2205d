/**
 * {@code ./syncref simulate}: random workloads on hw's GpuMemSystem for people, with a summary,
 * a violation's steps, a soak mode and an HTML timeline. A module of its own (simulate) because
 * it needs hw, the conformance harness and the model checker's TLC evaluator, and the cli module
 * only dispatches (see ArchitectureTest). The checks run after every step are
 * {@link org.syncref.simulate.Simulation.StepCheck}s: hw's Java checks
 * ({@link org.syncref.simulate.Simulation.JavaChecks}) and the check against
 * spec/GpuMem/GpuMem.tla through TLC's evaluator ({@link org.syncref.simulate.SpecCheck}).
 */
package org.syncref.simulate;
