package org.syncref.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a program (a list of generated commands) into a {@link Trace} of the Java implementation
 * and hardware model: each command names a kernel call or an engine operation with small-integer
 * choices; a command whose precondition does not hold in the current Java state is skipped, so
 * that any sub-list of a program is again a program (which is what lets jqwik shrink).
 *
 * <p>Signals come only from the issuers: the engines complete their jobs in order ({@code
 * Signal(t3, f)}), and a caller's {@code CheckAndSignal} only targets the oldest unsignaled fence
 * of its context. So every trace must keep {@code SameContextOrdering}; an engine that completes
 * out of order breaks it.
 */
public final class FenceTraceGenerator {
  /**
   * The commands of a program, each named by the kernel call(s) it makes, with its weight: how
   * often a random program picks it. Engine creation and job submission are weighted up so that
   * most programs get past the set-up. {@link #NOT_GENERATED} names the actions of Next that no
   * command makes; {@code FenceNextCoverageExamples} (property-tests) fails on any other action
   * that a fixed-seed batch of programs never reaches.
   */
  public enum Kind {
    /** An engine is created: dma_fence_context_alloc for its context (ContextAlloc). */
    ENGINE_CREATE(3),
    /** A job is submitted: the engine's dma_fence_init (FenceInit). */
    ENGINE_SUBMIT(6),
    /** The engine completes its oldest job: dma_fence_signal, dma_fence_put (HwComplete, Signal, Put). */
    ENGINE_EXECUTE_NEXT(2),
    /** dma_fence_get (Get). */
    GET(1),
    /** dma_fence_put of a reference the caller may drop (Put). */
    PUT(1),
    /** dma_fence_set_error (SetError). */
    SET_ERROR(1),
    /** dma_fence_get_status, dma_fence_is_signaled, dma_fence_driver_name or dma_fence_enable_sw_signaling. */
    QUERY(1),
    /** dma_fence_set_deadline, which peeks with ops->signaled when the ops have set_deadline (SetDeadline). */
    SET_DEADLINE(1),
    /** dma_fence_is_later or dma_fence_is_later_or_same (IsLaterCall, IsLaterOrSameCall). */
    IS_LATER(1),
    /** dma_fence_add_callback (AddCallback). */
    ADD_CALLBACK(2),
    /** dma_fence_remove_callback (RemoveCallback). */
    REMOVE_CALLBACK(1),
    /** dma_fence_wait_timeout, possibly with a signal pending at entry (WaitTimeout). */
    WAIT_TIMEOUT(2),
    /** A sleeping dma_fence_wait_timeout wakes on its signaled fence (WaitWake). */
    WAIT_WAKE(1),
    /** A sleeping dma_fence_wait_timeout is interrupted or times out (WaitInterrupt, WaitExpire). */
    WAIT_INTERRUPT_OR_EXPIRE(1),
    /** An issuing module is unloaded, its fences all signaled (ModuleUnload). */
    MODULE_UNLOAD(1),
    /** A caller acting as issuer: dma_fence_check_and_signal of a context's oldest pending fence. */
    CHECK_AND_SIGNAL(1),
    /** The engine hangs and is reset: dma_fence_set_error, dma_fence_signal of its jobs. */
    ENGINE_HANG_AND_RESET(1),
    /** The hardware passes a fence in its context's order (HwComplete). */
    HW_COMPLETE(1),
    /** HwComplete, then a caller at once asks about the fence as a driver polling its ring does. */
    HW_COMPLETE_THEN_PEEK(1),
    /**
     * A caller acting as the software fence's driver: the engines' contexts first, then
     * dma_fence_context_alloc of context 3, dma_fence_init of f5, dma_fence_add_callback on it.
     */
    SOFT_FENCE_SETUP(2),
    /** dma_fence_put of the software fence, signaled or not (the release may WARN and signal). */
    PUT_SOFT_FENCE(1),
    /** A query that reaches the peeking ops (ops->signaled, enable_signaling) of a passed fence. */
    PEEK_QUERY(1),
    /** dma_fence_is_later(_or_same) across engine 1's seqno wrap: f3 (seqno 0) against f1 or f2. */
    IS_LATER_WRAP(1);

    /** The weight of the command in {@link #WEIGHTS}. */
    public final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  /** The commands' weights, as the programs draw them. */
  public static final Weights<Kind> WEIGHTS = Weights.of(Kind.class, k -> k.weight);

  /**
   * The actions of Next that no command makes, with the reason: the impl to spec direction never
   * produces them (the spec to impl walks do).
   */
  public static final java.util.Map<String, String> NOT_GENERATED = java.util.Map.of();

  /** One generated command: its kind and small non-negative integers that resolve its choices. */
  public record Cmd(Kind kind, int a, int b, int c) {
    @Override
    public String toString() {
      return kind + "(" + a + "," + b + "," + c + ")";
    }
  }

  private final Supplier<FenceWorld> worlds;

  public FenceTraceGenerator(Supplier<FenceWorld> worlds) {
    this.worlds = worlds;
  }

  public FenceTraceGenerator() {
    this(FenceWorld::new);
  }

  /**
   * A random program with the distribution of the jqwik programs ({@code Programs.fence()} in
   * property-tests), without jqwik (benchmarks).
   */
  public static List<Cmd> randomProgram(java.util.Random r) {
    return randomProgram(r, WEIGHTS);
  }

  /** A random program of 10 to 60 commands drawn with {@code weights}. */
  public static List<Cmd> randomProgram(java.util.Random r, Weights<Kind> weights) {
    int n = 10 + r.nextInt(51);
    List<Cmd> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      p.add(new Cmd(weights.pick(r), r.nextInt(1001), r.nextInt(1001), r.nextInt(1001)));
    }
    return p;
  }

  /** Runs the program on a fresh world and records the trace. */
  public Trace run(List<Cmd> program) {
    try (FenceWorld w = worlds.get()) {
      Recorder r = new Recorder(w);
      for (Cmd cmd : program) {
        step(w, r, cmd);
      }
      return r.trace();
    }
  }

  /** Records one step per kernel call, with the state after it. */
  static final class Recorder {
    final FenceWorld w;
    final java.util.Map<String, tlc2.value.impl.Value> initial;
    final List<Step> steps = new ArrayList<>();

    Recorder(FenceWorld w) {
      this.w = w;
      this.initial = w.snapshot();
    }

    void call(String action, String... args) {
      w.apply(action, List.of(args));
      record(action, args);
    }

    void record(String action, String... args) {
      steps.add(new Step(action, List.of(args), w.snapshot()));
    }

    Trace trace() {
      return new Trace(initial, List.copyOf(steps));
    }
  }

  private static final List<String> T = FenceWorld.THREADS;
  private static final List<String> F = FenceWorld.FENCES;
  private static final List<String> CB = FenceWorld.CALLBACKS;
  /** The model's threads but the last are callers; the last is the engines' completion thread. */
  private static final int CALLERS = T.size() - 1;

  private static void step(FenceWorld w, Recorder r, Cmd cmd) {
    int t = cmd.a() % CALLERS; // the callers; the last thread is the engines' completion thread
    String tn = T.get(t);
    boolean idle = !w.waiting(t);
    int f = cmd.b() % F.size();
    String fn = F.get(f);
    int e = cmd.b() % 2;
    switch (cmd.kind()) {
      case ENGINE_CREATE -> { // an engine is created: it allocates its context
        int next = w.engine(0) == null ? 0 : w.engine(1) == null ? 1 : -1;
        if (idle && next >= 0) {
          r.steps.addAll(w.engineCreate(t, next));
        }
      }
      case ENGINE_SUBMIT -> { // submit a job: the engine initialises its fence
        if (idle && w.engine(e) != null && hasUnborn(w, e) && w.moduleLoaded(e)) {
          r.steps.addAll(w.engineSubmit(t, e));
        }
      }
      case ENGINE_EXECUTE_NEXT -> { // the engine completes its oldest job
        if (w.engine(e) != null) {
          r.steps.addAll(w.engineExecuteNext(e));
        }
      }
      case GET -> {
        if (idle && w.live(f) && w.refs(f) < FenceWorld.MAX_REFS) {
          r.call("Get", tn, fn);
        }
      }
      case PUT -> {
        if (idle && w.live(f) && w.refs(f) - 1 >= owed(w, f)) {
          r.call("Put", tn, fn);
        }
      }
      case SET_ERROR -> {
        if (idle && w.live(f)) {
          int err = FenceWorld.ERROR_ARGS[cmd.c() % FenceWorld.ERROR_ARGS.length];
          r.call("SetError", tn, fn, Integer.toString(err));
        }
      }
      case QUERY -> {
        if (idle && w.live(f)) {
          r.call(List.of("GetStatus", "IsSignaled", "DriverName", "EnableSignaling").get(cmd.c() % 4), tn, fn);
        }
      }
      case SET_DEADLINE -> {
        if (idle && w.live(f)) {
          r.call("SetDeadline", tn, fn);
        }
      }
      case IS_LATER -> {
        int g = cmd.c() % F.size();
        if (idle && w.live(f) && w.live(g)) {
          r.call(cmd.a() % 4 < 2 ? "IsLaterCall" : "IsLaterOrSameCall", tn, fn, F.get(g));
        }
      }
      case ADD_CALLBACK -> {
        int c = cmd.c() % CB.size();
        if (idle && w.live(f) && "idle".equals(w.cbState(c))) {
          r.call("AddCallback", tn, fn, CB.get(c));
        }
      }
      case REMOVE_CALLBACK -> {
        int c = cmd.c() % CB.size();
        int on = w.cbFence(c);
        if (idle && on >= 0 && w.live(on)) {
          r.call("RemoveCallback", tn, F.get(on), CB.get(c));
        }
      }
      case WAIT_TIMEOUT -> { // dma_fence_wait_timeout, possibly with a signal pending at entry
        if (idle && w.live(f) && w.refs(f) >= owed(w, f) + 1) {
          boolean intr = cmd.c() % 2 == 1;
          long to = FenceWorld.TIMEOUTS[(cmd.c() / 2) % FenceWorld.TIMEOUTS.length];
          boolean pending = intr && (cmd.c() / 6) % 4 == 0;
          w.waitTimeout(t, f, intr, to, pending);
          r.record("WaitTimeout", tn, fn, intr ? "TRUE" : "FALSE", Long.toString(to));
        }
      }
      case WAIT_WAKE -> {
        if (w.waiting(t) && w.signaled(w.waitOn[t])) {
          r.call("WaitWake", tn);
        }
      }
      case WAIT_INTERRUPT_OR_EXPIRE -> {
        if (w.waiting(t)) {
          r.call(w.waitIntr[t] && cmd.c() % 2 == 0 ? "WaitInterrupt" : "WaitExpire", tn);
        }
      }
      case MODULE_UNLOAD -> {
        int m = cmd.b() % FenceWorld.MODULES.size();
        if (w.mayUnload(m)) {
          r.call("ModuleUnload", FenceWorld.MODULES.get(m));
        }
      }
      case CHECK_AND_SIGNAL -> { // a caller acting as issuer signals the oldest pending fence of a context
        if (idle && w.live(f) && oldestUnsignaled(w, f)) {
          r.call("CheckAndSignal", tn, fn);
        }
      }
      case ENGINE_HANG_AND_RESET -> { // the engine hangs and is reset
        if (w.engine(e) != null) {
          r.steps.addAll(w.engineHangAndReset(e, FenceWorld.ERROR_ARGS[cmd.c() % 3]));
        }
      }
      case HW_COMPLETE, HW_COMPLETE_THEN_PEEK -> { // the hardware passes a fence, in its context's order (HwComplete);
        // both issuers' ops read the hardware (m1's signaled, m2's enable_signaling). With HW_COMPLETE_THEN_PEEK, a
        // caller then asks about it at once, as a driver polling its ring does.
        int g = firstOf(f, x -> w.live(x) && !w.signaled(x) && !w.hwDone(x) && earlierCompleted(w, x));
        if (g >= 0) {
          r.call("HwComplete", T.get(CALLERS), F.get(g));
          if (cmd.kind() == Kind.HW_COMPLETE_THEN_PEEK && idle) {
            peekQuery(w, r, t, g, cmd.c());
          }
        }
      }
      case SOFT_FENCE_SETUP -> { // a caller acting as the software fence's driver: the engines' contexts
        // first (they are fixed), then context 3, f5 and a callback on it
        int sf = FenceWorld.SOFT_FENCE;
        int c = cmd.c() % CB.size();
        int next = w.engine(0) == null ? 0 : w.engine(1) == null ? 1 : -1;
        if (idle && next >= 0) {
          r.steps.addAll(w.engineCreate(t, next));
        } else if (idle && w.nextContext() == FenceWorld.CTX[sf]) {
          r.call("ContextAlloc", tn, "1");
        } else if (idle && !w.born(sf) && w.nextContext() > FenceWorld.CTX[sf]
            && w.moduleLoaded(FenceWorld.ISSUER[sf])) {
          r.call("FenceInit", tn, F.get(sf));
        } else if (idle && w.live(sf) && "idle".equals(w.cbState(c))) {
          r.call("AddCallback", tn, F.get(sf), CB.get(c));
        }
      }
      case PUT_SOFT_FENCE -> { // drop a reference of the software fence, signaled or not (the release may
                   // find callbacks pending: WARN and the forced -EDEADLK signal)
        int sf = FenceWorld.SOFT_FENCE;
        if (idle && w.live(sf) && w.refs(sf) - 1 >= w.waitersOn(sf)) {
          r.call("Put", tn, F.get(sf));
        }
      }
      case PEEK_QUERY -> { // a query that reaches the peeking ops of a fence the hardware has passed
        // an enable reaches enable_signaling only the first time: prefer fences not yet enabled
        int g = firstOf(f, x -> w.live(x) && !w.signaled(x) && w.hwDone(x) && !w.enabled(x));
        if (g < 0) {
          g = firstOf(f, x -> w.live(x) && !w.signaled(x) && w.hwDone(x));
        }
        if (idle && g >= 0) {
          peekQuery(w, r, t, g, cmd.c());
        }
      }
      case IS_LATER_WRAP -> { // is_later across engine 1's seqno wrap: f3 (seqno 0) against f1 or f2
        int g = cmd.c() % 2;
        if (idle && w.live(2) && w.live(g)) {
          String a = cmd.c() % 4 < 2 ? "f3" : F.get(g);
          String b = a.equals("f3") ? F.get(g) : "f3";
          r.call(cmd.a() % 4 < 2 ? "IsLaterCall" : "IsLaterOrSameCall", tn, a, b);
        }
      }
    }
  }

  private static boolean hasUnborn(FenceWorld w, int e) {
    for (int f : FenceWorld.ENGINE_FENCES[e]) {
      if (!w.born(f)) {
        return true;
      }
    }
    return false;
  }

  /**
   * References that callers may not drop: one per thread sleeping on f (a waiter holds its own
   * reference, as dma_fence_wait's callers must), and the issuer's until f has signaled.
   */
  /**
   * References the callers must leave: one per sleeping waiter, and the ring's while the job is
   * pending (a caller acting as issuer may signal the fence before the engine completes the job,
   * which then still signals and puts it).
   */
  private static int owed(FenceWorld w, int f) {
    if (f == FenceWorld.SOFT_FENCE) {
      return w.waitersOn(f);
    }
    return w.waitersOn(f) + (w.onRing(f) || !w.signaled(f) ? 1 : 0);
  }

  private static boolean oldestUnsignaled(FenceWorld w, int f) {
    if (w.signaled(f)) {
      return false;
    }
    for (int g = 0; g < FenceWorld.FENCES.size(); g++) {
      if (FenceWorld.earlier(g, f) && !w.signaled(g)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A call on fence g that reaches its issuer's peeking ops: is_signaled or get_status
   * (ops->signaled), or a first enable (enable_signaling, add_callback, wait_timeout(0)).
   */
  private static void peekQuery(FenceWorld w, Recorder r, int t, int g, int choice) {
    String tn = T.get(t);
    int c = choice % CB.size();
    switch (choice % 5) {
      case 0 -> r.call("IsSignaled", tn, F.get(g));
      case 1 -> r.call("GetStatus", tn, F.get(g));
      case 2 -> r.call("EnableSignaling", tn, F.get(g));
      case 3 -> {
        if ("idle".equals(w.cbState(c))) {
          r.call("AddCallback", tn, F.get(g), CB.get(c));
        }
      }
      default -> {
        if (w.refs(g) >= owed(w, g) + 1) {
          w.waitTimeout(t, g, false, 0, false);
          r.record("WaitTimeout", tn, F.get(g), "FALSE", "0");
        }
      }
    }
  }

  /** The first fence from f on (cyclically) that satisfies {@code p}, or -1. */
  private static int firstOf(int f, java.util.function.IntPredicate p) {
    for (int i = 0; i < F.size(); i++) {
      int g = (f + i) % F.size();
      if (p.test(g)) {
        return g;
      }
    }
    return -1;
  }

  /** Every earlier fence of f's context is signaled or passed by the hardware. */
  private static boolean earlierCompleted(FenceWorld w, int f) {
    for (int g = 0; g < FenceWorld.FENCES.size(); g++) {
      if (FenceWorld.earlier(g, f) && !w.signaled(g) && !w.hwDone(g)) {
        return false;
      }
    }
    return true;
  }
}
