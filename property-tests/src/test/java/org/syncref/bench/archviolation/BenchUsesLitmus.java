package org.syncref.bench.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): the benchmarks using the litmus checker.
 */
public class BenchUsesLitmus {
  org.syncref.litmus.LitmusParser parser;
}
