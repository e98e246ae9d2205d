package org.syncref.kernel;

/**
 * A call on an object whose memory has been freed (KASAN's "use-after-free"); for fences: any
 * kernel call on a fence after its last dma_fence_put.
 */
public class UseAfterFreeBug extends KernelBug {
  private static final long serialVersionUID = 1L;

  private final transient Object object;

  /**
   * @param function kernel function called on the freed object
   * @param object   the freed object
   */
  public UseAfterFreeBug(String function, Object object) {
    super(function, "use-after-free of " + object);
    this.object = object;
  }

  /** The freed object. */
  public Object object() {
    return object;
  }
}
