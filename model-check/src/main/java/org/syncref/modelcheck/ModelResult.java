package org.syncref.modelcheck;

import java.util.List;

/**
 * The outcome of checking one model against its manifest row.
 *
 * @param entry the manifest row
 * @param report what TLC reported
 * @param seconds wall-clock seconds of the TLC run
 * @param exitCode TLC's exit code
 * @param problems why the run does not match the manifest; empty if it matches
 * @param notes remarks that do not make it a mismatch (e.g. a multi-worker depth above the record)
 * @param labels per trace state, the step label with parameters ({@code Signal(t = t1, f = f2)}),
 *     or null where unknown; null if the parameters could not be recovered at all
 * @param labelNote why the labels are missing, or null
 * @param plainTail TLC's last output lines outside any message (parse errors), for errors
 * @param metaDir the folder holding TLC's metadata and output ({@code tlc-output.txt})
 */
public record ModelResult(
    ModelEntry entry,
    TlcReport report,
    double seconds,
    int exitCode,
    List<String> problems,
    List<String> notes,
    List<String> labels,
    String labelNote,
    String plainTail,
    java.nio.file.Path metaDir) {

  /** True if TLC's outcome and the numbers match the manifest. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /** True if TLC reported the outcome the manifest expects (numbers aside). */
  public boolean outcomeMatches() {
    return report.matches(entry.expected());
  }

  /** The number this run measured for the depth column: the search depth, or the counterexample length. */
  public Integer measuredDepth() {
    return entry.expected().passes() ? report.depth() : Integer.valueOf(report.trace().size());
  }
}
