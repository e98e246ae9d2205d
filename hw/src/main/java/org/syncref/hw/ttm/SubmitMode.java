package org.syncref.hw.ttm;

import org.syncref.resv.DmaResvUsage;

/**
 * How a user submission uses its objects: TLA+ {@code JobModes} "read", "write", "explicit" of
 * spec/GpuMem/GpuMem.tla, with the query its dependencies use ({@code QueryOf}) and the usage
 * its fence is added with ({@code UsageOf}).
 */
public enum SubmitMode {
  /**
   * Implicit sync, reading: waits for dma_resv_usage_rw(false) = WRITE, fence added as READ
   * (etnaviv_gem_submit.c submit_fence_sync / submit_attach_object_fences).
   */
  READ(DmaResvUsage.WRITE, DmaResvUsage.READ),
  /** Implicit sync, writing: waits for dma_resv_usage_rw(true) = READ, fence added as WRITE. */
  WRITE(DmaResvUsage.READ, DmaResvUsage.WRITE),
  /**
   * Explicit sync (xe_exec.c xe_exec_ioctl): waits for KERNEL only ({@code
   * xe_sched_job_add_deps(job, obj->resv, DMA_RESV_USAGE_KERNEL)}), fence added as BOOKKEEP.
   */
  EXPLICIT(DmaResvUsage.KERNEL, DmaResvUsage.BOOKKEEP);

  private final DmaResvUsage query;
  private final DmaResvUsage usage;

  SubmitMode(DmaResvUsage query, DmaResvUsage usage) {
    this.query = query;
    this.usage = usage;
  }

  /** The usage the job's dependencies are queried with (TLA+ {@code QueryOf(m)}). */
  public DmaResvUsage query() {
    return query;
  }

  /** The usage the job's fence is added with (TLA+ {@code UsageOf(m)}). */
  public DmaResvUsage usage() {
    return usage;
  }
}
