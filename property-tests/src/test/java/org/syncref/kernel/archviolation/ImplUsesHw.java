package org.syncref.kernel.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): impl code that uses the hardware model.
 */
public class ImplUsesHw {
  org.syncref.hw.Engine engine;
}
