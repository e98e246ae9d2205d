package org.syncref.bench;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResv.Entry;
import org.syncref.resv.DmaResvUsage;

/**
 * JMH: unlocked dma_resv_test_signaled(BOOKKEEP) on a reservation object of {@code size} fences
 * (distinct contexts, all four usages, so the query covers every entry) against the baseline, the
 * same test over a {@link CopyOnWriteArrayList} of the same (fence, usage) pairs.
 *
 * <p>test_signaled stops at the first unsignaled fence, so both states walk the whole table:
 * {@code allSignaled} (the main figure: every entry is read, the answer is true) and {@code
 * lastUnsignaled} (every fence but the last has signaled: the answer, false, comes at the last
 * entry). The table does not change during the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResvTestSignaledBench {
  @Param({"1", "8", "64"})
  public int size;

  @Param({"allSignaled", "lastUnsignaled"})
  public String state;

  /** The query's usage; a field, so that the JIT cannot fold it. */
  public DmaResvUsage query = DmaResvUsage.BOOKKEEP;

  private Kernel kernel;
  private DmaResv resv;
  private final CopyOnWriteArrayList<Entry> baseline = new CopyOnWriteArrayList<>();
  private DmaFence[] fences;
  private boolean expected;

  @Setup(Level.Trial)
  public void setUp() {
    kernel = new Kernel();
    DmaFenceOps ops = ResvBenchFixtures.ops();
    fences = ResvBenchFixtures.fencesOnDistinctContexts(kernel, ops, size);
    // Added while unsignaled (add_fence would recycle an entry holding a signaled fence), then signaled.
    resv = ResvBenchFixtures.fill(kernel, fences, baseline);
    int signal = switch (state) {
      case "allSignaled" -> size;
      case "lastUnsignaled" -> size - 1;
      default -> throw new IllegalArgumentException("state " + state);
    };
    for (int i = 0; i < signal; i++) {
      fences[i].signal();
    }
    expected = signal == size;
    ResvBenchFixtures.check(resv.testSignaled(query) == expected, "DmaResv test_signaled is not " + expected);
    ResvBenchFixtures.check(ResvBenchFixtures.baselineTestSignaled(baseline, query) == expected,
        "baseline test_signaled is not " + expected);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ResvBenchFixtures.check(resv.testSignaled(query) == expected, "DmaResv test_signaled changed");
    for (DmaFence f : fences) {
      // the benchmark's reference and the entry's: the walk's get_rcu/put pairs balance
      ResvBenchFixtures.check(f.refcount() == 2, "refcount of " + f + " is " + f.refcount());
    }
    ResvBenchFixtures.check(kernel.warnings().isEmpty(), "WARNs: " + kernel.warnings());
  }

  /** dma_resv_test_signaled(obj, BOOKKEEP), lock-free. */
  @Benchmark
  public boolean resv() {
    return resv.testSignaled(query);
  }

  /** The same over the copy-on-write list. */
  @Benchmark
  public boolean baseline() {
    return ResvBenchFixtures.baselineTestSignaled(baseline, query);
  }
}
