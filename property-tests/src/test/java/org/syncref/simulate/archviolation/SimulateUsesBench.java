package org.syncref.simulate.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): the simulator using the benchmarks.
 */
public class SimulateUsesBench {
  org.syncref.bench.BenchCommand bench;
}
