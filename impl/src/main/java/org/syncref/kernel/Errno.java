package org.syncref.kernel;

/**
 * Linux errno values used by the modelled kernel calls (include/uapi/asm-generic/errno-base.h,
 * include/uapi/asm-generic/errno.h, include/linux/errno.h); functions return them negated.
 */
public final class Errno {
  /** No such file or directory: dma_fence_add_callback on a signaled fence. */
  public static final int ENOENT = 2;
  /** Interrupted system call: a mutex_lock_interruptible / ww_mutex_lock_interruptible sleep ended by a signal. */
  public static final int EINTR = 4;
  /** I/O error: i915 marks requests with it when the GPU is wedged. */
  public static final int EIO = 5;
  /** Out of memory. */
  public static final int ENOMEM = 12;
  /** Device or resource busy. */
  public static final int EBUSY = 16;
  /** Invalid argument: dma_fence_wait_timeout with a negative timeout. */
  public static final int EINVAL = 22;
  /**
   * Resource deadlock: the error of a fence released with pending callbacks, and ww_mutex_lock's
   * "back off" (the acquire context must unlock everything and lock_slow the contended lock).
   */
  public static final int EDEADLK = 35;
  /** No data available: suggested fence error in include/linux/dma-fence.h. */
  public static final int ENODATA = 61;
  /** Timer expired: suggested fence error for a job that timed out. */
  public static final int ETIME = 62;
  /** Operation already in progress: ww_mutex_lock on a ww_mutex the acquire context already holds. */
  public static final int EALREADY = 114;
  /** Operation canceled: amdgpu's error for fences force-completed on reset. */
  public static final int ECANCELED = 125;
  /** Interrupted wait, to be restarted (kernel-internal, include/linux/errno.h). */
  public static final int ERESTARTSYS = 512;
  /** Largest errno value (include/linux/err.h); dma_fence_set_error accepts -MAX_ERRNO..-1. */
  public static final int MAX_ERRNO = 4095;

  private Errno() {
  }
}
