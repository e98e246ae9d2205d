package org.syncref.conformance;

import java.util.List;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Loads a WwMutex conformance model (spec/WwMutex/MCWwMutexConformanceWD.cfg for Wait-Die,
 * MCWwMutexConformanceWW.cfg for Wound-Wait) once per JVM. TLC holds one spec per JVM and the two
 * configs are two spec loads, so each algorithm's conformance tests run in a JVM of their own: the
 * surefire executions "ww-wait-die-conformance" (package ...conformance.ww.waitdie) and
 * "ww-wound-wait-conformance" (package ...conformance.ww.woundwait) of property-tests/pom.xml.
 */
public final class WwConformance {
  public static final String SPEC_DIR = "spec/WwMutex";
  public static final String MODULE = "MCWwMutexConformance";
  public static final String CONFIG_WAIT_DIE = "MCWwMutexConformanceWD";
  public static final String CONFIG_WOUND_WAIT = "MCWwMutexConformanceWW";
  /** The suffix of the configs with Build = "production" (executions ww-nolockdep-*). */
  public static final String NO_LOCKDEP = "_nolockdep";
  /** The suffix of the configs with Build = "prove-locking" (executions ww-prove-locking-*). */
  public static final String PROVE_LOCKING = "_prove_locking";

  private WwConformance() {}

  public static TlcEvaluator evaluator(boolean waitDie) {
    return evaluator(waitDie, "debug-lock-alloc");
  }

  /**
   * The conformance model of the algorithm for a kernel build (the spec's Build):
   * "debug-lock-alloc" MCWwMutexConformanceWD/WW.cfg, "production" their _nolockdep configs,
   * "prove-locking" their _prove_locking configs.
   */
  public static TlcEvaluator evaluator(boolean waitDie, String build) {
    String suffix = switch (build) {
      case "debug-lock-alloc" -> "";
      case "production" -> NO_LOCKDEP;
      case "prove-locking" -> PROVE_LOCKING;
      default -> throw new IllegalArgumentException("unknown build " + build);
    };
    return TlcEvaluator.load(Checkout.require().resolve(SPEC_DIR), MODULE,
        (waitDie ? CONFIG_WAIT_DIE : CONFIG_WOUND_WAIT) + suffix);
  }

  /** No per-step obligations: the spec's invariants are model-checked properties of the spec. */
  public static TraceChecker checker(boolean waitDie) {
    return checker(waitDie, "debug-lock-alloc");
  }

  public static TraceChecker checker(boolean waitDie, String build) {
    return new TraceChecker(evaluator(waitDie, build), List.of());
  }
}
