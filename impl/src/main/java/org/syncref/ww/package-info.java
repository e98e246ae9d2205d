/**
 * Wound/wait mutexes (struct ww_class, ww_acquire_ctx, ww_mutex) as in mainline
 * include/linux/ww_mutex.h, kernel/locking/ww_mutex.h and kernel/locking/mutex.c: deadlock-free
 * locking of several objects in any order, by Wait-Die or Wound-Wait backoff.
 *
 * <p>Conventions (besides those of {@code org.syncref.kernel}):
 * <ul>
 *   <li>One vocabulary: kernel function {@code ww_mutex_lock_slow} is TLA+ action
 *       {@code LockSlow} is {@link org.syncref.ww.WwMutex#lockSlow}; {@code ww_acquire_init} is
 *       {@code AcquireInit} is {@link org.syncref.ww.WwAcquireContext#init}. Each public kernel
 *       method names both in its javadoc and reports itself to the kernel's call listener as
 *       one outermost call.</li>
 *   <li>Return values as in C: {@code 0}, {@code -EALREADY}, {@code -EDEADLK}, {@code -EINTR}
 *       ({@link org.syncref.kernel.Errno}); {@code ww_mutex_trylock} is a boolean.</li>
 *   <li>Sleeping goes through the kernel's {@link org.syncref.sched.Sched}: with
 *       {@link org.syncref.sched.RealSched} waiters really block, with
 *       {@link org.syncref.sched.ManualSched} a test decides when each sleeper re-checks
 *       (a wake-up of the kernel's only counts there). Interruptible variants end with -EINTR
 *       when {@code Sched.signalPending()}.</li>
 *   <li>The kernel's build ({@link org.syncref.kernel.Kernel.Build}) decides the code paths:
 *       by default CONFIG_DEBUG_MUTEXES + CONFIG_PROVE_LOCKING ({@link
 *       org.syncref.kernel.Lockdep}), where every lock goes through __mutex_lock_common;
 *       DEBUG_MUTEXES without lockdep and PRODUCTION take the kernel's lock-free fastpaths
 *       (and so keep a stale Wound-Wait wound, as those kernels do). Misuse the build checks is
 *       a WARN with the kernel's message; a task that would sleep forever on a mutex it holds
 *       itself is a {@link org.syncref.kernel.KernelBug} in every build.</li>
 *   <li>Debugging views ({@code holderCtx()}, {@code owner()}, {@code waitList()},
 *       {@code acquired()}, {@code isWounded()} ...) are not kernel functions. Package-private
 *       {@code base*} and {@code debug*} methods are the struct pokes of lib/locking-selftest.c,
 *       for the tests in this package only.</li>
 * </ul>
 */
package org.syncref.ww;
