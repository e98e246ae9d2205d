package org.syncref.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.ThreadParams;
import org.syncref.kernel.Kernel;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;
import org.syncref.ww.WwMutex;

/**
 * JMH: contended transactions. {@value #THREADS} threads share {@value #LOCKS} locks; each
 * transaction takes {@value #PER_TXN} distinct locks chosen at random, in random order, runs a
 * tiny critical section and unlocks them all.
 *
 * <p>The ww_mutex side ({@link #ww}, Wait-Die or Wound-Wait): ww_acquire_init, the backoff loop
 * of ww-mutex-design.rst ({@link WwBackoff#lockAll}: on -EDEADLK unlock all, ww_mutex_lock_slow
 * the contended lock, retry the rest), the critical section, unlock all, ww_acquire_fini. The
 * baseline ({@link #baseline}) avoids deadlock the classic way: it sorts the same kind of random
 * choice and takes {@link ReentrantLock}s in index order. Score: transactions per second (all
 * threads). Secondary results ({@link Txn}, summed over the threads): {@code transactions},
 * {@code backoffs} (-EDEADLK returns) and, on the ww side, {@code sleeps} (schedule_timeout calls,
 * counted by the kernel's scheduler, {@link WwBenchFixtures.CountingSched}: {@link
 * org.syncref.sched.RealSched} plus a counter), each divided by transactions in the table.
 *
 * <p>The critical section adds one to a counter per held lock (each on a cache line of its own,
 * guarded by that lock). The trial teardown checks that the counters add up to {@value #PER_TXN}
 * times the transactions committed (a lost update would mean broken mutual exclusion), that every
 * lock is free and that the kernel did not WARN.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(WwContendedBench.THREADS)
public class WwContendedBench {
  /** Threads per benchmark, as in the 2018 measurement the output quotes. */
  static final int THREADS = 4;
  /** Locks shared by all threads. */
  static final int LOCKS = 16;
  /** Distinct locks per transaction. */
  static final int PER_TXN = 4;
  /** Counter stride in longs: 128 bytes, so that no two counters share a cache line. */
  private static final int PAD = 16;
  private static final long SEED = 0x5EED_2018L;

  /** The critical sections' counters and the transactions that touched them. */
  static final class Ledger {
    private final long[] counts = new long[LOCKS * PAD];
    private final List<Txn> txns = new ArrayList<>();

    synchronized void register(Txn t) {
      txns.add(t);
    }

    /** The critical section: one increment per held lock. */
    void criticalSection(int[] picked) {
      for (int k = 0; k < PER_TXN; k++) {
        counts[picked[k] * PAD]++;
      }
    }

    /** After all threads stopped: the counters must add up to PER_TXN per committed transaction. */
    synchronized void check() {
      long sum = 0;
      for (int i = 0; i < LOCKS; i++) {
        sum += counts[i * PAD];
      }
      long committed = 0;
      for (Txn t : txns) {
        committed += t.total;
      }
      WwBenchFixtures.check(sum == (long) PER_TXN * committed, "lost updates: the critical sections counted "
          + sum + ", expected " + PER_TXN + " x " + committed + " transactions");
    }
  }

  /** The ww_mutexes of one class (Wait-Die or Wound-Wait) in one kernel. */
  @State(Scope.Benchmark)
  public static class WwLocks {
    @Param({WwBenchFixtures.WAIT_DIE, WwBenchFixtures.WOUND_WAIT})
    public String algorithm;

    @Param({WwBenchFixtures.LOCKDEP, WwBenchFixtures.PRODUCTION})
    public String build;

    Kernel kernel;
    WwClass wwClass;
    final WwMutex[] mutexes = new WwMutex[LOCKS];
    final Ledger ledger = new Ledger();

    @Setup(Level.Trial)
    public void setUp() {
      kernel = new Kernel(WwBenchFixtures.COUNTING_SCHED, WwBenchFixtures.build(build));
      wwClass = WwBenchFixtures.wwClass(algorithm);
      for (int i = 0; i < LOCKS; i++) {
        mutexes[i] = new WwMutex(kernel, wwClass, "bench_mutex_" + i);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      for (WwMutex m : mutexes) {
        WwBenchFixtures.check(!m.isLocked(), m + " is still locked");
      }
      ledger.check();
      WwBenchFixtures.checkNoWarnings(kernel);
    }
  }

  /** The baseline's locks. */
  @State(Scope.Benchmark)
  public static class PlainLocks {
    final ReentrantLock[] locks = new ReentrantLock[LOCKS];
    final Ledger ledger = new Ledger();

    @Setup(Level.Trial)
    public void setUp() {
      for (int i = 0; i < LOCKS; i++) {
        locks[i] = new ReentrantLock();
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      for (ReentrantLock l : locks) {
        WwBenchFixtures.check(!l.isLocked(), l + " is still locked");
      }
      ledger.check();
    }
  }

  /**
   * One thread's transactions: its random choice of locks and its counters. The public fields
   * are JMH auxiliary counters (reset every iteration, summed over the threads).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Txn {
    /** Transactions committed in this iteration. */
    public long transactions;
    /** -EDEADLK returns in this iteration (always 0 for the baseline). */
    public long backoffs;
    /**
     * ww side: sleeps (schedule_timeout calls) of this thread in this iteration, updated after
     * each transaction; the baseline's parks are not counted (0).
     */
    public long sleeps;

    private SplittableRandom random;
    private final int[] perm = new int[LOCKS];
    /** This transaction's locks, in the order taken (the baseline sorts them). */
    final int[] picked = new int[PER_TXN];
    final WwMutex[] wwLocks = new WwMutex[PER_TXN];
    /** Transactions committed over the whole trial (not reset). */
    long total;
    private Ledger ledger;
    /** This thread's counter in {@link WwBenchFixtures#COUNTING_SCHED}, and its value at the iteration start. */
    private long[] sleepCounter;
    private long sleepsAtStart;

    @Setup(Level.Trial)
    public void setUp(ThreadParams tp) {
      random = new SplittableRandom(SEED + tp.getThreadIndex());
      sleepCounter = WwBenchFixtures.COUNTING_SCHED.counterOfCurrentThread();
      for (int i = 0; i < LOCKS; i++) {
        perm[i] = i;
      }
    }

    @Setup(Level.Iteration)
    public void resetCounters() {
      transactions = 0;
      backoffs = 0;
      sleeps = 0;
      sleepsAtStart = sleepCounter[0];
    }

    /** PER_TXN distinct lock indices in random order (a partial Fisher-Yates shuffle). */
    void pick() {
      for (int k = 0; k < PER_TXN; k++) {
        int j = k + random.nextInt(LOCKS - k);
        int x = perm[j];
        perm[j] = perm[k];
        perm[k] = x;
        picked[k] = x;
      }
    }

    /** Sorts {@link #picked} ascending (insertion sort: four elements). */
    void sortPicked() {
      for (int i = 1; i < PER_TXN; i++) {
        int x = picked[i];
        int j = i - 1;
        while (j >= 0 && picked[j] > x) {
          picked[j + 1] = picked[j];
          j--;
        }
        picked[j + 1] = x;
      }
    }

    void committed(Ledger l, int backoffsOfTxn) {
      if (ledger != l) {
        ledger = l;
        l.register(this);
      }
      transactions++;
      total++;
      backoffs += backoffsOfTxn;
    }

    /** After a ww transaction: the sleeps so far in this iteration. */
    void countSleeps() {
      sleeps = sleepCounter[0] - sleepsAtStart;
    }
  }

  /**
   * ww_acquire_init; lock the 4 locks with the backoff loop; critical section; unlock all;
   * ww_acquire_fini.
   */
  @Benchmark
  public int ww(WwLocks s, Txn t) {
    t.pick();
    WwMutex[] locks = t.wwLocks;
    for (int k = 0; k < PER_TXN; k++) {
      locks[k] = s.mutexes[t.picked[k]];
    }
    WwAcquireContext ctx = WwAcquireContext.init(s.kernel, s.wwClass);
    int backoffs = WwBackoff.lockAll(locks, PER_TXN, ctx);
    s.ledger.criticalSection(t.picked);
    WwBackoff.unlockAll(locks, PER_TXN);
    ctx.fini();
    t.committed(s.ledger, backoffs);
    t.countSleeps();
    return backoffs;
  }

  /** Sort the 4 random locks; lock the ReentrantLocks in index order; critical section; unlock all. */
  @Benchmark
  public void baseline(PlainLocks s, Txn t) {
    t.pick();
    t.sortPicked();
    ReentrantLock[] locks = s.locks;
    int[] picked = t.picked;
    for (int k = 0; k < PER_TXN; k++) {
      locks[picked[k]].lock();
    }
    s.ledger.criticalSection(picked);
    for (int k = PER_TXN - 1; k >= 0; k--) {
      locks[picked[k]].unlock();
    }
    t.committed(s.ledger, 0);
  }
}
