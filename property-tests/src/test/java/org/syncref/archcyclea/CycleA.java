package org.syncref.archcyclea;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): a package cycle, with archcycleb.
 */
public class CycleA {
  org.syncref.archcycleb.CycleB other;
}
