package org.syncref.hw.userptr;

/**
 * A struct mmu_interval_notifier (include/linux/mmu_notifier.h, mm/mmu_notifier.c; Debian
 * linux-source-6.12, 6.12.118): the driver's subscription to invalidations of one VA range, with
 * its {@code invalidate_seq} (TLA+ {@code iseq}). The read side (the driver's exec) is {@link
 * #readBegin} ... {@link #readRetry}; the write side (the invalidate callback) is {@link #setSeq}.
 */
public final class MmuIntervalNotifier {
  private final MmuNotifierSubscriptions subscriptions;
  private long invalidateSeq;

  /**
   * Kernel mmu_interval_notifier_insert with no invalidation running ({@code
   * interval_sub->invalidate_seq = subscriptions->invalidate_seq - 1}: odd, and not the next
   * invalidation's sequence).
   *
   * @throws IllegalStateException if an invalidation runs (the other branch is not modelled)
   */
  public MmuIntervalNotifier(MmuNotifierSubscriptions subscriptions) {
    if (subscriptions.isInvalidating()) {
      throw new IllegalStateException("mmu_interval_notifier_insert during an invalidation is not modelled");
    }
    this.subscriptions = subscriptions;
    this.invalidateSeq = subscriptions.invalidateSeq() - 1;
  }

  /** interval_sub-&gt;invalidate_seq. */
  public synchronized long invalidateSeq() {
    return invalidateSeq;
  }

  /**
   * Whether mmu_interval_read_begin would sleep now: an invalidation of this interval has set
   * its sequence and not ended ({@code is_invalidating = seq == subscriptions->invalidate_seq}).
   */
  public synchronized boolean readBeginWouldWait() {
    return invalidateSeq == subscriptions.invalidateSeq();
  }

  /**
   * Kernel mmu_interval_read_begin (mm/mmu_notifier.c):
   * <pre>
   *   seq = READ_ONCE(interval_sub-&gt;invalidate_seq);
   *   is_invalidating = seq == subscriptions-&gt;invalidate_seq;
   *   ...
   *   if (is_invalidating)
   *           wait_event(subscriptions-&gt;wq,
   *                      READ_ONCE(subscriptions-&gt;invalidate_seq) != seq);
   *   return seq;
   * </pre>
   * The caller steps only when it would not sleep ({@link #readBeginWouldWait}). TLA+ {@code
   * UReadBegin}.
   *
   * @throws IllegalStateException if it would sleep
   */
  public synchronized long readBegin() {
    if (readBeginWouldWait()) {
      throw new IllegalStateException("mmu_interval_read_begin would sleep until the invalidation ends");
    }
    return invalidateSeq;
  }

  /**
   * Kernel mmu_interval_read_retry(interval_sub, seq): {@code return interval_sub->invalidate_seq
   * != seq;}. "This MUST be called under a user provided lock that is also held unconditionally
   * by op-&gt;invalidate() when it calls mmu_interval_set_seq()." TLA+ {@code UCheck}.
   */
  public synchronized boolean readRetry(long seq) {
    return invalidateSeq != seq;
  }

  /**
   * Kernel mmu_interval_check_retry(interval_sub, seq): the same test without the lock; "False is
   * not reliable and only suggests a collision may not have occurred."
   */
  public synchronized boolean checkRetry(long seq) {
    return invalidateSeq != seq;
  }

  /**
   * Kernel mmu_interval_set_seq(interval_sub, cur_seq): {@code WRITE_ONCE(interval_sub->invalidate_seq,
   * cur_seq)}, called by the invalidate callback under the driver's lock. TLA+ {@code InvSetSeq}.
   */
  public synchronized void setSeq(long curSeq) {
    invalidateSeq = curSeq;
  }
}
