package org.syncref.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/** Loads the DmaFence conformance model once per JVM and hands out checkers and walkers. */
public final class Conformance {
  public static final String SPEC_DIR = "spec/DmaFence";
  public static final String MODULE = "MCDmaFence";
  public static final String CONFIG = "MCDmaFenceConformance";
  /** Invariants the implementation must keep although the spec does not enforce them. */
  public static final List<String> PER_STEP_INVARIANTS = List.of("SameContextOrdering");

  private Conformance() {}

  /** The repository root: system property syncref.root, else the nearest folder with spec/models.txt. */
  public static Path root() {
    String p = System.getProperty("syncref.root");
    if (p != null && Files.isRegularFile(Path.of(p, "spec", "models.txt"))) {
      return Path.of(p);
    }
    Path d = Path.of("").toAbsolutePath();
    while (d != null && !Files.isRegularFile(d.resolve("spec/models.txt"))) {
      d = d.getParent();
    }
    if (d == null) {
      throw new IllegalStateException("cannot find the syncref checkout (spec/models.txt)");
    }
    return d;
  }

  public static TlcEvaluator evaluator() {
    return TlcEvaluator.load(root().resolve(SPEC_DIR), MODULE, CONFIG);
  }

  public static TraceChecker checker() {
    return new TraceChecker(evaluator(), PER_STEP_INVARIANTS);
  }
}
