package org.syncref.hw.userptr;

/**
 * The interval-tree side of an mm's struct mmu_notifier_subscriptions (mm/mmu_notifier.c, Debian
 * linux-source-6.12, 6.12.118): its {@code invalidate_seq}, odd while an invalidation of some
 * interval runs. TLA+ {@code sseq} of spec/GpuMem/GpuMemUserptr.tla.
 */
public final class MmuNotifierSubscriptions {
  /** mmu_notifier_register: {@code subscriptions->invalidate_seq = 2}. */
  private long invalidateSeq = 2;

  /** subscriptions-&gt;invalidate_seq. */
  public synchronized long invalidateSeq() {
    return invalidateSeq;
  }

  /** Kernel mn_itree_is_invalidating: {@code return subscriptions->invalidate_seq & 1;}. */
  public synchronized boolean isInvalidating() {
    return (invalidateSeq & 1) == 1;
  }

  /**
   * Kernel mn_itree_inv_start_range, for a range that hits an interval: {@code
   * subscriptions->invalidate_seq |= 1; *seq = subscriptions->invalidate_seq;}. TLA+ {@code
   * InvStart}.
   *
   * @return cur_seq, the odd sequence the callbacks get
   */
  synchronized long invStartRange() {
    invalidateSeq |= 1;
    return invalidateSeq;
  }

  /**
   * Kernel mn_itree_inv_end: {@code subscriptions->invalidate_seq++} ("Make invalidate_seq
   * even"), then wake_up_all(&amp;subscriptions-&gt;wq) (the readers waiting in
   * mmu_interval_read_begin). TLA+ {@code InvEnd}.
   */
  synchronized void invEnd() {
    invalidateSeq++;
  }
}
