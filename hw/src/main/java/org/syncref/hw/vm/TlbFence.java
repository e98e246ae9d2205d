package org.syncref.hw.vm;

import org.syncref.fence.DmaFence;

/**
 * A TLB flush fence (struct amdgpu_tlb_fence, drivers/gpu/drm/amd/amdgpu/amdgpu_vm_tlb_fence.c,
 * 6.12.118): a fence of the VM's TLB fence context that signals when the TLB flush ordered after
 * a page-table update is done. TLA+ spec/GpuMem/GpuMemTlb.tla: a fence of {@code TlbFences}
 * with {@code jobDeps = {u}} (its {@code dependency}), made in {@code TlbArm}, run in {@code
 * RunTlbFlush}.
 *
 * <p>amdgpu_vm_tlb_fence_create:
 * <pre>
 *   f-&gt;dependency = *fence;
 *   ...
 *   dma_fence_init(&amp;f-&gt;base, &amp;amdgpu_tlb_fence_ops, &amp;f-&gt;lock,
 *                  vm-&gt;tlb_fence_context, atomic64_read(&amp;vm-&gt;tlb_seq));
 *   dma_fence_get(&amp;f-&gt;base);
 *   schedule_work(&amp;f-&gt;work);
 * </pre>
 * and the work (amdgpu_tlb_fence_work) waits for the dependency, flushes
 * (amdgpu_gmc_flush_gpu_tlb_pasid) and signals: {@link GpuVm#tlbFenceWork}.
 */
public final class TlbFence {
  private final DmaFence base;
  private final DmaFence dependency;

  TlbFence(DmaFence base, DmaFence dependency) {
    this.base = base;
    this.dependency = dependency;
  }

  /** &amp;f-&gt;base. */
  public DmaFence fence() {
    return base;
  }

  /** f-&gt;dependency: the page-table update the flush waits for; null with {@code flush_before_update}. */
  public DmaFence dependency() {
    return dependency;
  }

  /** Whether the work can run to its end now: the dependency (if any) has signaled. */
  public boolean ready() {
    return dependency == null || dependency.isSignaled();
  }

  @Override
  public String toString() {
    return "tlb" + base.seqno();
  }
}
