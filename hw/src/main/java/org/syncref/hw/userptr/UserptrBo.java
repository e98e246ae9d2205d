package org.syncref.hw.userptr;

import org.syncref.exec.GemObject;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;

/**
 * A userptr: a range of a process's memory mapped into the GPU without pinning, with its MMU
 * interval notifier (drm-vm-bind-locking.rst, "userptr gpu_vmas"; amdgpu: an amdgpu_bo with
 * {@code bo->notifier} and a ttm_tt of user pages, amdgpu_hmm.c; xe: a struct xe_userptr_vma,
 * xe_vm.c). The reservation object the exec publishes its fence in and the invalidation waits
 * on is {@link #resv} (TLA+ {@code UserObj}: amdgpu's {@code bo->tbo.base.resv}, xe's {@code
 * xe_vm_resv(vm)}).
 *
 * <p>The pages are counted by tenure (TLA+ {@code tenure[UserPages]}): the set of pages that
 * backs the range now is tenure {@link #pagesTenure}; the core mm's unmap after an invalidation
 * ends it, and the next fault brings the next. {@link #boundTenure} is the tenure of the pages
 * the userptr's page pointers refer to (TLA+ {@code upBind}), {@link #savedSeq} the notifier
 * sequence they were obtained under (doc: {@code gpu_vma->saved_seq}; xe: {@code
 * userptr->notifier_seq}; TLA+ {@code savedSeq}, 0: none yet).
 */
public final class UserptrBo {
  private final String name;
  private final GemObject base;
  private final MmuIntervalNotifier notifier;
  long savedSeq;
  long pagesTenure = 1;
  long boundTenure;
  long releasedTenure;

  /** A userptr of {@code mm} (mmu_interval_notifier_insert on its range). */
  public UserptrBo(Kernel kernel, String name, MmuNotifierSubscriptions mm) {
    this.name = name;
    this.base = new GemObject(kernel, name);
    this.notifier = new MmuIntervalNotifier(mm);
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The reservation object (TLA+ {@code UserObj}). */
  public DmaResv resv() {
    return base.resv();
  }

  /** The interval notifier ({@code bo->notifier}, {@code userptr->notifier}). */
  public MmuIntervalNotifier notifier() {
    return notifier;
  }

  /** The saved notifier sequence (0: none). */
  public long savedSeq() {
    return savedSeq;
  }

  /** The tenure of the pages that back the range now. */
  public long pagesTenure() {
    return pagesTenure;
  }

  /** The tenure of the pages the page pointers refer to (0: none obtained yet). */
  public long boundTenure() {
    return boundTenure;
  }

  /**
   * The last tenure whose invalidation callback has returned: "When this invalidation notifier
   * returns, the GPU can no longer be accessing the old pages of the userptr gpu_vma"
   * (drm-vm-bind-locking.rst).
   */
  public long releasedTenure() {
    return releasedTenure;
  }

  @Override
  public String toString() {
    return name;
  }
}
