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
  /** Number of command kinds; a command is {@code (kind, a, b, c)} with arbitrary non-negative ints. */
  public static final int KINDS = 26;

  /** One generated command. */
  public record Cmd(int kind, int a, int b, int c) {
    @Override
    public String toString() {
      return "Cmd(" + kind + "," + a + "," + b + "," + c + ")";
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
    int n = 10 + r.nextInt(51);
    List<Cmd> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int x = r.nextInt(KINDS + 7);
      int kind = x < 3 ? 0 : x < 9 ? 1 : 2 + r.nextInt(KINDS - 2);
      p.add(new Cmd(kind, r.nextInt(1001), r.nextInt(1001), r.nextInt(1001)));
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

  private static void step(FenceWorld w, Recorder r, Cmd cmd) {
    int t = cmd.a() % 2; // callers t1, t2; t3 is the engines' completion thread
    String tn = T.get(t);
    boolean idle = !w.waiting(t);
    int f = cmd.b() % F.size();
    String fn = F.get(f);
    int e = cmd.b() % 2;
    switch (cmd.kind() % KINDS) {
      case 0 -> { // an engine is created: it allocates its context
        int next = w.engine(0) == null ? 0 : w.engine(1) == null ? 1 : -1;
        if (idle && next >= 0) {
          r.steps.addAll(w.engineCreate(t, next));
        }
      }
      case 1 -> { // submit a job: the engine initialises its fence
        if (idle && w.engine(e) != null && hasUnborn(w, e) && w.moduleLoaded(e)) {
          r.steps.addAll(w.engineSubmit(t, e));
        }
      }
      case 2, 3 -> { // the engine completes its oldest job
        if (w.engine(e) != null) {
          r.steps.addAll(w.engineExecuteNext(e));
        }
      }
      case 4 -> {
        if (idle && w.live(f) && w.refs(f) < FenceWorld.MAX_REFS) {
          r.call("Get", tn, fn);
        }
      }
      case 5 -> {
        if (idle && w.live(f) && w.refs(f) - 1 >= owed(w, f)) {
          r.call("Put", tn, fn);
        }
      }
      case 6 -> {
        if (idle && w.live(f)) {
          int err = FenceWorld.ERROR_ARGS[cmd.c() % FenceWorld.ERROR_ARGS.length];
          r.call("SetError", tn, fn, Integer.toString(err));
        }
      }
      case 7 -> {
        if (idle && w.live(f)) {
          r.call(List.of("GetStatus", "IsSignaled", "DriverName", "EnableSignaling").get(cmd.c() % 4), tn, fn);
        }
      }
      case 8 -> {
        int g = cmd.c() % F.size();
        if (idle && w.live(f) && w.live(g)) {
          r.call(cmd.a() % 4 < 2 ? "IsLaterCall" : "IsLaterOrSameCall", tn, fn, F.get(g));
        }
      }
      case 9, 10 -> {
        int c = cmd.c() % CB.size();
        if (idle && w.live(f) && "idle".equals(w.cbState(c))) {
          r.call("AddCallback", tn, fn, CB.get(c));
        }
      }
      case 11 -> {
        int c = cmd.c() % CB.size();
        int on = w.cbFence(c);
        if (idle && on >= 0 && w.live(on)) {
          r.call("RemoveCallback", tn, F.get(on), CB.get(c));
        }
      }
      case 12, 13 -> { // dma_fence_wait_timeout, possibly with a signal pending at entry
        if (idle && w.live(f) && w.refs(f) >= owed(w, f) + 1) {
          boolean intr = cmd.c() % 2 == 1;
          long to = FenceWorld.TIMEOUTS[(cmd.c() / 2) % FenceWorld.TIMEOUTS.length];
          boolean pending = intr && (cmd.c() / 6) % 4 == 0;
          w.waitTimeout(t, f, intr, to, pending);
          r.record("WaitTimeout", tn, fn, intr ? "TRUE" : "FALSE", Long.toString(to));
        }
      }
      case 14 -> {
        if (w.waiting(t) && w.signaled(w.waitOn[t])) {
          r.call("WaitWake", tn);
        }
      }
      case 15 -> {
        if (w.waiting(t)) {
          r.call(w.waitIntr[t] && cmd.c() % 2 == 0 ? "WaitInterrupt" : "WaitExpire", tn);
        }
      }
      case 16 -> {
        int m = cmd.b() % 2;
        if (w.mayUnload(m)) {
          r.call("ModuleUnload", FenceWorld.MODULES.get(m));
        }
      }
      case 17 -> { // a caller acting as issuer signals the oldest pending fence of a context
        if (idle && w.live(f) && oldestUnsignaled(w, f)) {
          r.call("CheckAndSignal", tn, fn);
        }
      }
      case 18 -> { // the engine hangs and is reset
        if (w.engine(e) != null) {
          r.steps.addAll(w.engineHangAndReset(e, FenceWorld.ERROR_ARGS[cmd.c() % 3]));
        }
      }
      case 19, 20 -> { // the hardware passes a fence, in its context's order (HwComplete);
        // both issuers' ops read the hardware (m1's signaled, m2's enable_signaling). With 20, a
        // caller then asks about it at once, as a driver polling its ring does.
        int g = firstOf(f, x -> w.live(x) && !w.signaled(x) && !w.hwDone(x) && earlierCompleted(w, x));
        if (g >= 0) {
          r.call("HwComplete", "t3", F.get(g));
          if (cmd.kind() % KINDS == 20 && idle) {
            peekQuery(w, r, t, g, cmd.c());
          }
        }
      }
      case 21, 25 -> { // a caller acting as the software fence's driver: the engines' contexts
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
      case 22 -> { // drop a reference of the software fence, signaled or not (the release may
                   // find callbacks pending: WARN and the forced -EDEADLK signal)
        int sf = FenceWorld.SOFT_FENCE;
        if (idle && w.live(sf) && w.refs(sf) - 1 >= w.waitersOn(sf)) {
          r.call("Put", tn, F.get(sf));
        }
      }
      case 23 -> { // a query that reaches the peeking ops of a fence the hardware has passed
        // an enable reaches enable_signaling only the first time: prefer fences not yet enabled
        int g = firstOf(f, x -> w.live(x) && !w.signaled(x) && w.hwDone(x) && !w.enabled(x));
        if (g < 0) {
          g = firstOf(f, x -> w.live(x) && !w.signaled(x) && w.hwDone(x));
        }
        if (idle && g >= 0) {
          peekQuery(w, r, t, g, cmd.c());
        }
      }
      case 24 -> { // is_later across engine 1's seqno wrap: f3 (seqno 0) against f1 or f2
        int g = cmd.c() % 2;
        if (idle && w.live(2) && w.live(g)) {
          String a = cmd.c() % 4 < 2 ? "f3" : F.get(g);
          String b = a.equals("f3") ? F.get(g) : "f3";
          r.call(cmd.a() % 4 < 2 ? "IsLaterCall" : "IsLaterOrSameCall", tn, a, b);
        }
      }
      default -> { // ContextAlloc by a caller is left to the engines, whose contexts are fixed
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
