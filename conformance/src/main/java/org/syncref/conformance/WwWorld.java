package org.syncref.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.syncref.conformance.vocab.Vocabulary;
import org.syncref.kernel.Errno;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.Warning;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import org.syncref.modelcheck.tlc.V;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;
import org.syncref.ww.WwMutex;
import tlc2.value.impl.Value;

/**
 * WwMutex's conformance world: one {@link WwClass} (Wait-Die or Wound-Wait), the three ww_mutexes
 * l1..l3 and the three threads t1..t3 of spec/WwMutex/MCWwMutexConformance{WD,WW}.cfg, driven by
 * TLA+ action names, and their state in WwMutex's variables.
 *
 * <p><b>Threads.</b> Every spec thread has a worker thread of its own (so ctx-&gt;task and the
 * mutex owner are real tasks), with a fresh {@link WwAcquireContext} per transaction. Sleeping
 * goes through a {@link org.syncref.sched.ManualSched}: a sleeper stays parked until the world resumes it.
 *
 * <p><b>Deterministic scheduling.</b> One thread runs at a time. A command (a client call: the
 * spec's AcquireInit, Lock, LockHeld, Trylock, BackoffUnlock, LockSlow, AcquireDone, Unlock,
 * AcquireFini) is given to its thread's worker, and the world waits until the call returns or the
 * worker parks in schedule(); that is one step. A parked thread runs again only when the schedule
 * (the generator's command, or the spec walk) resumes it ({@link #resume(int)}): one that the
 * kernel woke (wake_up_process since it parked, counted by the ManualSched), or any parked
 * thread (a spurious wake-up, which the kernel's sleep loop must tolerate: it re-checks
 * everything). It runs until its lock call returns, a step WaitAcquire(t) (0, t first on the wait
 * list when it took the lock), WaitSteal(t) (0, not first) or WaitDie(t) (-EDEADLK), or parks
 * again: a step WaitHandoff(t) if it set MUTEX_FLAG_HANDOFF, else no step. So between an unlock
 * and the woken waiter's run any other thread may take the free lock (lock stealing), as in the
 * kernel. {@link #settle()}, which runs every woken sleeper at once after each call (so that a
 * released lock always goes to its first waiter), is kept only for the negative control of the
 * step floors ({@link WwActionFloors}).
 *
 * <p><b>Lost wake-ups.</b> {@link WwSpecWalker#lostWakeUp} reports a state in which the spec's
 * WaitAcquire(t) or WaitDie(t) is enabled for a parked thread t that Java has not woken: the
 * kernel owes it a wake-up (the unlock wakes the first waiter; a die or a wound wakes its
 * victim).
 *
 * <p><b>Abstract state.</b> Read from Java: {@code owner} (WwMutex.holderCtx, ctx to thread),
 * {@code wounded} (ctx-&gt;wounded of the thread's latest context), {@code stamp} (ctx-&gt;stamp
 * while the context is live, else 0), {@code nextStamp} (class stamp + 1), {@code contending}
 * (ctx-&gt;contending_lock). Kept by the world, as the client knows them: {@code waiting} (the
 * lock of a lock call that is parked), {@code pc}, {@code txDone}, {@code ret} (the calls'
 * return values) and {@code phantom} (a lock_slow that returned without the lock).
 */
public final class WwWorld implements ConformanceWorld {
  /**
   * The conformance model whose constants the world reads ({@link ModelConstants}): the
   * MCWwMutexConformance config loaded in this JVM (Wait-Die's if none is).
   */
  static final TlcEvaluator MODEL = ModelConstants.model(() -> WwConformance.evaluator(true));
  public static final List<String> THREADS = ModelConstants.names(MODEL, "Threads");
  public static final List<String> LOCKS = ModelConstants.names(MODEL, "Locks");
  /** MaxTx of the conformance configs. */
  public static final int MAX_TX = ModelConstants.integer(MODEL, "MaxTx");
  static final int N = THREADS.size();
  static final int L = LOCKS.size();
  private static final long CALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AbortableSched sched = new AbortableSched();
  final Kernel kernel;
  final WwClass wwClass;
  final WwMutex[] locks = new WwMutex[L];
  private final ExecutorService[] workers = new ExecutorService[N];
  private final Thread[] workerThreads = new Thread[N];

  /** The thread's latest acquire context (kept after fini: its wounded flag is the spec's). */
  private final WwAcquireContext[] ctx = new WwAcquireContext[N];
  private final boolean[] live = new boolean[N];
  private final String[] pc = new String[N];
  private final int[] txDone = new int[N];
  private final int[] ret = new int[N];
  private final List<TreeSet<Integer>> phantom = new ArrayList<>();
  /** The lock that returned -EDEADLK (the client's own note, for lock_slow). */
  private final int[] contended = new int[N];
  /** The lock a parked lock call sleeps on, or -1. */
  private final int[] waitingOn = new int[N];
  private final boolean[] waitSlow = new boolean[N];
  private final Future<?>[] pending = new Future<?>[N];
  private final int[][] pendingResult = new int[N][];
  /** ManualSched wake-ups of the thread when it parked. */
  private final int[] wakeBase = new int[N];
  /** ctx[t].deadlockInjections() when t's pending lock call started. */
  private final int[] injBase = new int[N];

  /** A world with a correct kernel: Wait-Die if {@code waitDie}, else Wound-Wait. */
  public WwWorld(boolean waitDie, InjectedBug... bugs) {
    this(waitDie, Kernel.Build.DEBUG_LOCK_ALLOC, bugs);
  }

  /** A world on a kernel of {@code build} (DEBUG_LOCK_ALLOC: every lock by __mutex_lock_common). */
  public WwWorld(boolean waitDie, Kernel.Build build, InjectedBug... bugs) {
    kernel = new Kernel(sched, build);
    kernel.inject(bugs);
    wwClass = waitDie ? WwClass.waitDie("ww_conf") : WwClass.woundWait("ww_conf");
    for (int l = 0; l < L; l++) {
      locks[l] = new WwMutex(kernel, wwClass, LOCKS.get(l));
    }
    Arrays.fill(pc, "idle");
    Arrays.fill(waitingOn, -1);
    Arrays.fill(contended, -1);
    for (int t = 0; t < N; t++) {
      phantom.add(new TreeSet<>());
      final int ti = t;
      workers[t] = Executors.newSingleThreadExecutor(r -> {
        Thread th = new Thread(r, "syncref-ww-" + THREADS.get(ti));
        th.setDaemon(true);
        workerThreads[ti] = th;
        return th;
      });
      try {
        workers[t].submit(() -> {}).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Queries for the generator (the client's protocol)

  public String pc(int t) {
    return pc[t];
  }

  public int txDone(int t) {
    return txDone[t];
  }

  public boolean isWaiting(int t) {
    return waitingOn[t] >= 0;
  }

  public int contended(int t) {
    return contended[t];
  }

  public boolean isPhantom(int t, int l) {
    return phantom.get(t).contains(l);
  }

  /** The thread whose context holds lock l (lock-&gt;ctx), or -1. */
  public int holder(int l) {
    WwAcquireContext c = locks[l].holderCtx();
    if (c == null) {
      return -1;
    }
    for (int t = 0; t < N; t++) {
      if (ctx[t] == c) {
        return t;
      }
    }
    throw new IllegalStateException(LOCKS.get(l) + " is held by an unknown context " + c);
  }

  public boolean holdsAny(int t) {
    for (int l = 0; l < L; l++) {
      if (holder(l) == t) {
        return true;
      }
    }
    return false;
  }

  /** Whether the thread holds (or believes it holds) every lock. */
  public boolean holdsAll(int t) {
    for (int l = 0; l < L; l++) {
      if (holder(l) != t && !phantom.get(t).contains(l)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The call that revealed the one spec/Java disagreement found so far (now fixed in the spec):
   * under Wound-Wait, a wounded context that holds locks and calls ww_mutex_lock on a lock held
   * by a younger context wounds that holder in __ww_mutex_add_waiter before
   * __ww_mutex_check_kill makes it die. The spec's Lock(t, l) used to die without wounding.
   * WwWoundWaitConformanceExamples replays it.
   */
  public boolean woundsBeforeDying(int t, int l) {
    if (wwClass.isWaitDie() || !live[t] || !ctx[t].isWounded() || !holdsAny(t)) {
      return false;
    }
    WwAcquireContext h = locks[l].holderCtx();
    return h != null && h != ctx[t] && h.stamp() > ctx[t].stamp();
  }

  /**
   * Whether the random checks keep away from known disagreements (none open: false; kept so
   * that a newly found one can be fenced off while it is reported).
   */
  public boolean avoidKnownDisagreements = false;

  /** Whether a spec-chosen call is one the random checks avoid (a known disagreement). */
  public boolean avoided(String action, List<String> args) {
    return avoidKnownDisagreements && action.equals("Lock")
        && woundsBeforeDying(THREADS.indexOf(args.get(0)), LOCKS.indexOf(args.get(1)));
  }

  /** The WARNs the kernel printed. */
  public List<Warning> warnings() {
    return kernel.warnings();
  }

  // ------------------------------------------------------------------------------------------
  // Kernel calls, named by their TLA+ actions

  @Override
  public void applyStep(String action, List<String> args, Random rnd) {
    apply(action, args);
  }

  @Override
  public int walkWeight(String action) {
    return switch (action) {
      case "Lock" -> 10;
      case "Trylock", "LockHeld" -> 2;
      default -> 6;
    };
  }

  /**
   * Makes the call named by a WwMutex action (one step; the caller then runs {@link #settle()}).
   * WaitAcquire(t) and WaitDie(t) resume the parked thread t (a spurious wake-up if Java did not
   * wake it).
   */
  public void apply(String action, List<String> a) {
    Vocab.VOCABULARY.apply(this, action, a);
  }

  /** The thread of a call: its first argument. */
  private static int t(List<String> a) {
    return THREADS.indexOf(a.get(0));
  }

  /** The lock of a call: its second argument. */
  private static int l(List<String> a) {
    return LOCKS.indexOf(a.get(1));
  }

  private static final String WW_MUTEX_H = "include/linux/ww_mutex.h";
  private static final String MUTEX_C = "kernel/locking/mutex.c";

  /** A lock call: returns at once (a step of the command) or parks. */
  private long lockStep(List<String> a) {
    int t = t(a);
    int l = l(a);
    final WwAcquireContext c = ctx[t];
    startLock(t, l, false, () -> locks[l].lock(c));
    return ret[t];
  }

  /** An unlock; at the end of the transaction ({@code Unlock}) the thread releases. */
  private long unlockStep(List<String> a, boolean atEnd) {
    int t = t(a);
    int l = l(a);
    run(t, () -> {
      locks[l].unlock();
      return null;
    });
    ret[t] = 0;
    if (atEnd) {
      pc[t] = "release";
    }
    return 0;
  }

  /** A sleeper's step: the schedule resumes the parked thread (if it is still parked). */
  private long wakeStep(List<String> a) {
    int t = t(a);
    if (isParked(t)) {
      resumeAndAwait(t);
    }
    return ret[t];
  }

  /**
   * WwMutex's kernel calls: spec/MAPPING.md's WwMutex table is generated from these declarations
   * (MappingTables), and {@link #apply} dispatches through them. A sleeping Java call is one call;
   * in the spec it is the entry step and then the wake-up step, which resumes the parked thread.
   */
  public static final class Vocab {
    private Vocab() {}

    // A class of its own, so that reading the declarations (MAPPING.md, VocabularyTest) does
    // not initialize WwWorld, whose constants come from the model loaded in this JVM.
    public static final Vocabulary<WwWorld> VOCABULARY = Vocabulary.<WwWorld>builder("WwMutex", "WwWorld")
        .call("`ww_acquire_init`", "AcquireInit(t)", "`WwAcquireContext.init(kernel, class)`", WW_MUTEX_H, (w, a) -> {
          int t = t(a);
          w.ctx[t] = w.run(t, () -> WwAcquireContext.init(w.kernel, w.wwClass));
          w.live[t] = true;
          w.phantom.get(t).clear();
          w.pc[t] = "acquire";
          w.ret[t] = 0;
          return 0;
        })
        .call("`ww_acquire_done`", "AcquireDone(t)", "`WwAcquireContext.done()`", WW_MUTEX_H, (w, a) -> {
          int t = t(a);
          final WwAcquireContext c = w.ctx[t];
          w.run(t, () -> {
            c.done();
            return null;
          });
          w.pc[t] = "cs";
          w.ret[t] = 0;
          return 0;
        })
        .call("`ww_acquire_fini`", "AcquireFini(t)", "`WwAcquireContext.fini()`", WW_MUTEX_H, (w, a) -> {
          int t = t(a);
          final WwAcquireContext c = w.ctx[t];
          w.run(t, () -> {
            c.fini();
            return null;
          });
          w.live[t] = false;
          w.txDone[t]++;
          w.pc[t] = w.txDone[t] < MAX_TX ? "idle" : "finished";
          w.phantom.get(t).clear();
          w.ret[t] = 0;
          return 0;
        })
        .call("`ww_mutex_lock` (entry: take, die, or queue and wound)", "Lock(t, l)", "`WwMutex.lock(ctx)`",
            "kernel/locking/ww_mutex.h, " + MUTEX_C, (w, a) -> w.lockStep(a))
        .call("`ww_mutex_lock` on a held lock (-EALREADY)", "LockHeld(t, l)", "`WwMutex.lock(ctx)`", MUTEX_C,
            (w, a) -> w.lockStep(a))
        .call("the sleeping lock, first waiter, takes the free or handed-over (PICKUP) mutex", "WaitAcquire(t)",
            "`WwMutex.lock(ctx)` / `lockSlow(ctx)` returning", MUTEX_C + " `__mutex_lock_common`",
            (w, a) -> w.wakeStep(a))
        .call("the sleeping lock, not first, takes it (\"we stole the lock\")", "WaitSteal(t)",
            "`WwMutex.lock(ctx)` returning (Wound-Wait: `checkWaiters`)", MUTEX_C + " `__mutex_lock_common` acquired:",
            (w, a) -> w.wakeStep(a))
        .call("the woken first waiter finds the lock taken and sets MUTEX_FLAG_HANDOFF", "WaitHandoff(t)",
            "`WwMutex.trylockCommon(current, true)`, parks again", MUTEX_C + " `__mutex_trylock_or_handoff`",
            (w, a) -> w.wakeStep(a))
        .call("`__ww_mutex_check_kill` on wake-up says die", "WaitDie(t)", "`WwMutex.lock(ctx)` returning -EDEADLK",
            "kernel/locking/ww_mutex.h", (w, a) -> w.wakeStep(a))
        .note("`ww_mutex_deadlock_injection` (CONFIG_DEBUG_WW_MUTEX_SLOWPATH, `Build = \"prove-locking\"`): a lock"
            + " that succeeded with another held is unlocked again, -EDEADLK",
            "`Lock(t, l)` / `WaitAcquire(t)` (the injected disjunct, `Injects(t)`)",
            "`WwMutex.lock(ctx)` returning -EDEADLK (`WwAcquireContext.injectCountdown`)", MUTEX_C)
        .call("`ww_mutex_lock_slow`", "LockSlow(t)", "`WwMutex.lockSlow(ctx)`", WW_MUTEX_H, (w, a) -> {
          int t = t(a);
          final WwAcquireContext c = w.ctx[t];
          final int cl = w.contended[t];
          if (cl < 0) {
            throw new IllegalStateException(THREADS.get(t) + " has no contended lock for lock_slow");
          }
          w.ret[t] = 0;
          w.startLock(t, cl, true, () -> {
            w.locks[cl].lockSlow(c);
            return 0;
          });
          return w.ret[t];
        })
        .call("`ww_mutex_trylock`", "Trylock(t, l)", "`WwMutex.trylock(ctx)`", MUTEX_C, (w, a) -> {
          int t = t(a);
          int l = l(a);
          final WwAcquireContext c = w.ctx[t];
          w.ret[t] = w.run(t, () -> w.locks[l].trylock(c)) ? 1 : 0;
          return w.ret[t];
        })
        .call("`ww_mutex_unlock` during the backoff", "BackoffUnlock(t, l)", "`WwMutex.unlock()`", MUTEX_C,
            (w, a) -> w.unlockStep(a, false))
        .call("`ww_mutex_unlock` at the end", "Unlock(t, l)", "`WwMutex.unlock()`", MUTEX_C,
            (w, a) -> w.unlockStep(a, true))
        .build();
  }

  /**
   * Runs the kernel's wake-ups: every parked thread woken since it parked is resumed (lowest
   * thread first) until none is left; each lock call that returns is a step (WaitAcquire or
   * WaitDie) with the state after it.
   */
  public List<Step> settle() {
    List<Step> out = new ArrayList<>();
    for (int round = 0; round < 1000; round++) {
      int woken = -1;
      for (int t = 0; t < N && woken < 0; t++) {
        if (pending[t] != null && sched.manual().isParked(workerThreads[t])
            && sched.manual().wakeups(workerThreads[t]) > wakeBase[t]) {
          woken = t;
        }
      }
      if (woken < 0) {
        return out;
      }
      String action = resumeAndAwait(woken);
      if (action != null) {
        out.add(new Step(action, List.of(THREADS.get(woken)), snapshot()));
      }
    }
    throw new IllegalStateException("wake-ups do not settle");
  }

  /**
   * The schedule runs the parked thread t (woken by the kernel, or a spurious wake-up): the
   * action (WaitAcquire, WaitSteal, WaitDie; WaitHandoff if it parked again after setting
   * MUTEX_FLAG_HANDOFF), or null if it parked again and nothing changed.
   */
  public String resume(int t) {
    return isParked(t) ? resumeAndAwait(t) : null;
  }

  /** Whether the kernel woke the parked thread t since it parked (it is runnable). */
  public boolean isWoken(int t) {
    return isParked(t) && sched.manual().wakeups(workerThreads[t]) > wakeBase[t];
  }

  /** Whether thread t is parked in a lock call. */
  public boolean isParked(int t) {
    return pending[t] != null && sched.manual().isParked(workerThreads[t]);
  }

  /** Lock calls: returns at once (a step of the command) or parks (waiting). */
  private void startLock(int t, int l, boolean slow, Callable<Integer> call) {
    int[] result = {Integer.MIN_VALUE};
    injBase[t] = ctx[t] == null ? 0 : ctx[t].deadlockInjections();
    Future<?> fut = workers[t].submit(() -> {
      result[0] = call.call();
      return null;
    });
    if (await(t, fut)) {
      finishLock(t, l, slow, result[0]);
      if (slow) {
        // lock_slow returned at once: it took the lock (or, misused, did not)
        pc[t] = "acquire";
      }
    } else {
      pending[t] = fut;
      pendingResult[t] = result;
      waitingOn[t] = l;
      waitSlow[t] = slow;
      wakeBase[t] = sched.manual().wakeups(workerThreads[t]);
      if (slow) {
        pc[t] = "slow";
      }
    }
  }

  /** The bookkeeping of a lock call that returned; the action it was, for a woken call. */
  private String finishLock(int t, int l, boolean slow, int r) {
    if (slow) {
      if (holder(l) == t) {
        pc[t] = "acquire";
        ret[t] = 0;
        return "WaitAcquire";
      }
      phantom.get(t).add(l);
      pc[t] = "acquire";
      ret[t] = -Errno.EDEADLK;
      return "WaitDie";
    }
    ret[t] = r;
    if (r == -Errno.EDEADLK) {
      pc[t] = "backoff";
      contended[t] = l;
      // the lock was handed over and ww_mutex_deadlock_injection gave it back (PROVE_LOCKING):
      // the spec's WaitAcquire with its injected disjunct, not a die
      boolean injected = ctx[t] != null && ctx[t].deadlockInjections() > injBase[t];
      return injected ? "WaitAcquire" : "WaitDie";
    }
    return "WaitAcquire";
  }

  /**
   * Resumes the parked thread t; the action if its call returned (WaitSteal if it took the lock
   * while not first on the wait list), WaitHandoff if it parked again having set HANDOFF, null if
   * it parked again and nothing changed.
   */
  private String resumeAndAwait(int t) {
    Thread w = workerThreads[t];
    int l = waitingOn[t];
    WwOwnerWord.Sleeper before = WwOwnerWord.Sleeper.before(locks[l], w);
    sched.manual().resume(w);
    Future<?> fut = pending[t];
    if (await(t, fut)) {
      boolean slow = waitSlow[t];
      pending[t] = null;
      waitingOn[t] = -1;
      waitSlow[t] = false;
      return before.returned(finishLock(t, l, slow, pendingResult[t][0]));
    }
    wakeBase[t] = sched.manual().wakeups(w);
    return before.parkedAgain();
  }

  /** Waits until fut is done (true) or the worker parks (false). */
  private boolean await(int t, Future<?> fut) {
    Thread w = workerThreads[t];
    long deadline = System.nanoTime() + CALL_TIMEOUT_NANOS;
    while (true) {
      if (fut.isDone()) {
        join(fut);
        return true;
      }
      if (sched.manual().isParked(w)) {
        return false;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(THREADS.get(t) + " neither returned nor slept");
      }
      Thread.onSpinWait();
    }
  }

  private <T> T run(int t, Callable<T> call) {
    Future<T> fut = workers[t].submit(call);
    if (!await(t, fut)) {
      throw new IllegalStateException(THREADS.get(t) + " slept in a call that never sleeps");
    }
    return join(fut);
  }

  private static <T> T join(Future<T> fut) {
    try {
      return fut.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("worker failed", c);
    }
  }

  // ------------------------------------------------------------------------------------------
  // The abstract state

  @Override
  public Map<String, Value> snapshot() {
    Map<String, Value> s = new LinkedHashMap<>();
    s.put("stamp", perThread(t -> V.i(live[t] ? ctx[t].stamp() : 0)));
    s.put("nextStamp", V.i(wwClass.stamp() + 1));
    Map<Value, Value> owner = new LinkedHashMap<>();
    for (int l = 0; l < L; l++) {
      int h = holder(l);
      owner.put(V.mv(LOCKS.get(l)), V.mv(h < 0 ? "None" : THREADS.get(h)));
    }
    s.put("owner", V.fcn(owner));
    s.put("waiting", perThread(t -> V.mv(waitingOn[t] < 0 ? "None" : LOCKS.get(waitingOn[t]))));
    s.put("wounded", perThread(t -> V.b(ctx[t] != null && ctx[t].isWounded())));
    s.put("pc", perThread(t -> V.s(pc[t])));
    s.put("contending", perThread(t -> {
      WwMutex c = ctx[t] == null ? null : ctx[t].contendingLock();
      return V.mv(c == null ? "None" : LOCKS.get(Arrays.asList(locks).indexOf(c)));
    }));
    s.put("txDone", perThread(t -> V.i(txDone[t])));
    s.put("ret", perThread(t -> V.i(ret[t])));
    WwOwnerWord.put(s, LOCKS, locks, THREADS, workerThreads);
    s.put("phantom", perThread(t -> {
      List<Value> ls = new ArrayList<>();
      for (int l : phantom.get(t)) {
        ls.add(V.mv(LOCKS.get(l)));
      }
      return V.set(ls);
    }));
    return s;
  }

  private static Value perThread(IntFunction<Value> fn) {
    Map<Value, Value> m = new LinkedHashMap<>();
    for (int t = 0; t < N; t++) {
      m.put(V.mv(THREADS.get(t)), fn.apply(t));
    }
    return V.fcn(m);
  }

  @Override
  public void close() {
    sched.abort();
    for (int t = 0; t < N; t++) {
      Thread w = workerThreads[t];
      if (pending[t] != null && sched.manual().isParked(w)) {
        sched.manual().resume(w);
      }
      workers[t].shutdownNow();
    }
  }
}
