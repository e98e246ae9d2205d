package org.syncref.ww;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.syncref.kernel.Errno;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.kernel.Lockdep;
import org.syncref.sched.Sched;

/**
 * A struct ww_mutex: a sleeping mutex that acquire contexts of one {@link WwClass} can lock in
 * any order, with deadlocks resolved by Wait-Die or Wound-Wait (-EDEADLK, then back off).
 *
 * <p>Algorithm notes. References:
 * <ol>
 *   <li>kernel/locking/mutex.c (6.12): __mutex_lock_common (trylock, then queue under wait_lock,
 *       then the loop "trylock; signal -&gt; -EINTR; __ww_mutex_check_kill; sleep; trylock or
 *       set HANDOFF if first"), ww_mutex_trylock, ww_mutex_unlock, __mutex_unlock_slowpath
 *       (wake the first waiter; hand the lock to it if it set HANDOFF), __mutex_trylock_common
 *       (HANDOFF and PICKUP flags), __mutex_add_waiter / __mutex_remove_waiter.</li>
 *   <li>kernel/locking/ww_mutex.h (6.12): ww_mutex_lock_acquired (the debug checks),
 *       __ww_ctx_less, __ww_mutex_die, __ww_mutex_wound, __ww_mutex_check_waiters,
 *       ww_mutex_set_context_fastpath, __ww_mutex_kill, __ww_mutex_check_kill,
 *       __ww_mutex_add_waiter, __ww_mutex_unlock.</li>
 *   <li>include/linux/ww_mutex.h (mainline): ww_mutex_init, ww_mutex_lock_slow(_interruptible),
 *       ww_mutex_destroy, ww_mutex_is_locked.</li>
 *   <li>Documentation/locking/ww-mutex-design.rst.</li>
 * </ol>
 * <b>Model.</b> lock-&gt;owner is one atomic word, as in the kernel: the owner task plus the
 * WAITERS, HANDOFF and PICKUP flags, changed only by compare-and-set (a {@link VarHandle} on
 * {@code owner}: null, a {@link Thread} when no flag is set, or an immutable {@code Flagged}
 * word otherwise, so the uncontended cmpxchg of a task pointer allocates nothing). The wait list
 * is guarded by a {@link ReentrantLock}, the wait_lock. {@code ww->ctx} is written by the owner
 * without the wait_lock and read under it; ww_mutex_set_context_fastpath's smp_mb is the pair
 * "volatile write of ww->ctx, volatile read of the owner word" against __ww_mutex_add_waiter's
 * "set WAITERS, read ww->ctx" (ww_mutex.h's [W]/MB/[R] comment). That pairing rests on an
 * invariant of the owner word, as in the kernel: a non-empty wait list implies WAITERS (only
 * __mutex_remove_waiter clears flags, and only when the list is empty; every other
 * compare-and-set keeps WAITERS; the fastpath needs a word without flags), so a waiter that
 * finds WAITERS already set need not write it. After schedule() a waiter reads whether it is
 * first and tries __mutex_trylock_or_handoff without the wait_lock, as the kernel does (so a
 * waiter that was first when it looked may set HANDOFF after an older context waiter queued
 * ahead of it, and the unlock hands the lock to that one). Optimistic spinning
 * (mutex_optimistic_spin) is not modelled: it only retries the trylock while the owner runs.
 * Wake-ups are collected in a wake_q and issued after the wait_lock is dropped, through the
 * kernel's {@link Sched}; a sleeping task re-checks everything when it wakes, so spurious
 * wake-ups are harmless (with {@code ManualSched} a test decides when each sleeper runs again).
 *
 * <p><b>Build</b> ({@link Kernel#build()}), without PREEMPT_RT (no RT priorities in
 * __ww_ctx_less):
 * <ul>
 *   <li>{@link Kernel.Build#PROVE_LOCKING}, the default: CONFIG_DEBUG_MUTEXES (so DEBUG_WW_MUTEXES),
 *       DEBUG_LOCK_ALLOC and DEBUG_WW_MUTEX_SLOWPATH. Every lock goes through __mutex_lock_common
 *       (which resets a stale wound when the context holds nothing) and every unlock through
 *       __mutex_unlock_slowpath; lockdep tracks the mutex; a ww_mutex_lock that succeeded with
 *       ctx-&gt;acquired &gt; 1 runs ww_mutex_deadlock_injection, which at the end of the
 *       context's countdown unlocks again and returns -EDEADLK (contexts from
 *       {@link WwAcquireContext#initNoinject} never).</li>
 *   <li>{@link Kernel.Build#DEBUG_LOCK_ALLOC}: the same without the injection (and without
 *       lockdep's dependency checks).</li>
 *   <li>{@link Kernel.Build#DEBUG_MUTEXES}: the same checks without lockdep, so with the
 *       fastpaths: ww_mutex_lock first tries __mutex_trylock_fast, and on success
 *       ww_mutex_set_context_fastpath, which does not reset ctx-&gt;wounded (a stale wound
 *       survives: spec/litmus/KERNEL-DIVERGENCES.md); mutex_unlock first tries
 *       __mutex_unlock_fast.</li>
 *   <li>{@link Kernel.Build#PRODUCTION}: the fastpaths, and no DEBUG_WW_MUTEXES checks, no
 *       MUTEX_WARN_ON, no contending_lock bookkeeping.</li>
 * </ul>
 * DEBUG_LOCKS_WARN_ON / MUTEX_WARN_ON and lockdep reports are WARNs ({@link Kernel#warn}); every
 * one that fires is recorded (the kernel prints only the first, as it turns debug_locks off). A
 * task that would sleep on a mutex it owns itself (AA with a NULL context, after lockdep's
 * "possible recursive locking" report) would hang forever: that is a {@link KernelBug} here.
 */
public final class WwMutex {
  /** A struct mutex_waiter on the wait list. */
  private static final class Waiter {
    final Thread task;
    /** waiter-&gt;ww_ctx (NULL for a plain mutex_lock / ww_mutex_lock(lock, NULL)). */
    final WwAcquireContext wwCtx;

    Waiter(Thread task, WwAcquireContext wwCtx) {
      this.task = task;
      this.wwCtx = wwCtx;
    }
  }

  /**
   * A snapshot of one waiter: a debugging view of the wait list.
   *
   * @param task the sleeping task
   * @param ctx  its acquire context, or null
   */
  public record WaiterInfo(Thread task, WwAcquireContext ctx) {
  }

  /** MUTEX_FLAG_WAITERS: non-empty wait list, unlock must issue a wakeup. */
  private static final int MUTEX_FLAG_WAITERS = 0x01;
  /** MUTEX_FLAG_HANDOFF: the first waiter wants a handoff, unlock must hand the lock to it. */
  private static final int MUTEX_FLAG_HANDOFF = 0x02;
  /** MUTEX_FLAG_PICKUP: the lock was handed to the owner task, which has not taken it yet. */
  private static final int MUTEX_FLAG_PICKUP = 0x04;
  /** MUTEX_FLAGS. */
  private static final int MUTEX_FLAGS = 0x07;

  /**
   * An owner word with flags: the task (null: unlocked) and the non-zero flags. The
   * compare-and-sets compare words by identity, so each change makes a new one.
   */
  private record Flagged(Thread task, int flags) {
  }

  private static final VarHandle OWNER;
  private static final VarHandle CTX;

  static {
    try {
      OWNER = MethodHandles.lookup().findVarHandle(WwMutex.class, "owner", Object.class);
      CTX = MethodHandles.lookup().findVarHandle(WwMutex.class, "ctx", WwAcquireContext.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Kernel kernel;
  /** Whether the mutex fastpaths exist: no CONFIG_DEBUG_LOCK_ALLOC. */
  private final boolean fastpath;
  /** CONFIG_DEBUG_MUTEXES: DEBUG_WW_MUTEXES and MUTEX_WARN_ON. */
  private final boolean debug;
  /** lock-&gt;ww_class (DEBUG_WW_MUTEXES). */
  private final WwClass wwClass;
  /** lock-&gt;base.wait_lock. */
  private final ReentrantLock waitLock = new ReentrantLock();
  /**
   * lock-&gt;base.owner, the owner word: null, a Thread (that task, no flags) or a {@link
   * Flagged}; changed by compare-and-set only ({@link #OWNER}).
   */
  @SuppressWarnings("unused") // accessed through OWNER
  private volatile Object owner;
  /** lock-&gt;base.wait_list; guarded by waitLock. */
  private final ArrayList<Waiter> waitList = new ArrayList<>();
  /**
   * The first entry of the wait list, written under waitLock, read without it by a waiter back
   * from schedule() (__mutex_waiter_is_first before __mutex_trylock_or_handoff).
   */
  private volatile Waiter firstWaiter;
  /**
   * lock-&gt;ctx: the acquire context holding the lock, or null. Set with a volatile write (the
   * smp_mb of ww_mutex_set_context_fastpath), cleared with a release write ({@link #CTX}): the
   * release of the owner word follows it.
   */
  private volatile WwAcquireContext ctx;
  /** lock-&gt;base.magic == NULL after mutex_destroy. */
  private volatile boolean destroyed;
  /** lock-&gt;base.dep_map. */
  private final Lockdep.Map depMap;
  /** Lockdep state of the kernel, or null if this mutex is not tracked by lockdep. */
  private final Lockdep lockdep;
  private final String name;

  /**
   * Initialises an unlocked ww_mutex of {@code wwClass}.
   *
   * <p>Kernel ww_mutex_init(); not a TLA+ action.
   */
  public WwMutex(Kernel kernel, WwClass wwClass) {
    this(kernel, wwClass, null);
  }

  /**
   * Initialises an unlocked ww_mutex of {@code wwClass} with a name for messages.
   *
   * <p>Kernel ww_mutex_init(); not a TLA+ action.
   */
  public WwMutex(Kernel kernel, WwClass wwClass, String name) {
    this(kernel, wwClass, name, true);
  }

  /**
   * Initialises an unlocked ww_mutex of {@code wwClass} with a name for messages, and says
   * whether lockdep tracks it. An untracked mutex takes no part in lockdep's held-lock stacks:
   * no "possible recursive locking", lock-order or "bad unlock balance" reports for it (its
   * user models lockdep's view itself; org.syncref.resv.DmaResv does). The DEBUG_WW_MUTEXES
   * checks and the acquire context's own lockdep map are unaffected.
   *
   * <p>Kernel ww_mutex_init() (with {@code lockdep} false: as if lockdep were off for this
   * lock).
   */
  public WwMutex(Kernel kernel, WwClass wwClass, String name, boolean lockdep) {
    if (kernel == null || wwClass == null) {
      throw new NullPointerException(kernel == null ? "kernel" : "wwClass");
    }
    this.kernel = kernel;
    this.fastpath = !kernel.build().lockdep();
    this.debug = kernel.build().debugMutexes();
    this.wwClass = wwClass;
    this.name = name != null ? name : "ww_mutex@" + Integer.toHexString(System.identityHashCode(this));
    this.depMap = new Lockdep.Map(wwClass.mutexKey, this.name);
    this.lockdep = lockdep && kernel.build().lockdep() ? Lockdep.of(kernel) : null;
  }

  // ---------------------------------------------------------------------------------------
  // The owner word

  private static Thread ownerTask(Object word) {
    return word instanceof Flagged f ? f.task() : (Thread) word;
  }

  private static int ownerFlags(Object word) {
    return word instanceof Flagged f ? f.flags() : 0;
  }

  private static Object ownerWord(Thread task, int flags) {
    return flags == 0 ? task : new Flagged(task, flags);
  }

  /** atomic_long_try_cmpxchg: the witness (the word seen), {@code expect} on success. */
  private Object cmpxchg(Object expect, Object update) {
    return OWNER.compareAndExchange(this, expect, update);
  }

  /** __mutex_owner. */
  private Thread ownerTask() {
    return ownerTask(owner);
  }

  /** __mutex_set_flag: atomic_long_or. */
  private void setFlag(int flag) {
    Object w = owner;
    while ((ownerFlags(w) & flag) != flag) {
      Object seen = cmpxchg(w, ownerWord(ownerTask(w), ownerFlags(w) | flag));
      if (seen == w) {
        return;
      }
      w = seen;
    }
  }

  /** __mutex_clear_flag: atomic_long_andnot. */
  private void clearFlag(int flag) {
    Object w = owner;
    while ((ownerFlags(w) & flag) != 0) {
      Object seen = cmpxchg(w, ownerWord(ownerTask(w), ownerFlags(w) & ~flag));
      if (seen == w) {
        return;
      }
      w = seen;
    }
  }

  /** __mutex_trylock_fast (no CONFIG_DEBUG_LOCK_ALLOC): cmpxchg_acquire(owner, 0, current). */
  private boolean trylockFast(Thread current) {
    return OWNER.compareAndSet(this, null, current);
  }

  /** __mutex_unlock_fast (no CONFIG_DEBUG_LOCK_ALLOC): cmpxchg_release(owner, current, 0). */
  private boolean unlockFast(Thread current) {
    return OWNER.compareAndSet(this, current, null);
  }

  /** Whether to run a call's body without {@link Kernel#call}: the fastpath build, untraced. */
  private boolean direct() {
    return fastpath && !kernel.isTracing();
  }

  // ---------------------------------------------------------------------------------------
  // The API

  /**
   * Locks the mutex, sleeping uninterruptibly while it is held, or tells the context to back
   * off. With a null {@code ctx} it is a plain mutex_lock (no deadlock handling).
   *
   * <p>TLA+ Lock(t, l), then WaitAcquire(t), WaitSteal(t) or WaitDie(t) if it slept
   * (WaitHandoff(t) for a wake-up that set MUTEX_FLAG_HANDOFF); LockHeld(t, l) for -EALREADY;
   * kernel ww_mutex_lock().
   *
   * @param ctx the acquire context, or null
   * @return 0 if locked; -EALREADY if {@code ctx} already holds it; -EDEADLK if {@code ctx}
   *     must unlock everything and then {@link #lockSlow} this mutex
   * @throws KernelBug if the calling task would sleep on a mutex it holds itself
   */
  public int lock(WwAcquireContext ctx) {
    if (direct()) {
      return wwMutexLock("ww_mutex_lock", ctx, false);
    }
    return kernel.call("ww_mutex_lock", this, new Object[] {ctx},
        () -> wwMutexLock("ww_mutex_lock", ctx, false));
  }

  /**
   * ww_mutex_lock / ww_mutex_lock_interruptible: without CONFIG_DEBUG_LOCK_ALLOC first
   * __mutex_trylock_fast and, if it took the lock, ww_mutex_set_context_fastpath; otherwise
   * (and always with lockdep) __ww_mutex_lock, i.e. __mutex_lock_common.
   */
  private int wwMutexLock(String fn, WwAcquireContext ctx, boolean intr) {
    if (fastpath && trylockFast(Thread.currentThread())) {
      if (ctx != null) {
        setContextFastpath(fn, ctx);
      }
      return 0;
    }
    int ret = lockCommon(fn, ctx, true, intr);
    if (ret == 0 && ctx != null && ctx.acquired > 1 && kernel.build().deadlockInjection()) {
      return deadlockInjection(fn, ctx);
    }
    return ret;
  }

  /**
   * kernel/locking/mutex.c ww_mutex_deadlock_injection (CONFIG_DEBUG_WW_MUTEX_SLOWPATH), after
   * a successful lock with ctx-&gt;acquired &gt; 1: when the countdown runs out,
   * contending_lock = lock, ww_mutex_unlock(lock), -EDEADLK.
   */
  private int deadlockInjection(String fn, WwAcquireContext ctx) {
    if (!ctx.injectCountdown()) {
      return 0;
    }
    ctx.contendingLock = this;
    unlockBody();
    return -Errno.EDEADLK;
  }

  /**
   * {@link #lock} in TASK_INTERRUPTIBLE: a pending signal ends the wait with -EINTR.
   *
   * <p>TLA+ Lock(t, l), WaitAcquire(t), WaitDie(t), LockHeld(t, l) (the spec has no signals, so
   * no -EINTR); kernel ww_mutex_lock_interruptible().
   *
   * @return 0, -EALREADY, -EDEADLK or -EINTR
   */
  public int lockInterruptible(WwAcquireContext ctx) {
    return kernel.call("ww_mutex_lock_interruptible", this, new Object[] {ctx},
        () -> wwMutexLock("ww_mutex_lock_interruptible", ctx, true));
  }

  /**
   * Locks the contended mutex after -EDEADLK, when the context holds nothing, so it cannot be
   * told to back off; WARNs if there was no -EDEADLK to recover from.
   *
   * <p>TLA+ LockSlow(t), then WaitAcquire(t) or WaitSteal(t) if it slept; kernel
   * ww_mutex_lock_slow().
   */
  public void lockSlow(WwAcquireContext ctx) {
    if (direct()) {
      lockSlowBody(ctx);
      return;
    }
    kernel.callVoid("ww_mutex_lock_slow", this, new Object[] {ctx}, () -> lockSlowBody(ctx));
  }

  /** include/linux/ww_mutex.h ww_mutex_lock_slow: the DEBUG_WW_MUTEXES check, then ww_mutex_lock. */
  private void lockSlowBody(WwAcquireContext ctx) {
    if (debug) {
      kernel.warnOn(ctx.contendingLock == null, "ww_mutex_lock_slow",
          "DEBUG_LOCKS_WARN_ON(!ctx->contending_lock)", this);
    }
    wwMutexLock("ww_mutex_lock_slow", ctx, false);
  }

  /**
   * {@link #lockSlow} in TASK_INTERRUPTIBLE.
   *
   * <p>TLA+ LockSlow(t), then WaitAcquire(t) if it slept (no -EINTR in the spec); kernel
   * ww_mutex_lock_slow_interruptible().
   *
   * @return 0 or -EINTR
   */
  public int lockSlowInterruptible(WwAcquireContext ctx) {
    return kernel.call("ww_mutex_lock_slow_interruptible", this, new Object[] {ctx}, () -> {
      if (debug) {
        kernel.warnOn(ctx.contendingLock == null, "ww_mutex_lock_slow_interruptible",
            "DEBUG_LOCKS_WARN_ON(!ctx->contending_lock)", this);
      }
      return wwMutexLock("ww_mutex_lock_slow_interruptible", ctx, true);
    });
  }

  /**
   * Takes the mutex if it is free, never sleeping and never backing off. With a context the
   * lock counts in ctx-&gt;acquired like any other, and the waiters are checked as after a
   * fastpath lock. On a mutex the context already holds it fails (no -EALREADY).
   *
   * <p>TLA+ Trylock(t, l); kernel ww_mutex_trylock() (mutex_trylock for a null ctx).
   *
   * @return whether the mutex was taken
   */
  public boolean trylock(WwAcquireContext ctx) {
    if (direct()) {
      return trylockBody(ctx);
    }
    return kernel.call("ww_mutex_trylock", this, new Object[] {ctx}, () -> trylockBody(ctx));
  }

  /** ww_mutex_trylock (mutex_trylock for a null ctx). */
  private boolean trylockBody(WwAcquireContext ctx) {
    final String fn = "ww_mutex_trylock";
    checkMagic(fn);
    if (ctx != null && ctx.acquired == 0) {
      ctx.wounded = false;
    }
    boolean locked = !refusesSteal() && trylockCommon(Thread.currentThread(), false);
    if (locked && ctx != null) {
      setContextFastpath(fn, ctx);
    }
    if (locked) {
      depAcquire(fn, depMap, true, ctx == null ? null : ctx.depMap);
    }
    return locked;
  }

  /**
   * Unlocks the mutex: if a context holds it, acquired-- (WARN if it was 0) and lock-&gt;ctx
   * = NULL; then the mutex unlock, which wakes the first waiter (and hands the lock to it if
   * it asked for a handoff). Unlocking a mutex the calling task does not hold WARNs and
   * releases it anyway.
   *
   * <p>TLA+ Unlock(t, l), or BackoffUnlock(t, l) when a context backs off after -EDEADLK; kernel
   * ww_mutex_unlock().
   */
  public void unlock() {
    if (direct()) {
      unlockBody();
      return;
    }
    kernel.callVoid("ww_mutex_unlock", this, new Object[0], this::unlockBody);
  }

  /** ww_mutex_unlock: __ww_mutex_unlock, then mutex_unlock. */
  private void unlockBody() {
    wwMutexUnlockCtx("ww_mutex_unlock");
    mutexUnlock("ww_mutex_unlock");
  }

  /**
   * Whether some task holds the mutex (or it was handed to a waiter that has not taken it).
   *
   * <p>Kernel ww_mutex_is_locked(); not a TLA+ action.
   */
  public boolean isLocked() {
    return ownerTask() != null;
  }

  /**
   * Marks the mutex unusable; WARNs if it is locked. Later calls on it WARN
   * ({@code lock->magic != lock}) and carry on.
   *
   * <p>Kernel ww_mutex_destroy() (mutex_destroy with CONFIG_DEBUG_MUTEXES); not a TLA+ action.
   */
  public void destroy() {
    kernel.callVoid("ww_mutex_destroy", this, new Object[0], () -> {
      if (!debug) {
        return; // mutex_destroy is empty without CONFIG_DEBUG_MUTEXES
      }
      kernel.warnOn(isLocked(), "ww_mutex_destroy", "DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock))", this);
      destroyed = true;
    });
  }

  // ---------------------------------------------------------------------------------------
  // Debugging views (not kernel functions)

  /** lock-&gt;ww_class. */
  public WwClass wwClass() {
    return wwClass;
  }

  /** lock-&gt;ctx: the acquire context that holds the mutex, or null. */
  public WwAcquireContext holderCtx() {
    return ctx;
  }

  /** The owner task (__mutex_owner), or null. */
  public Thread owner() {
    return ownerTask();
  }

  /** A snapshot of the wait list, first waiter (the next to be woken) first. */
  public List<WaiterInfo> waitList() {
    waitLock.lock();
    try {
      List<WaiterInfo> out = new ArrayList<>(waitList.size());
      for (Waiter w : waitList) {
        out.add(new WaiterInfo(w.task, w.wwCtx));
      }
      return out;
    } finally {
      waitLock.unlock();
    }
  }

  /** Whether the first waiter asked for a handoff (MUTEX_FLAG_HANDOFF). */
  public boolean isHandoffPending() {
    return (ownerFlags(owner) & MUTEX_FLAG_HANDOFF) != 0;
  }

  /**
   * The task the mutex was handed to that has not picked it up yet (owner word task with
   * MUTEX_FLAG_PICKUP), or null.
   */
  public Thread pickupTask() {
    Object w = owner;
    return (ownerFlags(w) & MUTEX_FLAG_PICKUP) != 0 ? ownerTask(w) : null;
  }

  /** InjectedBug.WW_NO_LOCK_STEALING: a newcomer refuses a free mutex with waiters. */
  private boolean refusesSteal() {
    return kernel.injected(InjectedBug.WW_NO_LOCK_STEALING) && (ownerFlags(owner) & MUTEX_FLAG_WAITERS) != 0;
  }

  /** Whether the mutex was destroyed. */
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return name;
  }

  /** lock_acquire on lock-&gt;base.dep_map, if lockdep tracks this mutex. */
  private void depAcquire(String fn, Lockdep.Map map, boolean trylock, Lockdep.Map nestLock) {
    if (lockdep != null) {
      lockdep.acquire(fn, map, trylock, nestLock);
    } else if (nestLock != null && kernel.build().lockdep() && !Lockdep.of(kernel).isHeld(nestLock)) {
      // An untracked mutex still names its nest_lock, the acquire context's map, which
      // lockdep tracks: __lock_acquire's print_lock_nested_lock_not_held (a context that
      // ww_acquire_fini released).
      kernel.warn(fn, "WARNING: Nested lock was not taken: " + map + " with nest_lock " + nestLock, this);
    }
  }

  /** lock_release of lock-&gt;base.dep_map, if lockdep tracks this mutex. */
  private void depRelease(String fn, Lockdep.Map map) {
    if (lockdep != null) {
      lockdep.release(fn, map);
    }
  }

  // ---------------------------------------------------------------------------------------
  // __mutex_lock_common

  /**
   * __mutex_lock_common(lock, state, 0, nest_lock, ip, ww_ctx, use_ww_ctx) with
   * nest_lock = &amp;ww_ctx-&gt;dep_map for a context (CONFIG_DEBUG_LOCK_ALLOC).
   */
  private int lockCommon(String fn, WwAcquireContext wwCtx, boolean useWwCtx, boolean intr) {
    return lockCommon(fn, wwCtx, useWwCtx, intr, wwCtx == null ? null : wwCtx.depMap);
  }

  private int lockCommon(String fn, WwAcquireContext wwCtx, boolean useWwCtx, boolean intr, Lockdep.Map nestLock) {
    if (!useWwCtx) {
      wwCtx = null;
    }
    final Thread current = Thread.currentThread();
    final Sched sched = kernel.sched();
    final int state = intr ? Sched.TASK_INTERRUPTIBLE : Sched.TASK_UNINTERRUPTIBLE;
    checkMagic(fn);
    if (wwCtx != null) {
      if (wwCtx == ctx) {
        return -Errno.EALREADY;
      }
      // Reset the wounded flag after a kill.
      if (wwCtx.acquired == 0) {
        wwCtx.wounded = false;
      }
      if (kernel.injected(InjectedBug.WW_WOUND_WAIT_EAGER_BACKOFF) && !wwCtx.isWaitDie() && wwCtx.wounded) {
        int ret = kill(fn, wwCtx);
        if (ret != 0) {
          return ret;
        }
      }
    }
    depAcquire(fn, depMap, false, nestLock); // mutex_acquire_nest

    if (!refusesSteal() && trylockCommon(current, false)) { // (mutex_optimistic_spin is not modelled)
      // got the lock, yay!
      if (wwCtx != null) {
        setContextFastpath(fn, wwCtx);
      }
      return 0;
    }
    List<Thread> wakeQ = new ArrayList<>();
    int ret;
    waitLock.lock();
    try {
      if (!refusesSteal() && trylockCommon(current, false)) {
        // After waiting to acquire the wait_lock, try again; then skip_wait.
        if (wwCtx != null) {
          checkWaiters(wwCtx, wakeQ);
          lockAcquired(fn, wwCtx);
        }
        return 0;
      }
      Waiter waiter = new Waiter(current, wwCtx);
      if (wwCtx == null) {
        addWaiter(waiter, waitList.size()); // FIFO
      } else {
        ret = wwAddWaiter(fn, waiter, wwCtx, wakeQ);
        if (ret != 0) {
          // err_early_kill
          waitLock.unlock();
          depRelease(fn, depMap); // mutex_release
          return ret;
        }
      }
      sched.setCurrentState(state);
      for (;;) {
        if (trylockCommon(current, false)) {
          break;
        }
        if (intr && sched.signalPending()) {
          ret = -Errno.EINTR;
          return err(fn, waiter, ret, sched);
        }
        if (wwCtx != null) {
          ret = checkKill(fn, waiter, wwCtx);
          if (ret != 0) {
            return err(fn, waiter, ret, sched);
          }
        }
        if (ownerTask() == current) {
          // No one else can release it: schedule() would never return.
          sched.setCurrentState(Sched.TASK_RUNNING);
          removeWaiter(waiter);
          waitLock.unlock();
          depRelease(fn, depMap);
          throw new KernelBug(fn, "deadlock: " + current.getName() + " sleeps on " + this
              + ", which it holds itself (" + (wwCtx == null ? "NULL ctx" : wwCtx) + ")");
        }
        waitLock.unlock();
        wakeUpQ(wakeQ);
        wakeQ.clear();
        try {
          sched.scheduleTimeout(Sched.MAX_SCHEDULE_TIMEOUT); // schedule_preempt_disabled()
        } catch (RuntimeException | Error e) {
          // the scheduler gave up on this task (a test's abort): leave the wait list
          waitLock.lock();
          removeWaiter(waiter);
          throw e;
        }
        // As the kernel, without the wait_lock: is it first, and try or ask for a handoff.
        boolean first = firstWaiter == waiter;
        sched.setCurrentState(state);
        boolean acquired = trylockCommon(current, first); // __mutex_trylock_or_handoff
        waitLock.lock();
        if (acquired) {
          break;
        }
      }
      // acquired:
      sched.setCurrentState(Sched.TASK_RUNNING);
      if (wwCtx != null && !wwCtx.isWaitDie() && waitList.get(0) != waiter) {
        // Wound-Wait: we stole the lock (!first waiter), anyone might want to wound us.
        checkWaiters(wwCtx, wakeQ);
      }
      removeWaiter(waiter);
      if (wwCtx != null) {
        lockAcquired(fn, wwCtx);
      }
      return 0;
    } finally {
      if (waitLock.isHeldByCurrentThread()) {
        waitLock.unlock();
      }
      wakeUpQ(wakeQ);
    }
  }

  /** The err: path of __mutex_lock_common (called with the wait_lock held; drops it). */
  private int err(String fn, Waiter waiter, int ret, Sched sched) {
    sched.setCurrentState(Sched.TASK_RUNNING);
    removeWaiter(waiter);
    waitLock.unlock();
    depRelease(fn, depMap); // mutex_release
    return ret;
  }

  /**
   * __mutex_trylock_common(lock, handoff): takes a free lock, or picks up a lock handed to the
   * caller; if {@code handoff} (the caller is the first waiter), sets MUTEX_FLAG_HANDOFF so
   * that the next unlock hands the lock over instead of releasing it.
   * <p>TLA+ WaitHandoff(t): a woken first waiter that finds the lock taken sets the flag here.
   */
  private boolean trylockCommon(Thread current, boolean handoff) {
    Object w = owner;
    for (;;) { // must loop, can race against a flag
      int flags = ownerFlags(w);
      Thread task = ownerTask(w);
      if (task != null) {
        if ((flags & MUTEX_FLAG_PICKUP) != 0) {
          if (task != current) {
            return false;
          }
          flags &= ~MUTEX_FLAG_PICKUP;
        } else if (handoff) {
          if ((flags & MUTEX_FLAG_HANDOFF) != 0) {
            return false;
          }
          flags |= MUTEX_FLAG_HANDOFF;
        } else {
          return false;
        }
      } else {
        if (debug) {
          kernel.warnOn((flags & (MUTEX_FLAG_HANDOFF | MUTEX_FLAG_PICKUP)) != 0, "__mutex_trylock_common",
              "DEBUG_LOCKS_WARN_ON(flags & (MUTEX_FLAG_HANDOFF | MUTEX_FLAG_PICKUP))", this);
        }
        task = current;
      }
      Object seen = cmpxchg(w, ownerWord(task, flags));
      if (seen == w) {
        return task == current;
      }
      w = seen;
    }
  }

  /**
   * __mutex_add_waiter: insert before index {@code pos} (list_add_tail(&amp;waiter, pos)); the
   * first waiter sets MUTEX_FLAG_WAITERS.
   */
  private void addWaiter(Waiter waiter, int pos) {
    waitList.add(pos, waiter);
    if (waitList.get(0) == waiter) {
      firstWaiter = waiter;
      setFlag(MUTEX_FLAG_WAITERS);
    }
  }

  /** __mutex_remove_waiter: list_del; an empty list clears all flags. */
  private void removeWaiter(Waiter waiter) {
    waitList.remove(waiter);
    firstWaiter = waitList.isEmpty() ? null : waitList.get(0);
    if (waitList.isEmpty()) {
      clearFlag(MUTEX_FLAGS);
    }
  }

  private void wakeUpQ(List<Thread> wakeQ) {
    if (wakeQ.isEmpty()) {
      return;
    }
    Sched sched = kernel.sched();
    List<Thread> done = new ArrayList<>(wakeQ.size());
    for (Thread t : wakeQ) {
      if (!done.contains(t)) { // wake_q_add: a task is queued once
        done.add(t);
        sched.wakeUpProcess(t);
      }
    }
  }

  private void checkMagic(String fn) {
    // MUTEX_WARN_ON(lock->magic != lock)
    if (debug) {
      kernel.warnOn(destroyed, fn, "DEBUG_LOCKS_WARN_ON(lock->magic != lock)", this);
    }
  }

  // ---------------------------------------------------------------------------------------
  // kernel/locking/ww_mutex.h

  /**
   * ww_mutex_lock_acquired: the DEBUG_WW_MUTEXES checks, then acquired++ and lock-&gt;ctx =
   * ctx. Called by the new owner (with or without the wait_lock).
   */
  private void lockAcquired(String fn, WwAcquireContext wwCtx) {
    if (debug) {
      lockAcquiredChecks(fn, wwCtx);
    }
    if (!kernel.injected(InjectedBug.WW_LOCK_FORGETS_ACQUIRED)) {
      wwCtx.acquired++;
    }
    ctx = wwCtx; // the volatile write: with the read of the owner word after it, the smp_mb
  }

  /** ww_mutex_lock_acquired's #ifdef DEBUG_WW_MUTEXES part. */
  private void lockAcquiredChecks(String fn, WwAcquireContext wwCtx) {
    kernel.warnOn(ctx != null, fn, "DEBUG_LOCKS_WARN_ON(ww->ctx): you used ww_mutex_lock to acquire, but "
        + "released with a normal mutex_unlock", this);
    kernel.warnOn(wwCtx.doneAcquire, fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->done_acquire): Not quite done after "
        + "calling ww_acquire_done() ?", this);
    if (wwCtx.contendingLock != null) {
      kernel.warnOn(wwCtx.contendingLock != this, fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock != ww): "
          + "After -EDEADLK you tried to acquire a different ww_mutex? Bad!", this);
      kernel.warnOn(wwCtx.acquired != 0, fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->acquired > 0): You called "
          + "ww_mutex_lock after receiving -EDEADLK, but 'forgot' to unlock everything else first?", this);
      wwCtx.contendingLock = null;
    }
    kernel.warnOn(wwCtx.wwClass() != wwClass, fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->ww_class != ww->ww_class): "
        + "Naughty, using a different class will lead to undefined behavior!", this);
  }

  /**
   * ww_mutex_set_context_fastpath: after a lock taken without queueing (and without the
   * wait_lock), ww_mutex_lock_acquired; then, if a waiter raced in, check under the wait_lock
   * whether waiters must die or wound us. It does not reset ctx-&gt;wounded: only
   * __mutex_lock_common does.
   */
  private void setContextFastpath(String fn, WwAcquireContext wwCtx) {
    lockAcquired(fn, wwCtx); // ends with the volatile write of ww->ctx ...
    // ... then smp_mb(); the volatile read of the owner word pairs with __ww_mutex_add_waiter.
    if ((ownerFlags(owner) & MUTEX_FLAG_WAITERS) == 0) { // likely(!__mutex_has_waiters)
      return;
    }
    // Uh oh, we raced in fastpath, check if any of the waiters need to die or wound us.
    List<Thread> wakeQ = new ArrayList<>(1);
    waitLock.lock();
    try {
      checkWaiters(wwCtx, wakeQ);
    } finally {
      waitLock.unlock();
    }
    wakeUpQ(wakeQ);
  }

  /**
   * __ww_mutex_die: Wait-Die; wake a younger waiter that holds locks so that it can die.
   *
   * @return true for Wait-Die (the first context waiter decides), false for Wound-Wait
   */
  private boolean die(Waiter waiter, WwAcquireContext wwCtx, List<Thread> wakeQ) {
    if (!wwCtx.isWaitDie()) {
      return false;
    }
    if (waiter.wwCtx.acquired != 0 && WwAcquireContext.less(waiter.wwCtx, wwCtx)) {
      wakeQ.add(waiter.task);
    }
    return true;
  }

  /**
   * __ww_mutex_wound: Wound-Wait; wound {@code holdCtx} if it is younger than {@code wwCtx},
   * which holds locks, and wake its task.
   *
   * @return whether it wounded
   */
  private boolean wound(WwAcquireContext wwCtx, WwAcquireContext holdCtx, List<Thread> wakeQ) {
    Thread o = ownerTask();
    if (holdCtx == null) {
      return false;
    }
    if (o == null) {
      return false;
    }
    if (wwCtx.acquired != 0 && WwAcquireContext.less(holdCtx, wwCtx)) {
      holdCtx.wounded = true;
      if (o != Thread.currentThread()) {
        wakeQ.add(o);
      }
      return true;
    }
    return false;
  }

  /**
   * __ww_mutex_check_waiters: we just acquired the lock under {@code wwCtx}; the first context
   * waiter may have to die (Wait-Die), or an older waiter that holds locks wounds us
   * (Wound-Wait).
   */
  private void checkWaiters(WwAcquireContext wwCtx, List<Thread> wakeQ) {
    for (Waiter cur : waitList) {
      if (cur.wwCtx == null) {
        continue;
      }
      if (die(cur, wwCtx, wakeQ) || wound(cur.wwCtx, wwCtx, wakeQ)) {
        break;
      }
    }
  }

  /**
   * __ww_mutex_kill: -EDEADLK if the context holds locks (WARN if an earlier -EDEADLK was not
   * recovered from; record this lock as the contending lock), else 0.
   */
  private int kill(String fn, WwAcquireContext wwCtx) {
    if (wwCtx.acquired != 0) {
      if (debug) {
        kernel.warnOn(wwCtx.contendingLock != null, fn,
            "DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock): -EDEADLK again without backing off", this);
        wwCtx.contendingLock = this;
      }
      return -Errno.EDEADLK;
    }
    return 0;
  }

  /**
   * __ww_mutex_check_kill, on every wake-up: Wound-Wait dies if wounded; Wait-Die dies if the
   * holder is older or any context waiter is ahead of us (only when holding locks).
   */
  private int checkKill(String fn, Waiter waiter, WwAcquireContext wwCtx) {
    WwAcquireContext holdCtx = ctx;
    if (wwCtx.acquired == 0) {
      return 0;
    }
    if (!wwCtx.isWaitDie()) {
      if (wwCtx.wounded) {
        return kill(fn, wwCtx);
      }
      return 0;
    }
    if (kernel.injected(InjectedBug.WW_WAIT_DIE_YOUNGER_WAITS)) {
      return 0;
    }
    if (holdCtx != null && WwAcquireContext.less(wwCtx, holdCtx)) {
      return kill(fn, wwCtx);
    }
    for (int i = waitList.indexOf(waiter) - 1; i >= 0; i--) {
      if (waitList.get(i).wwCtx == null) {
        continue;
      }
      return kill(fn, wwCtx);
    }
    return 0;
  }

  /**
   * __ww_mutex_add_waiter: queue in stamp order (oldest first) from the tail, skipping
   * ctx-less waiters so that they are never overtaken; Wait-Die dies at once behind an older
   * context waiter (if holding locks) and wakes the younger ones it passes; Wound-Wait wounds
   * a younger holder.
   */
  private int wwAddWaiter(String fn, Waiter waiter, WwAcquireContext wwCtx, List<Thread> wakeQ) {
    boolean isWaitDie = wwCtx.isWaitDie();
    int pos = -1;
    for (int i = waitList.size() - 1; i >= 0; i--) {
      Waiter cur = waitList.get(i);
      if (cur.wwCtx == null) {
        continue;
      }
      if (WwAcquireContext.less(wwCtx, cur.wwCtx)) {
        // Wait-Die: no point in queueing behind an older context.
        if (isWaitDie && !kernel.injected(InjectedBug.WW_WAIT_DIE_YOUNGER_WAITS)) {
          int ret = kill(fn, wwCtx);
          if (ret != 0) {
            return ret;
          }
        }
        break;
      }
      pos = i;
      die(cur, wwCtx, wakeQ); // Wait-Die: ensure younger waiters die
    }
    addWaiter(waiter, pos < 0 ? waitList.size() : pos);
    if (!isWaitDie) {
      wound(wwCtx, ctx, wakeQ);
    }
    return 0;
  }

  /** __ww_mutex_unlock: drop the context's count and lock-&gt;ctx. */
  private void wwMutexUnlockCtx(String fn) {
    WwAcquireContext c = ctx;
    if (c != null) {
      if (debug) {
        kernel.warnOn(c.acquired == 0, fn, "DEBUG_LOCKS_WARN_ON(!lock->ctx->acquired)", this);
      }
      if (c.acquired != 0) { // unsigned: acquired > 0
        c.acquired--;
      }
      CTX.setRelease(this, null);
    }
  }

  /** mutex_unlock: __mutex_unlock_fast without CONFIG_DEBUG_LOCK_ALLOC, else the slowpath. */
  private void mutexUnlock(String fn) {
    if (fastpath && unlockFast(Thread.currentThread())) {
      return;
    }
    unlockSlowpath(fn);
  }

  /**
   * __mutex_unlock_slowpath: mutex_release; release the owner word keeping its flags, unless
   * HANDOFF is set; if there are waiters, take the wait_lock, wake the first one and, for a
   * HANDOFF, __mutex_handoff the lock to it.
   */
  private void unlockSlowpath(String fn) {
    depRelease(fn, depMap);
    final Thread current = Thread.currentThread();
    Object w = owner;
    for (;;) {
      if (debug) {
        kernel.warnOn(ownerTask(w) != current, fn, "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)", this);
        kernel.warnOn((ownerFlags(w) & MUTEX_FLAG_PICKUP) != 0, fn,
            "DEBUG_LOCKS_WARN_ON(owner & MUTEX_FLAG_PICKUP)", this);
      }
      if ((ownerFlags(w) & MUTEX_FLAG_HANDOFF) != 0) {
        break;
      }
      Object seen = cmpxchg(w, ownerWord(null, ownerFlags(w)));
      if (seen == w) {
        if ((ownerFlags(w) & MUTEX_FLAG_WAITERS) != 0) {
          break;
        }
        return;
      }
      w = seen;
    }
    List<Thread> wakeQ = new ArrayList<>(1);
    waitLock.lock();
    try {
      checkMagic(fn); // debug_mutex_unlock
      Thread next = null;
      if (!waitList.isEmpty()) {
        next = waitList.get(0).task;
        wakeQ.add(next);
      }
      if ((ownerFlags(w) & MUTEX_FLAG_HANDOFF) != 0) {
        handoff(next);
      }
    } finally {
      waitLock.unlock();
    }
    wakeUpQ(wakeQ);
  }

  /**
   * __mutex_handoff(lock, task): give the lock to {@code task} (PICKUP set, HANDOFF cleared,
   * WAITERS kept), or release it for a null task. Its MUTEX_WARN_ONs repeat those of the
   * unlock just before and are not repeated here.
   */
  private void handoff(Thread task) {
    Object w = owner;
    for (;;) {
      int flags = ownerFlags(w) & MUTEX_FLAG_WAITERS;
      if (task != null) {
        flags |= MUTEX_FLAG_PICKUP;
      }
      Object seen = cmpxchg(w, ownerWord(task, flags));
      if (seen == w) {
        return;
      }
      w = seen;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Test seams: the base-mutex API and struct manipulations of lib/locking-selftest.c.

  /** lock-&gt;base.dep_map. */
  Lockdep.Map depMap() {
    return depMap;
  }

  /** mutex_lock(&amp;lock-&gt;base): no ww_mutex code path at all. */
  void baseLock() {
    if (fastpath && trylockFast(Thread.currentThread())) {
      return;
    }
    lockCommon("mutex_lock", null, false, false, null);
  }

  /** mutex_lock_interruptible(&amp;lock-&gt;base). */
  int baseLockInterruptible() {
    if (fastpath && trylockFast(Thread.currentThread())) {
      return 0;
    }
    return lockCommon("mutex_lock_interruptible", null, false, true, null);
  }

  /** mutex_lock_killable(&amp;lock-&gt;base): signals are not fatal here, so it never fails. */
  int baseLockKillable() {
    if (fastpath && trylockFast(Thread.currentThread())) {
      return 0;
    }
    return lockCommon("mutex_lock_killable", null, false, false, null);
  }

  /**
   * mutex_lock_nest_lock(&amp;lock-&gt;base, &amp;ctx) (the nest lock is the context's dep_map);
   * without CONFIG_DEBUG_LOCK_ALLOC it is mutex_lock (include/linux/mutex.h).
   */
  void baseLockNestLock(WwAcquireContext nest) {
    if (fastpath) {
      baseLock();
      return;
    }
    lockCommon("mutex_lock_nest_lock", null, false, false, nest.depMap);
  }

  /** mutex_trylock(&amp;lock-&gt;base). */
  boolean baseTrylock() {
    checkMagic("mutex_trylock");
    boolean locked = trylockCommon(Thread.currentThread(), false);
    if (locked) {
      depAcquire("mutex_trylock", depMap, true, null);
    }
    return locked;
  }

  /** mutex_unlock(&amp;lock-&gt;base): leaves lock-&gt;ctx alone. */
  void baseUnlock() {
    mutexUnlock("mutex_unlock");
  }

  /** {@code lock->ctx = c}. */
  void debugSetCtx(WwAcquireContext c) {
    ctx = c;
  }
}
