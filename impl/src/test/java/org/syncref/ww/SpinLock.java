package org.syncref.ww;

import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.kernel.Lockdep;

/**
 * A raw_spinlock_t as lib/locking-selftest.c uses it (L(x), U(x), spin_lock_nest_lock): lockdep
 * sees a lock of wait type LD_WAIT_SPIN. Single-threaded test helper, not a kernel model.
 */
final class SpinLock {
  private final Kernel kernel;
  private final Lockdep.Map depMap;
  private boolean locked;

  SpinLock(Kernel kernel, Lockdep.LockClass lockClass, String name) {
    this.kernel = kernel;
    this.depMap = new Lockdep.Map(lockClass, name);
  }

  /** A raw spinlock class ({@code DEFINE_RAW_SPINLOCK} with its own key). */
  static Lockdep.LockClass spinClass(String name) {
    return new Lockdep.LockClass(name, Lockdep.WaitType.SPIN);
  }

  Lockdep.Map depMap() {
    return depMap;
  }

  /** spin_lock(x). */
  void lock() {
    lockNestLock(null);
  }

  /** spin_lock_nest_lock(x, nest). */
  void lockNestLock(Lockdep.Map nest) {
    Lockdep.of(kernel).acquire("spin_lock", depMap, false, nest);
    if (locked) {
      throw new KernelBug("spin_lock", "spinlock recursion on " + depMap);
    }
    locked = true;
  }

  /** spin_unlock(x). */
  void unlock() {
    Lockdep.of(kernel).release("spin_unlock", depMap);
    locked = false;
  }
}
