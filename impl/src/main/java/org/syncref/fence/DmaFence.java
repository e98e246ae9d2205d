package org.syncref.fence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.syncref.kernel.Errno;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.kernel.ModuleUnloadedOops;
import org.syncref.kernel.UseAfterFreeBug;
import org.syncref.sched.Sched;

/**
 * A struct dma_fence: a one-shot completion event of an issuing module, with a context, a seqno,
 * a refcount, an error, a callback list and an inline lock.
 *
 * <p>Algorithm notes. Each public kernel method follows the kernel function named in its javadoc
 * and the TLA+ action of {@code spec/DmaFence/DmaFence.tla} named there; the spec's variables map
 * to the observability accessors: {@code life} to {@link #isFreed()}, {@code refs} to
 * {@link #refcount()}, {@code signaled} to {@link #isSignaledFlag()}, {@code enabled} to
 * {@link #isEnableSignalFlag()}, {@code error} to {@link #error()}, {@code detached} to
 * {@link #opsDetached()}, {@code cbq} to {@link #queuedCallbacks()}. References:
 * <ol>
 *   <li>drivers/dma-buf/dma-fence.c (2026 tip)</li>
 *   <li>include/linux/dma-fence.h (2026 tip)</li>
 *   <li>Christian König, "dma-buf: protected fence ops by RCU v3" (M-RCU): ops detach at signal
 *       unless release or wait is implemented</li>
 *   <li>Christian König, "dma-buf: inline spinlock for fence protection v2" (M-INL)</li>
 *   <li>Philipp Stanner, "dma-buf/dma-fence: Add dma_fence_check_and_signal()" (M-VOID)</li>
 * </ol>
 * The tags M-RCU, M-INL, M-VOID (and M-SOA in {@link DmaFenceArray}) name these public dri-devel
 * patch series; spec/README.md lists them with their authors and dates.
 * Flag word: INITIALIZED and INLINE_LOCK are always set here (init is the only constructor and
 * the lock is always inline), so only SEQNO64, SIGNALED and ENABLE_SIGNAL are kept.
 */
public final class DmaFence {
  private static final Object[] NO_ARGS = {};

  private final Kernel kernel;
  private final FenceModule issuer;
  private final long context;
  private final long seqno;
  private final boolean seqno64;
  /** The inline lock (fence->inline_lock). */
  private final ReentrantLock lock = new ReentrantLock();
  /** The kref. */
  private final AtomicInteger refcount = new AtomicInteger(1);

  /** fence->ops; null once detached at signal time. Written under the lock. */
  private volatile DmaFenceOps ops;
  private volatile boolean signaled;
  private volatile boolean enableSignal;
  private volatile int error;
  private volatile boolean freed;
  /** fence->cb_list, in list order; guarded by the lock. */
  private List<DmaFenceCb> cbList = new ArrayList<>();
  /**
   * The dma_fence_array this fence is the base of (container_of), or null; set once by
   * {@link DmaFenceArray} before the fence is published. Stands for the ops comparison of
   * dma_fence_is_array().
   */
  DmaFenceArray array;

  private DmaFence(Kernel kernel, DmaFenceOps ops, long context, long seqno, boolean seqno64) {
    this.kernel = kernel;
    this.ops = ops;
    this.issuer = ops.module();
    this.context = context;
    this.seqno = seqno;
    this.seqno64 = seqno64;
  }

  /**
   * Initialises a fence with 32-bit wrapping seqno comparison, refcount 1 and the inline lock.
   *
   * <p>TLA+ FenceInit(t, f) with FenceIs64[f] = FALSE; kernel dma_fence_init(fence, ops, NULL,
   * context, seqno).
   *
   * @throws KernelBug          if ops or one of its mandatory name ops is missing (BUG_ON)
   * @throws ModuleUnloadedOops if the issuing module is unloaded (its ops cannot be read)
   */
  public static DmaFence init(Kernel kernel, DmaFenceOps ops, long context, long seqno) {
    return kernel.call("dma_fence_init", null, new Object[] {context, seqno},
        () -> create(kernel, ops, context, seqno, false, "dma_fence_init"));
  }

  /**
   * Initialises a fence with plain 64-bit seqno comparison (SEQNO64 flag).
   *
   * <p>TLA+ FenceInit(t, f) with FenceIs64[f] = TRUE; kernel dma_fence_init64().
   *
   * @throws KernelBug          if ops or one of its mandatory name ops is missing (BUG_ON)
   * @throws ModuleUnloadedOops if the issuing module is unloaded
   */
  public static DmaFence init64(Kernel kernel, DmaFenceOps ops, long context, long seqno) {
    return kernel.call("dma_fence_init64", null, new Object[] {context, seqno},
        () -> create(kernel, ops, context, seqno, true, "dma_fence_init64"));
  }

  private static DmaFence create(Kernel kernel, DmaFenceOps ops, long context, long seqno,
      boolean seqno64, String fn) {
    if (kernel == null) {
      throw new NullPointerException("kernel");
    }
    // BUG_ON(!ops || !ops->get_driver_name || !ops->get_timeline_name)
    if (ops == null) {
      throw new KernelBug(fn, "BUG_ON(!ops)");
    }
    if (!ops.module().isLoaded()) {
      throw new ModuleUnloadedOops(fn, ops.module().name(), "dma_fence_ops");
    }
    if (ops.getDriverName() == null || ops.getTimelineName() == null) {
      throw new KernelBug(fn, "BUG_ON(!ops->get_driver_name || !ops->get_timeline_name)");
    }
    return new DmaFence(kernel, ops, context, seqno, seqno64);
  }

  // ---------------------------------------------------------------------------------------
  // Internal helpers

  private void checkLive(String fn) {
    if (freed) {
      throw new UseAfterFreeBug(fn, this);
    }
  }

  /** spin_lock(dma_fence_spinlock(fence)); recursion is a BUG instead of a deadlock. */
  private void lock(String fn) {
    if (lock.isHeldByCurrentThread()) {
      throw new KernelBug(fn, "BUG: spinlock recursion on fence lock of " + this);
    }
    lock.lock();
  }

  private void unlock() {
    lock.unlock();
  }

  /**
   * rcu_dereference(fence->ops) followed by a read of the table: null when detached, else the
   * ops, provided the issuing module is still loaded (TLA+ OpsDeref).
   */
  private DmaFenceOps opsDeref(String fn) {
    DmaFenceOps o = ops;
    if (o != null && !o.module().isLoaded()) {
      throw new ModuleUnloadedOops(fn, o.module().name(), this);
    }
    return o;
  }

  /**
   * dma_fence_signal_timestamp_locked (lock held): test_and_set SIGNALED, detach the ops if
   * allowed, then run the callbacks in list order, each node re-initialised first.
   * TLA+ DoSignal / SignalIfNeeded.
   *
   * @return whether the fence was already signaled
   */
  private boolean signalLocked(String fn) {
    boolean twice = kernel.injected(InjectedBug.CALLBACK_RUNS_TWICE);
    if (signaled && !twice) {
      return true;
    }
    boolean was = signaled;
    DmaFenceOps o = opsDeref(fn); // reads ops->release and ops->wait
    if (o != null && !o.pinsModule()) {
      ops = null; // RCU_INIT_POINTER(fence->ops, NULL)
    }
    signaled = true;
    List<DmaFenceCb> list = cbList; // list_replace(&fence->cb_list, &cb_list)
    if (twice) {
      list = new ArrayList<>(cbList); // injected bug: the list is not taken over
    } else {
      cbList = new ArrayList<>();
    }
    for (DmaFenceCb cb : list) {
      if (!twice) {
        cb.queuedOn = null; // INIT_LIST_HEAD(&cur->node)
      }
      cb.func.call(this, cb);
    }
    return was;
  }

  /**
   * __dma_fence_enable_signaling (lock held): test_and_set ENABLE_SIGNAL; on the first enable of
   * an unsignaled fence call ops->enable_signaling if implemented, and signal if it returns
   * false. TLA+ EnableCore.
   *
   * @return false if the fence is (now) signaled
   */
  private boolean enableSignalingLocked(String fn) {
    boolean wasSet = enableSignal;
    enableSignal = true;
    if (signaled) {
      return false;
    }
    if (!wasSet) {
      DmaFenceOps o = opsDeref(fn);
      if (o != null && o.enableSignaling() != null && !o.enableSignaling().enableSignaling(this)) {
        signalLocked(fn);
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Reference counting

  /**
   * Takes a reference.
   *
   * <p>TLA+ Get(t, f); kernel dma_fence_get() (kref_get).
   *
   * @return this fence
   * @throws UseAfterFreeBug if the fence has been freed
   */
  public DmaFence get() {
    return kernel.call("dma_fence_get", this, NO_ARGS, this::getBody);
  }

  private DmaFence getBody() {
    checkLive("dma_fence_get");
    int old = refcount.getAndIncrement();
    if (old <= 0) {
      refcount.getAndDecrement();
      throw new UseAfterFreeBug("dma_fence_get", this);
    }
    return this;
  }

  /**
   * Takes a reference unless the refcount already dropped to zero (the memory is still valid
   * under RCU, so this never throws).
   *
   * <p>Kernel dma_fence_get_rcu() (kref_get_unless_zero); not a TLA+ action.
   *
   * @return this fence, or null if its refcount was zero
   */
  public DmaFence getRcu() {
    while (true) {
      int old = refcount.get();
      if (old <= 0) {
        return null;
      }
      if (refcount.compareAndSet(old, old + 1)) {
        return this;
      }
    }
  }

  /**
   * Drops a reference; the last one releases the fence.
   *
   * <p>TLA+ Put(t, f); kernel dma_fence_put() (kref_put with dma_fence_release): an unsignaled
   * fence with queued callbacks WARNs "released with pending signals", gets error -EDEADLK and
   * is signaled; then ops->release is called if the ops are attached and implement it, else
   * dma_fence_free. Afterwards every kernel call on the fence throws {@link UseAfterFreeBug}.
   *
   * @throws UseAfterFreeBug    if the fence has already been freed
   * @throws ModuleUnloadedOops if release reads the ops of an unloaded module
   */
  public void put() {
    kernel.callVoid("dma_fence_put", this, NO_ARGS, this::putBody);
  }

  private void putBody() {
    checkLive("dma_fence_put");
    int now = refcount.decrementAndGet();
    if (now < 0) {
      refcount.incrementAndGet();
      throw new UseAfterFreeBug("dma_fence_put", this); // refcount_t: underflow; use-after-free
    }
    if (now == 0) {
      release();
    }
  }

  /** dma_fence_release (kref release). */
  private void release() {
    final String fn = "dma_fence_release";
    lock(fn);
    try {
      if (!cbList.isEmpty() && !signaled && !kernel.injected(InjectedBug.RELEASE_NO_SIGNAL)) {
        // printk(KERN_ERR "Fence %s:%s:%llx:%llx released with pending signals!\n", ...)
        String driver = driverNameLocked(fn);
        String timeline = timelineNameLocked(fn);
        kernel.warn(fn, "Fence " + driver + ":" + timeline + ":" + Long.toHexString(context)
            + ":" + Long.toHexString(seqno) + " released with pending signals!", this);
        error = -Errno.EDEADLK;
        signalLocked(fn);
      }
    } finally {
      unlock();
    }
    DmaFenceOps o = opsDeref(fn);
    if (o != null && o.release() != null) {
      o.release().release(this);
    }
    freed = true; // dma_fence_free (kfree_rcu), or what ops->release ends with
  }

  // ---------------------------------------------------------------------------------------
  // Signaling

  /**
   * Signals the fence: sets SIGNALED, detaches the ops when they implement neither release nor
   * wait, and runs the queued callbacks in registration order; a no-op if already signaled.
   *
   * <p>TLA+ Signal(t, f); kernel dma_fence_signal() (void since M-VOID).
   *
   * @throws UseAfterFreeBug if the fence has been freed
   */
  public void signal() {
    kernel.callVoid("dma_fence_signal", this, NO_ARGS, this::signalBody);
  }

  private void signalBody() {
    final String fn = "dma_fence_signal";
    checkLive(fn);
    lock(fn);
    try {
      signalLocked(fn);
    } finally {
      unlock();
    }
  }

  /**
   * Signals the fence if needed and reports whether it was already signaled.
   *
   * <p>TLA+ CheckAndSignal(t, f); kernel dma_fence_check_and_signal().
   *
   * @return true iff the fence was already signaled before the call
   * @throws UseAfterFreeBug if the fence has been freed
   */
  public boolean checkAndSignal() {
    return kernel.call("dma_fence_check_and_signal", this, NO_ARGS, this::checkAndSignalBody);
  }

  private boolean checkAndSignalBody() {
    final String fn = "dma_fence_check_and_signal";
    checkLive(fn);
    lock(fn);
    try {
      return signalLocked(fn);
    } finally {
      unlock();
    }
  }

  /**
   * Sets the error to report once the fence signals; must be called before signaling.
   *
   * <p>TLA+ SetError(t, f, e); kernel dma_fence_set_error(): WARN_ON(signaled),
   * WARN_ON(error >= 0 || error &lt; -MAX_ERRNO), and the error is stored anyway.
   *
   * @throws UseAfterFreeBug if the fence has been freed
   */
  public void setError(int err) {
    kernel.callVoid("dma_fence_set_error", this, new Object[] {err}, () -> setErrorBody(err));
  }

  private void setErrorBody(int err) {
    final String fn = "dma_fence_set_error";
    checkLive(fn);
    lock(fn);
    try {
      if (signaled && !kernel.injected(InjectedBug.SET_ERROR_AFTER_SIGNAL_SILENT)) {
        kernel.warn(fn, "fence already signaled", this);
      }
      if (err >= 0 || err < -Errno.MAX_ERRNO) {
        kernel.warn(fn, "error " + err + " not in [-MAX_ERRNO, -1]", this);
      }
      error = err;
    } finally {
      unlock();
    }
  }

  /**
   * The fence status: 0 while unsignaled (an error set already is not visible yet), 1 if
   * signaled without error, else the negative error.
   *
   * <p>TLA+ GetStatus(t, f); kernel dma_fence_get_status(): under the lock,
   * dma_fence_get_status_locked(), whose dma_fence_is_signaled_locked() peeks with
   * ops->signaled and signals the fence (dma_fence_signal_locked) when it returns true.
   *
   * @throws UseAfterFreeBug    if the fence has been freed
   * @throws ModuleUnloadedOops if the fence is unsignaled and its issuing module is unloaded
   */
  public int getStatus() {
    final String fn = "dma_fence_get_status";
    checkLive(fn);
    lock(fn);
    try {
      if (!signaled && !peekLocked(fn)) {
        return 0;
      }
      return error == 0 ? 1 : error;
    } finally {
      unlock();
    }
  }

  /**
   * Whether the fence has signaled: the SIGNALED flag, else the ops->signaled peek, which
   * signals the fence when it returns true. Does not enable signaling.
   *
   * <p>TLA+ IsSignaled(t, f); kernel dma_fence_is_signaled(): {@code if
   * (dma_fence_test_signaled_flag(fence)) return true;} then, under rcu_read_lock, {@code if (ops
   * && ops->signaled && ops->signaled(fence)) { dma_fence_signal(fence); return true; }}.
   *
   * @throws UseAfterFreeBug    if the fence has been freed
   * @throws ModuleUnloadedOops if the fence is unsignaled and its issuing module is unloaded
   */
  public boolean isSignaled() {
    final String fn = "dma_fence_is_signaled";
    checkLive(fn);
    if (signaled) {
      return true;
    }
    lock(fn);
    try {
      return signaled || peekLocked(fn);
    } finally {
      unlock();
    }
  }

  /**
   * A hint that the caller would like the fence signaled by {@code deadline}; the driver may
   * boost its clocks. The value has no effect on the fence, so it is not stored. Modelling
   * choice (as the TLA+ spec's): the ops that implement set_deadline are those that implement
   * signaled; for those, the call runs {@link #isSignaled()}, whose ops->signaled peek signals a
   * fence the hardware has passed.
   *
   * <p>TLA+ SetDeadline(t, f); kernel dma_fence_set_deadline(): under rcu_read_lock, {@code ops =
   * rcu_dereference(fence->ops); if (ops && ops->set_deadline && !dma_fence_is_signaled(fence))
   * ops->set_deadline(fence, deadline);}.
   *
   * @throws UseAfterFreeBug    if the fence has been freed
   * @throws ModuleUnloadedOops if the ops are attached and their module is unloaded
   */
  public void setDeadline(long deadline) {
    final String fn = "dma_fence_set_deadline";
    checkLive(fn);
    DmaFenceOps o = opsDeref(fn); // rcu_dereference(fence->ops); ops->set_deadline
    if (o == null || o.signaled() == null) {
      return; // no set_deadline op
    }
    if (kernel.injected(InjectedBug.DEADLINE_NO_PEEK) ? signaled : isSignaled()) {
      return;
    }
    // ops->set_deadline(fence, deadline): the driver's hint, nothing the core observes.
  }

  /**
   * The peek (lock held, SIGNALED clear): ops->signaled if the attached ops implement it; when it
   * returns true, signal. TLA+ PeekSignal.
   *
   * @return whether the peek signaled the fence
   */
  private boolean peekLocked(String fn) {
    DmaFenceOps o = opsDeref(fn); // rcu_dereference(fence->ops)
    if (o == null || o.signaled() == null || kernel.injected(InjectedBug.PEEK_IGNORED)) {
      return false;
    }
    if (!o.signaled().signaled(this)) {
      return false;
    }
    signalLocked(fn);
    return true;
  }

  /**
   * Whether this fence is a container, i.e. a dma_fence_array (dma_fence_chain is not
   * implemented, so no fence is a chain).
   *
   * <p>Kernel dma_fence_is_container() (dma_fence_is_array() || dma_fence_is_chain()); not a
   * TLA+ action (the spec's {@code Containers} constant).
   */
  public boolean isContainer() {
    return array != null;
  }

  /**
   * Writes fence->error directly, without the checks of {@link #setError}: for
   * dma_fence_array's PENDING_ERROR bookkeeping, which the kernel does with cmpxchg on the
   * field, also while the fence lock is held by the core.
   */
  void setErrorRaw(int err) {
    error = err;
  }

  // ---------------------------------------------------------------------------------------
  // Names

  /**
   * The driver name: ops->get_driver_name while unsignaled, else "detached-driver".
   *
   * <p>TLA+ DriverName(t, f); kernel dma_fence_driver_name() (M-RCU).
   *
   * @throws UseAfterFreeBug    if the fence has been freed
   * @throws ModuleUnloadedOops if unsignaled and the issuing module is unloaded
   */
  public String driverName() {
    final String fn = "dma_fence_driver_name";
    checkLive(fn);
    return driverNameLocked(fn);
  }

  private String driverNameLocked(String fn) {
    if (signaled) {
      return "detached-driver";
    }
    return opsDeref(fn).getDriverName().name(this);
  }

  /**
   * The timeline name: ops->get_timeline_name while unsignaled, else "signaled-timeline".
   * (The stored F-new calls get_driver_name here, a slip later patches correct; this follows
   * the corrected code.)
   *
   * <p>TLA+ DriverName(t, f) (same ops access); kernel dma_fence_timeline_name().
   *
   * @throws UseAfterFreeBug    if the fence has been freed
   * @throws ModuleUnloadedOops if unsignaled and the issuing module is unloaded
   */
  public String timelineName() {
    final String fn = "dma_fence_timeline_name";
    checkLive(fn);
    return timelineNameLocked(fn);
  }

  private String timelineNameLocked(String fn) {
    if (signaled) {
      return "signaled-timeline";
    }
    return opsDeref(fn).getTimelineName().name(this);
  }

  // ---------------------------------------------------------------------------------------
  // Ordering

  /**
   * Whether seqno {@code f1} is later than {@code f2} on {@code fence}'s timeline: unsigned
   * 64-bit {@code f1 > f2} with SEQNO64, else {@code (int)(lower_32_bits(f1) -
   * lower_32_bits(f2)) > 0}.
   *
   * <p>TLA+ SeqnoLater; kernel __dma_fence_is_later(fence, f1, f2).
   */
  public static boolean seqnoIsLater(DmaFence fence, long f1, long f2) {
    if (fence.seqno64 || fence.kernel.injected(InjectedBug.SEQNO_NO_WRAP)) {
      return Long.compareUnsigned(f1, f2) > 0;
    }
    return (int) ((int) f1 - (int) f2) > 0;
  }

  /**
   * Whether this fence is later than {@code other} on their common context; WARNs and returns
   * false across contexts.
   *
   * <p>TLA+ IsLaterCall(t, f1, f2); kernel dma_fence_is_later(f1, f2).
   *
   * @throws UseAfterFreeBug if either fence has been freed
   */
  public boolean isLater(DmaFence other) {
    final String fn = "dma_fence_is_later";
    checkLive(fn);
    other.checkLive(fn);
    if (context != other.context) {
      kernel.warn(fn, "fences from different contexts", this);
      return false;
    }
    return seqnoIsLater(this, seqno, other.seqno);
  }

  /**
   * Whether this fence is {@code other} or later than it.
   *
   * <p>TLA+ IsLaterOrSameCall(t, f1, f2); kernel dma_fence_is_later_or_same(f1, f2):
   * {@code f1 == f2 || dma_fence_is_later(f1, f2)}.
   *
   * @throws UseAfterFreeBug if either fence has been freed
   */
  public boolean isLaterOrSame(DmaFence other) {
    checkLive("dma_fence_is_later_or_same");
    return this == other || isLater(other);
  }

  // ---------------------------------------------------------------------------------------
  // Enabling signaling and callbacks

  /**
   * Enables signaling: sets ENABLE_SIGNAL; the first enable of an unsignaled fence calls
   * ops->enable_signaling if implemented (and signals the fence if that returns false).
   *
   * <p>TLA+ EnableSignaling(t, f); kernel dma_fence_enable_signaling()
   * (dma_fence_enable_sw_signaling() before the rename).
   *
   * @throws UseAfterFreeBug    if the fence has been freed
   * @throws ModuleUnloadedOops if the first enable reads the ops of an unloaded module
   */
  public void enableSignaling() {
    final String fn = "dma_fence_enable_signaling";
    checkLive(fn);
    lock(fn);
    try {
      enableSignalingLocked(fn);
    } finally {
      unlock();
    }
  }

  /**
   * Queues {@code cb} to run {@code func} when the fence signals, enabling signaling.
   *
   * <p>TLA+ AddCallback(t, f, cb); kernel dma_fence_add_callback(): WARN and -EINVAL if func is
   * null; -ENOENT without running the callback if the fence is already signaled (or enabling
   * signaled it); otherwise list_add_tail and 0.
   *
   * @return 0, -ENOENT or -EINVAL
   * @throws UseAfterFreeBug if the fence has been freed
   * @throws KernelBug       if {@code cb} is still queued on a fence (list corruption)
   */
  public int addCallback(DmaFenceCb cb, DmaFenceFunc func) {
    final String fn = "dma_fence_add_callback";
    checkLive(fn);
    if (cb == null || func == null) {
      kernel.warn(fn, "!fence || !func", this);
      return -Errno.EINVAL;
    }
    if (cb.queuedOn != null) {
      throw new KernelBug(fn, "list_add corruption: callback already queued on " + cb.queuedOn);
    }
    if (signaled) {
      cb.queuedOn = null; // INIT_LIST_HEAD(&cb->node)
      return -Errno.ENOENT;
    }
    lock(fn);
    try {
      if (enableSignalingLocked(fn)) {
        cb.func = func;
        if (kernel.injected(InjectedBug.CALLBACKS_LIFO)) {
          cbList.add(0, cb); // injected bug: list_add
        } else {
          cbList.add(cb); // list_add_tail
        }
        cb.queuedOn = this;
        return 0;
      }
      cb.queuedOn = null;
      return -Errno.ENOENT;
    } finally {
      unlock();
    }
  }

  /**
   * Removes {@code cb} if it is still queued (meant for hardware-lockup recovery).
   *
   * <p>TLA+ RemoveCallback(t, f, cb); kernel dma_fence_remove_callback().
   *
   * @return true iff the callback was still queued (and is now removed)
   * @throws UseAfterFreeBug if the fence has been freed
   * @throws KernelBug       if {@code cb} is queued on another fence (undefined in the kernel)
   */
  public boolean removeCallback(DmaFenceCb cb) {
    final String fn = "dma_fence_remove_callback";
    checkLive(fn);
    lock(fn);
    try {
      if (cb.queuedOn == null) {
        return false;
      }
      if (cb.queuedOn != this) {
        throw new KernelBug(fn, "callback is queued on another fence " + cb.queuedOn);
      }
      cbList.remove(cb); // list_del_init
      cb.queuedOn = null;
      return true;
    } finally {
      unlock();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Waiting

  /**
   * Sleeps until the fence signals, the timeout runs out or (if {@code intr}) a signal is
   * pending.
   *
   * <p>TLA+ WaitTimeout(t, f, intr, to), then WaitWake / WaitExpire / WaitInterrupt; kernel
   * dma_fence_wait_timeout(): WARN and -EINVAL if timeout &lt; 0; always enables signaling
   * first; then ops->wait if implemented and attached, else {@link #defaultWait}.
   *
   * @param timeout jiffies, or {@link Sched#MAX_SCHEDULE_TIMEOUT}
   * @return -ERESTARTSYS if interrupted, 0 on timeout, else the remaining jiffies (&gt; 0)
   * @throws UseAfterFreeBug    if the fence has been freed
   * @throws ModuleUnloadedOops if the ops are attached and the issuing module is unloaded
   */
  public long waitTimeout(boolean intr, long timeout) {
    final String fn = "dma_fence_wait_timeout";
    checkLive(fn);
    if (timeout < 0) {
      kernel.warn(fn, "timeout < 0", this);
      return -Errno.EINVAL;
    }
    enableSignaling();
    DmaFenceOps o = opsDeref(fn); // rcu_dereference(fence->ops); ops->wait
    if (o != null && o.waitOp() != null) {
      return o.waitOp().wait(this, intr, timeout);
    }
    return defaultWait(intr, timeout);
  }

  /** The private wake-up node of a sleeping default wait (struct default_wait_cb). */
  private static final class DefaultWaitCb extends DmaFenceCb {
    final Thread task;

    DefaultWaitCb(Thread task) {
      this.task = task;
    }

    @Override
    boolean isPrivate() {
      return true;
    }
  }

  /**
   * The core's wait: returns at once if signaled (timeout, or 1 if timeout is 0), if {@code intr}
   * and a signal is pending (-ERESTARTSYS) or if timeout is 0 (0); otherwise queues a private
   * wake-up callback (list_add, at the head) and loops
   * {@code while (!signaled && ret > 0) { ret = schedule_timeout(ret); if (ret > 0 && intr &&
   * signal_pending) ret = -ERESTARTSYS; }}, then unlinks the callback.
   *
   * <p>TLA+ WaitTimeout's default branch and WaitWake / WaitExpire / WaitInterrupt; kernel
   * dma_fence_default_wait() (public so that an ops->wait can fall back on it).
   *
   * @throws UseAfterFreeBug if the fence has been freed
   */
  public long defaultWait(boolean intr, long timeout) {
    final String fn = "dma_fence_default_wait";
    checkLive(fn);
    Sched sched = kernel.sched();
    long ret = timeout != 0 ? timeout : 1;
    lock(fn);
    try {
      if (signaled) {
        return ret;
      }
      if (intr && sched.signalPending()) {
        return -Errno.ERESTARTSYS;
      }
      if (timeout == 0) {
        return 0;
      }
      DefaultWaitCb cb = new DefaultWaitCb(Thread.currentThread());
      cb.func = (f, c) -> sched.wakeUpProcess(((DefaultWaitCb) c).task);
      cbList.add(0, cb); // list_add
      cb.queuedOn = this;
      while (!signaled && ret > 0) {
        sched.setCurrentState(intr ? Sched.TASK_INTERRUPTIBLE : Sched.TASK_UNINTERRUPTIBLE);
        unlock();
        try {
          ret = sched.scheduleTimeout(ret);
        } finally {
          lock.lock();
        }
        if (ret > 0 && intr && sched.signalPending()) {
          ret = -Errno.ERESTARTSYS;
        }
      }
      if (cb.queuedOn == this) {
        cbList.remove(cb);
        cb.queuedOn = null;
      }
      sched.setCurrentState(Sched.TASK_RUNNING);
      return ret;
    } finally {
      unlock();
    }
  }

  /**
   * Waits without a timeout.
   *
   * <p>Kernel dma_fence_wait(): dma_fence_wait_timeout(fence, intr, MAX_SCHEDULE_TIMEOUT) with
   * any positive result mapped to 0.
   *
   * @return 0, or -ERESTARTSYS if {@code intr} and interrupted (or an error of ops->wait)
   */
  public long wait(boolean intr) {
    long ret = waitTimeout(intr, Sched.MAX_SCHEDULE_TIMEOUT);
    return ret < 0 ? ret : 0;
  }

  /** {@code wait(false)}: an uninterruptible wait without a timeout; returns 0. */
  public long waitUninterruptible() {
    return wait(false);
  }

  // ---------------------------------------------------------------------------------------
  // Read-only observability (not kernel functions; never throw, also on a freed fence)

  /** Read-only observability: the SIGNALED flag (dma_fence_test_signaled_flag). */
  public boolean isSignaledFlag() {
    return signaled;
  }

  /** Read-only observability: the ENABLE_SIGNAL flag. */
  public boolean isEnableSignalFlag() {
    return enableSignal;
  }

  /** Read-only observability: the SEQNO64 flag (initialised with init64). */
  public boolean isSeqno64() {
    return seqno64;
  }

  /** Read-only observability: the raw fence->error field (0, or what setError stored). */
  public int error() {
    return error;
  }

  /** Read-only observability: the current refcount (0 once released). */
  public int refcount() {
    return Math.max(0, refcount.get());
  }

  /** Read-only observability: whether the fence has been released and freed. */
  public boolean isFreed() {
    return freed;
  }

  /** Read-only observability: whether fence->ops was set to NULL at signal time (M-RCU). */
  public boolean opsDetached() {
    return ops == null;
  }

  /** Read-only observability: fence->ops, null once detached. */
  public DmaFenceOps ops() {
    return ops;
  }

  /** Read-only observability: the issuing module (kept after the ops detach). */
  public FenceModule issuer() {
    return issuer;
  }

  /** Read-only observability: the kernel this fence belongs to. */
  public Kernel kernel() {
    return kernel;
  }

  /** Read-only observability: fence->context. */
  public long context() {
    return context;
  }

  /** Read-only observability: fence->seqno. */
  public long seqno() {
    return seqno;
  }

  /**
   * Read-only observability: a snapshot of the queued user callbacks in list order, without the
   * private wake-up callbacks of sleeping waits (the spec's {@code cbq[f]}). Takes the fence
   * lock, so it must not be called from a callback of this fence.
   */
  public List<DmaFenceCb> queuedCallbacks() {
    lock("queuedCallbacks");
    try {
      List<DmaFenceCb> out = new ArrayList<>();
      for (DmaFenceCb cb : cbList) {
        if (!cb.isPrivate()) {
          out.add(cb);
        }
      }
      return out;
    } finally {
      unlock();
    }
  }

  /** Read-only observability: how many private wake-up callbacks (sleeping waiters) are queued. */
  public int queuedWaiters() {
    lock("queuedWaiters");
    try {
      return (int) cbList.stream().filter(DmaFenceCb::isPrivate).count();
    } finally {
      unlock();
    }
  }

  @Override
  public String toString() {
    return "dma_fence[" + issuer + ":" + Long.toHexString(context) + ":" + Long.toHexString(seqno) + "]";
  }
}
