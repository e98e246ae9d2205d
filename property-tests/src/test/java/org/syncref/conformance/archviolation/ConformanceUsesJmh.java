package org.syncref.conformance.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): JMH outside the benchmarks.
 */
public class ConformanceUsesJmh {
  org.openjdk.jmh.infra.Blackhole blackhole;
}
