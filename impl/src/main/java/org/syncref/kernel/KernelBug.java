package org.syncref.kernel;

/**
 * A kernel BUG() or oops: the simulated kernel would have crashed here, so the call does not
 * return normally.
 */
public class KernelBug extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String function;

  /**
   * @param function kernel function in which the BUG fires
   * @param message  what went wrong
   */
  public KernelBug(String function, String message) {
    super(function + ": " + message);
    this.function = function;
  }

  /** The kernel function in which the BUG fired. */
  public String function() {
    return function;
  }
}
