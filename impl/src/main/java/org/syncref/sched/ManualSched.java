package org.syncref.sched;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic scheduler driven by a test controller: a sleeping thread stays asleep until the
 * controller ends the sleep, and no virtual time passes on its own.
 *
 * <p>A thread calling {@code scheduleTimeout(ret)} parks until the controller calls {@link
 * #expire(Thread)} (the sleep returns 0: the timeout ran out) or {@link #resume(Thread)} (it
 * returns {@code ret} unchanged). Signals are per-thread flags the controller sets with {@link
 * #setSignalPending(Thread, boolean)}. {@link #wakeUpProcess(Thread)} only counts wakeups; it
 * does not end the sleep, so the controller decides exactly when each sleeping wait ends (the
 * separate WaitWake / WaitExpire / WaitInterrupt steps of the TLA+ spec).
 */
public final class ManualSched implements Sched {
  private static final long RESUME = -1;

  private final Object monitor = new Object();
  /** Parked thread -> the jiffies it passed to scheduleTimeout. */
  private final Map<Thread, Long> parked = new HashMap<>();
  /** Parked thread -> the value its scheduleTimeout will return, once decided. */
  private final Map<Thread, Long> outcome = new HashMap<>();
  private final Set<Thread> signalPending = new HashSet<>();
  private final Map<Thread, Integer> wakeups = new HashMap<>();

  @Override
  public long scheduleTimeout(long jiffies) {
    Thread self = Thread.currentThread();
    boolean interrupted = false;
    synchronized (monitor) {
      parked.put(self, jiffies);
      monitor.notifyAll();
      try {
        while (!outcome.containsKey(self)) {
          try {
            monitor.wait();
          } catch (InterruptedException e) {
            interrupted = true; // Java interrupts are not signals here
          }
        }
        long o = outcome.remove(self);
        return o == RESUME ? jiffies : o;
      } finally {
        parked.remove(self);
        monitor.notifyAll();
        if (interrupted) {
          self.interrupt();
        }
      }
    }
  }

  /** Counts the wakeup; the sleep goes on until {@link #resume} or {@link #expire}. */
  @Override
  public void wakeUpProcess(Thread t) {
    synchronized (monitor) {
      wakeups.merge(t, 1, Integer::sum);
    }
  }

  @Override
  public boolean signalPending() {
    synchronized (monitor) {
      return signalPending.contains(Thread.currentThread());
    }
  }

  /** Sets or clears the pending signal of thread {@code t}. */
  public void setSignalPending(Thread t, boolean pending) {
    synchronized (monitor) {
      if (pending) {
        signalPending.add(t);
      } else {
        signalPending.remove(t);
      }
    }
  }

  /**
   * Ends the sleep of {@code t} as a timeout: its scheduleTimeout returns 0.
   *
   * @throws IllegalStateException if {@code t} is not parked in scheduleTimeout
   */
  public void expire(Thread t) {
    decide(t, 0);
  }

  /**
   * Ends the sleep of {@code t} as a wakeup: its scheduleTimeout returns the jiffies it was
   * called with (no virtual time has passed).
   *
   * @throws IllegalStateException if {@code t} is not parked in scheduleTimeout
   */
  public void resume(Thread t) {
    decide(t, RESUME);
  }

  private void decide(Thread t, long value) {
    synchronized (monitor) {
      if (!parked.containsKey(t) || outcome.containsKey(t)) {
        throw new IllegalStateException(t.getName() + " is not parked in scheduleTimeout");
      }
      outcome.put(t, value);
      monitor.notifyAll();
    }
  }

  /** Whether {@code t} is parked in scheduleTimeout and its sleep has not been ended yet. */
  public boolean isParked(Thread t) {
    synchronized (monitor) {
      return parked.containsKey(t) && !outcome.containsKey(t);
    }
  }

  /** The jiffies {@code t} passed to the scheduleTimeout it is parked in, or -1. */
  public long parkedTimeout(Thread t) {
    synchronized (monitor) {
      return isParked(t) ? parked.get(t) : -1;
    }
  }

  /**
   * Waits (blocking, no busy loop) until {@code t} is parked in scheduleTimeout.
   *
   * @return true if it is parked, false if {@code timeoutMillis} passed first
   */
  public boolean awaitParked(Thread t, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    synchronized (monitor) {
      while (!isParked(t)) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return false;
        }
        monitor.wait(left);
      }
      return true;
    }
  }

  /** How many times wakeUpProcess was called for {@code t}. */
  public int wakeups(Thread t) {
    synchronized (monitor) {
      return wakeups.getOrDefault(t, 0);
    }
  }
}
