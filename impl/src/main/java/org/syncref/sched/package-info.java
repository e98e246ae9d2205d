/**
 * The scheduler primitives that sleeping kernel code uses ({@code schedule_timeout},
 * {@code wake_up_process}, {@code signal_pending}, {@code set_current_state}), with a real
 * implementation and a deterministic one a test harness controls.
 *
 * <p>Conventions: time is in jiffies (C {@code signed long}); a "task" is a Java {@link
 * java.lang.Thread}; {@link org.syncref.sched.Sched#MAX_SCHEDULE_TIMEOUT} means "no timeout".
 * Kernel naming and return conventions as in {@code org.syncref.kernel}.
 */
package org.syncref.sched;
