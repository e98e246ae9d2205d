package org.syncref.bench;

import org.syncref.kernel.Kernel;
import org.syncref.ww.WwClass;

/** The shared part of the {@code syncref bench ww} benchmarks: the classes and the sanity checks. */
final class WwBenchFixtures {
  private WwBenchFixtures() {}

  /** The @Param value for a Wait-Die class (DEFINE_WD_CLASS). */
  static final String WAIT_DIE = "wait-die";
  /** The @Param value for a Wound-Wait class (DEFINE_WW_CLASS). */
  static final String WOUND_WAIT = "wound-wait";

  /** A fresh ww_class of the named algorithm. */
  static WwClass wwClass(String algorithm) {
    return switch (algorithm) {
      case WAIT_DIE -> WwClass.waitDie("bench_wd_class");
      case WOUND_WAIT -> WwClass.woundWait("bench_ww_class");
      default -> throw new IllegalArgumentException("bench ww: unknown algorithm '" + algorithm + "'");
    };
  }

  /** "Wait-Die" or "Wound-Wait". */
  static String display(String algorithm) {
    return switch (algorithm) {
      case WAIT_DIE -> "Wait-Die";
      case WOUND_WAIT -> "Wound-Wait";
      default -> algorithm;
    };
  }

  /** Fails the trial if the kernel WARNed: the benchmark misused the API, the figures would lie. */
  static void checkNoWarnings(Kernel kernel) {
    check(kernel.warnings().isEmpty(), "WARNs: " + kernel.warnings());
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("bench ww: " + what);
    }
  }
}
