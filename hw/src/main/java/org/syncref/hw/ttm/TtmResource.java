package org.syncref.hw.ttm;

/**
 * A struct ttm_resource: one allocation of a range, to one buffer object (or, after a move, to
 * the ghost object that holds the old range until it is idle). Its {@link #tenure} is the
 * how-manieth allocation of the range this is (TLA+ {@code tenure[r]} when it was allocated).
 */
public final class TtmResource {
  private final TtmRange range;
  private final long tenure;
  private TtmBufferObject bo;
  private boolean freed;
  private int frees;

  TtmResource(TtmRange range, long tenure, TtmBufferObject bo) {
    this.range = range;
    this.tenure = tenure;
    this.bo = bo;
  }

  /** The range. */
  public TtmRange range() {
    return range;
  }

  /** The how-manieth allocation of the range this is (1, 2, ...). */
  public long tenure() {
    return tenure;
  }

  /** res-&gt;bo: the object that owns it (TLA+ {@code owner[r]}). */
  public TtmBufferObject bo() {
    return bo;
  }

  /** ttm_resource_set_bo. */
  void setBo(TtmBufferObject b) {
    this.bo = b;
  }

  /** Whether ttm_resource_free gave it back. */
  public boolean isFreed() {
    return freed;
  }

  void markFreed() {
    freed = true;
  }

  /** How many times ttm_resource_free was called on it (the fault ledger: exactly once, or 0 while owned). */
  public int frees() {
    return frees;
  }

  void countFree() {
    frees++;
  }

  @Override
  public String toString() {
    return range + "@" + tenure;
  }
}
