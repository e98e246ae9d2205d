package org.syncref.bench.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): a module using the command on top of it.
 */
public class BenchUsesCli {
  org.syncref.cli.Main main;
}
