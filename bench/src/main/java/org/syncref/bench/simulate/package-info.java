/**
 * {@code ./syncref simulate}: random workloads on hw's GpuMemSystem for people, with a summary,
 * a violation's steps, a soak mode and an HTML timeline. Here rather than in cli because the
 * command needs hw (the cli module dispatches only, see ArchitectureTest) and beside bench
 * because it measures throughput and memory over long runs. The checks run after every step are
 * {@link org.syncref.bench.simulate.Simulation.StepCheck}s: today hw's Java checks
 * ({@link org.syncref.bench.simulate.Simulation.JavaChecks}); a check against
 * spec/GpuMem/GpuMem.tla through the conformance harness is one more StepCheck.
 */
package org.syncref.bench.simulate;
