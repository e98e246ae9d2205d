package org.syncref.hw;

import org.syncref.fence.DmaFence;

/**
 * A unit of work submitted to an {@link Engine}; subclass and override {@link #run()} for work
 * that happens when the engine executes it, just before its fence signals.
 */
public class Job {
  private final String name;
  private volatile DmaFence fence;

  /** A job called {@code name}. */
  public Job(String name) {
    this.name = name;
  }

  /** The job's name. */
  public String name() {
    return name;
  }

  /** The job's hardware fence once submitted (the ring's reference; do not put it), else null. */
  public DmaFence fence() {
    return fence;
  }

  void attach(DmaFence f) {
    this.fence = f;
  }

  /** The work the engine does for this job; runs before the fence signals. Default: nothing. */
  protected void run() {
  }

  @Override
  public String toString() {
    return "job[" + name + (fence == null ? "" : "#" + fence.seqno()) + "]";
  }
}
