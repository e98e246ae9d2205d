package org.syncref.fence.archviolation;

/**
 * Negative control of ArchitectureTest (a test source, which the real rules never import): product code that uses JUnit.
 */
public class ImplUsesJUnit {
  org.junit.jupiter.api.TestInfo info;
}
