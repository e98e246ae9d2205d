package org.syncref.hw.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): the hardware model using the conformance harness.
 */
public class HwUsesConformance {
  org.syncref.conformance.TraceChecker checker;
}
