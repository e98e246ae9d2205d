package org.syncref.modelcheck;

/** When a model is checked: {@code ci} on every run, {@code deep} only with {@code --deep}. */
public enum Mode {
  CI,
  DEEP,
  /**
   * A conformance model: never model-checked (its state space is too large; in the fence and resv
   * ones any thread may signal any fence, so TLC's search would break SameContextOrdering, which
   * the harness checks on each step of a Java trace instead); TLC's evaluator loads it in a
   * surefire execution of property-tests to check Java traces and walk the spec
   * (ManifestConformanceRowsTest: the conformance rows are exactly the models the harness loads).
   */
  CONFORMANCE;

  /** The manifest spelling. */
  public String text() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
