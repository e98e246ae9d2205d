package org.syncref.hw.ttm;

import org.syncref.resv.DmaResvUsage;

/**
 * How a user submission uses its objects: TLA+ {@code JobModes} "read", "write", "explicit" of
 * spec/GpuMem/GpuMem.tla (and amdgpu's "amdgpu", "amdgpu_explicit"), with the query its dependencies use ({@code QueryOf}) and the usage
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
  EXPLICIT(DmaResvUsage.KERNEL, DmaResvUsage.BOOKKEEP),
  // driver policies (AmdgpuPolicy): TLA+ AmdgpuModes
  /**
   * amdgpu's submission on a BO without AMDGPU_GEM_CREATE_EXPLICIT_SYNC (amdgpu_cs.c
   * amdgpu_cs_sync_rings: AMDGPU_SYNC_NE_OWNER over a DMA_RESV_USAGE_BOOKKEEP walk, filtered by
   * owner in {@link AmdgpuPolicy}); the fence is added as WRITE (amdgpu_cs_submit: "The gang
   * leader as remembered as writer"). TLA+ mode "amdgpu".
   */
  AMDGPU(DmaResvUsage.BOOKKEEP, DmaResvUsage.WRITE),
  /**
   * amdgpu's submission on a BO created with AMDGPU_GEM_CREATE_EXPLICIT_SYNC
   * (AMDGPU_SYNC_EXPLICIT: only the moves are waited for), fence added as WRITE. TLA+ mode
   * "amdgpu_explicit".
   */
  AMDGPU_EXPLICIT(DmaResvUsage.BOOKKEEP, DmaResvUsage.WRITE);

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

  /** The spec's name of the mode (TLA+ {@code JobModes}): "read", "amdgpu_explicit", ... */
  public String specName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
