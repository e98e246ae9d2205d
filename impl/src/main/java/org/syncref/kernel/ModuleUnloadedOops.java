package org.syncref.kernel;

/**
 * An oops from calling into (or reading the ops table of) a module that has been unloaded: the
 * code and data are gone, so the kernel faults ([FENCE-OPS-RCU]; the 2025 dma_fence
 * module-lifetime series).
 */
public class ModuleUnloadedOops extends KernelBug {
  private static final long serialVersionUID = 1L;

  private final String module;
  private final transient Object subject;

  /**
   * @param function kernel function that dereferenced the ops
   * @param module   name of the unloaded module
   * @param subject  the object whose ops were used (usually a fence)
   */
  public ModuleUnloadedOops(String function, String module, Object subject) {
    super(function, "BUG: unable to handle page fault: ops of unloaded module " + module
        + " reached through " + subject);
    this.module = module;
    this.subject = subject;
  }

  /** Name of the unloaded module. */
  public String module() {
    return module;
  }

  /** The object whose ops were used. */
  public Object subject() {
    return subject;
  }
}
