package org.syncref.fence;

/**
 * A fence callback node (struct dma_fence_cb): queued on at most one fence at a time by
 * {@link DmaFence#addCallback}; subclass it to carry the callback's data.
 *
 * <p>The node's list state is guarded by the lock of the fence it is queued on.
 */
public class DmaFenceCb {
  /** The fence whose cb_list holds this node; null is list_empty(&cb->node). */
  DmaFence queuedOn;
  /** cb->func, set by addCallback. */
  DmaFenceFunc func;

  /** An idle node (INIT_LIST_HEAD). */
  public DmaFenceCb() {
  }

  /**
   * Read-only observability: the fence this node is queued on, or null when the node is empty
   * (never added, removed, already ran, or its add returned -ENOENT).
   */
  public final DmaFence queuedOn() {
    return queuedOn;
  }

  /** Whether this is a private callback of the core (a sleeping wait's wake-up node). */
  boolean isPrivate() {
    return false;
  }
}
