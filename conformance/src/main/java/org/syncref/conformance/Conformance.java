package org.syncref.conformance;

import java.util.List;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/** Loads the DmaFence conformance model once per JVM and hands out checkers and walkers. */
public final class Conformance {
  public static final String SPEC_DIR = "spec/DmaFence";
  public static final String MODULE = "MCDmaFence";
  public static final String CONFIG = "MCDmaFenceConformance";
  /** Invariants the implementation must keep although the spec does not enforce them. */
  public static final List<String> PER_STEP_INVARIANTS = List.of("SameContextOrdering");

  private Conformance() {}

  public static TlcEvaluator evaluator() {
    return TlcEvaluator.load(Checkout.require().resolve(SPEC_DIR), MODULE, CONFIG);
  }

  public static TraceChecker checker() {
    return new TraceChecker(evaluator(), PER_STEP_INVARIANTS);
  }
}
