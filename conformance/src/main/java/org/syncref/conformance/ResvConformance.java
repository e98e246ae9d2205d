package org.syncref.conformance;

import java.util.List;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Loads the DmaResv conformance model (spec/DmaResv/MCDmaResvConformance.cfg) once per JVM. TLC
 * holds one spec per JVM, so the DmaResv conformance tests run in a JVM of their own (the
 * surefire execution "resv-conformance" of property-tests/pom.xml, package ...conformance.resv).
 */
public final class ResvConformance {
  public static final String SPEC_DIR = "spec/DmaResv";
  public static final String MODULE = "MCDmaResvConformance";
  public static final String CONFIG = "MCDmaResvConformance";
  /** Obligations of the client the generator plays: an in-order issuer. */
  public static final List<String> PER_STEP_INVARIANTS = List.of("SameContextOrdering");

  private ResvConformance() {}

  public static TlcEvaluator evaluator() {
    return TlcEvaluator.load(Checkout.require().resolve(SPEC_DIR), MODULE, CONFIG);
  }

  public static TraceChecker checker() {
    return new TraceChecker(evaluator(), PER_STEP_INVARIANTS);
  }
}
