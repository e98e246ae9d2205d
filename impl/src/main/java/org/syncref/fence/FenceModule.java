package org.syncref.fence;

/**
 * A kernel module (driver) that issues fences and owns their {@link DmaFenceOps}; it can be
 * unloaded, after which any use of its ops oopses.
 *
 * <p>{@link #unload()} does not check the driver protocol of the TLA+ action ModuleUnload (every
 * live fence signaled, ops without release or wait): a test may unload too early on purpose, and
 * the next ops access then throws {@link org.syncref.kernel.ModuleUnloadedOops}.
 */
public class FenceModule {
  private final String name;
  private final boolean builtin;
  private volatile boolean loaded = true;

  /** A loadable module called {@code name}, loaded. */
  public FenceModule(String name) {
    this(name, false);
  }

  private FenceModule(String name, boolean builtin) {
    this.name = name;
    this.builtin = builtin;
  }

  /** Built-in code (such as dma-fence.c's stub ops) that can never be unloaded. */
  public static FenceModule builtin(String name) {
    return new FenceModule(name, true);
  }

  /** The module's name. */
  public String name() {
    return name;
  }

  /** Whether the module's code and data are still present. */
  public boolean isLoaded() {
    return loaded;
  }

  /**
   * Unloads the module (rmmod).
   *
   * <p>TLA+ ModuleUnload(m), without its enabling condition (see the class comment).
   *
   * @throws UnsupportedOperationException for built-in code
   */
  public void unload() {
    if (builtin) {
      throw new UnsupportedOperationException(name + " is built in");
    }
    loaded = false;
  }

  @Override
  public String toString() {
    return name;
  }
}
