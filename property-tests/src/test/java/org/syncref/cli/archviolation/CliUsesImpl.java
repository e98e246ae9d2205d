package org.syncref.cli.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): the command reaching past the subcommands into impl.
 */
public class CliUsesImpl {
  org.syncref.fence.DmaFence fence;
}
