/**
 * Conformance of hw/ (the Java GPU memory system, org.syncref.hw.ttm.GpuMemSystem) against the
 * system spec spec/GpuMem/GpuMem.tla, through TLC's evaluator (model MCGpuMemConformance).
 *
 * <p>{@link org.syncref.conformance.gpumem.GpuMemWorld} runs the Java system one operation at a
 * time and observes its state in the spec's variables; {@link
 * org.syncref.conformance.gpumem.GpuMemChecker} checks each operation as the spec's sequence of
 * actions (a CPU operation is one Java call but one spec step per kernel call, so the spec's
 * intermediate states are computed, not observed) and evaluates GpuMem's action properties on
 * every spec step.
 */
package org.syncref.conformance.gpumem;
