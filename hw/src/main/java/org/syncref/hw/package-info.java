/**
 * A small hardware model on top of the reference implementation: GPU engines that execute jobs
 * from a bounded ring and signal one fence per job, as amdgpu and i915 rings do.
 *
 * <p>Conventions: an engine owns one fence context (dma_fence_context_alloc(1)) and numbers its
 * fences 1, 2, ... with 32-bit wrap-around comparison (dma_fence_init), as amdgpu's ring->fence_drv
 * does; fences complete in submission order unless a subclass overrides
 * {@link org.syncref.hw.Engine#nextToComplete}. Kernel conventions as in {@code org.syncref.kernel}.
 * Depends on {@code org.syncref.impl} only.
 *
 * <p>Subpackages: {@code org.syncref.hw.sched} (a drm_sched-like scheduler in front of the
 * engines) and {@code org.syncref.hw.ttm} (a TTM-like memory manager, submissions, and the
 * checks of spec/GpuMem). Two packages, not one: the scheduler knows nothing of memory (a job's
 * memory work is a hook, {@code DrmSchedJob.onHardwareRun}), as drm_sched knows nothing of TTM.
 */
package org.syncref.hw;
