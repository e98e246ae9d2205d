package org.syncref.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.syncref.sched.RealSched;
import org.syncref.sched.Sched;

/**
 * One simulated kernel: the state Linux keeps in globals for dma-buf synchronization (the fence
 * context counter, the WARN log, per-subsystem state such as the stub fence) plus the scheduler
 * its sleeping calls use.
 *
 * <p>Algorithm notes. References: (1) drivers/dma-buf/dma-fence.c: dma_fence_context_counter
 * starts at 1 and is advanced with atomic64_fetch_add, so context 0 stays reserved for the stub
 * fences (org.syncref.fence.DmaFenceStub keeps them, as {@link #subsystem} state, so that this
 * package does not depend on the fence package).
 * (2) include/asm-generic/bug.h: WARN prints and carries on, which is why {@link #warn} only
 * records.
 */
public final class Kernel {
  /**
   * Which lock-debugging options the simulated kernel is built with. They change what the
   * locking code checks and how it takes a mutex: with CONFIG_DEBUG_LOCK_ALLOC (selected by
   * CONFIG_PROVE_LOCKING) every mutex_lock / ww_mutex_lock goes through __mutex_lock_common
   * and every unlock through __mutex_unlock_slowpath; without it an uncontended lock and unlock
   * are one cmpxchg of the owner word each (kernel/locking/mutex.c: __mutex_trylock_fast,
   * __mutex_unlock_fast under {@code #ifndef CONFIG_DEBUG_LOCK_ALLOC}). CONFIG_DEBUG_MUTEXES
   * compiles in the DEBUG_WW_MUTEXES checks (kernel/locking/ww_mutex.h) and MUTEX_WARN_ON.
   * Only the ww_mutex code (org.syncref.ww) depends on the build; the other subsystems are
   * modelled as in {@link #PROVE_LOCKING} whatever the build.
   */
  public enum Build {
    /**
     * CONFIG_PROVE_LOCKING, the default (a debug kernel): it selects DEBUG_LOCK_ALLOC,
     * DEBUG_MUTEXES and DEBUG_WW_MUTEX_SLOWPATH, so lockdep with its dependency checks, no
     * fastpaths, and ww_mutex_lock's deadlock injection (kernel/locking/mutex.c
     * ww_mutex_deadlock_injection) unless the context was made with
     * ww_acquire_init_noinject. Spec build "prove-locking".
     */
    PROVE_LOCKING(true, true, true, "prove-locking"),
    /**
     * CONFIG_DEBUG_LOCK_ALLOC without PROVE_LOCKING: lockdep tracks held locks (unlock
     * balance, nest locks, lockdep_assert_held) but validates no dependencies; no
     * fastpaths; no injection. Spec build "debug-lock-alloc".
     */
    DEBUG_LOCK_ALLOC(true, true, false, "debug-lock-alloc"),
    /**
     * CONFIG_DEBUG_MUTEXES without DEBUG_LOCK_ALLOC: the debug checks with the fastpaths, the
     * build syncref kernel-check runs as "production" (its UML kernel keeps DEBUG_MUTEXES for
     * the WARNs the spec records). Spec build "production".
     */
    DEBUG_MUTEXES(true, false, false, "production"),
    /** Neither: a production kernel (distribution configs), no debug checks at all. */
    PRODUCTION(false, false, false, "production");

    private final boolean debugMutexes;
    private final boolean lockdep;
    private final boolean proveLocking;
    private final String specName;

    Build(boolean debugMutexes, boolean lockdep, boolean proveLocking, String specName) {
      this.debugMutexes = debugMutexes;
      this.lockdep = lockdep;
      this.proveLocking = proveLocking;
      this.specName = specName;
    }

    /** CONFIG_DEBUG_MUTEXES, hence DEBUG_WW_MUTEXES: the debug checks that WARN. */
    public boolean debugMutexes() {
      return debugMutexes;
    }

    /** CONFIG_DEBUG_LOCK_ALLOC (so CONFIG_LOCKDEP): lockdep maps, and no mutex fastpath. */
    public boolean lockdep() {
      return lockdep;
    }

    /** CONFIG_PROVE_LOCKING: lockdep's dependency checks (recursive locking, lock order, wait context). */
    public boolean proveLocking() {
      return proveLocking;
    }

    /** CONFIG_DEBUG_WW_MUTEX_SLOWPATH (selected by PROVE_LOCKING): ww_mutex deadlock injection. */
    public boolean deadlockInjection() {
      return proveLocking;
    }

    /** The build's name in the spec (WwCalls' and WwMutex's Build), litmus headers and options. */
    public String specName() {
      return specName;
    }
  }

  private final Sched sched;
  private final Build build;
  private final AtomicLong contextCounter = new AtomicLong(1);
  private final List<Warning> warnings = new ArrayList<>();
  private volatile Consumer<Warning> warningListener;
  private final java.util.Map<Class<?>, Object> subsystems = new java.util.HashMap<>();

  /** A kernel whose sleeps really block ({@link RealSched}). */
  public Kernel() {
    this(new RealSched());
  }

  /** A kernel whose sleeping calls use {@code sched}. */
  public Kernel(Sched sched) {
    this(sched, Build.PROVE_LOCKING);
  }

  /** A kernel of build configuration {@code build} whose sleeping calls use {@code sched}. */
  public Kernel(Sched sched, Build build) {
    if (build == null) {
      throw new NullPointerException("build");
    }
    this.sched = sched;
    this.build = build;
  }

  /** The build configuration. */
  public Build build() {
    return build;
  }

  /**
   * The per-kernel state of a subsystem, created on first use (the analogue of a subsystem's
   * static data set up by its initcall). Keeps this class free of the subsystems' types.
   */
  @SuppressWarnings("unchecked")
  public synchronized <T> T subsystem(Class<T> key, java.util.function.Function<Kernel, T> init) {
    Object v = subsystems.get(key);
    if (v == null) {
      v = init.apply(this);
      subsystems.put(key, v);
    }
    return (T) v;
  }

  /** The scheduler used by sleeping calls of this kernel. */
  public Sched sched() {
    return sched;
  }

  /**
   * Allocates {@code num} consecutive fresh fence contexts and returns the first; WARNs if num
   * is 0 (and then returns the current counter without advancing it).
   *
   * <p>TLA+ ContextAlloc(t, n); kernel dma_fence_context_alloc().
   */
  public long dmaFenceContextAlloc(int num) {
    return call("dma_fence_context_alloc", null, new Object[] {num}, () -> {
      if (num == 0) {
        warn("dma_fence_context_alloc", "num == 0", null);
      }
      return contextCounter.getAndAdd(num);
    });
  }

  /**
   * Records a WARN: appended to {@link #warnings()} and passed to the listener, never thrown.
   *
   * @param function kernel function that WARNs
   * @param check    the condition that fired
   * @param subject  the object concerned, or null
   */
  public void warn(String function, String check, Object subject) {
    Warning w = new Warning(function, check, subject);
    synchronized (warnings) {
      warnings.add(w);
    }
    Consumer<Warning> l = warningListener;
    if (l != null) {
      l.accept(w);
    }
  }

  /**
   * WARN_ON(condition): records a WARN if {@code condition} holds.
   *
   * @return {@code condition}
   */
  public boolean warnOn(boolean condition, String function, String check, Object subject) {
    if (condition) {
      warn(function, check, subject);
    }
    return condition;
  }

  /** A snapshot of every WARN recorded so far, oldest first. */
  public List<Warning> warnings() {
    synchronized (warnings) {
      return List.copyOf(warnings);
    }
  }

  /**
   * A tracing hook on kernel calls, like the kernel's tracepoints: told about every outermost
   * kernel call of a thread (calls made inside another kernel call are not reported) once it
   * returns normally. Conformance tests use it to record the steps of composite operations,
   * such as an engine's reset, one kernel call at a time.
   */
  public interface CallListener {
    /**
     * @param function kernel function, e.g. "dma_fence_signal"
     * @param subject  the object called on (a fence), or null
     * @param args     the other arguments
     * @param result   the return value (null for void)
     */
    void called(String function, Object subject, Object[] args, Object result);
  }

  private volatile CallListener callListener;
  /** The injected bugs: an immutable snapshot, replaced on inject(), read without locking. */
  private volatile java.util.Set<InjectedBug> injected = java.util.Set.of();

  /** Gives this kernel the bugs (negative controls); see {@link InjectedBug}. */
  public synchronized void inject(InjectedBug... bugs) {
    java.util.EnumSet<InjectedBug> next = java.util.EnumSet.noneOf(InjectedBug.class);
    next.addAll(injected);
    next.addAll(java.util.Arrays.asList(bugs));
    injected = java.util.Collections.unmodifiableSet(next);
  }

  /** The injected bugs (an immutable set; empty for a correct kernel). */
  public java.util.Set<InjectedBug> injectedBugs() {
    return injected;
  }

  /** Whether {@code bug} was injected (lock-free: it is asked on hot paths). */
  public boolean injected(InjectedBug bug) {
    java.util.Set<InjectedBug> s = injected;
    return !s.isEmpty() && s.contains(bug);
  }

  /** Per thread: the kernel-call nesting depth and the irq_work queued meanwhile. */
  private static final class CallState {
    int depth;
    boolean draining;
    final java.util.ArrayDeque<Runnable> irqWork = new java.util.ArrayDeque<>();
  }

  private final ThreadLocal<CallState> callState = ThreadLocal.withInitial(CallState::new);

  /**
   * Whether a call listener is set. When none is, a kernel call that neither queues irq_work
   * nor makes kernel calls that do may run its body without {@link #call}: nobody would be told
   * about it, and the nesting depth {@link #call} keeps matters only to the listener and to
   * irq_work. The ww_mutex fastpaths use this.
   */
  public boolean isTracing() {
    return callListener != null;
  }

  /** Sets (or clears, with null) the kernel-call listener. */
  public void setCallListener(CallListener listener) {
    this.callListener = listener;
  }

  /**
   * Runs the body of kernel call {@code function} and reports it to the call listener if it
   * is the outermost kernel call of this thread and returns normally.
   */
  public <T> T call(String function, Object subject, Object[] args, java.util.function.Supplier<T> body) {
    CallState st = callState.get();
    st.depth++;
    T result;
    boolean ok = false;
    try {
      result = body.get();
      ok = true;
    } finally {
      st.depth--;
      if (!ok && st.depth == 0 && !st.draining) {
        st.irqWork.clear(); // the call oopsed: its deferred work dies with it
      }
    }
    CallListener l = callListener;
    if (l != null && st.depth == 0) {
      l.called(function, subject, args, result);
    }
    if (st.depth == 0 && !st.irqWork.isEmpty()) {
      runIrqWork(st);
    }
    return result;
  }

  /**
   * Queues {@code work} to run like an irq_work: after the outermost kernel call of this thread
   * returns (and has been reported to the call listener), so that it runs with no lock of that
   * call held, and its own kernel calls are outermost calls. Outside any kernel call it runs at
   * once.
   *
   * <p>Kernel irq_work_queue() (kernel/irq_work.c), used by dma_fence_array to signal the array
   * from a member's callback without taking the array's lock under the member's lock.
   */
  public void irqWorkQueue(Runnable work) {
    CallState st = callState.get();
    if (st.depth == 0 && !st.draining) {
      work.run();
      return;
    }
    st.irqWork.add(work);
  }

  private static void runIrqWork(CallState st) {
    if (st.draining) {
      return; // the outer drain loop runs it
    }
    st.draining = true;
    try {
      Runnable w;
      while ((w = st.irqWork.poll()) != null) {
        w.run();
      }
    } finally {
      st.draining = false;
      st.irqWork.clear();
    }
  }

  /** {@link #call(String, Object, Object[], java.util.function.Supplier)} for a void body. */
  public void callVoid(String function, Object subject, Object[] args, Runnable body) {
    call(function, subject, args, () -> {
      body.run();
      return null;
    });
  }

  /** Sets (or clears, with null) the listener called on every WARN, in the WARNing thread. */
  public void setWarningListener(Consumer<Warning> listener) {
    this.warningListener = listener;
  }
}
