package org.syncref.bench;

import java.util.concurrent.CopyOnWriteArrayList;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResv.Entry;
import org.syncref.resv.DmaResvUsage;

/**
 * The shared part of the {@code syncref bench resv} benchmarks: fences, and the baseline, a
 * {@link CopyOnWriteArrayList} of the same {@link Entry} (fence, usage) pairs, whose two
 * operations use the same fence calls as {@link DmaResv} ({@link DmaFence#isSignaled()},
 * {@link DmaFence#isLaterOrSame}) so that the fence checks cost the same on both sides.
 */
final class ResvBenchFixtures {
  private ResvBenchFixtures() {}

  /** The usages of a table's entries, by index: all four, so that a BOOKKEEP query covers all. */
  private static final DmaResvUsage[] USAGES = DmaResvUsage.values();

  static DmaResvUsage usageOf(int index) {
    return USAGES[index % USAGES.length];
  }

  /** Name-only fence ops of one module, as the kernel self-tests' mock fences. */
  static DmaFenceOps ops() {
    return DmaFenceOps.names(new FenceModule("bench"), "bench", "bench");
  }

  /** {@code n} fences, seqno 1, each on a context of its own; the caller owns one reference of each. */
  static DmaFence[] fencesOnDistinctContexts(Kernel k, DmaFenceOps ops, int n) {
    long first = k.dmaFenceContextAlloc(n);
    DmaFence[] fs = new DmaFence[n];
    for (int i = 0; i < n; i++) {
      fs[i] = DmaFence.init(k, ops, first + i, 1);
    }
    return fs;
  }

  /**
   * A reservation object holding {@code fences[i]} with {@link #usageOf usageOf(i)}, in index
   * order (one reserve of n slots, n adds, under the lock); and the baseline list with the same
   * entries.
   */
  static DmaResv fill(Kernel k, DmaFence[] fences, CopyOnWriteArrayList<Entry> baseline) {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    check(resv.reserveFences(fences.length) == 0, "dma_resv_reserve_fences failed");
    for (int i = 0; i < fences.length; i++) {
      resv.addFence(fences[i], usageOf(i));
      baseline.add(new Entry(fences[i], usageOf(i)));
    }
    resv.unlock();
    check(resv.numFences() == fences.length, "expected " + fences.length + " entries, got " + resv.entries());
    return resv;
  }

  /**
   * Baseline of dma_resv_test_signaled: whether every fence with usage &lt;= {@code usage} has
   * signaled; iterates the list's snapshot, skips entries of a weaker usage and stops at the
   * first unsignaled fence.
   */
  static boolean baselineTestSignaled(CopyOnWriteArrayList<Entry> list, DmaResvUsage usage) {
    int u = usage.ordinal();
    for (Entry e : list) {
      if (e.usage().ordinal() > u) {
        continue;
      }
      if (!e.fence().isSignaled()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Baseline of dma_resv_add_fence with the kernel's replacement rule: the first entry (index
   * order) of the same context with a usage no stronger than {@code usage} and a fence that
   * {@code fence} is later than or the same as, or that holds a signaled fence, is overwritten;
   * otherwise the pair is appended. The caller excludes other writers (the list's own lock only
   * makes each single write atomic, not the scan-then-write).
   */
  static void baselineAdd(CopyOnWriteArrayList<Entry> list, DmaFence fence, DmaResvUsage usage) {
    int i = 0;
    for (Entry e : list) { // a snapshot; valid by index while the caller excludes writers
      DmaFence old = e.fence();
      if ((old.context() == fence.context() && e.usage().ordinal() >= usage.ordinal()
          && fence.isLaterOrSame(old)) || old.isSignaled()) {
        list.set(i, new Entry(fence, usage));
        return;
      }
      i++;
    }
    list.add(new Entry(fence, usage));
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("bench resv: " + what);
    }
  }
}
