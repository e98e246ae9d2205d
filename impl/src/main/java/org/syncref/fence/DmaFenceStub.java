package org.syncref.fence;

import org.syncref.kernel.Kernel;

/**
 * The stub fences of drivers/dma-buf/dma-fence.c: an already signaled fence with context 0 and
 * seqno 0, for callers that need "a fence" where nothing has to be waited for.
 *
 * <p>dma_fence_get_stub() returns a reference to one global stub, signaled once at subsys_initcall
 * (here: on first use in a {@link Kernel}); dma_fence_allocate_private_stub() allocates a new one.
 * Not TLA+ actions (the spec's contexts start at 1).
 */
public final class DmaFenceStub {
  private final DmaFence stub;
  private final DmaFenceOps ops;

  private DmaFenceStub(Kernel kernel) {
    this.ops = DmaFenceOps.names(FenceModule.builtin("dma-fence"), "stub", "stub");
    this.stub = signaledStub(kernel, ops); // dma_fence_init_stub()
  }

  private static DmaFence signaledStub(Kernel kernel, DmaFenceOps ops) {
    DmaFence f = DmaFence.init(kernel, ops, 0, 0);
    f.enableSignaling(); // set_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT); stub ops have no enable op
    f.signal();
    return f;
  }

  private static DmaFenceStub of(Kernel kernel) {
    return kernel.subsystem(DmaFenceStub.class, DmaFenceStub::new);
  }

  /** Kernel dma_fence_get_stub(): a new reference to the kernel's global signaled stub. */
  public static DmaFence getStub(Kernel kernel) {
    return of(kernel).stub.get();
  }

  /** Kernel dma_fence_allocate_private_stub(): a new signaled stub owned by the caller (refcount 1). */
  public static DmaFence allocatePrivateStub(Kernel kernel) {
    return signaledStub(kernel, of(kernel).ops);
  }
}
