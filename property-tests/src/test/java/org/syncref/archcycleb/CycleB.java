package org.syncref.archcycleb;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): a package cycle, with archcyclea.
 */
public class CycleB {
  org.syncref.archcyclea.CycleA other;
}
