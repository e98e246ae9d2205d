package org.syncref.resv;

import java.util.ArrayList;
import java.util.List;

import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.kernel.Kernel;

/** Test fixtures: st-dma-resv.c's alloc_fence() and timelines of in-order fences. */
final class ResvFixtures {
  private ResvFixtures() {
  }

  /**
   * st-dma-resv.c alloc_fence(): name-only ops ("selftest"), context 0, seqno 0. (The kernel's
   * fences share an external spinlock; here every fence has its inline lock.)
   */
  static DmaFence allocFence(Kernel k) {
    return DmaFence.init(k, DmaFenceOps.names(new FenceModule("selftest"), "selftest", "selftest"), 0, 0);
  }

  /** The test code's reference to the cursor's held fence (cursor->fence). */
  static DmaFence heldFence(DmaResvIter cursor) {
    return cursor.heldFenceForTest();
  }

  /**
   * A fence context of one issuer: fences are created with increasing seqnos (from 1) and, by
   * the tests' convention, signaled in seqno order. Every created fence stays referenced by
   * the timeline (one reference) until {@link #putAll()}.
   */
  static final class Timeline {
    final Kernel k;
    final long context;
    final String name;
    private final DmaFenceOps ops;
    final List<DmaFence> fences = new ArrayList<>();
    private int signaled;

    Timeline(Kernel k, String name) {
      this.k = k;
      this.name = name;
      this.context = k.dmaFenceContextAlloc(1);
      this.ops = DmaFenceOps.names(new FenceModule(name), name, name);
    }

    /** A new fence with the next seqno. */
    DmaFence next() {
      DmaFence f = DmaFence.init(k, ops, context, fences.size() + 1);
      fences.add(f);
      return f;
    }

    /** The latest fence created, or null. */
    DmaFence latest() {
      return fences.isEmpty() ? null : fences.get(fences.size() - 1);
    }

    int signaledCount() {
      return signaled;
    }

    boolean hasUnsignaled() {
      return signaled < fences.size();
    }

    /** Signals the oldest unsignaled fence (in-order completion); returns it. */
    DmaFence signalNext() {
      DmaFence f = fences.get(signaled++);
      f.signal();
      return f;
    }

    /** Puts the timeline's reference of every fence. */
    void putAll() {
      for (DmaFence f : fences) {
        f.put();
      }
    }

    @Override
    public String toString() {
      return name + "(ctx " + context + ")";
    }
  }
}
