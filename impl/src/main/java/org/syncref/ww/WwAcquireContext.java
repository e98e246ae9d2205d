package org.syncref.ww;

import org.syncref.kernel.Kernel;
import org.syncref.kernel.Lockdep;

/**
 * A struct ww_acquire_ctx: one transaction that locks several ww_mutexes of one {@link WwClass},
 * with its stamp (its age: smaller is older), the number of mutexes it holds and the wound flag.
 *
 * <p>Follows include/linux/ww_mutex.h (mainline): ww_acquire_init, ww_acquire_done,
 * ww_acquire_fini, under DEBUG_WW_MUTEXES (done_acquire, contending_lock, ww_class checked) and
 * CONFIG_PROVE_LOCKING (the context is a lockdep lock of the class's acquire key, held from init
 * to fini, and the fake {@code first_lock_dep_map} of the class's mutex key is held nested in it,
 * so that the context's mutexes merge into one held lock). Not modelled:
 * CONFIG_DEBUG_WW_MUTEX_SLOWPATH (deadlock injection).
 *
 * <p>Threads: the context belongs to the task that initialised it ({@link #task()}). Only that
 * task changes {@code acquired}, {@code done_acquire} and {@code contending_lock} (plain fields,
 * as in the kernel); other tasks read {@code stamp} and {@code acquired} under the wait_lock of a
 * mutex the context waits on or holds, which the task took or released after its last change (a
 * happens-before edge), and set {@code wounded} under the wait_lock of a mutex the context holds,
 * while the task reads it under another mutex's wait_lock: the one volatile field.
 * The debugging views read the plain fields of another thread without synchronisation; a test
 * reads them once the task is parked or has stopped.
 */
public final class WwAcquireContext {
  private final Kernel kernel;
  /** ctx-&gt;task. */
  private final Thread task;
  /** ctx-&gt;ww_class (a test may change it: ww_test_diff_class). */
  private WwClass wwClass;
  /** ctx-&gt;is_wait_die. */
  private final boolean isWaitDie;
  /** ctx-&gt;stamp (a test may change it: locking-selftest fakes older and younger contexts). */
  private long stamp;
  /** ctx-&gt;acquired: how many ww_mutexes this context holds. */
  int acquired;
  /** ctx-&gt;wounded (Wound-Wait). */
  volatile boolean wounded;
  /** ctx-&gt;done_acquire (DEBUG_WW_MUTEXES). */
  boolean doneAcquire;
  /** ctx-&gt;contending_lock (DEBUG_WW_MUTEXES): the lock of the last -EDEADLK not yet reacquired. */
  WwMutex contendingLock;
  /** ctx-&gt;dep_map (lockdep). */
  final Lockdep.Map depMap;
  /** ctx-&gt;first_lock_dep_map (lockdep): a fake mutex of the class held nested in the context. */
  final Lockdep.Map firstLockDepMap;
  /**
   * ctx-&gt;deadlock_inject_interval and deadlock_inject_countdown (CONFIG_DEBUG_WW_MUTEX_SLOWPATH,
   * {@link Kernel.Build#deadlockInjection()}), unsigned ints as in the kernel.
   */
  int deadlockInjectInterval;
  int deadlockInjectCountdown;
  /** How many -EDEADLK the injection returned to this context (a debugging view, not in the kernel). */
  private int deadlockInjections;
  /** Set by fini: a debugging view only (the kernel keeps no such flag under PROVE_LOCKING). */
  private boolean finished;

  private WwAcquireContext(Kernel kernel, Thread task, WwClass wwClass, long stamp, String name) {
    this.kernel = kernel;
    this.task = task;
    this.wwClass = wwClass;
    this.isWaitDie = wwClass != null && wwClass.isWaitDie();
    this.stamp = stamp;
    if (kernel.build().lockdep()) {
      this.depMap = new Lockdep.Map(wwClass == null ? new Lockdep.LockClass("?", Lockdep.WaitType.INV)
          : wwClass.acquireKey, name);
      this.firstLockDepMap = new Lockdep.Map(wwClass == null ? new Lockdep.LockClass("?", Lockdep.WaitType.INV)
          : wwClass.mutexKey, name + ".first_lock_dep_map");
    } else {
      this.depMap = null; // no CONFIG_DEBUG_LOCK_ALLOC: struct ww_acquire_ctx has no dep_map
      this.firstLockDepMap = null;
    }
  }

  /**
   * Initialises a context for the calling task: stamp = ++class.stamp, acquired = 0,
   * wounded = 0; lockdep acquires the context and its first_lock_dep_map (a second live
   * context of one class in one task is "possible recursive locking").
   *
   * <p>TLA+ AcquireInit(t); kernel ww_acquire_init().
   */
  public static WwAcquireContext init(Kernel kernel, WwClass wwClass) {
    if (kernel == null || wwClass == null) {
      throw new NullPointerException(kernel == null ? "kernel" : "wwClass");
    }
    if (!kernel.build().lockdep() && !kernel.isTracing()) {
      return initBody(kernel, wwClass);
    }
    return kernel.call("ww_acquire_init", null, new Object[] {wwClass}, () -> initBody(kernel, wwClass));
  }

  /**
   * ww_acquire_init, then deadlock_inject_countdown = ~0U: no deadlock injection for this
   * context (on other builds the same as {@link #init}). A macro of the kernel's own ww_mutex
   * test, kernel/locking/test-ww_mutex.c (lib/locking-selftest.c's WWAI does the same), not
   * an API.
   *
   * <p>TLA+ AcquireInit(t) (the protocol level has no injection to turn off); in WwCalls.tla
   * AcquireInitNoinject. Kernel ww_acquire_init_noinject() (test-ww_mutex.c).
   */
  public static WwAcquireContext initNoinject(Kernel kernel, WwClass wwClass) {
    if (kernel == null || wwClass == null) {
      throw new NullPointerException(kernel == null ? "kernel" : "wwClass");
    }
    return kernel.call("ww_acquire_init_noinject", null, new Object[] {wwClass}, () -> {
      WwAcquireContext ctx = initBody(kernel, wwClass);
      if (kernel.build().deadlockInjection()) {
        ctx.deadlockInjectCountdown = ~0;
      }
      return ctx;
    });
  }

  private static WwAcquireContext initBody(Kernel kernel, WwClass wwClass) {
    WwAcquireContext ctx = initMaps(kernel, wwClass);
    if (kernel.build().deadlockInjection()) {
      ctx.deadlockInjectInterval = 1;
      ctx.deadlockInjectCountdown = (int) (ctx.stamp & 0xf);
    }
    return ctx;
  }

  private static WwAcquireContext initMaps(Kernel kernel, WwClass wwClass) {
    long s = wwClass.nextStamp();
    if (!kernel.build().lockdep()) {
      return new WwAcquireContext(kernel, Thread.currentThread(), wwClass, s, null);
    }
    WwAcquireContext ctx = new WwAcquireContext(kernel, Thread.currentThread(), wwClass, s,
        "ctx#" + s + "@" + wwClass.name());
    Lockdep lockdep = Lockdep.of(kernel);
    lockdep.acquire("ww_acquire_init", ctx.depMap, false, null);
    lockdep.acquire("ww_acquire_init", ctx.firstLockDepMap, false, ctx.depMap);
    return ctx;
  }

  /**
   * Marks the end of the acquire phase: any further lock with this context WARNs. WARNs if
   * called twice, and (lockdep_assert_held) if the context is not live in the calling task.
   *
   * <p>TLA+ AcquireDone(t); kernel ww_acquire_done().
   */
  public void done() {
    kernel.callVoid("ww_acquire_done", this, new Object[0], () -> {
      if (!kernel.build().debugMutexes()) {
        return; // the whole body is #ifdef DEBUG_WW_MUTEXES
      }
      if (depMap != null) {
        Lockdep.of(kernel).assertHeld("ww_acquire_done", depMap);
      }
      kernel.warnOn(doneAcquire, "ww_acquire_done", "DEBUG_LOCKS_WARN_ON(ctx->done_acquire)", this);
      doneAcquire = true;
    });
  }

  /**
   * Releases the context: lockdep releases first_lock_dep_map and the context (a second fini
   * is "bad unlock balance"), then WARNs if it still holds ww_mutexes.
   *
   * <p>TLA+ AcquireFini(t); kernel ww_acquire_fini(). With CONFIG_PROVE_LOCKING neither
   * done_acquire nor acquired = ~0 is set: lockdep catches a later lock or a second fini.
   * Without it (include/linux/ww_mutex.h: {@code if (!IS_ENABLED(CONFIG_PROVE_LOCKING))}) fini
   * sets done_acquire = 1 (a later lock WARNs "Not quite done"): {@link Kernel.Build#DEBUG_MUTEXES}
   * and {@link Kernel.Build#DEBUG_LOCK_ALLOC}; without CONFIG_DEBUG_LOCK_ALLOC it also sets
   * acquired = ~0U (a second fini WARNs; so would the first lock's acquired++, which wraps to
   * 0). A {@link Kernel.Build#PRODUCTION} build does nothing.
   */
  public void fini() {
    if (!kernel.build().lockdep() && !kernel.isTracing()) {
      finiBody();
      return;
    }
    kernel.callVoid("ww_acquire_fini", this, new Object[0], this::finiBody);
  }

  private void finiBody() {
    Kernel.Build build = kernel.build();
    if (build.lockdep()) {
      Lockdep lockdep = Lockdep.of(kernel);
      lockdep.release("ww_acquire_fini", firstLockDepMap);
      lockdep.release("ww_acquire_fini", depMap);
    }
    if (build.debugMutexes()) {
      kernel.warnOn(acquired != 0, "ww_acquire_fini", "DEBUG_LOCKS_WARN_ON(ctx->acquired)", this);
      if (!build.proveLocking()) {
        doneAcquire = true; // "lockdep will normally handle this, but fail without anyway"
      }
      if (!build.lockdep()) {
        acquired = ~0; // "ensure ww_acquire_fini will still fail if called twice"
      }
    }
    finished = true;
  }

  /** ctx-&gt;stamp: the transaction's age, smaller is older. */
  public long stamp() {
    return stamp;
  }

  /** ctx-&gt;acquired: how many ww_mutexes the context holds. */
  public int acquired() {
    return acquired;
  }

  /** ctx-&gt;wounded: whether an older Wound-Wait transaction has wounded this one. */
  public boolean isWounded() {
    return wounded;
  }

  /** ctx-&gt;is_wait_die. */
  public boolean isWaitDie() {
    return isWaitDie;
  }

  /** ctx-&gt;ww_class. */
  public WwClass wwClass() {
    return wwClass;
  }

  /** ctx-&gt;task: the task that initialised the context. */
  public Thread task() {
    return task;
  }

  /** ctx-&gt;done_acquire: whether {@link #done()} was called. */
  public boolean isDoneAcquire() {
    return doneAcquire;
  }

  /** ctx-&gt;contending_lock: the lock of an -EDEADLK not yet reacquired, or null. */
  public WwMutex contendingLock() {
    return contendingLock;
  }

  /** Whether {@link #fini()} was called (a debugging view, not a kernel field). */
  public boolean isFinished() {
    return finished;
  }

  /**
   * __ww_ctx_less(a, b) without PREEMPT_RT priorities: a is younger than b, i.e.
   * {@code (signed long)(a->stamp - b->stamp) > 0}.
   */
  static boolean less(WwAcquireContext a, WwAcquireContext b) {
    return a.stamp - b.stamp > 0;
  }

  // Test seams: the struct manipulations of lib/locking-selftest.c.

  /** {@code t2 = t}: a struct copy (same task, stamp, acquired, flags; lockdep maps shared). */
  WwAcquireContext debugCopy() {
    WwAcquireContext c = new WwAcquireContext(kernel, task, wwClass, stamp, depMap, firstLockDepMap);
    c.acquired = acquired;
    c.wounded = wounded;
    c.doneAcquire = doneAcquire;
    c.contendingLock = contendingLock;
    c.deadlockInjectInterval = deadlockInjectInterval;
    c.deadlockInjectCountdown = deadlockInjectCountdown;
    return c;
  }

  private WwAcquireContext(Kernel kernel, Thread task, WwClass wwClass, long stamp, Lockdep.Map depMap,
      Lockdep.Map firstLockDepMap) {
    this.kernel = kernel;
    this.task = task;
    this.wwClass = wwClass;
    this.isWaitDie = wwClass != null && wwClass.isWaitDie();
    this.stamp = stamp;
    this.depMap = depMap;
    this.firstLockDepMap = firstLockDepMap;
  }

  /**
   * A zero-filled struct that ww_acquire_init never saw (a static {@code struct
   * ww_acquire_ctx t2}, or the poison value {@code (void *)~0UL}): stamp 0, no class.
   */
  static WwAcquireContext debugUninitialised(Kernel kernel, String name) {
    return new WwAcquireContext(kernel, null, null, 0, name);
  }

  /** {@code t.deadlock_inject_countdown = ~0U} (lib/locking-selftest.c WWAI). */
  void debugNoinject() {
    deadlockInjectCountdown = ~0;
  }

  /**
   * ww_mutex_deadlock_injection's countdown (kernel/locking/mutex.c): whether this lock, which
   * succeeded with acquired &gt; 1, is to be turned into -EDEADLK; if so the interval grows
   * (tmp*2 + tmp + tmp/2, saturating at UINT_MAX) and the countdown restarts from it.
   */
  boolean injectCountdown() {
    if (deadlockInjectCountdown-- != 0) {
      return false;
    }
    int tmp = deadlockInjectInterval;
    if (Integer.compareUnsigned(tmp, Integer.divideUnsigned(-1, 4)) > 0) {
      tmp = -1;
    } else {
      tmp = tmp * 2 + tmp + Integer.divideUnsigned(tmp, 2);
    }
    deadlockInjectInterval = tmp;
    deadlockInjectCountdown = tmp;
    deadlockInjections++;
    return true;
  }

  /**
   * How many times ww_mutex_deadlock_injection told this context to back off (a debugging view:
   * the kernel keeps no count); lets a caller tell an injected -EDEADLK from a die or wound.
   */
  public int deadlockInjections() {
    return deadlockInjections;
  }

  /** {@code t.stamp = s}. */
  void debugSetStamp(long s) {
    stamp = s;
  }

  /** {@code t.ww_class = c}. */
  void debugSetWwClass(WwClass c) {
    wwClass = c;
  }

  /** {@code t.acquired = n}. */
  void debugSetAcquired(int n) {
    acquired = n;
  }

  @Override
  public String toString() {
    return "ww_acquire_ctx(stamp=" + stamp + ", acquired=" + acquired + (wounded ? ", wounded" : "") + ")";
  }
}
