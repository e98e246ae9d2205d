package org.syncref.hw.ttm;

import java.util.List;

import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;

/**
 * TLA+ {@code Driver = "i915"}: implicit sync for every submission, and an eviction copy that
 * leaves BOOKKEEP fences out. Kernel (6.12.118):
 * <ul>
 *   <li>i915_gem_execbuffer.c eb_move_to_gpu → i915_request_await_object: the request waits
 *       for {@code dma_resv_usage_rw(write)} of each object (a writer for READ, a reader for
 *       WRITE), the same query as {@link GenericPolicy}'s "read" and "write";</li>
 *   <li>i915_vma.c _i915_vma_move_to_active: the fence added as {@code DMA_RESV_USAGE_WRITE}
 *       for EXEC_OBJECT_WRITE, else {@code DMA_RESV_USAGE_READ};</li>
 *   <li>i915_gem_ttm_move.c i915_ttm_move → i915_deps.c i915_deps_add_resv:
 *       <pre>
 *   dma_resv_for_each_fence(&amp;iter, resv, dma_resv_usage_rw(true), fence) {
 *       </pre>
 *       the copy waits up to READ ({@code EvictQuery["i915"]}), the reading the spec's mutant
 *       evict_skips_bookkeep has, made safe because i915 adds no BOOKKEEP fence in 6.12 (no
 *       dma_resv_add_fence with DMA_RESV_USAGE_BOOKKEEP under drivers/gpu/drm/i915).</li>
 * </ul>
 */
public final class I915Policy implements DriverPolicy {
  @Override
  public String name() {
    return "i915";
  }

  @Override
  public List<SubmitMode> modes() {
    return List.of(SubmitMode.READ, SubmitMode.WRITE);
  }

  @Override
  public SubmitMode writer() {
    return SubmitMode.WRITE;
  }

  /** {@code LockedDeps(o, QueryOf(m))}: {@link ExecSubmit#implicitDependencies}. */
  @Override
  public void addSubmitDependencies(TtmDevice dev, DrmSchedJob job, DmaResv resv, SubmitMode mode) {
    ExecSubmit.implicitDependencies(dev, job, resv, mode);
  }

  @Override
  public DmaResvUsage evictQuery() {
    return DmaResvUsage.READ;
  }
}
