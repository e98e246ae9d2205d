package org.syncref.conformance;

import org.syncref.sched.ManualSched;
import org.syncref.sched.Sched;

/**
 * A {@link ManualSched} whose sleepers can be aborted: once {@link #abort()} is called, a thread
 * parked in (or entering) scheduleTimeout throws {@link Aborted} when resumed, so worker threads of
 * a finished world or execution unwind instead of staying parked. Used by {@link WwWorld} and the
 * litmus Java runner.
 */
public final class AbortableSched implements Sched {
  /** Thrown in a sleeper after {@link #abort()}. */
  public static final class Aborted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Aborted() {
      super("world closed", null, false, false);
    }
  }

  private final ManualSched manual = new ManualSched();
  private volatile boolean aborted;

  /** The controller's handle: resume, expire, isParked, wakeups. */
  public ManualSched manual() {
    return manual;
  }

  /** Makes every sleep end in {@link Aborted}; resume the parked threads afterwards. */
  public void abort() {
    aborted = true;
  }

  @Override
  public long scheduleTimeout(long jiffies) {
    if (aborted) {
      throw new Aborted();
    }
    long r = manual.scheduleTimeout(jiffies);
    if (aborted) {
      throw new Aborted();
    }
    return r;
  }

  @Override
  public void wakeUpProcess(Thread t) {
    manual.wakeUpProcess(t);
  }

  @Override
  public boolean signalPending() {
    return manual.signalPending();
  }
}
