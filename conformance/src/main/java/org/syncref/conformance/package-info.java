/**
 * Conformance of the Java reference implementation (impl, hw) with the TLA+ specs, checked by
 * TLC's own evaluator in-process.
 *
 * <p>Vocabulary: a {@link org.syncref.conformance.Step} is one kernel call named by its TLA+ action
 * ({@code Signal}), with the action's arguments ({@code t = t3, f = f2}) and the abstract state of
 * the Java objects after the call, expressed in the spec's variables. A {@link
 * org.syncref.conformance.Trace} starts from the Java objects' initial abstract state. The {@link
 * org.syncref.conformance.TraceChecker} accepts a trace iff it is a behaviour of the spec.
 */
package org.syncref.conformance;
