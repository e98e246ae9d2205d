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
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResv.Entry;
import org.syncref.resv.DmaResvUsage;

/**
 * JMH: one writer round on a reservation object of {@code size} entries, {@code lock;
 * reserve_fences(1); add_fence(f, u); unlock}, against the baseline, a replace-or-append (the
 * kernel's rule) on a {@link CopyOnWriteArrayList} of the same pairs under a monitor.
 *
 * <p>Steady state, so that the table does not grow: the table holds {@code size - 1} unsignaled
 * fences of other contexts and, last, the fence {@code f} itself, which every round adds again
 * (a recycled fence: dma_fence_is_later_or_same(f, f) holds). The add thus scans every entry and
 * replaces the last one in place, and the table keeps {@code size} entries. No per-invocation
 * setup is needed, which JMH advises against for operations this short.
 *
 * <p>What a round costs on the DmaResv side, as in the kernel built with CONFIG_DEBUG_MUTEXES
 * (which this implementation always models): unlock resets max_fences to num_fences, so
 * every reserve_fences(1) reallocates the list (max(num + 1, 2 * max) slots) and copies the
 * entries, checking each fence for signaled. The baseline's set() likewise copies the array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResvAddBench {
  @Param({"1", "8", "64"})
  public int size;

  private Kernel kernel;
  private DmaResv resv;
  private final CopyOnWriteArrayList<Entry> baseline = new CopyOnWriteArrayList<>();
  private final Object baselineLock = new Object();
  private DmaFence[] fences;
  /** The fence every round adds: the last entry's. */
  private DmaFence fence;
  private DmaResvUsage usage;

  @Setup(Level.Trial)
  public void setUp() {
    kernel = new Kernel();
    fences = ResvBenchFixtures.fencesOnDistinctContexts(kernel, ResvBenchFixtures.ops(), size);
    resv = ResvBenchFixtures.fill(kernel, fences, baseline);
    fence = fences[size - 1];
    usage = ResvBenchFixtures.usageOf(size - 1);
    resv();
    baseline();
    checkSteadyState();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    checkSteadyState();
    ResvBenchFixtures.check(kernel.warnings().isEmpty(), "WARNs: " + kernel.warnings());
  }

  private void checkSteadyState() {
    ResvBenchFixtures.check(resv.numFences() == size && baseline.size() == size,
        "the tables grew: " + resv.numFences() + " and " + baseline.size() + " entries, not " + size);
    ResvBenchFixtures.check(resv.entries().get(size - 1).fence() == fence
        && baseline.get(size - 1).fence() == fence, "the last entry is not the added fence");
    ResvBenchFixtures.check(fence.refcount() == 2, "refcount of " + fence + " is " + fence.refcount());
  }

  /** dma_resv_lock; dma_resv_reserve_fences(obj, 1); dma_resv_add_fence(obj, f, u); dma_resv_unlock. */
  @Benchmark
  public int resv() {
    resv.lock();
    int ret = resv.reserveFences(1);
    resv.addFence(fence, usage);
    resv.unlock();
    return ret;
  }

  /** Replace-or-append on the copy-on-write list, under a monitor. */
  @Benchmark
  public int baseline() {
    synchronized (baselineLock) {
      ResvBenchFixtures.baselineAdd(baseline, fence, usage);
      return 0;
    }
  }
}
