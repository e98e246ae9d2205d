package org.syncref.sched;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A scheduler that really blocks the calling thread, with HZ = 1000 (one jiffy is one
 * millisecond) and Java thread interrupts standing for signals.
 *
 * <p>Wakeups use {@link LockSupport} permits, so a {@code wakeUpProcess} that comes before the
 * sleep makes the sleep return at once, as the kernel's TASK_RUNNING reset does. A thread with
 * its interrupt flag set that sleeps in TASK_INTERRUPTIBLE returns at once (signal_pending_state);
 * in TASK_UNINTERRUPTIBLE the flag is cleared for the sleep and set again afterwards, so the
 * sleep neither ends on the interrupt nor busy-loops.
 */
public final class RealSched implements Sched {
  /** Ticks per second. */
  public static final int HZ = 1000;

  private static final long NANOS_PER_JIFFY = TimeUnit.SECONDS.toNanos(1) / HZ;

  private final ThreadLocal<Integer> state = ThreadLocal.withInitial(() -> TASK_RUNNING);

  /** Converts milliseconds to jiffies (msecs_to_jiffies). */
  public static long msecsToJiffies(long ms) {
    return ms * HZ / 1000;
  }

  @Override
  public void setCurrentState(int newState) {
    state.set(newState);
  }

  @Override
  public long scheduleTimeout(long jiffies) {
    if (jiffies < 0) {
      // kernel: printk "schedule_timeout: wrong timeout value" and returns 0 at once
      return 0;
    }
    int st = state.get();
    state.set(TASK_RUNNING);
    boolean interrupted = Thread.currentThread().isInterrupted();
    if (interrupted && st == TASK_INTERRUPTIBLE) {
      return jiffies; // signal_pending_state(): schedule() does not sleep
    }
    if (interrupted) {
      Thread.interrupted(); // TASK_UNINTERRUPTIBLE: the pending signal must not end the sleep
    }
    try {
      if (jiffies == MAX_SCHEDULE_TIMEOUT || jiffies > Long.MAX_VALUE / (4 * NANOS_PER_JIFFY)) {
        // no timeout, or one of centuries: sleep until woken (avoids nanosecond overflow)
        LockSupport.park(this);
        return jiffies;
      }
      long deadline = System.nanoTime() + jiffies * NANOS_PER_JIFFY;
      LockSupport.parkNanos(this, jiffies * NANOS_PER_JIFFY);
      long left = deadline - System.nanoTime();
      return left <= 0 ? 0 : (left + NANOS_PER_JIFFY - 1) / NANOS_PER_JIFFY;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void wakeUpProcess(Thread t) {
    LockSupport.unpark(t);
  }

  /** Reads the calling thread's interrupt flag without clearing it. */
  @Override
  public boolean signalPending() {
    return Thread.currentThread().isInterrupted();
  }
}
