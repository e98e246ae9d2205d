package org.syncref.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvIter;

/**
 * Turns a program (generated commands) into a {@link Trace} of the Java dma_resv, for the
 * impl-to-spec direction against spec/DmaResv (MCDmaResvConformance.cfg). A command whose
 * precondition (the spec's enabling condition, or the client contract) does not hold is skipped,
 * so every sub-list of a program is again a program and jqwik can shrink.
 *
 * <p>The client keeps the contract of include/linux/dma-resv.h: writers hold the lock, every add
 * uses a slot reserved in the current lock hold (re-adding a fence with the same or a weaker
 * usage needs none), and fences signal in seqno order per context (an in-order issuer).
 * Threads t1 and t2 make the calls; an unlocked iteration of one thread interleaves with the
 * writers of the other (and of its own) at call granularity, and inside one of its steps: a
 * writer of the other thread may run between its load of an entry and its dma_fence_get_rcu
 * ({@link Kind#RACING_GET_RCU}) and put the fence's last reference, so that the get fails (clients
 * drop theirs with {@link Kind#PUT}, as drivers do after dma_resv_add_fence).
 */
public final class ResvTraceGenerator {
  /**
   * The commands of a program, each named by the kernel call(s) it makes, with two weights: how
   * often an ordinary program ({@link #WEIGHTS}) and a racing program ({@link #RACING_WEIGHTS})
   * pick it. Set-up commands (contexts, fences, lock, reserve, add) are weighted up in ordinary
   * programs. {@code ResvNextCoverageExamples} (property-tests) fails on an action of ResvNext
   * that a fixed-seed batch of programs never reaches, unless {@link #NOT_GENERATED} names it.
   */
  public enum Kind {
    /** dma_fence_context_alloc of one or two contexts (ContextAllocStep). */
    CONTEXT_ALLOC(3),
    /** dma_fence_init of a fence whose context is allocated (FenceInitStep). */
    FENCE_INIT(6),
    /** The issuer's dma_fence_signal of a context's oldest unsignaled fence (SignalStep). */
    SIGNAL_IN_ORDER(5),
    /** dma_resv_lock of an unlocked resv (ResvLock). */
    LOCK(5),
    /** dma_resv_unlock by the holder, outside a locked walk (ResvUnlock). */
    UNLOCK(1),
    /** dma_resv_reserve_fences within the model's bounds (ReserveFences). */
    RESERVE_FENCES(6),
    /** dma_resv_add_fence of a live fence into a reserved slot, or a re-add (AddFence). */
    ADD_FENCE(11),
    /** dma_resv_replace_fences (ReplaceFences). */
    REPLACE_FENCES(1),
    /** dma_resv_test_signaled (TestSignaled). */
    TEST_SIGNALED(1),
    /** dma_resv_iter_first_unlocked (IterFirstUnlocked). */
    ITER_FIRST_UNLOCKED(1),
    /**
     * An unlocked reader: dma_resv_iter_next_unlocked, dma_resv_iter_end of a finished walk, or
     * dma_resv_iter_first_unlocked on a resv with entries.
     */
    UNLOCKED_READER(9),
    /** dma_resv_iter_first of a locked walk (IterFirst). */
    ITER_FIRST(1),
    /** dma_resv_iter_next of a locked walk (IterNext). */
    ITER_NEXT(4),
    /** dma_resv_iter_end (IterEnd). */
    ITER_END(1),
    /** dma_resv_get_fences (GetFences). */
    GET_FENCES(1),
    /** dma_resv_get_singleton (GetSingleton). */
    GET_SINGLETON(1),
    /** dma_resv_wait_timeout that returns at once (ResvWaitTimeout). */
    WAIT_TIMEOUT(1),
    /** dma_resv_copy_fences from the other resv (CopyFences). */
    COPY_FENCES(1),
    /** dma_fence_put of a client's reference, preferably of a fence a resv holds (PutStep). */
    PUT(4),
    /**
     * An unlocked reader raced at its dma_fence_get_rcu by a writer's dma_resv_replace_fences that
     * puts the fence's last reference, or the next call towards that state ({@link #racing}).
     */
    RACING_GET_RCU(5, 41);

    /** The weights of the command in {@link #WEIGHTS} and {@link #RACING_WEIGHTS}. */
    public final int weight;
    public final int racingWeight;

    Kind(int weight) {
      this(weight, 1);
    }

    Kind(int weight, int racingWeight) {
      this.weight = weight;
      this.racingWeight = racingWeight;
    }
  }

  /** The weights of ordinary programs. */
  public static final Weights<Kind> WEIGHTS = Weights.of(Kind.class, k -> k.weight);
  /** The weights of racing programs: two thirds {@link Kind#RACING_GET_RCU}. */
  public static final Weights<Kind> RACING_WEIGHTS = Weights.of(Kind.class, k -> k.racingWeight);

  /** The actions of ResvNext that no command makes, with the reason. */
  public static final java.util.Map<String, String> NOT_GENERATED = java.util.Map.of();

  /** One generated command: its kind and small non-negative integers that resolve its choices. */
  public record Cmd(Kind kind, int a, int b, int c) {
    @Override
    public String toString() {
      return kind + "(" + a + "," + b + "," + c + ")";
    }
  }

  private final Supplier<ResvWorld> worlds;

  public ResvTraceGenerator(Supplier<ResvWorld> worlds) {
    this.worlds = worlds;
  }

  public ResvTraceGenerator() {
    this(ResvWorld::new);
  }

  /**
   * A random program with about the distribution of the jqwik racing programs ({@code
   * Programs.resvRacing()} in property-tests), without jqwik.
   */
  public static List<Cmd> randomRacingProgram(Random r) {
    return randomProgram(r, RACING_WEIGHTS, 20, 60);
  }

  /**
   * A random program with the distribution of the jqwik programs ({@code Programs.resv()} in
   * property-tests), without jqwik.
   */
  public static List<Cmd> randomProgram(Random r) {
    return randomProgram(r, WEIGHTS, 10, 70);
  }

  /** A random program of {@code min} to {@code max} commands drawn with {@code weights}. */
  public static List<Cmd> randomProgram(Random r, Weights<Kind> weights, int min, int max) {
    int n = min + r.nextInt(max - min + 1);
    List<Cmd> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      p.add(new Cmd(weights.pick(r), r.nextInt(1001), r.nextInt(1001), r.nextInt(1001)));
    }
    return p;
  }

  /** Runs the program on a fresh world and records the trace. */
  public Trace run(List<Cmd> program) {
    try (ResvWorld w = worlds.get()) {
      var initial = w.snapshot();
      List<Step> steps = new ArrayList<>();
      for (Cmd cmd : program) {
        if (!w.alive()) {
          break; // the kernel oopsed: nothing runs any more
        }
        List<String> call = call(w, cmd);
        if (call != null) {
          String action = call.get(0);
          List<String> args = call.subList(1, call.size());
          w.apply(action, args);
          steps.addAll(w.takeNested()); // a writer that ran inside the call comes first
          steps.add(new Step(action, List.copyOf(args), w.snapshot()));
        }
      }
      return new Trace(initial, steps);
    }
  }

  /** Thread t is in a locked walk over resv r (dma_resv_for_each_fence): no list change then. */
  private static boolean lockedWalking(ResvWorld w, int t, int r) {
    DmaResvIter it = w.iter(t);
    return it != null && w.iterLocked(t) && w.iterResv(t) == r && it.fence() != null;
  }

  /**
   * ReserveFences(t, r, n) stays within the spec's precondition and the conformance model's
   * bounds: a reservation that reallocates (dma_resv_reserve_fences' max(num + n, 2 * max), or
   * max(4, roundup_pow_of_two(n)) without a list) needs no locked walk of t over r, at most
   * MAX_FENCES slots and a list generation below MAX_LISTS.
   */
  private static boolean reserveAllowed(ResvWorld w, int t, int r, int n) {
    DmaResv resv = w.resv(r);
    int num = resv.numFences();
    int max = resv.maxFences();
    if (max > 0 && num + n <= max) {
      return true;
    }
    int newMax = max == 0 ? Math.max(4, Integer.highestOneBit(Math.max(1, n - 1)) << 1) : Math.max(num + n, 2 * max);
    return !lockedWalking(w, t, r) && newMax <= ResvWorld.MAX_FENCES && w.generation(r) + 1 < ResvWorld.MAX_LISTS;
  }

  /** The call a command makes in the current state, or null if its precondition fails. */
  static List<String> call(ResvWorld w, Cmd c) {
    FenceWorld fw = w.fw;
    int t = c.a() % 2; // t1 or t2
    int r = c.b() % ResvWorld.RESVS.size();
    int f = c.c() % ResvWorld.FENCES.size();
    // Writers pick a (thread, resv) pair where the thread holds the lock, and a live fence,
    // so that most add/reserve/replace/copy commands apply.
    Kind kind = c.kind();
    if (kind == Kind.UNLOCK || kind == Kind.RESERVE_FENCES || kind == Kind.ADD_FENCE
        || kind == Kind.REPLACE_FENCES || kind == Kind.COPY_FENCES) {
      List<int[]> held = new ArrayList<>();
      for (int rr = 0; rr < ResvWorld.RESVS.size(); rr++) {
        if (w.holder(rr) == 0 || w.holder(rr) == 1) {
          held.add(new int[] {w.holder(rr), rr});
        }
      }
      if (held.isEmpty()) {
        return null;
      }
      int[] p = held.get(c.a() % held.size());
      t = p[0];
      r = p[1];
    }
    if (kind == Kind.ADD_FENCE || kind == Kind.REPLACE_FENCES) {
      List<Integer> live = new ArrayList<>();
      for (int g = 0; g < ResvWorld.FENCES.size(); g++) {
        if (fw.live(g)) {
          live.add(g);
        }
      }
      if (live.isEmpty()) {
        return null;
      }
      f = live.get(c.c() % live.size());
    }
    if (kind == Kind.UNLOCKED_READER || kind == Kind.ITER_NEXT || kind == Kind.ITER_END) {
      // continue (or end) some thread's iteration
      for (int k = 0; k < 2; k++) {
        int tt = (c.a() + k) % 2;
        if (w.iter(tt) != null) {
          t = tt;
          break;
        }
      }
    }
    String th = ResvWorld.THREADS.get(t);
    String rs = ResvWorld.RESVS.get(r);
    String fs = ResvWorld.FENCES.get(f);
    int u = (c.b() / 2) % 4;
    DmaResvIter it = w.iter(t);
    switch (kind) {
      case CONTEXT_ALLOC -> {
        int n = 1 + (c.b() / 2) % 2;
        return fw.nextContext() + n <= ResvWorld.MAX_CONTEXT + 1 ? List.of("ContextAllocStep", th, "" + n) : null;
      }
      case FENCE_INIT -> {
        return !fw.born(f) && FenceWorld.CTX[f] < fw.nextContext() ? List.of("FenceInitStep", th, fs) : null;
      }
      case SIGNAL_IN_ORDER -> {
        // the issuer signals its oldest unsignaled fence of a context
        for (int g = 0; g < ResvWorld.FENCES.size(); g++) {
          int h = (f + g) % ResvWorld.FENCES.size();
          if (w.maySignalInOrder(h)) {
            return List.of("SignalStep", th, ResvWorld.FENCES.get(h));
          }
        }
        return null;
      }
      case LOCK -> {
        return w.holder(r) < 0 ? List.of("ResvLock", th, rs) : null;
      }
      case UNLOCK -> {
        return w.holder(r) == t && !lockedWalking(w, t, r) ? List.of("ResvUnlock", th, rs) : null;
      }
      case RESERVE_FENCES -> {
        int n = 1 + (c.c() / 5) % ResvWorld.MAX_RESERVE;
        if (w.holder(r) != t) {
          return null;
        }
        return reserveAllowed(w, t, r, n) ? List.of("ReserveFences", th, rs, "" + n) : null;
      }
      case ADD_FENCE -> {
        if (w.holder(r) != t || !fw.live(f)) {
          return null;
        }
        int uu = u;
        org.syncref.fence.DmaFence fence = fw.fences[f];
        boolean reAdd = w.entries(r).stream()
            .anyMatch(e -> e.fence() == fence && e.usage().ordinal() >= uu);
        return reAdd || w.budget(t, r) >= 1 ? List.of("AddFence", th, rs, fs, "" + u) : null;
      }
      case REPLACE_FENCES -> {
        long ctx = 1 + (c.c() / 5) % 2;
        return w.holder(r) == t && fw.live(f)
            ? List.of("ReplaceFences", th, rs, "" + ctx, fs, "" + u) : null;
      }
      case TEST_SIGNALED -> {
        return List.of("TestSignaled", th, rs, "" + u);
      }
      case ITER_FIRST_UNLOCKED -> {
        return it == null ? List.of("IterFirstUnlocked", th, rs, "" + u) : null;
      }
      case UNLOCKED_READER -> {
        // an unlocked reader: continue, end a finished walk, or start one on a resv with entries
        if (it != null && !w.iterLocked(t) && it.fence() != null) {
          return List.of("IterNextUnlocked", th);
        }
        if (it != null) {
          return List.of("IterEnd", th);
        }
        int rr = w.entries(r).isEmpty() ? (r + 1) % ResvWorld.RESVS.size() : r;
        return List.of("IterFirstUnlocked", th, ResvWorld.RESVS.get(rr), "" + (3 - (c.b() / 2) % 2));
      }
      case ITER_FIRST -> {
        return it == null && w.holder(r) == t ? List.of("IterFirst", th, rs, "" + u) : null;
      }
      case ITER_NEXT -> {
        return it != null && w.iterLocked(t) && it.fence() != null && w.holder(w.iterResv(t)) == t
            ? List.of("IterNext", th) : null;
      }
      case ITER_END -> {
        return it != null ? List.of("IterEnd", th) : null;
      }
      case GET_FENCES -> {
        return List.of("GetFences", th, rs, "" + u);
      }
      case GET_SINGLETON -> {
        boolean array = w.unlockedCount(r, u) >= 2;
        return !array || fw.nextContext() <= ResvWorld.MAX_CONTEXT
            ? List.of("GetSingleton", th, rs, "" + u) : null;
      }
      case WAIT_TIMEOUT -> {
        // timeout 1 only where the wait returns at once: a sleeping wait is not in the model
        long to = w.unlockedCount(r, u) == 0 ? c.c() % 2 : 0;
        return List.of("ResvWaitTimeout", th, rs, "" + u, "" + to);
      }
      case COPY_FENCES -> {
        int src = (r + 1) % ResvWorld.RESVS.size();
        return w.holder(r) == t && !lockedWalking(w, t, r) && w.generation(r) + 1 < ResvWorld.MAX_LISTS
            ? List.of("CopyFences", th, rs, ResvWorld.RESVS.get(src)) : null;
      }
      case PUT -> {
        // a client drops its reference, preferably of a fence a resv holds (the resv keeps it)
        List<Integer> held = new ArrayList<>();
        List<Integer> any = new ArrayList<>();
        for (int g = 0; g < ResvWorld.FENCES.size(); g++) {
          if (w.clientRefs(g) >= 1) {
            any.add(g);
            if (w.inTable(g)) {
              held.add(g);
            }
          }
        }
        List<Integer> from = !held.isEmpty() && c.b() % 4 != 0 ? held : any;
        return from.isEmpty() ? null
            : List.of("PutStep", th, ResvWorld.FENCES.get(from.get(c.c() % from.size())));
      }
      case RACING_GET_RCU -> {
        return racing(w, c);
      }
    }
    throw new AssertionError(kind);
  }

  /**
   * RACING_GET_RCU: an unlocked reader goes on while the other thread, holding the lock of its resv,
   * replaces the entry the reader just loaded (replace_fences on the entry's context) before the
   * reader's dma_fence_get_rcu, where that puts the fence's last reference: the get fails and the
   * walk restarts (TLA+ GetRcuMayFail). Until that state is there, the command makes the next
   * call towards it: contexts and fences, a writer that locks, reserves and adds two entries, a
   * reader that starts a walk, a client that drops its reference of an entry ahead of it.
   */
  static List<String> racing(ResvWorld w, Cmd c) {
    FenceWorld fw = w.fw;
    // fixed roles, so that successive commands build on each other: t1 reads, t2 writes
    int t = 0;
    DmaResvIter walk = w.iter(t);
    if (walk != null && (w.iterLocked(t) || walk.fence() == null)) {
      return List.of("IterEnd", ResvWorld.THREADS.get(t));
    }
    if (walk == null) {
      for (int r0 = 0; r0 < ResvWorld.RESVS.size(); r0++) {
        if (w.unlockedCount(r0, 3) >= 2) {
          return List.of("IterFirstUnlocked", ResvWorld.THREADS.get(t), ResvWorld.RESVS.get(r0), "3");
        }
      }
      return buildUp(w, c, 1, w.holder(1) == 1 ? 1 : 0);
    }
    String th = ResvWorld.THREADS.get(t);
    DmaResvIter reader = w.iter(t);
    if (w.clientRefs(w.fenceIndex(reader.fence())) < 1) {
      return List.of("IterEnd", th); // the world races only a reader whose fence a client holds
    }
    int rr = w.iterResv(t);
    int wt = 1 - t;
    if (w.holder(rr) < 0) {
      return List.of("ResvLock", ResvWorld.THREADS.get(wt), ResvWorld.RESVS.get(rr)); // the writer
    }
    if (w.holder(rr) != wt) {
      return List.of("ResvUnlock", th, ResvWorld.RESVS.get(rr)); // the reader lets go of it
    }
    // an entry ahead of the reader whose fence only the list holds; else a client drops its
    // reference of one ahead
    List<DmaResv.Entry> es = w.entries(rr);
    boolean dying = false;
    List<Integer> droppable = new ArrayList<>();
    for (int i = reader.index(); i < Math.min(reader.numFences(), es.size()); i++) {
      int g = w.fenceIndex(es.get(i).fence());
      dying |= es.get(i).fence().refcount() == 1;
      if (w.clientRefs(g) >= 1) {
        droppable.add(g);
      }
    }
    if (!dying) {
      return droppable.isEmpty() ? List.of("IterEnd", th)
          : List.of("PutStep", th, ResvWorld.FENCES.get(droppable.get(c.c() % droppable.size())));
    }
    String wth = ResvWorld.THREADS.get(wt);
    String wrs = ResvWorld.RESVS.get(rr);
    int uu = c.c() % 4;
    w.armRacingWriter(new ResvWorld.RacingWriter(e -> {
      // Only where the reader's get is bound to fail: the loaded entry holds the fence's last
      // reference, so replace_fences on its context (which replaces that entry) frees it. A get
      // that succeeds on a replaced fence orders the reader's step before the writer's (see
      // DmaResv.tla, GetRcuMayFail); the world records steps in call order, so that case is
      // left out.
      if (e.fence().refcount() != 1) {
        return null;
      }
      List<Integer> live = new ArrayList<>();
      for (int g = 0; g < ResvWorld.FENCES.size(); g++) {
        if (fw.live(g) && fw.fences[g] != e.fence()) {
          live.add(g);
        }
      }
      // an unsignaled replacement where there is one: the reader must then find it
      List<Integer> unsignaled = live.stream().filter(g -> !fw.signaled(g)).toList();
      List<Integer> from = unsignaled.isEmpty() ? live : unsignaled;
      if (from.isEmpty()) {
        return null;
      }
      String gs = ResvWorld.FENCES.get(from.get(c.c() % from.size()));
      return List.of("ReplaceFences", wth, wrs, "" + e.fence().context(), gs, "" + uu);
    }));
    return List.of("IterNextUnlocked", th);
  }

  /** The next call towards two unsignaled entries in resv r, made by writer thread wt. */
  private static List<String> buildUp(ResvWorld w, Cmd c, int wt, int r) {
    FenceWorld fw = w.fw;
    String wth = ResvWorld.THREADS.get(wt);
    String rs = ResvWorld.RESVS.get(r);
    if (w.holder(r) < 0) {
      return List.of("ResvLock", wth, rs);
    }
    if (w.holder(r) != wt) {
      int h = w.holder(r);
      boolean walking = lockedWalking(w, h, r);
      return walking ? null : List.of("ResvUnlock", ResvWorld.THREADS.get(h), rs);
    }
    // a live unsignaled fence with a client reference whose context has no unsignaled entry yet
    List<Long> busy = new ArrayList<>();
    for (DmaResv.Entry e : w.entries(r)) {
      if (!e.fence().isSignaledFlag()) {
        busy.add(e.fence().context());
      }
    }
    for (int k = 0; k < ResvWorld.FENCES.size(); k++) {
      int g = (c.c() + k) % ResvWorld.FENCES.size();
      if (fw.live(g) && !fw.signaled(g) && w.clientRefs(g) >= 1 && !busy.contains(FenceWorld.CTX[g])) {
        if (w.budget(wt, r) < 1) {
          if (lockedWalking(w, wt, r)) {
            return List.of("IterEnd", wth); // no reallocation under the writer's own locked walk
          }
          return reserveAllowed(w, wt, r, 2) ? List.of("ReserveFences", wth, rs, "2") : null;
        }
        return List.of("AddFence", wth, rs, ResvWorld.FENCES.get(g), "3");
      }
    }
    for (int k = 0; k < ResvWorld.FENCES.size(); k++) {
      int g = (c.c() + k) % ResvWorld.FENCES.size();
      if (!fw.born(g) && FenceWorld.CTX[g] < fw.nextContext()) {
        return List.of("FenceInitStep", wth, ResvWorld.FENCES.get(g));
      }
    }
    return fw.nextContext() + 1 <= ResvWorld.MAX_CONTEXT + 1 ? List.of("ContextAllocStep", wth, "1") : null;
  }
}
