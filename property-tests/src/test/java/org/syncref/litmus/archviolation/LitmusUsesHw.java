package org.syncref.litmus.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): the litmus checker using the hardware model.
 */
public class LitmusUsesHw {
  org.syncref.hw.Engine engine;
}
