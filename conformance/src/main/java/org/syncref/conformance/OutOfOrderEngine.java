package org.syncref.conformance;

import java.util.List;
import org.syncref.fence.DmaFenceOps;
import org.syncref.hw.Engine;
import org.syncref.hw.Job;
import org.syncref.kernel.Kernel;

/** A broken engine for negative controls: it completes the newest pending job first. */
public final class OutOfOrderEngine extends Engine {
  public OutOfOrderEngine(Kernel kernel, DmaFenceOps ops, String name, int capacity) {
    super(kernel, ops, name, capacity);
  }

  @Override
  protected int nextToComplete(List<Job> ring) {
    return ring.size() - 1;
  }
}
