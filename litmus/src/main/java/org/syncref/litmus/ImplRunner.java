package org.syncref.litmus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceCb;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.conformance.AbortableSched;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.kernel.Warning;
import org.syncref.litmus.Program.IBranch;
import org.syncref.litmus.Program.ICall;
import org.syncref.litmus.Program.IExpect;
import org.syncref.litmus.Program.IJump;
import org.syncref.litmus.Program.Ins;
import org.syncref.resv.DmaResv;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;
import org.syncref.ww.WwMutex;

/**
 * Runs a litmus file on the Java implementation (impl/), over many schedules: one worker thread
 * per litmus thread, one running at a time, sleeping through a {@link org.syncref.sched.ManualSched}. A schedule
 * point offers: run thread i's next call; end thread i's sleeping fence wait by a timeout (finite
 * timeouts only); resume a sleeping fence wait or ww_mutex lock that the kernel woke (so another
 * thread may steal a released mutex before its woken waiter runs, as in mutex.c and the spec).
 * Schedules are enumerated depth-first by replaying from a fresh kernel, up to a bound.
 */
public final class ImplRunner {
  private static final long CALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** What the runs found. */
  public static final class Result {
    public int executions;
    public boolean exhaustive;
    public final Map<Outcome, List<String>> outcomes = new LinkedHashMap<>();
  }

  private final Litmus litmus;
  private final List<Program> progs = new ArrayList<>();

  private final org.syncref.kernel.InjectedBug[] bugs;
  private Kernel.Build build = Kernel.Build.PROVE_LOCKING;

  public ImplRunner(Litmus litmus) {
    this(litmus, new org.syncref.kernel.InjectedBug[0]);
  }

  /** A runner whose kernels carry injected bugs (the negative controls of the Java comparison). */
  public ImplRunner(Litmus litmus, org.syncref.kernel.InjectedBug... bugs) {
    this.litmus = litmus;
    this.bugs = bugs.clone();
    for (Litmus.ThreadDecl t : litmus.threads()) {
      progs.add(new Program(t));
    }
  }

  /**
   * Enumerates schedules depth-first; if half of {@code max} executions do not exhaust them, the
   * other half are random schedules (seeded, so a run is reproducible), which reach orders that a
   * bounded depth-first walk, varying only the last steps, never does.
   */
  public Result run(int max) {
    Result res = new Result();
    int dfsMax = max < 4 ? max : max - max / 2;
    List<int[]> choices = new ArrayList<>(); // {taken, options}
    while (true) {
      List<String> trace = new ArrayList<>();
      Outcome o;
      try (Exec ex = new Exec()) {
        o = ex.run(choices, trace, null);
      }
      res.executions++;
      res.outcomes.putIfAbsent(o, trace);
      // next schedule: bump the last choice that has an untried option
      int k = choices.size() - 1;
      while (k >= 0 && choices.get(k)[0] + 1 >= choices.get(k)[1]) {
        k--;
      }
      if (k < 0) {
        res.exhaustive = true;
        return res;
      }
      if (res.executions >= dfsMax) {
        break;
      }
      choices.subList(k + 1, choices.size()).clear();
      choices.get(k)[0]++;
    }
    java.util.Random rnd = new java.util.Random(litmus.name().hashCode());
    while (res.executions < max) {
      List<String> trace = new ArrayList<>();
      Outcome o;
      try (Exec ex = new Exec()) {
        o = ex.run(new ArrayList<>(), trace, rnd);
      }
      res.executions++;
      res.outcomes.putIfAbsent(o, trace);
    }
    return res;
  }

  /** Runs the scenario on kernels of {@code b} (default {@link Kernel.Build#PROVE_LOCKING}). */
  public ImplRunner withBuild(Kernel.Build b) {
    this.build = b;
    return this;
  }

  private Kernel newKernel(AbortableSched sched) {
    Kernel k = new Kernel(sched, build);
    if (bugs.length > 0) {
      k.inject(bugs);
    }
    return k;
  }

  /** One execution on a fresh kernel. */
  private final class Exec implements AutoCloseable, Calls.JavaEnv {
    final AbortableSched sched = new AbortableSched();
    final Kernel kernel = newKernel(sched);
    final int n = progs.size();
    final ExecutorService[] workers = new ExecutorService[n];
    final Thread[] workerThreads = new Thread[n];
    final Map<String, DmaFence> fences = new HashMap<>();
    final Map<DmaFence, String> fenceNames = new IdentityHashMap<>();
    final Map<String, Long> contextNo = new HashMap<>();
    final Map<String, DmaResv> resvs = new HashMap<>();
    final Map<String, WwClass> classes = new HashMap<>();
    final Map<String, WwMutex> mutexes = new HashMap<>();
    final Map<String, WwAcquireContext> ctxs = new HashMap<>();
    final Map<String, DmaFenceCb> cbs = new HashMap<>();
    final int[] pc = new int[n];
    final List<TreeMap<String, Value>> regs = new ArrayList<>();
    final Future<?>[] pending = new Future<?>[n];
    final Object[][] pendingResult = new Object[n][];
    final int[] wakeBase = new int[n];
    final boolean[] stuck = new boolean[n]; // a KernelBug "deadlock": sleeps for ever
    boolean bug;
    /** Fences whose hardware has passed them (hw_complete): what their peeking ops read. */
    final java.util.Set<DmaFence> hwDone = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Exec() {
      FenceModule m = FenceModule.builtin("litmus");
      DmaFenceOps ops = DmaFenceOps.names(m, "litmus", "litmus");
      for (String c : litmus.contexts()) {
        contextNo.put(c, kernel.dmaFenceContextAlloc(1));
      }
      for (Litmus.FenceDecl f : litmus.fences()) {
        DmaFenceOps.Builder b = DmaFenceOps.builder(m, "litmus", "litmus");
        if (f.hasOp("signaled")) { // reads the flag hw_complete sets
          b.signaled(x -> hwDone.contains(x));
        }
        if (f.hasOp("enable_signaling")) { // false: already passed
          b.enableSignaling(x -> !hwDone.contains(x));
        }
        DmaFence fence = DmaFence.init(kernel, f.ops().isEmpty() ? ops : b.build(),
            contextNo.get(f.context()), f.seqno());
        fences.put(f.name(), fence);
        fenceNames.put(fence, f.name());
      }
      for (String r : litmus.resvs()) {
        resvs.put(r, new DmaResv(kernel));
      }
      classes.put(LitmusParser.RESERVATION_WW_CLASS, WwClass.reservationWwClass(kernel));
      for (Litmus.ClassDecl c : litmus.classes()) {
        classes.put(c.name(), c.waitDie() ? WwClass.waitDie(c.name()) : WwClass.woundWait(c.name()));
      }
      for (Litmus.MutexDecl mx : litmus.mutexes()) {
        mutexes.put(mx.name(), new WwMutex(kernel, classes.get(mx.cls()), mx.name(), false));
      }
      for (int i = 0; i < n; i++) {
        regs.add(new TreeMap<>());
        final int ti = i;
        workers[i] = Executors.newSingleThreadExecutor(r -> {
          Thread th = new Thread(r, "litmus-" + progs.get(ti).thread);
          th.setDaemon(true);
          workerThreads[ti] = th;
          return th;
        });
      }
    }

    boolean done(int i) {
      return pc[i] >= progs.get(i).code.size() && pending[i] == null;
    }

    boolean parked(int i) {
      return pending[i] != null && !stuck[i];
    }

    ICall current(int i) {
      return (ICall) progs.get(i).code.get(pc[i]);
    }

    Outcome run(List<int[]> choices, List<String> trace, java.util.Random rnd) {
      for (int i = 0; i < n; i++) {
        runLocal(i);
      }
      int step = 0;
      while (!bug) {
        List<Runnable> opts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          final int ti = i;
          String t = progs.get(i).thread;
          if (!done(i) && pending[i] == null && !stuck[i]) {
            opts.add(() -> call(ti, trace));
            labels.add("run " + t);
          } else if (parked(i) && isFenceWait(current(i).call().fn())) {
            if (!Calls.waitsForever(current(i).call())) {
              opts.add(() -> endWait(ti, false, trace)); // MAX_SCHEDULE_TIMEOUT does not run out
              labels.add("time out " + t);
            }
            if (sched.manual().wakeups(workerThreads[i]) > wakeBase[i]) {
              opts.add(() -> endWait(ti, true, trace));
              labels.add("wake " + t);
            }
          } else if (parked(i) && sched.manual().wakeups(workerThreads[i]) > wakeBase[i]) {
            // a woken ww_mutex lock: it runs when the schedule says
            opts.add(() -> endWait(ti, true, trace));
            labels.add("wake " + t);
          }
        }
        if (opts.isEmpty()) {
          break;
        }
        int pick;
        if (step < choices.size()) {
          pick = choices.get(step)[0];
        } else {
          pick = rnd == null ? 0 : rnd.nextInt(opts.size());
          choices.add(new int[] {pick, opts.size()});
        }
        step++;
        opts.get(Math.min(pick, opts.size() - 1)).run();
      }
      boolean deadlock = false;
      for (int i = 0; i < n; i++) {
        if (!done(i) && !bug) {
          deadlock = true;
        }
      }
      TreeMap<String, SortedMap<String, Value>> r = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        r.put(progs.get(i).thread, regs.get(i));
      }
      TreeSet<String> sig = new TreeSet<>();
      fences.forEach((name, f) -> {
        if (f.isSignaledFlag()) {
          sig.add(name);
        }
      });
      TreeSet<String> warn = new TreeSet<>();
      for (Warning w : kernel.warnings()) {
        warn.add(w.function());
      }
      return new Outcome(r, sig, warn, bug, deadlock, false);
    }

    boolean isFenceWait(Calls.Fn fn) {
      return fn == Calls.Fn.DMA_FENCE_WAIT || fn == Calls.Fn.DMA_FENCE_WAIT_TIMEOUT
          || fn == Calls.Fn.DMA_RESV_WAIT_TIMEOUT;
    }

    /** Register-only conditions and jumps of thread i (kernel-reading ones too: Java runs them at once). */
    void runLocal(int i) {
      Program p = progs.get(i);
      int guard = 0;
      while (pc[i] < p.code.size() && guard++ < 10_000) {
        Ins ins = p.code.get(pc[i]);
        if (ins instanceof IJump j) {
          pc[i] = j.target();
        } else if (ins instanceof IBranch b) {
          pc[i] = Outcome.eval(b.cond(), env(), p.thread) ? pc[i] + 1 : b.target();
        } else if (ins instanceof IExpect) {
          pc[i]++;
        } else {
          break;
        }
      }
    }

    Outcome.Env env() {
      return new Outcome.Env() {
        @Override
        public Value reg(String thread, String name) {
          for (int i = 0; i < n; i++) {
            if (progs.get(i).thread.equals(thread)) {
              Value v = regs.get(i).get(name);
              return v == null ? Value.UNSET : v;
            }
          }
          return Value.UNSET;
        }

        @Override
        public boolean signaled(String fence) {
          return fences.get(fence).isSignaledFlag();
        }

        @Override
        public boolean warn() {
          return !kernel.warnings().isEmpty();
        }

        @Override
        public boolean bug() {
          return bug;
        }

        @Override
        public boolean deadlock() {
          return false;
        }

        @Override
        public boolean contract() {
          return false;
        }
      };
    }

    void call(int i, List<String> trace) {
      ICall c = current(i);
      Object[] result = {null};
      Future<?> fut = workers[i].submit(() -> {
        result[0] = invoke(c.call());
        return null;
      });
      if (await(i, fut)) {
        finish(i, c, result[0], fut, trace, "");
      } else {
        pending[i] = fut;
        pendingResult[i] = result;
        wakeBase[i] = sched.manual().wakeups(workerThreads[i]);
        trace.add(progs.get(i).thread + ": " + c.call() + " sleeps");
      }
    }

    void endWait(int i, boolean wake, List<String> trace) {
      if (wake) {
        sched.manual().resume(workerThreads[i]);
      } else {
        sched.manual().expire(workerThreads[i]);
      }
      resumed(i, trace, wake ? " wakes" : " times out");
    }

    /** After a resume: the call returned, or it sleeps again. */
    void resumed(int i, List<String> trace, String how) {
      Future<?> fut = pending[i];
      if (await(i, fut)) {
        pending[i] = null;
        finish(i, current(i), pendingResult[i][0], fut, trace, how);
      } else {
        wakeBase[i] = sched.manual().wakeups(workerThreads[i]);
      }
    }

    void finish(int i, ICall c, Object r, Future<?> fut, List<String> trace, String how) {
      String t = progs.get(i).thread;
      Throwable err = failure(fut);
      if (err instanceof KernelBug kb) {
        if (kb.getMessage() != null && kb.getMessage().contains("deadlock:")) {
          stuck[i] = true;
          pending[i] = fut;
          trace.add(t + ": " + c.call() + " sleeps for ever (" + kb.getMessage() + ")");
          return;
        }
        bug = true;
        trace.add(t + ": " + c.call() + " BUG: " + kb.getMessage());
        pc[i]++;
        return;
      } else if (err != null) {
        throw new IllegalStateException(t + ": " + c.call() + " threw " + err, err);
      }
      Value v = toValue(c.call(), r);
      if (c.reg() != null) {
        regs.get(i).put(c.reg(), v);
      }
      trace.add(t + ": " + (c.reg() != null ? c.reg() + " = " : "") + c.call() + how
          + (c.call().fn().result() == Calls.Result.VOID ? "" : " -> " + v));
      pc[i]++;
      runLocal(i);
    }

    Throwable failure(Future<?> fut) {
      try {
        fut.get(10, TimeUnit.SECONDS);
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause();
      } catch (Exception e) {
        return e;
      }
    }

    Value toValue(Litmus.Call c, Object r) {
      switch (c.fn().result()) {
        case VOID:
          return Value.UNSET;
        case BOOL:
          return new Value.Bool((Boolean) r);
        case FENCES: {
          List<String> names = new ArrayList<>();
          for (Object f : (List<?>) r) {
            names.add(fenceNames.get(f));
          }
          return new Value.FenceSeq(names); // the array in the order the Java call filled it
        }
        default:
          if (r instanceof Boolean b) {
            return new Value.Int(b ? 1 : 0); // ww_mutex_trylock
          }
          long v = ((Number) r).longValue();
          if (c.fn() == Calls.Fn.DMA_FENCE_WAIT && v > 0) {
            v = 0;
          }
          return new Value.Int(v);
      }
    }

    /** The Java call, as its declaration in {@link Calls.Fn} makes it; runs on the litmus thread's worker. */
    Object invoke(Litmus.Call c) {
      return c.fn().java().call().call(new Calls.JavaArgs(this, c.args()));
    }

    @Override
    public Kernel kernel() {
      return kernel;
    }

    @Override
    public DmaFence fence(String name) {
      return fences.get(name);
    }

    @Override
    public DmaResv resv(String name) {
      return resvs.get(name);
    }

    @Override
    public WwMutex mutex(String name) {
      return mutexes.get(name);
    }

    @Override
    public WwClass wwClass(String name) {
      return classes.get(name);
    }

    @Override
    public WwAcquireContext ctx(String name) {
      return ctxs.get(name);
    }

    @Override
    public void initCtx(String name, WwAcquireContext ctx) {
      ctxs.put(name, ctx);
    }

    @Override
    public DmaFenceCb cb(String name) {
      return cbs.computeIfAbsent(name, k -> new DmaFenceCb());
    }

    @Override
    public long context(String name) {
      return contextNo.get(name);
    }

    @Override
    public void hwComplete(DmaFence f) {
      hwDone.add(f);
    }

    /** Waits until fut is done (true) or the worker parks (false). */
    boolean await(int i, Future<?> fut) {
      Thread w = workerThreads[i];
      long deadline = System.nanoTime() + CALL_TIMEOUT_NANOS;
      while (true) {
        if (fut.isDone()) {
          return true;
        }
        if (w != null && sched.manual().isParked(w)) {
          return false;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(progs.get(i).thread + " neither returned nor slept");
        }
        Thread.onSpinWait();
      }
    }

    @Override
    public void close() {
      sched.abort();
      for (int i = 0; i < n; i++) {
        Thread w = workerThreads[i];
        if (w != null && sched.manual().isParked(w)) {
          try {
            sched.manual().resume(w);
          } catch (IllegalStateException e) {
            // raced with its own exit
          }
        }
        workers[i].shutdownNow();
      }
    }
  }

}
