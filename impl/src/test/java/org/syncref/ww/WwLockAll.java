package org.syncref.ww;

import java.util.ArrayList;
import java.util.List;

import org.syncref.kernel.Errno;

/**
 * The textbook acquire loop of Documentation/locking/ww-mutex-design.rst ({@code lock_objs}):
 * lock every mutex of a list with one context; on -EDEADLK unlock everything, sleep on the
 * contended mutex with ww_mutex_lock_slow and retry, skipping the mutex already held. A test
 * utility, not a kernel function (drm_exec is the kernel's helper for this).
 */
final class WwLockAll {
  /**
   * @param ret      0, or the first error other than -EDEADLK (nothing is held then)
   * @param backoffs how many times the loop backed off (-EDEADLK)
   */
  record Result(int ret, int backoffs) {
  }

  private WwLockAll() {
  }

  /** Locks all of {@code locks} with {@code ctx}; on success all are held. */
  static Result lockAll(List<WwMutex> locks, WwAcquireContext ctx) {
    int backoffs = 0;
    WwMutex resObj = null; // the contended lock taken by lock_slow
    for (;;) {
      int ret = 0;
      int i;
      List<WwMutex> held = new ArrayList<>();
      for (i = 0; i < locks.size(); i++) {
        WwMutex m = locks.get(i);
        if (m == resObj) {
          resObj = null; // already held, by lock_slow
          held.add(m);
          continue;
        }
        ret = m.lock(ctx);
        if (ret < 0) {
          break;
        }
        held.add(m);
      }
      if (ret == 0) {
        return new Result(0, backoffs);
      }
      for (int j = held.size() - 1; j >= 0; j--) {
        held.get(j).unlock();
      }
      if (resObj != null) {
        resObj.unlock(); // taken by lock_slow, lies after the failing lock
        resObj = null;
      }
      if (ret != -Errno.EDEADLK) {
        return new Result(ret, backoffs);
      }
      backoffs++;
      WwMutex contended = locks.get(i);
      contended.lockSlow(ctx);
      resObj = contended;
    }
  }

  /** Unlocks all of {@code locks}, last first. */
  static void unlockAll(List<WwMutex> locks) {
    for (int j = locks.size() - 1; j >= 0; j--) {
      locks.get(j).unlock();
    }
  }
}
