package org.syncref.bench;

import org.syncref.kernel.Kernel;
import org.syncref.sched.RealSched;
import org.syncref.sched.Sched;
import org.syncref.ww.WwClass;

/** The shared part of the {@code syncref bench ww} benchmarks: the classes and the sanity checks. */
final class WwBenchFixtures {
  private WwBenchFixtures() {}

  /** The @Param value for a Wait-Die class (DEFINE_WD_CLASS). */
  static final String WAIT_DIE = "wait-die";
  /** The @Param value for a Wound-Wait class (DEFINE_WW_CLASS). */
  static final String WOUND_WAIT = "wound-wait";

  /** The @Param value for {@link Kernel.Build#DEBUG_LOCK_ALLOC} (debug checks and lockdep, no fastpath; no deadlock injection, which would skew the times). */
  static final String LOCKDEP = "lockdep";
  /** The @Param value for {@link Kernel.Build#PRODUCTION} (the mutex fastpaths, no debug checks). */
  static final String PRODUCTION = "production";

  /** The kernel build of a @Param value. */
  static Kernel.Build build(String build) {
    return switch (build) {
      case LOCKDEP -> Kernel.Build.DEBUG_LOCK_ALLOC;
      case PRODUCTION -> Kernel.Build.PRODUCTION;
      default -> throw new IllegalArgumentException("bench ww: unknown build '" + build + "'");
    };
  }

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

  /**
   * {@link RealSched} (real blocking) that also counts, per thread, the sleeps: the calls of
   * schedule_timeout, each a park of the thread (one that returns at once on a pending wake-up
   * counts too). One instance per JVM, shared by the contended benchmarks' kernels, so that a
   * thread's counter is there before its first transaction.
   */
  static final class CountingSched implements Sched {
    private final RealSched real = new RealSched();
    private final ThreadLocal<long[]> sleeps = ThreadLocal.withInitial(() -> new long[1]);

    /** The calling thread's counter (element 0), written by this thread only. */
    long[] counterOfCurrentThread() {
      return sleeps.get();
    }

    @Override
    public long scheduleTimeout(long jiffies) {
      sleeps.get()[0]++;
      return real.scheduleTimeout(jiffies);
    }

    @Override
    public void wakeUpProcess(Thread t) {
      real.wakeUpProcess(t);
    }

    @Override
    public boolean signalPending() {
      return real.signalPending();
    }

    @Override
    public void setCurrentState(int state) {
      real.setCurrentState(state);
    }
  }

  /** The scheduler of the contended benchmarks' kernels. */
  static final CountingSched COUNTING_SCHED = new CountingSched();

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
