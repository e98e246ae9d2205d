package org.syncref.hw.userptr;

import org.syncref.hw.ttm.HwBug;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResvUsage;

/**
 * An invalidation of the userptr's range by the core mm (munmap, migration, swap-out), one step
 * a {@link #step}: mm/mmu_notifier.c mn_itree_invalidate with the driver's invalidate callback
 * (TLA+ {@code mop}: {@code InvStart} ... {@code InvEnd} of spec/GpuMem/GpuMemUserptr.tla):
 * <ol>
 *   <li>mn_itree_inv_start_range: {@code subscriptions->invalidate_seq |= 1}, cur_seq;</li>
 *   <li>the callback takes the notifier lock for write and {@code mmu_interval_set_seq(mni,
 *       cur_seq)};</li>
 *   <li>it waits for every fence of the resv: {@code dma_resv_wait_timeout(resv,
 *       DMA_RESV_USAGE_BOOKKEEP, false, MAX_SCHEDULE_TIMEOUT)}, and returns;</li>
 *   <li>the core mm unmaps the pages (their tenure ends);</li>
 *   <li>mn_itree_inv_end: {@code subscriptions->invalidate_seq++}.</li>
 * </ol>
 * Where the wait sits: {@code waitUnderLock = false} is drm-vm-bind-locking.rst's
 * gpu_vma_userptr_invalidate (up_write, then the wait) and the spec; {@code true} is what 6.12's
 * drivers do, waiting inside the write section: amdgpu_hmm.c amdgpu_hmm_invalidate_gfx
 * ({@code mutex_lock(&adev->notifier_lock); mmu_interval_set_seq(mni, cur_seq); r =
 * dma_resv_wait_timeout(bo->tbo.base.resv, DMA_RESV_USAGE_BOOKKEEP, ...);
 * mutex_unlock(&adev->notifier_lock);}) and xe_vm.c vma_userptr_invalidate → {@code
 * __vma_userptr_invalidate} ({@code dma_resv_wait_timeout(xe_vm_resv(vm),
 * DMA_RESV_USAGE_BOOKKEEP, ...)} between down_write and up_write). The wait is a step's guard:
 * the step runs once the resv's fences have signaled.
 *
 * <p>Mutant {@link HwBug#INVAL_WAITS_READ}: the wait queries READ, not BOOKKEEP.
 */
public final class MmuInvalidation {
  /** The next step (TLA+ {@code mop}: the step just done). */
  public enum Step {
    START("InvStart"), SET_SEQ("InvSetSeq"), WAIT("InvWait"), UNMAP("InvUnmap"), END("InvEnd");

    /** The TLA+ action. */
    public final String action;

    Step(String action) {
      this.action = action;
    }
  }

  private final Kernel kernel;
  private final MmuNotifierSubscriptions mm;
  private final UserptrBo bo;
  private final NotifierLock lock;
  private final boolean waitUnderLock;
  private Step step = Step.START;
  private long curSeq;
  private int done;

  MmuInvalidation(Kernel kernel, MmuNotifierSubscriptions mm, UserptrBo bo, NotifierLock lock, boolean waitUnderLock) {
    this.kernel = kernel;
    this.mm = mm;
    this.bo = bo;
    this.lock = lock;
    this.waitUnderLock = waitUnderLock;
  }

  /** The next step. */
  public Step next() {
    return step;
  }

  /** Whether no invalidation is under way (the next step starts one). */
  public boolean idle() {
    return step == Step.START;
  }

  /** Invalidations completed. */
  public int completed() {
    return done;
  }

  /** The usage the callback waits with: BOOKKEEP; READ with {@link HwBug#INVAL_WAITS_READ}. */
  DmaResvUsage waitUsage() {
    return HwBug.INVAL_WAITS_READ.in(kernel) ? DmaResvUsage.READ : DmaResvUsage.BOOKKEEP;
  }

  /** Whether the next step would not sleep: down_write, and the fence wait. */
  public boolean canStep() {
    return switch (step) {
      case SET_SEQ -> lock.canDownWrite();
      case WAIT -> bo.resv().testSignaled(waitUsage()); // dma_resv_wait_timeout would return now
      default -> true;
    };
  }

  /** Makes the next step. */
  public void step() {
    if (!canStep()) {
      throw new IllegalStateException(step.action + " would sleep");
    }
    switch (step) {
      case START -> {
        curSeq = mm.invStartRange(); // mn_itree_inv_start_range
        step = Step.SET_SEQ;
      }
      case SET_SEQ -> {
        lock.downWrite();
        bo.notifier().setSeq(curSeq); // mmu_interval_set_seq
        if (!waitUnderLock) {
          lock.upWrite();
        }
        step = Step.WAIT;
      }
      case WAIT -> {
        if (waitUnderLock) {
          lock.upWrite();
        }
        bo.releasedTenure = bo.pagesTenure; // the callback returns true
        step = Step.UNMAP;
      }
      case UNMAP -> {
        bo.pagesTenure++; // the core mm unmaps; the pages may be freed and reused
        step = Step.END;
      }
      case END -> {
        mm.invEnd(); // mn_itree_inv_end
        done++;
        step = Step.START;
      }
      default -> throw new IllegalStateException();
    }
  }
}
