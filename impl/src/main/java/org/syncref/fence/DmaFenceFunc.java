package org.syncref.fence;

/**
 * A fence callback function (dma_fence_func_t): called once, with the fence lock held, when the
 * fence signals.
 */
@FunctionalInterface
public interface DmaFenceFunc {
  /**
   * @param fence the fence that signaled
   * @param cb    the callback node passed to addCallback (subclass it to carry data, as C code
   *              uses container_of)
   */
  void call(DmaFence fence, DmaFenceCb cb);
}
