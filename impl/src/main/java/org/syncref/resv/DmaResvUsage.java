package org.syncref.resv;

/**
 * enum dma_resv_usage (include/linux/dma-resv.h): how the operation behind a fence uses the
 * resource, in the kernel's order; a lower value is stronger, and a query with usage U covers
 * every entry whose usage is U or stronger (ordinal &lt;= U's).
 *
 * <p>TLA+ {@code KERNEL == 0 .. BOOKKEEP == 3} in {@code spec/DmaResv/DmaResv.tla}.
 */
public enum DmaResvUsage {
  /** DMA_RESV_USAGE_KERNEL: in-kernel memory management (copies, clears); always waited for. */
  KERNEL,
  /** DMA_RESV_USAGE_WRITE: implicit write synchronization of userspace submissions. */
  WRITE,
  /** DMA_RESV_USAGE_READ: implicit read synchronization of userspace submissions. */
  READ,
  /** DMA_RESV_USAGE_BOOKKEEP: no implicit sync (preemption fences, page-table updates, ...). */
  BOOKKEEP;

  /**
   * The usage a new implicitly synced access must wait for: READ for a writer (it waits for
   * readers and writers), WRITE for a reader (it waits for writers only).
   *
   * <p>Kernel dma_resv_usage_rw(write); not a TLA+ action.
   */
  public static DmaResvUsage rw(boolean write) {
    // This looks confusing at first sight, but is indeed correct (include/linux/dma-resv.h).
    return write ? READ : WRITE;
  }

  /**
   * Whether a query with this usage returns an entry of usage {@code entry}: {@code entry <=
   * this} in the kernel's order (the unlocked walk's {@code cursor->usage >= fence_usage}).
   */
  public boolean covers(DmaResvUsage entry) {
    return entry.ordinal() <= ordinal();
  }
}
