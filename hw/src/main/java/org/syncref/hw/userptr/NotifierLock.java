package org.syncref.hw.userptr;

import org.syncref.kernel.Kernel;

/**
 * The driver's notifier lock, the "user provided lock" of mmu_interval_read_retry: xe's {@code
 * vm->userptr.notifier_lock} (an rw_semaphore: the exec reads, the invalidation writes),
 * amdgpu's {@code adev->notifier_lock} (a mutex; here its exec side is a reader too, as only one
 * exec runs). TLA+ {@code nlRead} of spec/GpuMem/GpuMemUserptr.tla. The system steps one thread
 * at a time, so a caller that would sleep does not step: {@link #canDownRead} and {@link
 * #canDownWrite} are the guards, and the down calls throw if called against them.
 */
public final class NotifierLock {
  private final Kernel kernel;
  private final String name;
  private int readers;
  private boolean writer;

  public NotifierLock(Kernel kernel, String name) {
    this.kernel = kernel;
    this.name = name;
  }

  /** Whether down_read would not sleep: no writer holds it. */
  public synchronized boolean canDownRead() {
    return !writer;
  }

  /** Whether down_write would not sleep: nobody holds it. */
  public synchronized boolean canDownWrite() {
    return !writer && readers == 0;
  }

  /** down_read (xe_exec_ioctl: {@code down_read_interruptible(&vm->userptr.notifier_lock)}). */
  public synchronized void downRead() {
    if (writer) {
      throw new IllegalStateException("down_read(" + name + ") would sleep: held for write");
    }
    readers++;
  }

  /** up_read: WARNs when not held for read (kernel/locking/rwsem.c __up_read, a CONFIG_DEBUG_RWSEMS check). */
  public synchronized void upRead() {
    if (kernel.warnOn(readers == 0, "up_read", "DEBUG_RWSEMS_WARN_ON(!is_rwsem_reader_owned(sem))", name)) {
      return;
    }
    readers--;
  }

  /** down_write (xe's vma_userptr_invalidate) / mutex_lock (amdgpu_hmm_invalidate_gfx). */
  public synchronized void downWrite() {
    if (!canDownWrite()) {
      throw new IllegalStateException("down_write(" + name + ") would sleep");
    }
    writer = true;
  }

  /** up_write / mutex_unlock: WARNs when not held for write (rwsem.c __up_write, CONFIG_DEBUG_RWSEMS). */
  public synchronized void upWrite() {
    if (kernel.warnOn(!writer, "up_write", "DEBUG_RWSEMS_WARN_ON((rwsem_owner(sem) != current) && ...)", name)) {
      return;
    }
    writer = false;
  }

  /** Readers holding it. */
  public synchronized int readers() {
    return readers;
  }

  /** Whether a writer holds it. */
  public synchronized boolean writeHeld() {
    return writer;
  }

  @Override
  public String toString() {
    return name;
  }
}
