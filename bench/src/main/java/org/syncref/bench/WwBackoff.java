package org.syncref.bench;

import org.syncref.kernel.Errno;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwMutex;

/**
 * The ww_mutex acquire loop of Documentation/locking/ww-mutex-design.rst ({@code lock_objs}),
 * as impl's test utility {@code org.syncref.ww.WwLockAll} has it (test classes are not on the
 * benchmark class path), on an array so that a transaction allocates nothing of its own: lock
 * every mutex with one context; on -EDEADLK unlock everything, sleep on the contended mutex with
 * ww_mutex_lock_slow and retry the others, skipping the one lock_slow already took.
 */
final class WwBackoff {
  private WwBackoff() {}

  /**
   * Locks {@code locks[0..n-1]} (distinct mutexes of the context's class) with {@code ctx}; on
   * return all of them are held.
   *
   * @return how many times the loop backed off (-EDEADLK)
   * @throws IllegalStateException on any other error (there is none without signals)
   */
  static int lockAll(WwMutex[] locks, int n, WwAcquireContext ctx) {
    int backoffs = 0;
    WwMutex resObj = null; // the contended lock taken by lock_slow
    for (;;) {
      int ret = 0;
      int i;
      for (i = 0; i < n; i++) {
        WwMutex m = locks[i];
        if (m == resObj) {
          resObj = null; // already held, by lock_slow
          continue;
        }
        ret = m.lock(ctx);
        if (ret < 0) {
          break;
        }
      }
      if (ret == 0) {
        return backoffs;
      }
      // locks[0..i-1] are held: each was locked here or was the lock_slow one.
      for (int j = i - 1; j >= 0; j--) {
        locks[j].unlock();
      }
      if (resObj != null) {
        resObj.unlock(); // taken by lock_slow, lies after the failing lock
        resObj = null;
      }
      if (ret != -Errno.EDEADLK) {
        throw new IllegalStateException("bench ww: ww_mutex_lock returned " + ret + " on " + locks[i]);
      }
      backoffs++;
      WwMutex contended = locks[i];
      contended.lockSlow(ctx);
      resObj = contended;
    }
  }

  /** Unlocks {@code locks[0..n-1]}, last first. */
  static void unlockAll(WwMutex[] locks, int n) {
    for (int j = n - 1; j >= 0; j--) {
      locks[j].unlock();
    }
  }
}
