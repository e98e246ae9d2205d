package org.syncref.fence;

import org.syncref.kernel.Kernel;

/** Test fixtures modelled on st-dma-fence.c's mock_fence() and simple_cb. */
final class Mock {
  private Mock() {
  }

  /** mock_fence(): mock_ops with only the two name ops, inline lock, context 0, seqno 0. */
  static DmaFence fence(Kernel k) {
    return DmaFence.init(k, DmaFenceOps.names(new FenceModule("mock"), "mock", "mock"), 0, 0);
  }

  /** struct simple_cb: a callback node that records that it ran. */
  static final class SimpleCb extends DmaFenceCb {
    volatile boolean seen;
    volatile int runs;
  }

  /** simple_callback(): smp_store_mb(cb->seen, true). */
  static final DmaFenceFunc SIMPLE_CALLBACK = (f, cb) -> {
    ((SimpleCb) cb).runs++;
    ((SimpleCb) cb).seen = true;
  };
}
