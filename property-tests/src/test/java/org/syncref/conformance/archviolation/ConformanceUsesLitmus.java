package org.syncref.conformance.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): the conformance harness using the litmus checker.
 */
public class ConformanceUsesLitmus {
  org.syncref.litmus.LitmusParser parser;
}
