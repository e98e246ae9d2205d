package org.syncref.conformance;

import java.util.List;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Loads a WwMutex conformance model (spec/WwMutex/MCWwMutexConformanceWD.cfg for Wait-Die,
 * MCWwMutexConformanceWW.cfg for Wound-Wait) once per JVM. TLC holds one spec per JVM and the two
 * configs are two spec loads, so each algorithm's conformance tests run in a JVM of their own: the
 * surefire executions "ww-wait-die-conformance" (test classes WwWaitDie*) and
 * "ww-wound-wait-conformance" (test classes WwWoundWait*) of property-tests/pom.xml.
 */
public final class WwConformance {
  public static final String SPEC_DIR = "spec/WwMutex";
  public static final String MODULE = "MCWwMutexConformance";
  public static final String CONFIG_WAIT_DIE = "MCWwMutexConformanceWD";
  public static final String CONFIG_WOUND_WAIT = "MCWwMutexConformanceWW";
  /** The suffix of the configs with LockdepBuild = FALSE (executions ww-nolockdep-*). */
  public static final String NO_LOCKDEP = "_nolockdep";

  private WwConformance() {}

  public static TlcEvaluator evaluator(boolean waitDie) {
    return evaluator(waitDie, true);
  }

  /** The conformance model of the algorithm, for a kernel built with lockdep or without. */
  public static TlcEvaluator evaluator(boolean waitDie, boolean lockdep) {
    return TlcEvaluator.load(Conformance.root().resolve(SPEC_DIR), MODULE,
        (waitDie ? CONFIG_WAIT_DIE : CONFIG_WOUND_WAIT) + (lockdep ? "" : NO_LOCKDEP));
  }

  /** No per-step obligations: the spec's invariants are model-checked properties of the spec. */
  public static TraceChecker checker(boolean waitDie) {
    return checker(waitDie, true);
  }

  public static TraceChecker checker(boolean waitDie, boolean lockdep) {
    return new TraceChecker(evaluator(waitDie, lockdep), List.of());
  }
}
