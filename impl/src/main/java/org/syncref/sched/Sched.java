package org.syncref.sched;

/**
 * The kernel scheduler as seen by a sleeping task (kernel/time/sleep_timeout.c, kernel/sched/core.c,
 * include/linux/sched/signal.h).
 *
 * <p>Usage pattern, as in dma_fence_default_wait: under the lock that protects the condition,
 * {@code setCurrentState(TASK_INTERRUPTIBLE or TASK_UNINTERRUPTIBLE)}, drop the lock,
 * {@code scheduleTimeout(ret)}, retake the lock, re-check the condition. A waker calls
 * {@code wakeUpProcess(task)} after making the condition true; a wakeup that arrives between
 * the check and the sleep is not lost.
 */
public interface Sched {
  /** schedule_timeout(MAX_SCHEDULE_TIMEOUT) sleeps without a timeout (LONG_MAX). */
  long MAX_SCHEDULE_TIMEOUT = Long.MAX_VALUE;

  /** The task is running: a pending wakeup or signal is irrelevant. */
  int TASK_RUNNING = 0;
  /** The sleep ends on a wakeup, on timeout, or when a signal is pending. */
  int TASK_INTERRUPTIBLE = 1;
  /** The sleep ends on a wakeup or on timeout only; signals do not end it. */
  int TASK_UNINTERRUPTIBLE = 2;

  /**
   * schedule_timeout(timeout): sleep until woken or until {@code jiffies} have passed.
   *
   * @param jiffies the timeout, or {@link #MAX_SCHEDULE_TIMEOUT}
   * @return 0 if the timeout ran out, else the jiffies remaining (MAX_SCHEDULE_TIMEOUT when
   *     called with it)
   */
  long scheduleTimeout(long jiffies);

  /** wake_up_process(task): end the sleep of {@code t} (or make its next sleep return at once). */
  void wakeUpProcess(Thread t);

  /** signal_pending(current): whether the calling task has a signal pending. */
  boolean signalPending();

  /**
   * set_current_state(state) for the calling task, before it checks its condition and sleeps.
   * The default ignores it (a scheduler whose sleeps never end on signals by themselves).
   *
   * @param state {@link #TASK_RUNNING}, {@link #TASK_INTERRUPTIBLE} or {@link #TASK_UNINTERRUPTIBLE}
   */
  default void setCurrentState(int state) {
  }
}
