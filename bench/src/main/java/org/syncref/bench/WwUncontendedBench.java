package org.syncref.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.syncref.kernel.Kernel;
import org.syncref.sched.RealSched;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;
import org.syncref.ww.WwMutex;

/**
 * JMH: one thread locks and unlocks one ww_mutex that nobody else touches, against the baseline,
 * {@link ReentrantLock} lock + unlock, measured in the same run.
 *
 * <p>Three ww_mutex variants: {@link #ctxReused} (lock + unlock with an acquire context
 * initialised once per trial: the same work as the baseline, the figure to compare),
 * {@link #ctxPerLock} (a whole one-lock transaction: ww_acquire_init, lock, unlock,
 * ww_acquire_fini) and {@link #noCtx} (ww_mutex_lock(lock, NULL): the mutex without the ww
 * bookkeeping, to see where the time goes). The kernel is a {@link Kernel} with {@link
 * RealSched} of one of two builds ({@link Kernel.Build}): {@code lockdep} (CONFIG_PROVE_LOCKING:
 * every call through __mutex_lock_common / __mutex_unlock_slowpath, with the debug checks and the
 * lockdep bookkeeping) and {@code production} (no lock debugging: __mutex_trylock_fast and
 * __mutex_unlock_fast, one compare-and-set each when uncontended, as the kernel).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class WwUncontendedBench {
  /** A ww_mutex of a fresh class (Wait-Die or Wound-Wait) in a fresh kernel. */
  @State(Scope.Thread)
  public static class Mutex {
    @Param({WwBenchFixtures.WAIT_DIE, WwBenchFixtures.WOUND_WAIT})
    public String algorithm;

    @Param({WwBenchFixtures.LOCKDEP, WwBenchFixtures.PRODUCTION})
    public String build;

    Kernel kernel;
    WwClass wwClass;
    WwMutex mutex;

    @Setup(Level.Trial)
    public void setUp() {
      kernel = new Kernel(new RealSched(), WwBenchFixtures.build(build));
      wwClass = WwBenchFixtures.wwClass(algorithm);
      mutex = new WwMutex(kernel, wwClass, "bench_mutex");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      WwBenchFixtures.check(!mutex.isLocked(), "the mutex is still locked");
      WwBenchFixtures.checkNoWarnings(kernel);
    }
  }

  /**
   * {@link Mutex} plus an acquire context that the benchmark thread initialises in the trial
   * setup and finishes in the teardown (JMH runs both in the thread that uses the state).
   */
  @State(Scope.Thread)
  public static class MutexAndCtx {
    @Param({WwBenchFixtures.WAIT_DIE, WwBenchFixtures.WOUND_WAIT})
    public String algorithm;

    @Param({WwBenchFixtures.LOCKDEP, WwBenchFixtures.PRODUCTION})
    public String build;

    Kernel kernel;
    WwMutex mutex;
    WwAcquireContext ctx;

    @Setup(Level.Trial)
    public void setUp() {
      kernel = new Kernel(new RealSched(), WwBenchFixtures.build(build));
      WwClass wwClass = WwBenchFixtures.wwClass(algorithm);
      mutex = new WwMutex(kernel, wwClass, "bench_mutex");
      ctx = WwAcquireContext.init(kernel, wwClass);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      WwBenchFixtures.check(ctx.task() == Thread.currentThread(), "the context was set up in another thread");
      WwBenchFixtures.check(ctx.acquired() == 0 && !mutex.isLocked(), "the mutex is still locked");
      ctx.fini();
      WwBenchFixtures.checkNoWarnings(kernel);
    }
  }

  /** A ww_mutex locked without a context (the algorithm does not matter then). */
  @State(Scope.Thread)
  public static class PlainMutex {
    @Param({WwBenchFixtures.LOCKDEP, WwBenchFixtures.PRODUCTION})
    public String build;

    Kernel kernel;
    WwMutex mutex;

    @Setup(Level.Trial)
    public void setUp() {
      kernel = new Kernel(new RealSched(), WwBenchFixtures.build(build));
      mutex = new WwMutex(kernel, WwBenchFixtures.wwClass(WwBenchFixtures.WAIT_DIE), "bench_mutex");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      WwBenchFixtures.check(!mutex.isLocked(), "the mutex is still locked");
      WwBenchFixtures.checkNoWarnings(kernel);
    }
  }

  /** The baseline's lock. */
  @State(Scope.Thread)
  public static class Baseline {
    final ReentrantLock lock = new ReentrantLock();
  }

  /** ww_mutex_lock(m, ctx); ww_mutex_unlock(m), with a context kept across calls. */
  @Benchmark
  public int ctxReused(MutexAndCtx s) {
    int ret = s.mutex.lock(s.ctx);
    s.mutex.unlock();
    return ret;
  }

  /** ww_acquire_init(ctx, class); ww_mutex_lock(m, ctx); ww_mutex_unlock(m); ww_acquire_fini(ctx). */
  @Benchmark
  public int ctxPerLock(Mutex s) {
    WwAcquireContext ctx = WwAcquireContext.init(s.kernel, s.wwClass);
    int ret = s.mutex.lock(ctx);
    s.mutex.unlock();
    ctx.fini();
    return ret;
  }

  /** ww_mutex_lock(m, NULL); ww_mutex_unlock(m). */
  @Benchmark
  public int noCtx(PlainMutex s) {
    int ret = s.mutex.lock(null);
    s.mutex.unlock();
    return ret;
  }

  /** ReentrantLock lock + unlock. */
  @Benchmark
  public void baseline(Baseline b) {
    b.lock.lock();
    b.lock.unlock();
  }
}
