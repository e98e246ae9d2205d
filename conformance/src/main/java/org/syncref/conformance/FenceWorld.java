package org.syncref.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.syncref.conformance.vocab.KernelCall;
import org.syncref.conformance.vocab.Vocabulary;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceCb;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.hw.Engine;
import org.syncref.hw.Job;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.ModuleUnloadedOops;
import org.syncref.kernel.Warning;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import org.syncref.modelcheck.tlc.V;
import org.syncref.sched.ManualSched;
import tlc2.value.impl.Value;

/**
 * The Java side of the DmaFence conformance model (spec/DmaFence/MCDmaFenceConformance.cfg): a
 * {@link Kernel} with a deterministic {@link ManualSched}, the issuing modules m1 and m2, fences
 * f1..f5, callbacks cb1..cb3 and caller threads t1..t3, with the map from these Java objects to
 * the spec's variables ({@link #snapshot()}).
 *
 * <p>Every kernel call is made through {@link #apply}, named by its TLA+ action. Calls that do not
 * block run on the test thread; {@code WaitTimeout} runs on a worker thread of its own that may
 * park in {@code schedule_timeout}, and {@code WaitWake}/{@code WaitExpire}/{@code WaitInterrupt}
 * release it through the scheduler. Fences are issued either directly ({@code FenceInit}, as a
 * driver would) or by the hardware model's {@link Engine}s ({@link #engineSubmit}).
 */
public final class FenceWorld implements ConformanceWorld {
  /**
   * The conformance model this world is checked against, whose constants the world reads:
   * MCDmaFenceConformance.cfg, or MCDmaResvConformance.cfg where that is loaded (it has the same
   * fence constants, MCDmaFence's C* definitions). See {@link ModelConstants}.
   */
  static final TlcEvaluator MODEL = ModelConstants.model(Conformance::evaluator);
  public static final List<String> THREADS = ModelConstants.names(MODEL, "Threads");
  public static final List<String> FENCES = ModelConstants.names(MODEL, "Fences");
  public static final List<String> CALLBACKS = ModelConstants.names(MODEL, "Callbacks");
  public static final List<String> MODULES = ModelConstants.names(MODEL, "Modules");
  /**
   * The model's context (FenceCtx), SEQNO64 (FenceIs64) and issuer (FenceIssuer) of each fence.
   * f5 is a software fence on context 3, initialised and put by a caller acting as its driver.
   */
  static final long[] CTX = FENCES.stream().mapToLong(f -> ModelConstants.intAt(MODEL, "FenceCtx", f)).toArray();
  /**
   * The kernel's seqnos, which stay in Java: engine 1's u32 seqno counter starts at 0xfffffffe
   * and wraps, so its third fence has seqno 0; the spec's FenceSeqno are these modulo its
   * SeqnoMod, 8 (FenceModelConstantsExamples checks that).
   */
  static final long[] SEQNO = {0xfffffffeL, 0xffffffffL, 0, 1, 1};
  static final boolean[] IS64 = toBooleans(FENCES.stream().map(f -> ModelConstants.boolAt(MODEL, "FenceIs64", f)).toList());
  static final int[] ISSUER = FENCES.stream().mapToInt(f -> MODULES.indexOf(ModelConstants.nameAt(MODEL, "FenceIssuer", f))).toArray();
  /** Engine e (0, 1) issues these fences, in submission order. */
  static final int[][] ENGINE_FENCES = {{0, 1, 2}, {3}};
  /** The first seqno of each engine's counter. */
  static final long[] ENGINE_FIRST_SEQNO = {0xfffffffeL, 1};
  /** The software fence (no engine): a caller initialises, signals and puts it. */
  public static final int SOFT_FENCE = 4;
  /** Each fence's place in its context's order (its engine's submission order). */
  static final int[] ORDER = {0, 1, 2, 0, 0};

  /**
   * The hard states the fence conformance must keep reaching, as {@link StepCounts} labels:
   * {@code Put:forced-release} (dma_fence_release WARNs and signals with -EDEADLK), {@code
   * <Action>:signals} for IsSignaled / GetStatus (the ops->signaled peek) and AddCallback /
   * EnableSignaling / WaitTimeout (enable_signaling returned false), which signal a fence nobody
   * passed to dma_fence_signal, and {@code IsLaterCall:wrap} / {@code IsLaterOrSameCall:wrap}
   * (f3, whose u32 seqno wrapped to 0, against f1 or f2).
   */
  public static final List<StepCounts.Label> LABELS = List.of((step, before) -> {
    String a = step.action();
    List<String> out = new ArrayList<>();
    if (a.equals("Put") && count(step.state().get("warnings").toString(), "dma_fence_release")
        > count(before.get("warnings").toString(), "dma_fence_release")) {
      out.add("Put:forced-release");
    }
    if (List.of("IsSignaled", "GetStatus", "AddCallback", "EnableSignaling", "WaitTimeout").contains(a)
        && !step.state().get("signaled").toString().equals(before.get("signaled").toString())) {
      out.add(a + ":signals");
    }
    if ((a.equals("IsLaterCall") || a.equals("IsLaterOrSameCall")) && step.args().contains("f3")
        && (step.args().contains("f1") || step.args().contains("f2"))) {
      out.add(a + ":wrap");
    }
    return out;
  });

  /** How often {@code word} occurs in {@code s} (the labels compare a variable before and after). */
  static int count(String s, String word) {
    int n = 0;
    for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
      n++;
    }
    return n;
  }

  /** Whether fence g comes before fence f on their common context (the issuer's order). */
  public static boolean earlier(int g, int f) {
    return g != f && CTX[g] == CTX[f] && ORDER[g] < ORDER[f];
  }
  public static final int MAX_REFS = ModelConstants.integer(MODEL, "MaxRefs");
  public static final int MAX_CONTEXT = ModelConstants.integer(MODEL, "MaxContext");
  public static final long[] TIMEOUTS = java.util.Arrays.stream(ModelConstants.integers(MODEL, "Timeouts")).asLongStream().toArray();
  /** The model's ErrorArgs, ascending: the three errnos first, then 1 (an invalid error). */
  public static final int[] ERROR_ARGS = ModelConstants.integers(MODEL, "ErrorArgs");

  private static boolean[] toBooleans(List<Boolean> bs) {
    boolean[] out = new boolean[bs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bs.get(i);
    }
    return out;
  }

  final Kernel kernel;
  final ManualSched sched = new ManualSched();
  final FenceModule[] modules = {new FenceModule("m1"), new FenceModule("m2")};
  final DmaFenceOps[] ops;
  final DmaFence[] fences = new DmaFence[FENCES.size()];
  final Engine[] engines = new Engine[2];
  final Cb[] cbs = new Cb[CALLBACKS.size()];
  final String[] cbState = new String[CALLBACKS.size()];
  final int[] cbFence = new int[CALLBACKS.size()];
  final List<Integer> cbAdded = new ArrayList<>();
  final List<Integer> cbRan = new ArrayList<>();
  final int[] errAtSignal = new int[FENCES.size()];
  final boolean[] wasSignaled = new boolean[FENCES.size()];
  final ExecutorService[] workers = new ExecutorService[THREADS.size()];
  final Thread[] workerThreads = new Thread[THREADS.size()];
  final Future<?>[] pendingWait = new Future<?>[THREADS.size()];
  final int[] waitOn = new int[THREADS.size()];
  final long[] waitTimeout = new long[THREADS.size()];
  final boolean[] waitIntr = new boolean[THREADS.size()];
  public final long[] ret = new long[THREADS.size()];
  /** Where a sleeping wait's worker stores its result. */
  private final long[][] waitResult = new long[THREADS.size()][];
  long nextCtx = 1;
  boolean opsFault;
  /** hwDone: the hardware has passed the fence (what m1's ops->signaled and m2's enable_signaling read). */
  final boolean[] hwDone = new boolean[FENCES.size()];

  private void ran(int c) {
    cbRan.add(c);
    cbState[c] = "ran";
  }

  /** A callback node that records, in the world, that it ran. */
  final class Cb extends DmaFenceCb {
    final int index;

    Cb(int index) {
      this.index = index;
    }
  }

  /** Builds the hardware model's engines; a test may pass a broken engine. */
  public interface EngineFactory {
    Engine create(Kernel kernel, DmaFenceOps ops, String name, int capacity);
  }

  private final EngineFactory engineFactory;

  /** A world with a correct kernel and correct engines. */
  public FenceWorld() {
    this(new InjectedBug[0], Engine::new);
  }

  /** A world whose kernel has the given injected bugs and whose engines come from {@code engineFactory}. */
  public FenceWorld(InjectedBug[] bugs, EngineFactory engineFactory) {
    this.engineFactory = engineFactory;
    kernel = new Kernel(sched);
    kernel.inject(bugs);
    // m1 peeks at the hardware with ops->signaled; m2 implements release and an
    // enable_signaling that returns false once the hardware has passed the fence.
    ops = new DmaFenceOps[] {
      DmaFenceOps.builder(modules[0], "m1", "ring1").signaled(f -> hwDone[indexOf(f)]).build(),
      DmaFenceOps.builder(modules[1], "m2", "ring2").release(f -> {})
          .enableSignaling(f -> !hwDone[indexOf(f)]).build()
    };
    for (int c = 0; c < cbs.length; c++) {
      cbs[c] = new Cb(c);
      cbState[c] = "idle";
      cbFence[c] = -1;
    }
    Arrays.fill(waitOn, -1);
    for (int t = 0; t < workers.length; t++) {
      final int ti = t;
      workers[t] =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread th = new Thread(r, "syncref-" + THREADS.get(ti));
                th.setDaemon(true);
                workerThreads[ti] = th;
                return th;
              });
      join(workers[t].submit(() -> {}));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Queries the generators use to stay within the spec's preconditions (the caller's contract)

  public boolean born(int f) {
    return fences[f] != null;
  }

  public boolean live(int f) {
    return fences[f] != null && !fences[f].isFreed();
  }

  public int refs(int f) {
    return live(f) ? fences[f].refcount() : 0;
  }

  public boolean waiting(int t) {
    return waitOn[t] >= 0;
  }

  public boolean signaled(int f) {
    return fences[f] != null && fences[f].isSignaledFlag();
  }

  public boolean hwDone(int f) {
    return hwDone[f];
  }

  /** DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT of a born fence. */
  public boolean enabled(int f) {
    return fences[f] != null && fences[f].isEnableSignalFlag();
  }

  /** The index of a Java fence among f1..f5. */
  int indexOf(DmaFence f) {
    return Arrays.asList(fences).indexOf(f);
  }

  public int waitersOn(int f) {
    int n = 0;
    for (int w : waitOn) {
      if (w == f) {
        n++;
      }
    }
    return n;
  }

  public String cbState(int c) {
    return cbState[c];
  }

  public int cbFence(int c) {
    return cbFence[c];
  }

  public long nextContext() {
    return nextCtx;
  }

  public boolean moduleLoaded(int m) {
    return modules[m].isLoaded();
  }

  /** The driver protocol of ModuleUnload: every live fence of m signaled, ops without release/wait. */
  public boolean mayUnload(int m) {
    for (int f = 0; f < fences.length; f++) {
      if (ISSUER[f] == m && live(f) && !(signaled(f) && !ops[m].pinsModule())) {
        return false;
      }
    }
    return modules[m].isLoaded();
  }

  /** Whether fence f is the fence of a job still on its engine's ring (the ring holds a reference). */
  public boolean onRing(int f) {
    if (fences[f] == null) {
      return false;
    }
    for (Engine en : engines) {
      if (en != null) {
        for (org.syncref.hw.Job j : en.pending()) {
          if (j.fence() == fences[f]) {
            return true;
          }
        }
      }
    }
    return false;
  }

  public Engine engine(int e) {
    return engines[e];
  }

  // ------------------------------------------------------------------------------------------
  // Kernel calls, named by their TLA+ actions

  /**
   * Makes the kernel call named by a TLA+ action with the spec's argument values (model value
   * names such as {@code t1}, {@code f2}, {@code cb1}; integers; TRUE/FALSE) and returns its
   * result in the spec's convention. The caller keeps within the action's enabling condition.
   */
  public long apply(String action, List<String> args) {
    try {
      return applyUnchecked(action, args);
    } catch (ModuleUnloadedOops e) {
      opsFault = true;
      return 0;
    } finally {
      noteSignals();
    }
  }

  private long applyUnchecked(String action, List<String> a) {
    return Vocab.VOCABULARY.apply(this, action, a);
  }

  /** The caller thread of a call: its first argument (-1 for ModuleUnload(m), which has none). */
  private static int t(List<String> a) {
    return a.isEmpty() ? -1 : THREADS.indexOf(a.get(0));
  }

  private static final String DMA_FENCE_C = "drivers/dma-buf/dma-fence.c";
  private static final String DMA_FENCE_H = "include/linux/dma-fence.h";

  /**
   * DmaFence's kernel calls: spec/MAPPING.md's DmaFence table is generated from these
   * declarations (MappingTables), and {@link #apply} dispatches through them. The hardware model's
   * calls ({@link EngineRecorder}) are looked up by kernel function; a call whose action arguments
   * are not the thread, the fence and the call's arguments reads them with its observer.
   */
  public static final class Vocab {
    private Vocab() {}

    // A class of its own, so that reading the declarations (MAPPING.md, VocabularyTest) does
    // not initialize FenceWorld, whose constants come from the model loaded in this JVM.
    public static final Vocabulary<FenceWorld> VOCABULARY = Vocabulary.<FenceWorld>builder("DmaFence", "FenceWorld")
        .call("`dma_fence_context_alloc`", "ContextAlloc(t, n)", "`Kernel.dmaFenceContextAlloc(n)`", DMA_FENCE_C,
            (w, a) -> {
              long first = w.kernel.dmaFenceContextAlloc(Integer.parseInt(a.get(1)));
              w.nextCtx = first + Integer.parseInt(a.get(1));
              return w.ret(t(a), first);
            },
            (w, thread, subject, args, result) -> {
              w.nextCtx = (Long) result + (Integer) args[0];
              w.ret(THREADS.indexOf(thread), (Long) result);
              return List.of(thread, args[0].toString());
            })
        .call("`dma_fence_init` / `dma_fence_init64`", "FenceInit(t, f)",
            "`DmaFence.init(...)` / `init64(...)`; `Engine.submit`", DMA_FENCE_C,
            (w, a) -> {
              int f = fence(a.get(1));
              DmaFenceOps o = w.ops[ISSUER[f]];
              w.fences[f] =
                  IS64[f]
                      ? DmaFence.init64(w.kernel, o, CTX[f], SEQNO[f])
                      : DmaFence.init(w.kernel, o, CTX[f], SEQNO[f]);
              return w.ret(t(a), 0);
            },
            (w, thread, subject, args, result) -> {
              int fi = specFence((Long) args[0], (Long) args[1]);
              w.fences[fi] = (DmaFence) result;
              w.ret(THREADS.indexOf(thread), 0);
              return List.of(thread, FENCES.get(fi));
            })
        .call("`dma_fence_get`", "Get(t, f)", "`DmaFence.get()`", DMA_FENCE_H, (w, a) -> {
          w.fence(a, 1).get();
          return w.ret(t(a), 0);
        })
        .call("`dma_fence_put` / `dma_fence_release`", "Put(t, f)", "`DmaFence.put()`", DMA_FENCE_H + ", " + DMA_FENCE_C,
            (w, a) -> {
              w.fence(a, 1).put();
              return w.ret(t(a), 0);
            })
        .call("`dma_fence_signal`", "Signal(t, f)", "`DmaFence.signal()`; `Engine.executeNext`, `Engine.hangAndReset`",
            DMA_FENCE_C, (w, a) -> {
              w.fence(a, 1).signal();
              return w.ret(t(a), 0);
            })
        .call("`dma_fence_check_and_signal`", "CheckAndSignal(t, f)", "`DmaFence.checkAndSignal()`", DMA_FENCE_C,
            (w, a) -> w.ret(t(a), w.fence(a, 1).checkAndSignal()))
        .call("`dma_fence_set_error`", "SetError(t, f, e)", "`DmaFence.setError(e)`", DMA_FENCE_H, (w, a) -> {
          w.fence(a, 1).setError(Integer.parseInt(a.get(2)));
          return w.ret(t(a), 0);
        })
        .call("`dma_fence_get_status`", "GetStatus(t, f)", "`DmaFence.getStatus()`", DMA_FENCE_C,
            (w, a) -> w.ret(t(a), w.fence(a, 1).getStatus()))
        .call("`dma_fence_is_signaled`", "IsSignaled(t, f)", "`DmaFence.isSignaled()`", DMA_FENCE_H,
            (w, a) -> w.ret(t(a), w.fence(a, 1).isSignaled()))
        .call("`dma_fence_set_deadline`", "SetDeadline(t, f)", "`DmaFence.setDeadline(deadline)`", DMA_FENCE_C,
            (w, a) -> {
              w.fence(a, 1).setDeadline(0);
              return w.ret(t(a), 0);
            })
        .call("`dma_fence_driver_name`", "DriverName(t, f)", "`DmaFence.driverName()`", DMA_FENCE_C, (w, a) -> {
          DmaFence f = w.fence(a, 1);
          String name = f.driverName();
          return w.ret(t(a), name.equals(f.issuer().name()));
        })
        .call("`dma_fence_is_later`", "IsLaterCall(t, f1, f2)", "`DmaFence.isLater(f2)` (on f1)", DMA_FENCE_H,
            (w, a) -> w.ret(t(a), w.fence(a, 1).isLater(w.fence(a, 2))))
        .call("`dma_fence_is_later_or_same`", "IsLaterOrSameCall(t, f1, f2)", "`DmaFence.isLaterOrSame(f2)` (on f1)",
            DMA_FENCE_H, (w, a) -> w.ret(t(a), w.fence(a, 1).isLaterOrSame(w.fence(a, 2))))
        .call("`dma_fence_enable_signaling` (`dma_fence_enable_sw_signaling` ≤ 6.12)", "EnableSignaling(t, f)",
            "`DmaFence.enableSignaling()`", DMA_FENCE_C, (w, a) -> {
              w.fence(a, 1).enableSignaling();
              return w.ret(t(a), 0);
            })
        .call("`dma_fence_add_callback`", "AddCallback(t, f, cb)", "`DmaFence.addCallback(cb, func)`", DMA_FENCE_C,
            (w, a) -> {
              int f = fence(a.get(1));
              int c = CALLBACKS.indexOf(a.get(2));
              Cb cb = w.cbs[c];
              int r = w.fences[f].addCallback(cb, (fence, node) -> w.ran(((Cb) node).index));
              w.cbFence[c] = f;
              if (r == 0) {
                w.cbState[c] = "queued";
                w.cbAdded.add(c);
              } else {
                w.cbState[c] = "enoent";
              }
              return w.ret(t(a), r);
            })
        .call("`dma_fence_remove_callback`", "RemoveCallback(t, f, cb)", "`DmaFence.removeCallback(cb)`", DMA_FENCE_C,
            (w, a) -> {
              int c = CALLBACKS.indexOf(a.get(2));
              boolean removed = w.fence(a, 1).removeCallback(w.cbs[c]);
              if (removed) {
                w.cbState[c] = "removed";
              }
              return w.ret(t(a), removed);
            })
        .call("`dma_fence_wait_timeout` (entry)", "WaitTimeout(t, f, intr, to)", "`DmaFence.waitTimeout(intr, to)`",
            DMA_FENCE_C, (w, a) -> w.waitTimeout(t(a), fence(a.get(1)), Boolean.parseBoolean(a.get(2).toLowerCase()),
                Long.parseLong(a.get(3)), false))
        .call("`dma_fence_default_wait`: woken after the signal", "WaitWake(t)",
            "`Sched.scheduleTimeout` returns > 0", DMA_FENCE_C, (w, a) -> w.endWait(t(a), "wake"))
        .call("`dma_fence_default_wait`: `schedule_timeout` ran out", "WaitExpire(t)",
            "`Sched.scheduleTimeout` returns 0", DMA_FENCE_C, (w, a) -> w.endWait(t(a), "expire"))
        .call("`dma_fence_default_wait`: signal pending", "WaitInterrupt(t)", "`Sched.signalPending()`", DMA_FENCE_C,
            (w, a) -> w.endWait(t(a), "interrupt"))
        .call("module unload (driver)", "ModuleUnload(m)", "`FenceModule.unload()`",
            DMA_FENCE_H + " (`@release`, `@wait`)", (w, a) -> {
              w.modules[MODULES.indexOf(a.get(0))].unload();
              return 0;
            })
        .call("hardware passes the fence (no kernel call: what `ops->signaled` / `ops->enable_signaling` read)",
            "HwComplete(t, f)",
            "the driver's hardware state (`FenceWorld.hwDone`; litmus: a flag the ops read)",
            DMA_FENCE_H + " (`@signaled`, `@enable_signaling`)", (w, a) -> {
              w.hwDone[fence(a.get(1))] = true;
              return w.ret(t(a), 0);
            })
        .build();
  }

  /**
   * dma_fence_wait_timeout on thread t's worker: returns when the call returned or the worker
   * parked in schedule_timeout. With {@code signalPending} the worker has a signal pending at
   * entry (an interruptible wait then returns -ERESTARTSYS at once).
   */
  public long waitTimeout(int t, int f, boolean intr, long timeout, boolean signalPending) {
    DmaFence fence = fences[f];
    long[] result = {Long.MIN_VALUE};
    Future<?> fut =
        workers[t].submit(
            () -> {
              sched.setSignalPending(Thread.currentThread(), signalPending);
              try {
                result[0] = fence.waitTimeout(intr, timeout);
              } catch (ModuleUnloadedOops e) {
                opsFault = true;
                result[0] = 0;
              } finally {
                sched.setSignalPending(Thread.currentThread(), false);
              }
            });
    while (true) {
      if (fut.isDone()) {
        join(fut);
        noteSignals(); // the enable may have signaled (enable_signaling returned false)
        return ret(t, result[0]);
      }
      Thread w = workerThreads[t];
      if (w != null && sched.isParked(w)) {
        noteSignals();
        waitOn[t] = f;
        waitTimeout[t] = timeout;
        waitIntr[t] = intr;
        pendingWait[t] = fut;
        waitResult[t] = result;
        return ret(t, 0);
      }
      Thread.onSpinWait();
    }
  }

  private long endWait(int t, String how) {
    Thread w = workerThreads[t];
    switch (how) {
      case "wake" -> sched.resume(w);
      case "expire" -> sched.expire(w);
      default -> {
        sched.setSignalPending(w, true);
        sched.resume(w);
      }
    }
    Future<?> fut = pendingWait[t];
    // The worker either returns or parks again (woken without the signal: spurious wake-up).
    while (!fut.isDone()) {
      if (sched.isParked(w) && !"interrupt".equals(how)) {
        throw new IllegalStateException(THREADS.get(t) + " slept again after " + how);
      }
      Thread.onSpinWait();
    }
    join(fut);
    waitOn[t] = -1;
    waitTimeout[t] = 0;
    waitIntr[t] = false;
    pendingWait[t] = null;
    return ret(t, waitResult[t][0]);
  }

  private static void join(Future<?> fut) {
    try {
      fut.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("worker failed", e.getCause() == null ? e : e.getCause());
    }
  }

  // ------------------------------------------------------------------------------------------
  // The hardware model

  /**
   * Records every outermost kernel call the hardware model makes as a step, with the state right
   * after it (via {@link Kernel.CallListener}): an engine operation is several kernel calls.
   */
  private final class EngineRecorder implements Kernel.CallListener {
    final String thread;
    final List<Step> steps = new ArrayList<>();

    EngineRecorder(String thread) {
      this.thread = thread;
    }

    /**
     * The call's action from {@link Vocab#VOCABULARY} by kernel function. Its arguments are the
     * thread, the fence called on and the call's own arguments, in the order of the action's
     * parameters, and a bool result is its return value (else 0); a call with an observer
     * reads them itself.
     */
    @Override
    public void called(String function, Object subject, Object[] args, Object result) {
      KernelCall<FenceWorld> call = Vocab.VOCABULARY.kernelFunction(function).orElseThrow(() ->
          new IllegalStateException("the hardware model called " + function
              + ", which the conformance world does not map to a TLA+ action"));
      if (call.observer() != null) {
        add(call.action(), call.observer().observed(FenceWorld.this, thread, subject, args, result).toArray(new String[0]));
        return;
      }
      String f = subject == null ? null : FENCES.get(Arrays.asList(fences).indexOf(subject));
      List<String> a = new ArrayList<>();
      int next = 0;
      for (String p : call.params()) {
        a.add(p.equals("t") ? thread : p.equals("f") ? f : args[next++].toString());
      }
      long r = result instanceof Boolean b && b ? 1 : 0;
      add(THREADS.indexOf(thread), r, call.action(), a.toArray(new String[0]));
    }

    private void add(int ti, long r, String action, String... a) {
      ret(ti, r);
      add(action, a);
    }

    private void add(String action, String... a) {
      noteSignals();
      steps.add(new Step(action, List.of(a), snapshot()));
    }
  }

  /** The spec fence with this context and seqno. */
  private static int specFence(long ctx, long seqno) {
    for (int f = 0; f < CTX.length; f++) {
      if (CTX[f] == ctx && SEQNO[f] == seqno) {
        return f;
      }
    }
    throw new IllegalStateException("no spec fence has context " + ctx + " and seqno " + seqno);
  }

  private List<Step> recording(String thread, Runnable body) {
    EngineRecorder r = new EngineRecorder(thread);
    kernel.setCallListener(r);
    try {
      body.run();
    } catch (ModuleUnloadedOops e) {
      opsFault = true;
      r.steps.add(new Step("Oops", List.of(e.getMessage()), snapshot()));
    } finally {
      kernel.setCallListener(null);
    }
    return r.steps;
  }

  /** Thread t creates engine e, which allocates its fence context. */
  public List<Step> engineCreate(int t, int e) {
    return recording(THREADS.get(t), () -> {
      engines[e] = engineFactory.create(kernel, ops[e], "ring" + (e + 1), ENGINE_FENCES[e].length);
      engines[e].startSeqnoAt(ENGINE_FIRST_SEQNO[e]);
    });
  }

  /** Thread t submits the next job of engine e; the caller gets a reference to its fence. */
  public List<Step> engineSubmit(int t, int e) {
    return recording(THREADS.get(t), () -> engines[e].submit(new Job("job")));
  }

  /** Engine e completes its next job, on the completion thread t3. */
  public List<Step> engineExecuteNext(int e) {
    return recording("t3", () -> engines[e].executeNext());
  }

  /** Engine e hangs and is reset on t3: every pending fence gets {@code error} and is signaled. */
  public List<Step> engineHangAndReset(int e, int error) {
    return recording("t3", () -> engines[e].hangAndReset(error));
  }

  // ------------------------------------------------------------------------------------------
  // The abstract state

  private void noteSignals() {
    for (int f = 0; f < fences.length; f++) {
      if (!wasSignaled[f] && fences[f] != null && fences[f].isSignaledFlag()) {
        wasSignaled[f] = true;
        errAtSignal[f] = fences[f].error();
      }
    }
  }

  /** The Java objects' state in the spec's variables. */
  public Map<String, Value> snapshot() {
    Map<String, Value> s = new LinkedHashMap<>();
    s.put("nextCtx", V.i(nextCtx));
    s.put("life", perFence(f -> V.s(fences[f] == null ? "unborn" : fences[f].isFreed() ? "freed" : "live")));
    s.put("refs", perFence(f -> V.i(refs(f))));
    s.put("signaled", perFence(f -> V.b(fences[f] != null && fences[f].isSignaledFlag())));
    s.put("enabled", perFence(f -> V.b(fences[f] != null && fences[f].isEnableSignalFlag())));
    s.put("error", perFence(f -> V.i(fences[f] == null ? 0 : fences[f].error())));
    s.put("detached", perFence(f -> V.b(fences[f] != null && fences[f].opsDetached())));
    s.put("cbq", perFence(f -> {
      List<Value> q = new ArrayList<>();
      if (fences[f] != null && !fences[f].isFreed()) {
        for (DmaFenceCb cb : fences[f].queuedCallbacks()) {
          q.add(V.mv(CALLBACKS.get(((Cb) cb).index)));
        }
      }
      return V.seq(q);
    }));
    s.put("cbState", perCb(c -> V.s(cbState[c])));
    s.put("cbFence", perCb(c -> V.mv(cbFence[c] < 0 ? "None" : FENCES.get(cbFence[c]))));
    s.put("waitOn", perThread(t -> V.mv(waitOn[t] < 0 ? "None" : FENCES.get(waitOn[t]))));
    s.put("waitTimeout", perThread(t -> V.i(waitTimeout[t])));
    s.put("waitIntr", perThread(t -> V.b(waitIntr[t])));
    s.put("ret", perThread(t -> V.i(ret[t])));
    Map<Value, Value> ml = new LinkedHashMap<>();
    for (int m = 0; m < modules.length; m++) {
      ml.put(V.mv(MODULES.get(m)), V.b(modules[m].isLoaded()));
    }
    s.put("modLoaded", V.fcn(ml));
    s.put("cbAdded", cbSeq(cbAdded));
    s.put("cbRan", cbSeq(cbRan));
    s.put("errAtSignal", perFence(f -> V.i(errAtSignal[f])));
    Set<Value> w = new HashSet<>();
    for (Warning warning : kernel.warnings()) {
      int f = Arrays.asList(fences).indexOf(warning.subject());
      w.add(V.rec(Map.of("fn", V.s(warning.function()), "f", V.mv(f < 0 ? "None" : FENCES.get(f)))));
    }
    s.put("warnings", V.set(w));
    s.put("opsFault", V.b(opsFault));
    s.put("hwDone", perFence(f -> V.b(hwDone[f])));
    return s;
  }

  private interface IntFn {
    Value apply(int i);
  }

  private static Value per(List<String> names, IntFn fn) {
    Map<Value, Value> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      m.put(V.mv(names.get(i)), fn.apply(i));
    }
    return V.fcn(m);
  }

  private Value perFence(IntFn fn) {
    return per(FENCES, fn);
  }

  private Value perCb(IntFn fn) {
    return per(CALLBACKS, fn);
  }

  private Value perThread(IntFn fn) {
    return per(THREADS, fn);
  }

  private static Value cbSeq(List<Integer> l) {
    List<Value> v = new ArrayList<>();
    for (int c : l) {
      v.add(V.mv(CALLBACKS.get(c)));
    }
    return V.seq(v);
  }

  private long ret(int t, long v) {
    if (t >= 0) {
      ret[t] = v;
    }
    return v;
  }

  private long ret(int t, boolean v) {
    return ret(t, v ? 1 : 0);
  }

  private static int fence(String name) {
    int f = FENCES.indexOf(name);
    if (f < 0) {
      throw new IllegalArgumentException("unknown fence " + name);
    }
    return f;
  }

  private DmaFence fence(List<String> args, int i) {
    return fences[fence(args.get(i))];
  }

  @Override
  public void applyStep(String action, List<String> args, java.util.Random rnd) {
    if (action.equals("WaitTimeout")) {
      // Nondeterminism at entry: an interruptible wait may find a signal pending.
      boolean pending = "TRUE".equals(args.get(2)) && rnd.nextInt(3) == 0;
      waitTimeout(THREADS.indexOf(args.get(0)), FENCES.indexOf(args.get(1)),
          "TRUE".equals(args.get(2)), Long.parseLong(args.get(3)), pending);
    } else {
      apply(action, args);
    }
  }

  /** Unloading a module or allocating contexts early ends most walks, so they are rarer. */
  @Override
  public int walkWeight(String action) {
    return switch (action) {
      case "ModuleUnload" -> 1;
      case "HwComplete" -> 12; // the peeks need a passed fence before its first enable
      case "ContextAlloc" -> 2;
      default -> 6;
    };
  }

  @Override
  public void close() {
    for (int t = 0; t < workers.length; t++) {
      Thread w = workerThreads[t];
      if (w != null && pendingWait[t] != null) {
        sched.expire(w);
      }
      workers[t].shutdownNow();
    }
  }
}
