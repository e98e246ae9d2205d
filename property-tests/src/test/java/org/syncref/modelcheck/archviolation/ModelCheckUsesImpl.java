package org.syncref.modelcheck.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): the model checker using the code under test.
 */
public class ModelCheckUsesImpl {
  org.syncref.fence.DmaFence fence;
}
