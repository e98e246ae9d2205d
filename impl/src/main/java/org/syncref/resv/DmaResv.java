package org.syncref.resv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceArray;
import org.syncref.kernel.Errno;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;
import org.syncref.ww.WwMutex;

/**
 * A struct dma_resv: a reservation object, the set of fences (each with a {@link DmaResvUsage})
 * that guard a buffer, behind a lock that excludes writers only; readers run lock-free.
 *
 * <p>Algorithm notes. Each public kernel method follows the kernel function and the TLA+ action
 * of {@code spec/DmaResv/DmaResv.tla} named in its javadoc. References:
 * <ol>
 *   <li>drivers/dma-buf/dma-resv.c, mainline (torvalds/linux @ 0791faebfe75) with
 *       the Nov 2023 fix of dma_resv_add_fence (95ba893c9f4f: dma_fence_is_later_or_same, stable
 *       5.19+)</li>
 *   <li>include/linux/dma-resv.h (RH): the usage enum, dma_resv_usage_rw, the iterator, the lock
 *       wrappers, dma_resv_unlock = dma_resv_reset_max_fences + ww_mutex_unlock</li>
 *   <li>kernel/locking/mutex.c (CONFIG_DEBUG_MUTEXES): an unlock by a task that does not own the
 *       mutex WARNs (MUTEX_WARN_ON, i.e. DEBUG_LOCKS_WARN_ON) and releases it anyway</li>
 *   <li>include/linux/lockdep.h: lockdep_assert_held is a WARN with CONFIG_LOCKDEP, nothing
 *       without it</li>
 * </ol>
 * <b>RCU.</b> The fences live in a {@code struct dma_resv_list} ({@link ResvList}): a capacity
 * fixed at allocation, a volatile {@code num_fences}, a {@code max_fences} and a table of
 * immutable {@link Entry} records (the kernel's tagged pointer: fence and usage in one word). The
 * object's list pointer is a volatile field: publishing a new list is rcu_assign_pointer, and a
 * reader that keeps a list object can still read it after it was replaced, as RCU (here: the
 * garbage collector) keeps it alive. The list object changes only when {@link #reserveFences}
 * reallocates and in {@link #copyFences}; an in-place replacement (add_fence, replace_fences) and
 * an append within capacity keep it, so unlocked readers see those without a restart
 * (dma_resv_iter_walk_unlocked reads the table in place). A replaced list is never written
 * again.
 *
 * <p><b>Lock.</b> obj-&gt;lock is a {@link WwMutex} of the Wait-Die class reservation_ww_class
 * ({@link WwClass#reservationWwClass}, one per kernel): {@link #lock()} and {@link #trylock()}
 * lock it without an acquire context, {@link #lock(WwAcquireContext)} and the _interruptible and
 * _slow variants with one (the drivers' multi-object transactions, e.g.
 * org.syncref.exec.DrmExec). Lockdep does not track this mutex: lockdep's record of the locks a
 * task holds is the {@linkplain #holder() holder} (the mutex's owner) as before, so locking two
 * objects without a context in one task is not reported (the kernel's lockdep would report
 * "possible recursive locking"); the DEBUG_WW_MUTEXES checks of the ww_mutex apply.
 *
 * <p><b>Build.</b> The {@link Kernel.Build}: with CONFIG_DEBUG_MUTEXES ({@code
 * build().debugMutexes()}) unlock resets max_fences to num_fences (dma_resv_reset_max_fences:
 * reservations last one lock hold), without it unused slots stay reserved after unlock; with
 * CONFIG_LOCKDEP ({@code build().lockdep()}: DEBUG_LOCK_ALLOC, PROVE_LOCKING)
 * dma_resv_assert_held WARNs (and carries on) when the calling thread does not hold the lock,
 * without it it checks nothing. Not modelled:
 * dma_resv_set_deadline, dma_resv_describe, -ENOMEM (only for tables beyond kmalloc's limit),
 * kmalloc_size_roundup (a list's capacity is exactly the max_fences asked for).
 */
public final class DmaResv {
  /** KMALLOC_MAX_SIZE on x86-64 (4 MiB): the largest list kmalloc can return. */
  private static final long KMALLOC_MAX_SIZE = 4L << 20;
  /** offsetof(struct dma_resv_list, table): rcu_head (16) + num_fences + max_fences. */
  private static final long LIST_HEADER = 24;
  /** The largest max_fences a list can have (8-byte entries). */
  static final int MAX_LIST_FENCES = (int) ((KMALLOC_MAX_SIZE - LIST_HEADER) / 8);

  /**
   * One table entry: a fence and the usage stored in the low bits of its pointer
   * (dma_resv_list_entry / dma_resv_list_set).
   *
   * @param fence the fence; the entry owns one reference of it
   * @param usage its usage
   */
  public record Entry(DmaFence fence, DmaResvUsage usage) {
    @Override
    public String toString() {
      return fence + "/" + usage;
    }
  }

  /** struct dma_resv_list. */
  static final class ResvList {
    final AtomicReferenceArray<Entry> table;
    /** num_fences: published with a full barrier after the entry it covers (smp_store_mb). */
    volatile int numFences;
    /** max_fences: the capacity, or num_fences after dma_resv_reset_max_fences. */
    volatile int maxFences;
    /** Which publication of the object's list pointer this list was (debugging only). */
    int generation;

    /** dma_resv_list_alloc(max): max_fences = the capacity, num_fences uninitialised (0). */
    ResvList(int max) {
      this.table = new AtomicReferenceArray<>(max);
      this.maxFences = max;
    }

    Entry entry(int i) {
      return table.get(i);
    }

    @Override
    public String toString() {
      return "dma_resv_list#" + generation + "[" + numFences + "/" + maxFences + "]";
    }
  }

  /** The points at which the unlocked walk reads shared state (see {@link ReadHook}). */
  public enum ReadPoint {
    /** dma_resv_iter_restart_unlocked: about to load the object's list pointer. */
    RESTART_LIST,
    /** dma_resv_iter_restart_unlocked: about to load the list's num_fences. */
    RESTART_NUM,
    /** dma_resv_iter_walk_unlocked: about to load table[index]. */
    ENTRY,
    /**
     * dma_resv_iter_walk_unlocked: table[index] is loaded; about to take a reference on its
     * fence with dma_fence_get_rcu (which fails if a writer put the last one meanwhile).
     */
    FENCE_GET,
    /** dma_resv_iter_walk_unlocked: about to test whether the loaded fence is signaled. */
    FENCE_SIGNALED,
    /**
     * dma_resv_iter_first/next_unlocked: about to compare the object's list pointer with the
     * cursor's (the re-check after a walk, and the check at the start of next_unlocked).
     */
    LIST_CHECK
  }

  /**
   * A test hook called by the unlocked walk just before each read of shared state, in the
   * reading thread. A test can run writer operations from it (deterministic single-threaded
   * interleavings: the read then sees their effect) or park the reader. Not a kernel feature.
   */
  @FunctionalInterface
  public interface ReadHook {
    /**
     * @param point  the read about to happen
     * @param cursor the walking cursor (its debugging accessors show where it is)
     */
    void at(ReadPoint point, DmaResvIter cursor);
  }

  final Kernel kernel;
  /** obj-&gt;fences (RCU pointer). */
  private volatile ResvList fences;
  /** How many times obj-&gt;fences was assigned (TLA+ gen). */
  private volatile int generation;
  /** obj-&gt;lock: its owner task is also lockdep's record of who holds it. */
  private final WwMutex lock;
  /** Test hook of unlocked readers; plain field, set before readers start. */
  ReadHook readHook;

  /**
   * Initialises an unlocked reservation object without a fence list.
   *
   * <p>Kernel dma_resv_init(); TLA+ ResvInit (per object).
   */
  public DmaResv(Kernel kernel) {
    if (kernel == null) {
      throw new NullPointerException("kernel");
    }
    this.kernel = kernel;
    this.lock = new WwMutex(kernel, WwClass.reservationWwClass(kernel),
        "dma_resv@" + Integer.toHexString(System.identityHashCode(this)) + ".lock", false);
  }

  /** The kernel this object belongs to. */
  public Kernel kernel() {
    return kernel;
  }

  /** Sets (or clears, with null) the unlocked readers' {@link ReadHook}; a test seam. */
  public void setReadHook(ReadHook hook) {
    this.readHook = hook;
  }

  /** dma_resv_fences_list(obj): rcu_dereference of obj-&gt;fences. */
  ResvList list() {
    return fences;
  }

  /** rcu_assign_pointer(obj-&gt;fences, list). */
  private void publish(ResvList list) {
    if (list == null && fences == null) {
      return; // NULL replaces NULL: the pointer readers compare does not change
    }
    int g = generation + 1;
    if (list != null) {
      list.generation = g;
    }
    fences = list;
    generation = g;
  }

  /**
   * dma_resv_assert_held(obj): lockdep_assert_held(&amp;obj-&gt;lock.base), a WARN when the
   * caller does not hold it, in a build with CONFIG_LOCKDEP (selected by DEBUG_LOCK_ALLOC and
   * PROVE_LOCKING); without lockdep it is {@code do { (void)(l); } while (0)}
   * (include/linux/lockdep.h).
   */
  void assertHeld(String function) {
    if (kernel.build().lockdep() && lock.owner() != Thread.currentThread()) {
      kernel.warn(function, "lockdep_assert_held(&obj->lock.base): dma_resv_assert_held(obj) failed", this);
    }
  }

  /** dma_resv_list_free: put every fence of the list (kfree_rcu of the list itself). */
  private static void listFree(ResvList list) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.numFences; i++) {
      list.entry(i).fence().put();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Life cycle and locking

  /**
   * Destroys the object: puts the reference of every fence in its list and drops the list.
   * WARNs if the object is still locked (mutex_destroy with CONFIG_DEBUG_MUTEXES).
   *
   * <p>Kernel dma_resv_fini(); not a TLA+ action.
   */
  public void fini() {
    kernel.callVoid("dma_resv_fini", this, new Object[0], () -> {
      ResvList l = fences;
      listFree(l);
      fences = null;
      // ww_mutex_destroy -> mutex_destroy: DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock)),
      // CONFIG_DEBUG_MUTEXES only (an empty inline otherwise)
      kernel.warnOn(kernel.build().debugMutexes() && lock.isLocked(), "dma_resv_fini", "DEBUG_LOCKS_WARN_ON(mutex_is_locked(lock))", this);
    });
  }

  /**
   * Locks the object for writing without an acquire context, sleeping (uninterruptibly) while
   * another thread holds it.
   *
   * <p>TLA+ ResvLock(t, r); kernel dma_resv_lock(obj, NULL) (ww_mutex_lock with a NULL ctx).
   *
   * @return 0
   * @throws KernelBug if the calling thread already holds it: the kernel deadlocks on itself
   *                   (lockdep: "possible recursive locking detected")
   */
  public int lock() {
    return kernel.call("dma_resv_lock", this, new Object[] {null}, () -> {
      if (lock.owner() == Thread.currentThread()) {
        throw new KernelBug("dma_resv_lock", "possible recursive locking detected: "
            + "ww_mutex_lock(&obj->lock, NULL) by its owner deadlocks on " + this);
      }
      return lock.lock(null);
    });
  }

  /**
   * Locks the object as part of the transaction {@code ctx} (a context of
   * reservation_ww_class), sleeping uninterruptibly while another task holds it, unless
   * Wait-Die tells {@code ctx} to back off. With a null {@code ctx} it is {@link #lock()}.
   * After -EDEADLK the caller must unlock every object it holds through {@code ctx} and then
   * {@link #lockSlow} this one.
   *
   * <p>Kernel dma_resv_lock(obj, ctx) (ww_mutex_lock(&amp;obj-&gt;lock, ctx)).
   *
   * @return 0; -EALREADY if {@code ctx} already holds it; -EDEADLK if {@code ctx} must back off
   * @throws KernelBug if the calling task would sleep on a lock it holds itself
   */
  public int lock(WwAcquireContext ctx) {
    if (ctx == null) {
      return lock();
    }
    return kernel.call("dma_resv_lock", this, new Object[] {ctx}, () -> lock.lock(ctx));
  }

  /**
   * {@link #lock(WwAcquireContext)} in TASK_INTERRUPTIBLE: a pending signal (a Java interrupt
   * under {@link org.syncref.sched.RealSched}) ends the wait with -EINTR.
   *
   * <p>Kernel dma_resv_lock_interruptible(obj, ctx).
   *
   * @return 0, -EALREADY, -EDEADLK or -EINTR
   * @throws KernelBug if the calling task would sleep on a lock it holds itself
   */
  public int lockInterruptible(WwAcquireContext ctx) {
    return kernel.call("dma_resv_lock_interruptible", this, new Object[] {ctx}, () -> {
      if (ctx == null && lock.owner() == Thread.currentThread()) {
        throw new KernelBug("dma_resv_lock_interruptible", "possible recursive locking detected: "
            + "ww_mutex_lock_interruptible(&obj->lock, NULL) by its owner deadlocks on " + this);
      }
      return lock.lockInterruptible(ctx);
    });
  }

  /**
   * Locks the contended object after -EDEADLK, once {@code ctx} holds nothing: it cannot be
   * told to back off, so it sleeps until it has the lock. WARNs if {@code ctx} has no
   * -EDEADLK to recover from.
   *
   * <p>Kernel dma_resv_lock_slow() (ww_mutex_lock_slow).
   */
  public void lockSlow(WwAcquireContext ctx) {
    kernel.callVoid("dma_resv_lock_slow", this, new Object[] {ctx}, () -> lock.lockSlow(ctx));
  }

  /**
   * {@link #lockSlow} in TASK_INTERRUPTIBLE.
   *
   * <p>Kernel dma_resv_lock_slow_interruptible() (ww_mutex_lock_slow_interruptible).
   *
   * @return 0 or -EINTR
   */
  public int lockSlowInterruptible(WwAcquireContext ctx) {
    return kernel.call("dma_resv_lock_slow_interruptible", this, new Object[] {ctx},
        () -> lock.lockSlowInterruptible(ctx));
  }

  /**
   * The acquire context holding the lock, or null (unlocked, or locked without a context).
   * Only meaningful to a caller that holds the lock (TTM uses it to find the ticket of the
   * transaction it runs in).
   *
   * <p>Kernel dma_resv_locking_ctx() (READ_ONCE(obj-&gt;lock.ctx)).
   */
  public WwAcquireContext lockingCtx() {
    return lock.holderCtx();
  }

  /** obj-&gt;lock: the ww_mutex of class reservation_ww_class (debugging and tests). */
  public WwMutex wwMutex() {
    return lock;
  }

  /**
   * Takes the lock if it is free; never sleeps. Fails (false) when the calling thread already
   * holds it, as mutex_trylock does.
   *
   * <p>Kernel dma_resv_trylock() (ww_mutex_trylock(&amp;obj-&gt;lock, NULL)); not a TLA+ action.
   *
   * @return whether the lock was taken
   */
  public boolean trylock() {
    return kernel.call("dma_resv_trylock", this, new Object[0], () -> lock.trylock(null));
  }

  /**
   * Unlocks the object: first dma_resv_reset_max_fences (max_fences = num_fences, so slots
   * reserved in this lock hold are forfeited), then ww_mutex_unlock.
   *
   * <p>TLA+ ResvUnlock(t, r); kernel dma_resv_unlock(). Called by a thread that does not hold
   * the lock (not in the spec: ResvUnlock is enabled for the holder only) it does what a
   * CONFIG_DEBUG_MUTEXES kernel does: reset_max_fences WARNs (dma_resv_assert_held) and resets
   * max_fences anyway, then __mutex_unlock_slowpath WARNs
   * ({@code DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)}, recorded both as
   * dma_resv_unlock and, by the ww_mutex underneath, as ww_mutex_unlock) and releases the mutex
   * anyway, whoever held it. If an acquire context held it, its acquired count drops.
   */
  public void unlock() {
    kernel.callVoid("dma_resv_unlock", this, new Object[0], () -> {
      // dma_resv_reset_max_fences: CONFIG_DEBUG_MUTEXES only (an empty inline otherwise,
      // include/linux/dma-resv.h), so without it unused reserved slots outlive the hold
      if (kernel.build().debugMutexes()) {
        assertHeld("dma_resv_reset_max_fences");
        ResvList l = fences;
        if (l != null) {
          l.maxFences = l.numFences;
        }
      }
      // ww_mutex_unlock -> mutex_unlock -> __mutex_unlock_slowpath (which WARNs too, as
      // ww_mutex_unlock, for a non-owner; MUTEX_WARN_ON is CONFIG_DEBUG_MUTEXES only)
      kernel.warnOn(kernel.build().debugMutexes() && lock.owner() != Thread.currentThread(), "dma_resv_unlock",
          "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)", this);
      lock.unlock();
    });
  }

  /**
   * Whether some thread holds the lock.
   *
   * <p>Kernel dma_resv_is_locked() (ww_mutex_is_locked); not a TLA+ action.
   */
  public boolean isLocked() {
    return lock.isLocked();
  }

  /**
   * Whether the calling thread holds the lock.
   *
   * <p>Kernel dma_resv_held(obj) (lockdep_is_held); TLA+ Holds(t, r).
   */
  public boolean held() {
    return lock.owner() == Thread.currentThread();
  }

  // ---------------------------------------------------------------------------------------
  // Writers (lock held)

  /**
   * Makes room for {@code numFences} more fences: nothing to do if the list has max_fences
   * &gt; 0 and num_fences + n &lt;= max_fences; otherwise a new list of max(num_fences + n, 2 *
   * max_fences) slots, or max(4, roundup_pow_of_two(n)) when there is no list or max_fences is
   * 0, receives the unsignaled entries in order (signaled ones are parked at its end, put after
   * the new list is published), and replaces the old list.
   *
   * <p>TLA+ ReserveFences(t, r, n); kernel dma_resv_reserve_fences(). dma_resv_assert_held.
   *
   * @param numFences n (C unsigned int: a negative value is a huge request)
   * @return 0, or -ENOMEM when the list would exceed kmalloc's largest allocation
   */
  public int reserveFences(int numFences) {
    return kernel.call("dma_resv_reserve_fences", this, new Object[] {numFences},
        () -> reserveFencesBody(numFences));
  }

  private int reserveFencesBody(int n) {
    assertHeld("dma_resv_reserve_fences");
    if (n < 0) {
      return -Errno.ENOMEM; // (unsigned) n >= 2^31: kmalloc fails
    }
    ResvList old = fences;
    long max;
    if (old != null && old.maxFences != 0) {
      if ((long) old.numFences + n <= old.maxFences) {
        return 0;
      }
      max = Math.max((long) old.numFences + n, 2L * old.maxFences);
    } else {
      max = Math.max(4L, roundupPowOfTwo(n));
    }
    if (max > MAX_LIST_FENCES) {
      return -Errno.ENOMEM;
    }
    ResvList nu = new ResvList((int) max);
    // No need to bump fence refcounts: the references of the old list are carried over.
    int j = 0;
    int k = (int) max;
    int oldNum = old == null ? 0 : old.numFences;
    for (int i = 0; i < oldNum; i++) {
      Entry e = old.entry(i);
      if (e.fence().isSignaled()) {
        nu.table.set(--k, e); // RCU_INIT_POINTER(new->table[--k], fence)
      } else {
        nu.table.set(j++, e); // dma_resv_list_set(new, j++, fence, usage)
      }
    }
    nu.numFences = j;
    publish(nu); // rcu_assign_pointer(obj->fences, new)
    if (old == null) {
      return 0;
    }
    // Drop the references to the signaled fences.
    for (int i = k; i < max; i++) {
      nu.entry(i).fence().put();
    }
    return 0; // kfree_rcu(old, rcu)
  }

  /** roundup_pow_of_two(n) for 0 &lt;= n &lt; 2^30 (0 and 1 give 1). */
  private static long roundupPowOfTwo(int n) {
    return n <= 1 ? 1 : Long.highestOneBit((long) n - 1) << 1;
  }

  /**
   * Adds {@code fence} with {@code usage}, taking a reference: the first entry (index order)
   * that has the same context, a usage no stronger than {@code usage} and a fence that {@code
   * fence} is later than or the same as, or that holds a signaled fence, is overwritten (and
   * its fence put); otherwise the fence is appended to a reserved slot.
   *
   * <p>TLA+ AddFence(t, r, f, u); kernel dma_resv_add_fence(). dma_resv_assert_held; WARNs
   * (WARN_ON(dma_fence_is_container(fence))) for a container fence and goes on.
   *
   * @throws KernelBug when no entry is replaceable and the list is full
   *                   ({@code BUG_ON(fobj->num_fences >= fobj->max_fences)}), or when the object
   *                   has no list at all (the kernel dereferences NULL)
   */
  public void addFence(DmaFence fence, DmaResvUsage usage) {
    kernel.callVoid("dma_resv_add_fence", this, new Object[] {fence, usage}, () -> addFenceBody(fence, usage));
  }

  private void addFenceBody(DmaFence fence, DmaResvUsage usage) {
    final String fn = "dma_resv_add_fence";
    fence.get();
    assertHeld(fn);
    // Drivers should not add containers here, instead add each fence individually.
    kernel.warnOn(fence.isContainer(), fn, "WARN_ON(dma_fence_is_container(fence))", fence);
    ResvList fobj = fences;
    if (fobj == null) {
      throw new KernelBug(fn, "BUG: kernel NULL pointer dereference, address: obj->fences->num_fences"
          + " (no dma_resv_reserve_fences before dma_resv_add_fence on " + this + ")");
    }
    int count = fobj.numFences;
    if (!kernel.injected(InjectedBug.RESV_ADD_APPENDS)) {
      for (int i = 0; i < count; i++) {
        Entry e = fobj.entry(i);
        DmaFence old = e.fence();
        if ((old.context() == fence.context()
            && (e.usage().ordinal() >= usage.ordinal() || kernel.injected(InjectedBug.RESV_ADD_IGNORES_USAGE))
            && fence.isLaterOrSame(old)) || old.isSignaled()) {
          if (kernel.injected(InjectedBug.RESV_ADD_REPLACE_MOVES_TO_END)) {
            for (int j = i; j + 1 < count; j++) {
              fobj.table.set(j, fobj.entry(j + 1));
            }
            i = count - 1;
          }
          fobj.table.set(i, new Entry(fence, usage));
          old.put();
          return;
        }
      }
    }
    if (fobj.numFences >= fobj.maxFences) {
      throw new KernelBug(fn, "kernel BUG: BUG_ON(fobj->num_fences >= fobj->max_fences) with "
          + fobj.numFences + " >= " + fobj.maxFences + " adding " + fence + " to " + this);
    }
    fobj.table.set(count, new Entry(fence, usage));
    // pointer update must be visible before we extend the num_fences
    fobj.numFences = count + 1; // smp_store_mb
  }

  /**
   * Overwrites every entry of fence context {@code context} with ({@code replacement}, {@code
   * usage}), taking one reference of the replacement per entry and putting the old fence; no
   * is-later check, and the usage may become weaker.
   *
   * <p>TLA+ ReplaceFences(t, r, c, f, u); kernel dma_resv_replace_fences().
   * dma_resv_assert_held.
   */
  public void replaceFences(long context, DmaFence replacement, DmaResvUsage usage) {
    kernel.callVoid("dma_resv_replace_fences", this, new Object[] {context, replacement, usage}, () -> {
      assertHeld("dma_resv_replace_fences");
      ResvList list = fences;
      for (int i = 0; list != null && i < list.numFences; i++) {
        DmaFence old = list.entry(i).fence();
        if (old.context() != context) {
          continue;
        }
        list.table.set(i, new Entry(replacement.get(), usage));
        old.put();
      }
    });
  }

  /**
   * Replaces this object's (the destination's) fences by the unsignaled fences of {@code src},
   * each with its usage: an unlocked BOOKKEEP walk over src collects them into a new list of
   * the cursor's num_fences slots (a restart frees what was collected and allocates anew);
   * the new list, or none if the walk yielded nothing, replaces this object's list, whose
   * fences are put.
   *
   * <p>TLA+ CopyFences(t, dst, src); kernel dma_resv_copy_fences(dst, src).
   * dma_resv_assert_held(dst).
   *
   * @return 0
   */
  public int copyFences(DmaResv src) {
    return kernel.call("dma_resv_copy_fences", this, new Object[] {src}, () -> {
      assertHeld("dma_resv_copy_fences");
      ResvList list = null;
      DmaResvIter cursor = DmaResvIter.begin(src, DmaResvUsage.BOOKKEEP);
      for (DmaFence f = cursor.firstUnlockedBody(); f != null; f = cursor.nextUnlockedBody()) {
        if (cursor.isRestarted()) {
          listFree(list);
          list = new ResvList(cursor.numFences()); // dma_resv_list_alloc(cursor.num_fences)
          list.numFences = 0;
        }
        if (list.numFences >= list.table.length()) {
          // Only after a restart onto a NULL src list (see DmaResvIter.nextUnlocked).
          throw new KernelBug("dma_resv_copy_fences", "KASAN: slab-out-of-bounds write of list->table["
              + list.numFences + "] (" + list.table.length() + " slots)");
        }
        f.get();
        list.table.set(list.numFences, new Entry(f, cursor.usage()));
        list.numFences = list.numFences + 1;
      }
      cursor.endBody();
      ResvList old = fences;
      publish(list); // rcu_replace_pointer(dst->fences, list, dma_resv_held(dst))
      listFree(old);
      return 0;
    });
  }

  // ---------------------------------------------------------------------------------------
  // Readers (no lock needed)

  /**
   * Whether every fence with usage &lt;= {@code usage} has signaled: true iff the unlocked walk
   * yields no fence.
   *
   * <p>TLA+ TestSignaled(t, r, u); kernel dma_resv_test_signaled().
   */
  public boolean testSignaled(DmaResvUsage usage) {
    return kernel.call("dma_resv_test_signaled", this, new Object[] {usage}, () -> {
      DmaResvIter cursor = DmaResvIter.begin(this, usage);
      DmaFence f = cursor.firstUnlockedBody();
      cursor.endBody();
      return f == null;
    });
  }

  /**
   * The unsignaled fences with usage &lt;= {@code usage}, one complete unlocked walk (on a
   * restart what was collected is put and collecting starts again).
   *
   * <p>TLA+ GetFences(t, r, u); kernel dma_resv_get_fences(obj, usage, &amp;num, &amp;fences)
   * (its return value is always 0 here).
   *
   * @return the fences in walk order, each with a reference owned by the caller
   */
  public List<DmaFence> getFences(DmaResvUsage usage) {
    return kernel.call("dma_resv_get_fences", this, new Object[] {usage}, () -> getFencesBody(usage));
  }

  private List<DmaFence> getFencesBody(DmaResvUsage usage) {
    List<DmaFence> out = new ArrayList<>();
    DmaResvIter cursor = DmaResvIter.begin(this, usage);
    for (DmaFence f = cursor.firstUnlockedBody(); f != null; f = cursor.nextUnlockedBody()) {
      if (cursor.isRestarted()) {
        while (!out.isEmpty()) {
          out.remove(out.size() - 1).put();
        }
        // krealloc_array(*fences, cursor.num_fences + 1, ...)
      }
      out.add(f.get());
    }
    cursor.endBody();
    return out;
  }

  /**
   * One fence standing for the unsignaled fences with usage &lt;= {@code usage}: null for none,
   * the fence itself for one, else a new {@link DmaFenceArray} over them on a fresh context
   * (dma_fence_context_alloc(1)) with seqno 1. Do not add the result back to a reservation
   * object: it is a container.
   *
   * <p>TLA+ GetSingleton(t, r, u); kernel dma_resv_get_singleton() (return value 0).
   *
   * @return null, or a fence with one reference owned by the caller
   */
  public DmaFence getSingleton(DmaResvUsage usage) {
    return kernel.call("dma_resv_get_singleton", this, new Object[] {usage}, () -> {
      List<DmaFence> fs = getFencesBody(usage);
      if (fs.isEmpty()) {
        return null;
      }
      if (fs.size() == 1) {
        return fs.get(0);
      }
      return DmaFenceArray.create(kernel, fs, kernel.dmaFenceContextAlloc(1), 1).base();
    });
  }

  /**
   * Waits for the fences with usage &lt;= {@code usage}: ret starts at {@code timeout}, or 1 if
   * it is 0; each fence the unlocked walk yields gets dma_fence_wait_timeout(fence, intr,
   * timeout), whose result is ret and, unless timeout is 0, the timeout left for the next
   * fence; the first result &lt;= 0 is returned at once, else the last ret.
   *
   * <p>TLA+ ResvWaitTimeout(t, r, u, timeout), and for a sleep on a fence ResvWaitWake(t) (woken
   * after the signal: the walk goes on) or ResvWaitExpire(t) (timed out: 0); kernel
   * dma_resv_wait_timeout(obj, usage, intr, timeout). With timeout 0 it is a poll: 1 if every
   * fence has signaled, else 0 at once (commit 2b95a7db6e0f "dma-buf: fix timeout handling in
   * dma_resv_wait_timeout v2", Christian König, 2025, in 6.1 and 6.12 stable; before it ret,
   * 1, was passed and each unsignaled fence was waited for up to one jiffy). With {@link
   * org.syncref.sched.Sched#MAX_SCHEDULE_TIMEOUT} it sleeps until every fence it walks to has
   * signaled, and returns MAX_SCHEDULE_TIMEOUT.
   *
   * @return -ERESTARTSYS if interrupted, 0 on timeout, else &gt; 0
   */
  public long waitTimeout(DmaResvUsage usage, boolean intr, long timeout) {
    return kernel.call("dma_resv_wait_timeout", this, new Object[] {usage, intr, timeout}, () -> {
      long ret = timeout != 0 ? timeout : 1;
      long left = timeout;
      DmaResvIter cursor = DmaResvIter.begin(this, usage);
      for (DmaFence f = cursor.firstUnlockedBody(); f != null; f = cursor.nextUnlockedBody()) {
        ret = f.waitTimeout(intr, kernel.injected(InjectedBug.RESV_WAIT_PASSES_RET) ? ret : left);
        if (ret <= 0) {
          cursor.endBody();
          return ret;
        }
        // Even for zero timeout the return value is 1
        if (left != 0) {
          left = ret;
        }
      }
      cursor.endBody();
      return ret;
    });
  }

  // ---------------------------------------------------------------------------------------
  // Read-only debugging view (not kernel functions)

  /** Read-only debugging view: the entries of the current list in index order. */
  public List<Entry> entries() {
    ResvList l = fences;
    List<Entry> out = new ArrayList<>();
    if (l != null) {
      int n = l.numFences;
      for (int i = 0; i < n; i++) {
        out.add(l.entry(i));
      }
    }
    return out;
  }

  /** Read-only debugging view: the current list's num_fences (0 without a list). */
  public int numFences() {
    ResvList l = fences;
    return l == null ? 0 : l.numFences;
  }

  /** Read-only debugging view: the current list's max_fences (0 without a list; TLA+ maxSlots). */
  public int maxFences() {
    ResvList l = fences;
    return l == null ? 0 : l.maxFences;
  }

  /** Read-only debugging view: the current list's allocated capacity (0 without a list). */
  public int capacity() {
    ResvList l = fences;
    return l == null ? 0 : l.table.length();
  }

  /** Read-only debugging view: whether the object has a list at all (obj-&gt;fences != NULL). */
  public boolean hasList() {
    return fences != null;
  }

  /**
   * Read-only debugging view: how many times the list pointer was assigned (by a reallocating
   * reserve or by copy_fences); a new value means a new list object, which makes unlocked
   * readers restart. TLA+ gen.
   */
  public int generation() {
    return generation;
  }

  /** Read-only debugging view: the thread holding the lock, or null (TLA+ holder). */
  public Thread holder() {
    return lock.owner();
  }

  @Override
  public String toString() {
    return "dma_resv@" + Integer.toHexString(System.identityHashCode(this));
  }
}
