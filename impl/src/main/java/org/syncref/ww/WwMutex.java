package org.syncref.ww;

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
 *   <li>Documentation/locking/ww-mutex-design.rst; shared/reference/kernel-semantics.md
 *       sections 4, 7.18-7.20.</li>
 * </ol>
 * <b>Model.</b> The owner word (task plus the WAITERS, HANDOFF and PICKUP flags), the wait list
 * and {@code ww->ctx} are guarded by one {@link ReentrantLock}, the wait_lock. The kernel's
 * lock-free fastpath (an atomic cmpxchg of the owner word) is done under the wait_lock here, so
 * ww_mutex_set_context_fastpath's race "acquired while a waiter was queueing" becomes "acquired
 * with waiters queued", handled by the same __ww_mutex_check_waiters. Optimistic spinning is not
 * modelled (it only retries the trylock). Wake-ups are collected in a wake_q and issued after the
 * wait_lock is dropped, through the kernel's {@link Sched}; a sleeping task re-checks everything
 * when it wakes, so spurious wake-ups are harmless (with {@code ManualSched} a test decides when
 * each sleeper runs again).
 *
 * <p><b>Build.</b> CONFIG_DEBUG_MUTEXES (so DEBUG_WW_MUTEXES) with CONFIG_PROVE_LOCKING, without
 * PREEMPT_RT (no RT priorities in __ww_ctx_less) and without CONFIG_DEBUG_WW_MUTEX_SLOWPATH.
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

    private final Kernel kernel;
    /** lock-&gt;ww_class (DEBUG_WW_MUTEXES). */
    private final WwClass wwClass;
    /** lock-&gt;base.wait_lock. */
    private final ReentrantLock waitLock = new ReentrantLock();
    /** The owner word's task; guarded by waitLock (volatile for the debugging views). */
    private volatile Thread owner;
    /** MUTEX_FLAG_HANDOFF; guarded by waitLock. */
    private boolean flagHandoff;
    /** MUTEX_FLAG_PICKUP: the lock was handed to {@link #owner}, who has not taken it yet. */
    private boolean flagPickup;
    /** lock-&gt;base.wait_list; guarded by waitLock. MUTEX_FLAG_WAITERS is "not empty". */
    private final ArrayList<Waiter> waitList = new ArrayList<>();
    /** lock-&gt;ctx: the acquire context holding the lock, or null. */
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
        this.wwClass = wwClass;
        this.name = name != null ? name : "ww_mutex@" + Integer.toHexString(System.identityHashCode(this));
        this.depMap = new Lockdep.Map(wwClass.mutexKey, this.name);
        this.lockdep = lockdep ? Lockdep.of(kernel) : null;
    }

    // ---------------------------------------------------------------------------------------
    // The API

    /**
     * Locks the mutex, sleeping uninterruptibly while it is held, or tells the context to back
     * off. With a null {@code ctx} it is a plain mutex_lock (no deadlock handling).
     *
     * <p>TLA+ Lock(t, l), then WaitAcquire(t) or WaitDie(t) if it slept; LockHeld(t, l) for
     * -EALREADY; kernel ww_mutex_lock().
     *
     * @param ctx the acquire context, or null
     * @return 0 if locked; -EALREADY if {@code ctx} already holds it; -EDEADLK if {@code ctx}
     *     must unlock everything and then {@link #lockSlow} this mutex
     * @throws KernelBug if the calling task would sleep on a mutex it holds itself
     */
    public int lock(WwAcquireContext ctx) {
        return kernel.call("ww_mutex_lock", this, new Object[] {ctx},
                () -> lockCommon("ww_mutex_lock", ctx, true, false));
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
                () -> lockCommon("ww_mutex_lock_interruptible", ctx, true, true));
    }

    /**
     * Locks the contended mutex after -EDEADLK, when the context holds nothing, so it cannot be
     * told to back off; WARNs if there was no -EDEADLK to recover from.
     *
     * <p>TLA+ LockSlow(t), then WaitAcquire(t) if it slept; kernel ww_mutex_lock_slow().
     */
    public void lockSlow(WwAcquireContext ctx) {
        kernel.callVoid("ww_mutex_lock_slow", this, new Object[] {ctx}, () -> {
            kernel.warnOn(ctx.contendingLock == null, "ww_mutex_lock_slow",
                    "DEBUG_LOCKS_WARN_ON(!ctx->contending_lock)", this);
            lockCommon("ww_mutex_lock_slow", ctx, true, false);
        });
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
            kernel.warnOn(ctx.contendingLock == null, "ww_mutex_lock_slow_interruptible",
                    "DEBUG_LOCKS_WARN_ON(!ctx->contending_lock)", this);
            return lockCommon("ww_mutex_lock_slow_interruptible", ctx, true, true);
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
        return kernel.call("ww_mutex_trylock", this, new Object[] {ctx}, () -> {
            final String fn = "ww_mutex_trylock";
            checkMagic(fn);
            if (ctx != null && ctx.acquired == 0) {
                ctx.wounded = false;
            }
            List<Thread> wakeQ = new ArrayList<>();
            boolean locked;
            waitLock.lock();
            try {
                locked = trylockCommon(Thread.currentThread(), false);
                if (locked && ctx != null) {
                    setContextFastpath(fn, ctx, wakeQ);
                }
            } finally {
                waitLock.unlock();
            }
            wakeUpQ(wakeQ);
            if (locked) {
                depAcquire(fn, depMap, true, ctx == null ? null : ctx.depMap);
            }
            return locked;
        });
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
        kernel.callVoid("ww_mutex_unlock", this, new Object[0], () -> {
            wwMutexUnlockCtx("ww_mutex_unlock");
            mutexUnlock("ww_mutex_unlock");
        });
    }

    /**
     * Whether some task holds the mutex (or it was handed to a waiter that has not taken it).
     *
     * <p>Kernel ww_mutex_is_locked(); not a TLA+ action.
     */
    public boolean isLocked() {
        return owner != null;
    }

    /**
     * Marks the mutex unusable; WARNs if it is locked. Later calls on it WARN
     * ({@code lock->magic != lock}) and carry on.
     *
     * <p>Kernel ww_mutex_destroy() (mutex_destroy with CONFIG_DEBUG_MUTEXES); not a TLA+ action.
     */
    public void destroy() {
        kernel.callVoid("ww_mutex_destroy", this, new Object[0], () -> {
            kernel.warnOn(owner != null, "ww_mutex_destroy", "DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock))", this);
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
        return owner;
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
        waitLock.lock();
        try {
            return flagHandoff;
        } finally {
            waitLock.unlock();
        }
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

        List<Thread> wakeQ = new ArrayList<>();
        int ret;
        waitLock.lock();
        try {
            if (trylockCommon(current, false)) {
                // Fastpath (or "after waiting to acquire the wait_lock, try again").
                if (wwCtx != null) {
                    setContextFastpath(fn, wwCtx, wakeQ);
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
                if (owner == current) {
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
                } finally {
                    waitLock.lock();
                }
                boolean first = waitList.get(0) == waiter;
                sched.setCurrentState(state);
                if (trylockCommon(current, first)) {
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
     */
    private boolean trylockCommon(Thread current, boolean handoff) {
        Thread o = owner;
        if (o != null) {
            if (flagPickup) {
                if (o != current) {
                    return false;
                }
                flagPickup = false;
                return true;
            }
            if (handoff && !flagHandoff) {
                flagHandoff = true;
            }
            return false;
        }
        // MUTEX_WARN_ON(flags & (HANDOFF | PICKUP)): cannot happen, the unlock clears them.
        owner = current;
        return true;
    }

    /** __mutex_add_waiter: insert before index {@code pos} (list_add_tail(&amp;waiter, pos)). */
    private void addWaiter(Waiter waiter, int pos) {
        waitList.add(pos, waiter);
    }

    /** __mutex_remove_waiter: list_del; an empty list clears all flags. */
    private void removeWaiter(Waiter waiter) {
        waitList.remove(waiter);
        if (waitList.isEmpty()) {
            flagHandoff = false;
            flagPickup = false;
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
        kernel.warnOn(destroyed, fn, "DEBUG_LOCKS_WARN_ON(lock->magic != lock)", this);
    }

    // ---------------------------------------------------------------------------------------
    // kernel/locking/ww_mutex.h

    /**
     * ww_mutex_lock_acquired: the DEBUG_WW_MUTEXES checks, then acquired++ and lock-&gt;ctx =
     * ctx. Called with the wait_lock held.
     */
    private void lockAcquired(String fn, WwAcquireContext wwCtx) {
        kernel.warnOn(ctx != null, fn, "DEBUG_LOCKS_WARN_ON(ww->ctx): you used ww_mutex_lock to acquire, but "
                + "released with a normal mutex_unlock", this);
        kernel.warnOn(wwCtx.doneAcquire, fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->done_acquire): Not quite done after "
                + "calling ww_acquire_done() ?", this);
        if (wwCtx.contendingLock != null) {
            kernel.warnOn(wwCtx.contendingLock != this, fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock != ww): "
                    + "After -EDEADLK you tried to acquire a different ww_mutex? Bad!", this);
            kernel.warnOn(wwCtx.acquired > 0, fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->acquired > 0): You called "
                    + "ww_mutex_lock after receiving -EDEADLK, but 'forgot' to unlock everything else first?", this);
            wwCtx.contendingLock = null;
        }
        kernel.warnOn(wwCtx.wwClass() != wwClass, fn, "DEBUG_LOCKS_WARN_ON(ww_ctx->ww_class != ww->ww_class): "
                + "Naughty, using a different class will lead to undefined behavior!", this);
        if (!kernel.injected(InjectedBug.WW_LOCK_FORGETS_ACQUIRED)) {
            wwCtx.acquired++;
        }
        ctx = wwCtx;
    }

    /**
     * ww_mutex_set_context_fastpath: after a lock taken without queueing, check whether waiters
     * must die or wound us. Called with the wait_lock held.
     */
    private void setContextFastpath(String fn, WwAcquireContext wwCtx, List<Thread> wakeQ) {
        lockAcquired(fn, wwCtx);
        if (!waitList.isEmpty()) { // __ww_mutex_has_waiters
            checkWaiters(wwCtx, wakeQ);
        }
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
        if (waiter.wwCtx.acquired > 0 && WwAcquireContext.less(waiter.wwCtx, wwCtx)) {
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
        Thread o = owner;
        if (holdCtx == null) {
            return false;
        }
        if (o == null) {
            return false;
        }
        if (wwCtx.acquired > 0 && WwAcquireContext.less(holdCtx, wwCtx)) {
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
        if (wwCtx.acquired > 0) {
            kernel.warnOn(wwCtx.contendingLock != null, fn,
                    "DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock): -EDEADLK again without backing off", this);
            wwCtx.contendingLock = this;
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
            kernel.warnOn(c.acquired == 0, fn, "DEBUG_LOCKS_WARN_ON(!lock->ctx->acquired)", this);
            if (c.acquired > 0) {
                c.acquired--;
            }
            ctx = null;
        }
    }

    /** mutex_unlock: mutex_release, then __mutex_unlock_slowpath. */
    private void mutexUnlock(String fn) {
        depRelease(fn, depMap);
        List<Thread> wakeQ = new ArrayList<>(1);
        waitLock.lock();
        try {
            kernel.warnOn(owner != Thread.currentThread(), fn,
                    "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)", this);
            kernel.warnOn(flagPickup, fn, "DEBUG_LOCKS_WARN_ON(owner & MUTEX_FLAG_PICKUP)", this);
            if (!flagHandoff && waitList.isEmpty()) {
                owner = null; // the cmpxchg release: no waiters, nothing more to do
                return;
            }
            checkMagic(fn); // debug_mutex_unlock, on the path that takes the wait_lock
            Thread next = null;
            if (!waitList.isEmpty()) {
                next = waitList.get(0).task;
                wakeQ.add(next);
            }
            if (flagHandoff) {
                // __mutex_handoff(lock, next)
                owner = next;
                flagPickup = next != null;
                flagHandoff = false;
            } else {
                owner = null;
            }
        } finally {
            waitLock.unlock();
        }
        wakeUpQ(wakeQ);
    }

    // ---------------------------------------------------------------------------------------
    // Test seams: the base-mutex API and struct manipulations of lib/locking-selftest.c.

    /** lock-&gt;base.dep_map. */
    Lockdep.Map depMap() {
        return depMap;
    }

    /** mutex_lock(&amp;lock-&gt;base): no ww_mutex code path at all. */
    void baseLock() {
        lockCommon("mutex_lock", null, false, false, null);
    }

    /** mutex_lock_interruptible(&amp;lock-&gt;base). */
    int baseLockInterruptible() {
        return lockCommon("mutex_lock_interruptible", null, false, true, null);
    }

    /** mutex_lock_killable(&amp;lock-&gt;base): signals are not fatal here, so it never fails. */
    int baseLockKillable() {
        return lockCommon("mutex_lock_killable", null, false, false, null);
    }

    /** mutex_lock_nest_lock(&amp;lock-&gt;base, &amp;ctx) (the nest lock is the context's dep_map). */
    void baseLockNestLock(WwAcquireContext nest) {
        lockCommon("mutex_lock_nest_lock", null, false, false, nest.depMap);
    }

    /** mutex_trylock(&amp;lock-&gt;base). */
    boolean baseTrylock() {
        checkMagic("mutex_trylock");
        boolean locked;
        waitLock.lock();
        try {
            locked = trylockCommon(Thread.currentThread(), false);
        } finally {
            waitLock.unlock();
        }
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
