package org.syncref.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.syncref.conformance.vocab.Vocabulary;
import org.syncref.exec.DrmExec;
import org.syncref.exec.GemObject;
import org.syncref.exec.I915GemWwCtx;
import org.syncref.kernel.Errno;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.Warning;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import org.syncref.modelcheck.tlc.V;
import org.syncref.resv.DmaResv;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;
import org.syncref.ww.WwMutex;
import tlc2.value.impl.Value;

/**
 * DrmExec's conformance world: the five clients t1..t5 of spec/DrmExec/MCDrmExecConformance.cfg
 * (drm_exec and i915 loops, each with its list of objects) over the GEM objects o1..o3, run on
 * the Java {@link DrmExec} and {@link I915GemWwCtx}, and their state in DrmExec's variables (with
 * WwCalls' underneath).
 *
 * <p><b>Clients.</b> Every spec thread is a worker thread that runs the real client loop: for
 * drm_exec {@code while (exec.cleanup()) { for obj: ret = exec.prepareObj(obj, 1); if
 * (exec.retryOnContention()) continue; if (ret) goto fini; }}, then the submission and
 * {@code exec.fini()}; for i915 {@code forI915GemWw(kernel, false, ww -> { for obj: err =
 * ww.objectLock(obj); if (err) return err; dma_resv_reserve_fences(obj, 1); } return 0; })}.
 *
 * <p><b>Steps.</b> One thread runs at a time, from one stop to the next: a stop is a
 * {@link DrmExec.Tracepoint} of the helpers (a lock or unlock of one object, the slow-lock of the
 * contended one, the start of a retry) or a point of the client loop between two calls (after
 * drm_exec_init, after drm_exec_cleanup, after drm_exec_prepare_obj, the end of the body, the
 * submission), or a sleep in a lock call (parked in the {@link org.syncref.sched.ManualSched}).
 * Each run from one stop to the next is one step of the spec, labelled by where the client was
 * (its {@code xpc}): ExecInit, Cleanup, UnlockAll, Body, SlowDone, LockDone, Reserve, Backoff,
 * Submit, Fini. As in {@link WwWorld}, a sleeping client runs again only when the schedule (the
 * generator's command, or the spec walk) resumes it ({@link #resume(int)}): one the kernel woke
 * (wake_up_process since it parked), or any sleeping one (a spurious wake-up, which the
 * kernel's sleep loop must tolerate). It runs until its lock call returns, or parks again; that
 * is the step Wake, WwCalls' WaitAcquire, WaitSteal (it took the lock while not the first
 * waiter) or WaitDie, or WaitHandoff if it parked again having set MUTEX_FLAG_HANDOFF; a sleeper
 * that parks again with nothing changed takes no step. So between an unlock and the woken
 * waiter's run another client may take the free lock (lock stealing), as in the kernel.
 *
 * <p><b>Abstract state.</b> Read from Java: the ww_mutex variables (contexts, lock owners and
 * contexts, wait lists, the owner-word flags {@code handoff} and {@code pickup} ({@link
 * WwOwnerWord}), the WARNs), {@code contended} and {@code prelocked} (exec-&gt;contended,
 * DRM_EXEC_DUMMY, exec-&gt;prelocked; ww-&gt;contended), {@code objs} (exec-&gt;objects less
 * the ones a running unlock_all has unlocked already; ww-&gt;obj_list) and {@code slots}
 * (max_fences - num_fences of the object's dma_resv, at most NumFences). Kept by the client
 * loop, as its C counterpart knows them: {@code xpc}, {@code idx}, {@code cur}, {@code status},
 * {@code retried}, {@code ret} (the last ww call's return) and what a sleeping call waits for.
 */
public final class DrmExecWorld implements ConformanceWorld {
  /** The conformance model (MCDrmExecConformance) whose constants the world reads ({@link ModelConstants}). */
  static final TlcEvaluator MODEL = ModelConstants.model(DrmExecChecks::evaluator);
  public static final List<String> THREADS = ModelConstants.names(MODEL, "Threads");
  public static final List<String> OBJS = ModelConstants.names(MODEL, "WwLocks");
  public static final List<String> CTXS = ModelConstants.names(MODEL, "Ctxs");
  /** The objects each client prepares, in order (MCDrmExecConformance's ConfWant). */
  static final int[][] WANT = THREADS.stream()
      .map(t -> ModelConstants.namesAt(MODEL, "Want", t).stream().mapToInt(OBJS::indexOf).toArray())
      .toArray(int[][]::new);
  /** The i915 clients (ConfClient). */
  static final boolean[] I915 = flags(t -> ModelConstants.stringAt(MODEL, "Client", t).equals("i915"));
  /** DRM_EXEC_IGNORE_DUPLICATES (ConfIgnoreDup). */
  static final boolean[] IGNORE_DUP = flags(t -> ModelConstants.boolAt(MODEL, "IgnoreDup", t));
  static final int NUM_FENCES = ModelConstants.integer(MODEL, "NumFences");

  private static boolean[] flags(java.util.function.Predicate<String> p) {
    boolean[] out = new boolean[THREADS.size()];
    for (int t = 0; t < out.length; t++) {
      out[t] = p.test(THREADS.get(t));
    }
    return out;
  }
  static final int N = THREADS.size();
  static final int L = OBJS.size();
  private static final long CALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Thrown in a paused worker when the world closes. */
  private static final class Closed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Closed() {
      super("world closed", null, false, false);
    }
  }

  private final AbortableSched sched = new AbortableSched();
  final Kernel kernel;
  final WwClass resvClass;
  final GemObject[] objs = new GemObject[L];
  private final WwMutex[] mutexes = new WwMutex[L];
  private final ExecutorService[] workers = new ExecutorService[N];
  private final Thread[] workerThreads = new Thread[N];
  private final Future<?>[] program = new Future<?>[N];
  private final Semaphore[] go = new Semaphore[N];
  private volatile boolean closing;

  /** Per client: the Java helper and what the C loop knows. */
  private static final class Client {
    volatile DrmExec exec;
    volatile I915GemWwCtx ww;
    volatile boolean paused;
    volatile String xpc = "init";
    volatile int idx = 1;
    volatile int cur = -1;
    volatile int status;
    volatile boolean retried;
    volatile int ret;
    /** The object and kind of the lock call in progress (sleepOn/sleepFn while parked). */
    volatile int callObj = -1;
    volatile boolean callSlow;
    /** Whether the current drm_exec_prepare_obj made a dma_resv_lock call. */
    volatile boolean lockCalled;
    /** Objects the running unlock_all has unlocked (exec-&gt;num_objects drops only after it). */
    volatile int unlocked;
    /** ManualSched wake-ups of the worker when it parked. */
    volatile int wakeBase;
    /** Why the client's loop ended abnormally (an exception, a BUG), or null. */
    volatile Throwable failure;
  }

  private final Client[] clients = new Client[N];

  public DrmExecWorld(InjectedBug... bugs) {
    kernel = new Kernel(sched, Kernel.Build.DEBUG_LOCK_ALLOC);
    kernel.inject(bugs);
    resvClass = WwClass.reservationWwClass(kernel);
    for (int l = 0; l < L; l++) {
      objs[l] = new GemObject(kernel, OBJS.get(l));
      mutexes[l] = objs[l].resv().wwMutex();
    }
    for (int t = 0; t < N; t++) {
      clients[t] = new Client();
      go[t] = new Semaphore(0);
      final int ti = t;
      workers[t] = Executors.newSingleThreadExecutor(r -> {
        Thread th = new Thread(r, "syncref-exec-" + THREADS.get(ti));
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
  // Queries

  /** Whether client t has finished (drm_exec_fini / i915_gem_ww_ctx_fini returned). */
  public boolean isFinished(int t) {
    return clients[t].xpc.equals("finished");
  }

  /** Whether client t sleeps in a lock call. */
  public boolean isParked(int t) {
    return program[t] != null && sched.manual().isParked(workerThreads[t]);
  }

  /** Whether client t can take a step of its own (started or not, not finished, not asleep). */
  public boolean isRunnable(int t) {
    return !isFinished(t) && !isParked(t) && clients[t].failure == null;
  }

  /**
   * The first client whose loop failed (threw: a KernelBug, or a result the C loop does not
   * expect), as "t3: exception", or null. The step in which it failed ends there, and the
   * client takes no more steps.
   */
  public String failure() {
    for (int t = 0; t < N; t++) {
      Throwable f = clients[t].failure;
      if (f != null) {
        return THREADS.get(t) + ": " + f;
      }
    }
    return null;
  }

  /** The WARNs the kernel printed. */
  public List<Warning> warnings() {
    return kernel.warnings();
  }

  // ------------------------------------------------------------------------------------------
  // Steps

  @Override
  public void applyStep(String action, List<String> args, Random rnd) {
    apply(action, args);
  }

  @Override
  public int walkWeight(String action) {
    return 6;
  }

  /**
   * The step the spec names: Wake(t) resumes the parked client t (a spurious wake-up if Java
   * did not wake it); any other action lets client t run to its next stop.
   */
  public void apply(String action, List<String> args) {
    Vocab.VOCABULARY.apply(this, action, args);
  }

  /** Client t (the first argument) runs to its next stop. */
  private static long runs(DrmExecWorld w, List<String> a) {
    w.step(THREADS.indexOf(a.get(0)));
    return 0;
  }

  private static final String DRM_EXEC_C = "drivers/gpu/drm/drm_exec.c";
  private static final String I915_GEM_WW_C = "drivers/gpu/drm/i915/i915_gem_ww.c";
  private static final String DRM_MODESET_LOCK_C = "drivers/gpu/drm/drm_modeset_lock.c";

  /**
   * DrmExec's steps: spec/MAPPING.md's DrmExec table is generated from these declarations
   * (MappingTables), and {@link #apply} dispatches through them. A step is the client loop's run
   * from one stop to the next, so every action but Wake is the same Java step; the table says
   * which calls and trace points each one covers.
   */
  public static final class Vocab {
    private Vocab() {}

    // A class of its own, so that reading the declarations (MAPPING.md, VocabularyTest) does
    // not initialize DrmExecWorld, whose constants come from the model loaded in this JVM.
    public static final Vocabulary<DrmExecWorld> VOCABULARY = Vocabulary.<DrmExecWorld>builder("DrmExec", "DrmExecWorld")
        .javaHeading("Java method (trace point)")
        .call("`drm_exec_init` / `i915_gem_ww_ctx_init` / `drm_modeset_acquire_init`", "ExecInit(t)",
            "`DrmExec.init(kernel, flags, nr)`, `I915GemWwCtx.init(kernel, intr)`",
            DRM_EXEC_C + ", " + I915_GEM_WW_C + ", " + DRM_MODESET_LOCK_C, DrmExecWorld::runs)
        .call("`drm_exec_cleanup` (loop condition of `drm_exec_until_all_locked`)", "Cleanup(t)",
            "`DrmExec.cleanup()` (`drm_exec_cleanup:contended` after contention)", DRM_EXEC_C, DrmExecWorld::runs)
        .call("`drm_exec_unlock_all` (from the end) / `i915_gem_ww_ctx_unlock_all`, `drm_modeset_drop_locks` (from the"
            + " head), one object per step", "UnlockAll(t)",
            "`DrmExec.cleanup()`, `I915GemWwCtx.backoff()` (`dma_resv_unlock`, `i915_gem_ww_ctx_unlock_all`)",
            DRM_EXEC_C + ", " + I915_GEM_WW_C + ", " + DRM_MODESET_LOCK_C, DrmExecWorld::runs)
        .call("`drm_exec_lock_contended`, `drm_exec_lock_obj` / `__i915_gem_object_lock` / `modeset_lock` (the call)",
            "Body(t)", "`DrmExec.prepareObj(obj, n)`, `I915GemWwCtx.objectLock(obj)` (`dma_resv_lock_slow`,"
            + " `dma_resv_lock`, `drm_exec_lock_obj` for the prelocked object)",
            DRM_EXEC_C + ", drivers/gpu/drm/i915/gem/i915_gem_object.h, " + DRM_MODESET_LOCK_C, DrmExecWorld::runs)
        .call("the slow lock returned (drm_exec: prelocked)", "SlowDone(t)",
            "`DrmExec.prepareObj` (`drm_exec_lock_contended`), `I915GemWwCtx.backoff()` returning",
            DRM_EXEC_C + ", " + I915_GEM_WW_C, DrmExecWorld::runs)
        .call("`dma_resv_lock` returned: track, contended, -EALREADY per flag", "LockDone(t)",
            "`DrmExec.prepareObj` (`drm_exec_lock_obj`), `I915GemWwCtx.objectLock` returning", DRM_EXEC_C,
            DrmExecWorld::runs)
        .call("`dma_resv_reserve_fences` of `drm_exec_prepare_obj` (i915: the caller's)", "Reserve(t)",
            "`DrmExec.prepareObj(obj, n)` returning, `DmaResv.reserveFences(n)`", DRM_EXEC_C, DrmExecWorld::runs)
        .call("`i915_gem_ww_ctx_backoff` / `drm_modeset_backoff` (slow lock)", "Backoff(t)",
            "`I915GemWwCtx.backoff()` (`dma_resv_lock_slow`)", I915_GEM_WW_C + ", " + DRM_MODESET_LOCK_C,
            DrmExecWorld::runs)
        .call("the submission (all locked)", "Submit(t)", "the body after `DrmExec.untilAllLocked` / `I915GemWwCtx.forI915GemWw`", "-",
            DrmExecWorld::runs)
        .call("`drm_exec_fini` / `i915_gem_ww_ctx_fini` / `drm_modeset_drop_locks` + `drm_modeset_acquire_fini`",
            "Fini(t)", "`DrmExec.fini()`, `I915GemWwCtx.fini()` (`dma_resv_unlock`)",
            DRM_EXEC_C + ", " + I915_GEM_WW_C + ", " + DRM_MODESET_LOCK_C, DrmExecWorld::runs)
        .call("a sleeping lock wakes", "Wake(t) (WwCalls `WaitAcquire` / `WaitSteal` / `WaitHandoff` / `WaitDie`)",
            "`WwMutex.lock` returning, or setting MUTEX_FLAG_HANDOFF and sleeping on", "kernel/locking/mutex.c",
            (w, a) -> {
              w.resume(THREADS.indexOf(a.get(0)));
              return 0;
            })
        .build();
  }

  /** Client t runs from its stop to the next one; returns the action the step was. */
  public String step(int t) {
    Client c = clients[t];
    String action = label(c.xpc);
    if (program[t] == null) {
      program[t] = workers[t].submit(() -> {
        try {
          if (I915[t]) {
            runI915(t);
          } else {
            runDrmExec(t);
          }
        } catch (Closed | AbortableSched.Aborted e) {
          // the world closed
        }
        return null;
      });
    } else {
      if (isParked(t)) {
        throw new IllegalStateException(THREADS.get(t) + " sleeps in a lock call");
      }
      c.paused = false;
      go[t].release();
    }
    awaitStop(t);
    return action;
  }

  private static String label(String xpc) {
    return switch (xpc) {
      case "init" -> "ExecInit";
      case "cleanup" -> "Cleanup";
      case "unlockall" -> "UnlockAll";
      case "body" -> "Body";
      case "slowdone" -> "SlowDone";
      case "lockdone" -> "LockDone";
      case "reserve" -> "Reserve";
      case "backoff" -> "Backoff";
      case "locked" -> "Submit";
      case "fini" -> "Fini";
      default -> throw new IllegalStateException("no step from " + xpc);
    };
  }

  /** Whether the kernel woke the sleeping client t since it parked (it is runnable). */
  public boolean isWoken(int t) {
    return isParked(t) && sched.manual().wakeups(workerThreads[t]) > clients[t].wakeBase;
  }

  /**
   * The schedule runs the sleeping client t (woken by the kernel, or a spurious wake-up): the
   * WwCalls step it took, a Wake step (WaitAcquire, WaitSteal, WaitDie if its lock call returned;
   * WaitHandoff if it parked again having set MUTEX_FLAG_HANDOFF), or null if it parked again
   * and nothing changed (or it was not asleep).
   */
  public String resume(int t) {
    if (!isParked(t)) {
      return null;
    }
    Client c = clients[t];
    WwOwnerWord.Sleeper before = WwOwnerWord.Sleeper.before(mutexes[c.callObj], workerThreads[t]);
    sched.manual().resume(workerThreads[t]);
    awaitStop(t);
    if (isParked(t)) {
      c.wakeBase = sched.manual().wakeups(workerThreads[t]);
      return before.parkedAgain();
    }
    return before.returned(c.ret == -Errno.EDEADLK ? "WaitDie" : "WaitAcquire");
  }

  /** Waits until client t stops (pauses, parks in a lock call); a failed program throws. */
  private void awaitStop(int t) {
    Client c = clients[t];
    Thread w = workerThreads[t];
    long deadline = System.nanoTime() + CALL_TIMEOUT_NANOS;
    while (true) {
      if (c.paused) {
        return;
      }
      if (sched.manual().isParked(w)) {
        c.wakeBase = sched.manual().wakeups(w);
        return;
      }
      if (program[t].isDone()) {
        try {
          program[t].get();
          c.failure = new IllegalStateException("the client loop ended without stopping");
        } catch (Exception e) {
          c.failure = e.getCause() == null ? e : e.getCause();
        }
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(THREADS.get(t) + " neither stopped nor slept");
      }
      Thread.onSpinWait();
    }
  }

  // ------------------------------------------------------------------------------------------
  // The clients (run by the workers)

  /** A stop: the step ends with the client at {@code xpc}; wait for the world's next step. */
  private void stop(int t, String xpc) {
    Client c = clients[t];
    c.xpc = xpc;
    c.paused = true;
    go[t].acquireUninterruptibly();
    if (closing) {
      throw new Closed();
    }
  }

  private int obj(GemObject o) {
    return Arrays.asList(objs).indexOf(o);
  }

  private void runDrmExec(int t) {
    Client c = clients[t];
    DrmExec exec = DrmExec.init(kernel, IGNORE_DUP[t] ? DrmExec.IGNORE_DUPLICATES : 0, 0);
    exec.setTracepoint((point, o, r) -> drmExecTracepoint(t, point, o, r));
    c.exec = exec;
    stop(t, "cleanup"); // ExecInit
    boolean error = false;
    loop:
    while (true) {
      boolean again = exec.cleanup();
      if (c.xpc.equals("cleanup")) {
        c.ret = 0; // ww_acquire_init or ww_acquire_done
      }
      c.unlocked = 0;
      c.idx = 1;
      if (!again) {
        break;
      }
      stop(t, "body"); // Cleanup (the first) or UnlockAll (its end)
      for (int i = 0; i < WANT[t].length; i++) {
        c.lockCalled = false;
        int ret = exec.prepareObj(objs[WANT[t][i]], NUM_FENCES);
        if (exec.retryOnContention()) {
          continue loop;
        }
        if (ret != 0) {
          error = true;
          break loop;
        }
        c.idx = i + 2;
        stop(t, "body"); // Reserve
      }
      stop(t, "cleanup"); // Body: the end of the body
    }
    if (!error) {
      stop(t, "locked"); // Cleanup: ww_acquire_done
      stop(t, "fini"); // Submit
    }
    exec.fini();
    c.ret = 0; // ww_acquire_fini
    c.unlocked = 0;
    stop(t, "finished"); // Fini: its end
  }

  private void drmExecTracepoint(int t, String point, GemObject o, int r) {
    Client c = clients[t];
    switch (point) {
      case "dma_resv_lock:enter", "dma_resv_lock_slow:enter" -> {
        c.callObj = obj(o);
        c.callSlow = point.startsWith("dma_resv_lock_slow");
        c.cur = obj(o);
        c.lockCalled = !c.callSlow;
        c.xpc = c.callSlow ? "slowdone" : "lockdone"; // if it sleeps, the step ends there
      }
      case "dma_resv_lock", "dma_resv_lock_slow" -> {
        c.ret = r;
        c.callObj = -1;
        stop(t, c.xpc); // Body (or Wake): the lock call returned
      }
      case "drm_exec_lock_contended" -> {
        c.idx = 1;
        stop(t, "body"); // SlowDone
      }
      case "drm_exec_lock_obj" -> {
        if (!c.lockCalled) {
          c.cur = obj(o);
          stop(t, "reserve"); // Body: the prelocked object
        } else if (r == -Errno.EDEADLK) {
          c.retried = true;
          stop(t, "cleanup"); // LockDone
        } else if (r != 0) {
          c.status = r;
          stop(t, "fini"); // LockDone: the caller gives up
        } else {
          stop(t, "reserve"); // LockDone
        }
      }
      case "drm_exec_cleanup:contended" -> {
        c.idx = 1;
        stop(t, "unlockall"); // Cleanup
      }
      case "dma_resv_unlock" -> {
        c.ret = 0;
        c.unlocked++;
        stop(t, c.xpc); // UnlockAll or Fini: one object
      }
      default -> { }
    }
  }

  private void runI915(int t) {
    Client c = clients[t];
    boolean[] first = {true};
    I915GemWwCtx.forI915GemWw(kernel, false, ww -> {
      if (first[0]) {
        first[0] = false;
        ww.setTracepoint((point, o, r) -> i915Tracepoint(t, point, o, r));
        c.ww = ww;
        c.ret = 0; // ww_acquire_init
      }
      c.idx = 1;
      stop(t, "body"); // ExecInit, or SlowDone after a backoff
      for (int i = 0; i < WANT[t].length; i++) {
        GemObject o = objs[WANT[t][i]];
        int err = ww.objectLock(o);
        if (err == -Errno.EDEADLK) {
          c.retried = true;
          stop(t, "unlockall"); // LockDone
          return err;
        }
        if (err != 0) {
          throw new IllegalStateException("i915_gem_object_lock returned " + err);
        }
        stop(t, "reserve"); // LockDone
        int r = o.resv().reserveFences(NUM_FENCES);
        if (r != 0) {
          throw new IllegalStateException("dma_resv_reserve_fences returned " + r);
        }
        c.idx = i + 2;
        stop(t, "body"); // Reserve
      }
      stop(t, "locked"); // Body: the end of the pass, err = 0
      stop(t, "fini"); // Submit
      return 0;
    });
    c.ret = 0; // ww_acquire_fini
    stop(t, "finished"); // Fini: its end
  }

  private void i915Tracepoint(int t, String point, GemObject o, int r) {
    Client c = clients[t];
    switch (point) {
      case "dma_resv_lock:enter", "dma_resv_lock_slow:enter" -> {
        c.callObj = obj(o);
        c.callSlow = point.startsWith("dma_resv_lock_slow");
        c.cur = obj(o);
        c.xpc = c.callSlow ? "slowdone" : "lockdone";
      }
      case "dma_resv_lock", "dma_resv_lock_slow" -> {
        c.ret = r;
        c.callObj = -1;
        stop(t, c.xpc); // Body or Backoff (or Wake): the lock call returned
      }
      case "dma_resv_unlock" -> {
        c.ret = 0;
        stop(t, c.xpc); // UnlockAll or Fini: one object
      }
      case "i915_gem_ww_ctx_unlock_all" -> {
        if (c.xpc.equals("unlockall")) {
          stop(t, "backoff"); // UnlockAll: its end
        }
      }
      default -> { }
    }
  }

  // ------------------------------------------------------------------------------------------
  // The abstract state

  private WwAcquireContext ctx(int t) {
    Client c = clients[t];
    if (c.exec != null) {
      return c.exec.ticket();
    }
    return c.ww == null ? null : c.ww.ctx();
  }

  private int threadOf(Thread th) {
    for (int t = 0; t < N; t++) {
      if (workerThreads[t] == th) {
        return t;
      }
    }
    return -1;
  }

  private int ctxIndex(WwAcquireContext x) {
    for (int t = 0; t < N; t++) {
      if (x != null && ctx(t) == x) {
        return t;
      }
    }
    return -1;
  }

  @Override
  public Map<String, Value> snapshot() {
    Map<String, Value> s = new LinkedHashMap<>();
    s.put("ctxLive", perCtx(t -> {
      WwAcquireContext x = ctx(t);
      return V.s(x == null ? "unused" : x.isFinished() ? "fini" : "live");
    }));
    s.put("ctxClass", perCtx(t -> V.mv(ctx(t) == null ? "None" : "K")));
    s.put("ctxStamp", perCtx(t -> V.i(ctx(t) == null ? 0 : ctx(t).stamp())));
    s.put("ctxDone", perCtx(t -> V.b(ctx(t) != null && ctx(t).isDoneAcquire())));
    s.put("acquired", perCtx(t -> V.i(ctx(t) == null ? 0 : ctx(t).acquired())));
    s.put("wounded", perCtx(t -> V.b(ctx(t) != null && ctx(t).isWounded())));
    s.put("contending", perCtx(t -> {
      WwMutex m = ctx(t) == null ? null : ctx(t).contendingLock();
      return V.mv(m == null ? "None" : OBJS.get(Arrays.asList(mutexes).indexOf(m)));
    }));
    s.put("classStamp", V.fcn(Map.of(V.mv("K"), V.i(resvClass.stamp()))));
    // The owner as the clients see it: the task of lock->ctx. An unlock that hands the mutex to
    // a waiter which asked for it (MUTEX_FLAG_HANDOFF) makes that waiter the mutex owner while it
    // still sleeps; it takes the ww_mutex (sets lock->ctx) once it runs: the spec's WaitAcquire.
    s.put("lockOwner", perObj(l -> {
      int t = ctxIndex(mutexes[l].holderCtx());
      return V.mv(t < 0 ? "None" : THREADS.get(t));
    }));
    s.put("lockCtx", perObj(l -> {
      int t = ctxIndex(mutexes[l].holderCtx());
      return V.mv(t < 0 ? "None" : CTXS.get(t));
    }));
    s.put("waitq", perObj(l -> {
      List<Value> q = new ArrayList<>();
      for (WwMutex.WaiterInfo w : mutexes[l].waitList()) {
        q.add(V.mv(THREADS.get(threadOf(w.task()))));
      }
      return V.seq(q);
    }));
    WwOwnerWord.put(s, OBJS, mutexes, THREADS, workerThreads);
    s.put("sleepOn", perThread(t -> V.mv(isParked(t) ? OBJS.get(clients[t].callObj) : "None")));
    s.put("sleepCtx", perThread(t -> V.mv(isParked(t) ? CTXS.get(t) : "None")));
    s.put("sleepFn", perThread(t -> V.s(!isParked(t) ? ""
        : clients[t].callSlow ? "ww_mutex_lock_slow" : "ww_mutex_lock")));
    List<Value> warns = new ArrayList<>();
    for (Warning w : kernel.warnings()) {
      Map<String, Value> rec = new LinkedHashMap<>();
      rec.put("fn", V.s(w.function()));
      rec.put("check", V.s(w.check()));
      warns.add(V.rec(rec));
    }
    s.put("wwWarn", V.set(warns));
    // the clients (drm_exec_init, i915_gem_ww_ctx_init) use ww_acquire_init, never the test's
    // ww_acquire_init_noinject
    s.put("noInject", perCtx(t -> V.b(false)));
    s.put("ret", perThread(t -> V.i(clients[t].ret)));
    s.put("xpc", perThread(t -> V.s(clients[t].xpc)));
    s.put("contended", perThread(t -> {
      Client c = clients[t];
      if (c.exec != null) {
        GemObject o = c.exec.contended();
        if (c.exec.isTicketPending()) {
          return V.s("DRM_EXEC_DUMMY");
        }
        return V.mv(o == null ? "None" : OBJS.get(obj(o)));
      }
      GemObject o = c.ww == null ? null : c.ww.contended();
      return V.mv(o == null ? "None" : OBJS.get(obj(o)));
    }));
    s.put("prelocked", perThread(t -> {
      GemObject o = clients[t].exec == null ? null : clients[t].exec.prelocked();
      return V.mv(o == null ? "None" : OBJS.get(obj(o)));
    }));
    s.put("objs", perThread(t -> {
      Client c = clients[t];
      List<GemObject> list;
      if (c.exec != null) {
        list = c.exec.lockedObjects();
        list = list.subList(0, Math.max(0, list.size() - c.unlocked));
      } else {
        list = c.ww == null ? List.of() : c.ww.objects();
      }
      List<Value> q = new ArrayList<>();
      for (GemObject o : list) {
        q.add(V.mv(OBJS.get(obj(o))));
      }
      return V.seq(q);
    }));
    s.put("idx", perThread(t -> V.i(clients[t].idx)));
    s.put("cur", perThread(t -> V.mv(clients[t].cur < 0 ? "None" : OBJS.get(clients[t].cur))));
    s.put("status", perThread(t -> V.i(clients[t].status)));
    s.put("slots", perObj(l -> {
      DmaResv r = objs[l].resv();
      return V.i(Math.min(Math.max(r.maxFences() - r.numFences(), 0), NUM_FENCES));
    }));
    s.put("retried", perThread(t -> V.b(clients[t].retried)));
    return s;
  }

  private static Value perThread(IntFunction<Value> fn) {
    Map<Value, Value> m = new LinkedHashMap<>();
    for (int t = 0; t < N; t++) {
      m.put(V.mv(THREADS.get(t)), fn.apply(t));
    }
    return V.fcn(m);
  }

  private static Value perCtx(IntFunction<Value> fn) {
    Map<Value, Value> m = new LinkedHashMap<>();
    for (int t = 0; t < N; t++) {
      m.put(V.mv(CTXS.get(t)), fn.apply(t));
    }
    return V.fcn(m);
  }

  private static Value perObj(IntFunction<Value> fn) {
    Map<Value, Value> m = new LinkedHashMap<>();
    for (int l = 0; l < L; l++) {
      m.put(V.mv(OBJS.get(l)), fn.apply(l));
    }
    return V.fcn(m);
  }

  @Override
  public void close() {
    closing = true;
    sched.abort();
    for (int t = 0; t < N; t++) {
      Thread w = workerThreads[t];
      if (program[t] != null && sched.manual().isParked(w)) {
        sched.manual().resume(w);
      }
      go[t].release();
      workers[t].shutdownNow();
    }
  }
}
