/**
 * A small hardware model on top of the reference implementation: GPU engines that execute jobs
 * from a bounded ring and signal one fence per job, as amdgpu and i915 rings do.
 *
 * <p>Conventions: an engine owns one fence context (dma_fence_context_alloc(1)) and numbers its
 * fences 1, 2, ... with 32-bit wrap-around comparison (dma_fence_init), as amdgpu's ring->fence_drv
 * does; fences complete in submission order unless a subclass overrides
 * {@link org.syncref.hw.Engine#nextToComplete}. Kernel conventions as in {@code org.syncref.kernel}.
 * Depends on {@code org.syncref.impl} only.
 */
package org.syncref.hw;
