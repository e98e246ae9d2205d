package org.syncref.modelcheck;

import java.nio.file.Path;

/**
 * One row of the model manifest: which TLC model to run and what it must report.
 *
 * @param name unique model name (a name ending in {@code _bug} must fail)
 * @param dir folder under {@code spec/} holding the spec and its configs
 * @param module the MC module TLC runs
 * @param config the .cfg file in {@code dir}
 * @param mode ci, deep or conformance
 * @param expected the outcome TLC must report
 * @param states distinct states recorded for a passing model, or null ({@code -})
 * @param depth search depth of a passing model, or counterexample length of a failing one; null for {@code -}
 * @param line the manifest line the row came from (for messages)
 */
public record ModelEntry(
    String name,
    String dir,
    String module,
    String config,
    Mode mode,
    Expected expected,
    Long states,
    Integer depth,
    int line) {

  /** The folder TLC runs in: {@code <specRoot>/<dir>}. */
  public Path specDir(Path specRoot) {
    return specRoot.resolve(dir);
  }
}
