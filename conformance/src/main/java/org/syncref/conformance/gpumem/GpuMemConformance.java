package org.syncref.conformance.gpumem;

import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Loads the GpuMem conformance model (spec/GpuMem/MCGpuMemConformance.cfg) once per JVM. TLC
 * holds one spec per JVM, so the GpuMem conformance tests run in a JVM of their own (the
 * surefire execution "gpumem-conformance" of property-tests/pom.xml, package
 * ...conformance.gpumem).
 */
public final class GpuMemConformance {
  public static final String SPEC_DIR = "spec/GpuMem";
  public static final String MODULE = "MCGpuMemConformance";
  public static final String CONFIG = "MCGpuMemConformance";

  private GpuMemConformance() {}

  public static TlcEvaluator evaluator() {
    return TlcEvaluator.load(Checkout.require().resolve(SPEC_DIR), MODULE, CONFIG);
  }
}
