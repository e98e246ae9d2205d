package org.syncref.conformance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.syncref.conformance.vocab.Vocabulary;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceArray;
import org.syncref.hw.Engine;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.KernelBug;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import org.syncref.modelcheck.tlc.V;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvIter;
import org.syncref.resv.DmaResvUsage;
import tlc2.value.impl.Value;

/**
 * DmaResv's conformance world: the fences of {@link FenceWorld} (same constants as
 * spec/DmaResv/MCDmaResvConformance.cfg) plus two {@link DmaResv} objects, driven by TLA+ action
 * names, and their state in DmaResv's variables.
 *
 * <p>Each thread's resv calls run on that thread's worker, so lock ownership is real. What the
 * world adds beyond reading the Java objects is bookkeeping the spec keeps as ghosts or client
 * state, never a second copy of the kernel rules:
 *
 * <ul>
 *   <li>{@code budget}: the client's own count of the slots it reserved and has not used;
 *   <li>{@code attached}, {@code replacedCtx}, {@code kbug}: what was added, which contexts were
 *       handed to replace_fences, and whether a BUG fired;
 *   <li>a cursor's {@code must}, {@code seen}, {@code rc}: taken when the Java iterator reports a
 *       (re)start ({@link DmaResvIter#restarts()}), from the state before the call (the world is
 *       single-threaded, so nothing changes during a call);
 *   <li>{@code refs}: the Java refcount minus the references that entries and cursors hold
 *       (the spec counts the client's references only); fences returned by get_fences and
 *       get_singleton are put at once (the client drops them).
 * </ul>
 */
public final class ResvWorld implements ConformanceWorld {
  /** The conformance model (MCDmaResvConformance.cfg) whose constants the world reads ({@link ModelConstants}). */
  static final TlcEvaluator MODEL = ModelConstants.model(ResvConformance::evaluator);
  public static final List<String> RESVS = ModelConstants.names(MODEL, "Resvs");
  public static final List<String> THREADS = FenceWorld.THREADS;
  public static final List<String> FENCES = FenceWorld.FENCES;
  public static final int MAX_FENCES = ModelConstants.integer(MODEL, "MaxFences");
  public static final int MAX_LISTS = ModelConstants.integer(MODEL, "MaxLists");
  public static final int MAX_RESERVE = ModelConstants.integer(MODEL, "MaxReserve");
  public static final int MAX_CONTEXT = FenceWorld.MAX_CONTEXT;
  static final DmaResvUsage[] USAGES = DmaResvUsage.values();

  /**
   * The hard states the resv conformance must keep reaching, as {@link StepCounts} labels:
   * {@code IterNextUnlocked:restart} (an unlocked reader finds the list replaced, reallocated or
   * copied under it and restarts at index 0: dma_resv_iter_walk_unlocked's is_restarted) and
   * {@code IterFirstUnlocked:restart}.
   */
  public static final List<StepCounts.Label> LABELS = List.of((step, before) -> {
    String a = step.action();
    // first_unlocked always restarts; next_unlocked clears is_restarted unless it restarts
    if ((a.equals("IterNextUnlocked") || a.equals("IterFirstUnlocked"))
        && select(select(step.state().get("cursor"), V.mv(step.args().get(0))), V.s("restarted"))
            .equals(V.b(true))) {
      if (a.equals("IterNextUnlocked") && getRcuFailed(step, before)) {
        return List.of(a + ":restart", a + ":get_rcu_failed");
      }
      return List.of(a + ":restart");
    }
    return List.of();
  });

  /**
   * A restart of an IterNextUnlocked step whose cursor walked the current list: only a failed
   * dma_fence_get_rcu does that (GetRcuMayFail).
   */
  static boolean getRcuFailed(Step step, Map<String, Value> before) {
    Value c = select(before.get("cursor"), V.mv(step.args().get(0)));
    Value r = select(c, V.s("r"));
    return !select(c, V.s("nul")).equals(V.b(true))
        && select(c, V.s("gen")).equals(select(before.get("gen"), r));
  }

  private static Value select(Value fcn, Value arg) {
    return ((tlc2.value.impl.Applicable) fcn).apply(arg, tlc2.tool.EvalControl.Clear);
  }

  /**
   * Floors per 1000 programs (impl to spec) and per 1000 walks (spec to impl): about a third of
   * what one run of each reached (the counts are in the comments), so that an action or a hard
   * state the generator or the walker stops reaching fails the build. A name missing from a
   * run's counts fails too.
   */
  // One run (2000 programs and 300 racing programs, 2026-12-06): AddFence 3085,
  // ContextAllocStep 4462, CopyFences 650, FenceInitStep 4734, GetFences 766, GetSingleton 774,
  // IterEnd 4838, IterFirst 144, IterFirstUnlocked 5935 (all restarts: the first call of a
  // walk), IterNext 5, IterNextUnlocked 532 (restarts 234, of which 208 after a failed
  // dma_fence_get_rcu), PutStep 2204, ReplaceFences 588, ReserveFences 4644, ResvLock 3867,
  // ResvUnlock 821, ResvWaitTimeout 819, SignalStep 1127, TestSignaled 786. IterNext is too
  // rare for a raised floor (the programs make locked walks of one step): it keeps the default
  // floor 1 that every action of ResvNext has (NextCoverage.floors).
  public static final Map<String, Long> IMPL_TO_SPEC_PER_1000 = Map.ofEntries(
      Map.entry("AddFence", 447L),
      Map.entry("ContextAllocStep", 647L),
      Map.entry("CopyFences", 94L),
      Map.entry("FenceInitStep", 686L),
      Map.entry("GetFences", 111L),
      Map.entry("GetSingleton", 112L),
      Map.entry("IterEnd", 701L),
      Map.entry("IterFirst", 21L),
      Map.entry("IterFirstUnlocked", 860L),
      Map.entry("IterFirstUnlocked:restart", 860L),
      Map.entry("IterNextUnlocked", 77L),
      Map.entry("IterNextUnlocked:get_rcu_failed", 30L),
      Map.entry("IterNextUnlocked:restart", 34L),
      Map.entry("PutStep", 319L),
      Map.entry("ReplaceFences", 85L),
      Map.entry("ReserveFences", 673L),
      Map.entry("ResvLock", 560L),
      Map.entry("ResvUnlock", 119L),
      Map.entry("ResvWaitTimeout", 119L),
      Map.entry("SignalStep", 163L),
      Map.entry("TestSignaled", 114L));
  // One run (1000 walks, 2026-12-06): AddFence 5001, ContextAllocStep 1596, CopyFences 826,
  // FenceInitStep 3324, GetFences 2397, GetSingleton 2445, IterEnd 2012, IterFirst 979,
  // IterFirstUnlocked 3292, IterNext 58, IterNextUnlocked 153 (restarts 14), PutStep 1266,
  // ReplaceFences 994, ReserveFences 7839, ResvLock 3542, ResvUnlock 1878, ResvWaitTimeout 3562,
  // SignalStep 2256, TestSignaled 1960. The walks replay each call atomically on Java, so no
  // dma_fence_get_rcu fails there (the racing programs of the other direction reach that).
  public static final Map<String, Long> SPEC_TO_IMPL_PER_1000 = Map.ofEntries(
      Map.entry("AddFence", 2116L),
      Map.entry("ContextAllocStep", 603L),
      Map.entry("CopyFences", 301L),
      Map.entry("FenceInitStep", 1008L),
      Map.entry("GetFences", 804L),
      Map.entry("GetSingleton", 661L),
      Map.entry("IterEnd", 518L),
      Map.entry("IterFirst", 385L),
      Map.entry("IterFirstUnlocked", 932L),
      Map.entry("IterFirstUnlocked:restart", 932L),
      Map.entry("IterNext", 19L),
      Map.entry("IterNextUnlocked", 50L),
      Map.entry("IterNextUnlocked:restart", 4L),
      Map.entry("PutStep", 422L),
      Map.entry("ReplaceFences", 299L),
      Map.entry("ReserveFences", 3194L),
      Map.entry("ResvLock", 1234L),
      Map.entry("ResvUnlock", 678L),
      Map.entry("ResvWaitTimeout", 730L),
      Map.entry("SignalStep", 654L),
      Map.entry("TestSignaled", 648L));

  /** The floors for a run of {@code runs} programs or walks (per-1000 floors scaled, at least 1). */
  public static Map<String, Long> floors(Map<String, Long> per1000, long runs) {
    Map<String, Long> out = new java.util.TreeMap<>();
    per1000.forEach((k, v) -> out.put(k, Math.max(1L, v * runs / 1000)));
    return out;
  }

  public final FenceWorld fw;
  final DmaResv[] resvs = new DmaResv[RESVS.size()];
  final DmaResvIter[] iters = new DmaResvIter[THREADS.size()];
  private final int[] iterResv = new int[THREADS.size()];
  private final boolean[] iterLocked = new boolean[THREADS.size()];
  private final int[] curGen = new int[THREADS.size()];
  private final boolean[] curNul = new boolean[THREADS.size()];
  private final int[] curRestarts = new int[THREADS.size()];
  private final List<Set<Value>> must = new ArrayList<>();
  private final List<Set<Value>> seen = new ArrayList<>();
  private final List<Set<Value>> rc = new ArrayList<>();
  private final List<Set<Value>> ahead = new ArrayList<>();
  /** Where {@code ahead} reads from: the cursor's index and count at its last step (-1: none). */
  private final int[] aheadLo = new int[THREADS.size()];
  private final int[] aheadHi = new int[THREADS.size()];
  private final List<Value> out = new ArrayList<>();
  final int[][] budget = new int[THREADS.size()][RESVS.size()];
  private final List<Set<Value>> attached = new ArrayList<>();
  final List<Set<Long>> replacedCtx = new ArrayList<>();
  String kbug = "none";
  /** Steps made inside another call (a writer run at a reader's dma_fence_get_rcu), in order. */
  private final List<Step> nested = new ArrayList<>();
  /** The thread whose call is in progress while a nested step runs (-1: none). */
  private int inCall = -1;
  /** That thread's cursor as it was before its call (the spec's, until its step; ahead apart). */
  private Map<String, Value> frozenCursor;
  /** A writer to run inside the next unlocked step (armed by the generator), or null. */
  private RacingWriter armed;
  /** The must-set of a restart in the current reader call: the state before the reader's step. */
  private Set<Value> preCall;

  /**
   * A writer that runs on the other thread inside an unlocked reader's step, between its load of
   * an entry and its dma_fence_get_rcu on the entry's fence: given the loaded entry, the TLA+
   * action and arguments of its call, or null to let the reader go on to the next entry. It runs
   * at most once per step.
   */
  public record RacingWriter(java.util.function.Function<DmaResv.Entry, List<String>> call) {}

  public ResvWorld() {
    this(new InjectedBug[0]);
  }

  /** A world whose kernel has the given injected bugs. */
  public ResvWorld(InjectedBug... bugs) {
    fw = new FenceWorld(bugs, Engine::new);
    for (int r = 0; r < resvs.length; r++) {
      resvs[r] = new DmaResv(fw.kernel);
      attached.add(new LinkedHashSet<>());
      replacedCtx.add(new LinkedHashSet<>());
    }
    for (int t = 0; t < THREADS.size(); t++) {
      iterResv[t] = -1;
      curNul[t] = true;
      must.add(new HashSet<>());
      seen.add(new HashSet<>());
      rc.add(new HashSet<>());
      ahead.add(new HashSet<>());
      aheadLo[t] = -1;
      out.add(V.seq(List.of()));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Queries for the generator (the caller's contract)

  public boolean alive() {
    return kbug.equals("none");
  }

  public int holder(int r) {
    Thread h = resvs[r].holder();
    for (int t = 0; t < THREADS.size(); t++) {
      if (h != null && h == fw.workerThreads[t]) {
        return t;
      }
    }
    return -1;
  }

  public DmaResvIter iter(int t) {
    return iters[t];
  }

  public boolean iterLocked(int t) {
    return iterLocked[t];
  }

  public int iterResv(int t) {
    return iterResv[t];
  }

  public List<DmaResv.Entry> entries(int r) {
    return resvs[r].entries();
  }

  /** The fences thread t's last call returned, as the spec's out[t]. */
  public Value out(int t) {
    return out.get(t);
  }

  /**
   * The references on fence f that no list entry or unlocked cursor holds: the clients' (the
   * spec's {@code refs}).
   */
  public int clientRefs(int f) {
    return clientRefs(f, heldByResvs());
  }

  private int clientRefs(int f, int[] held) {
    return fw.live(f) ? fw.fences[f].refcount() - held[f] : 0;
  }

  /**
   * Per fence, the references list entries and unlocked cursors hold. A thread inside its step
   * has put its cursor's fence already (the spec's cursor still holds it until the step ends).
   */
  private int[] heldByResvs() {
    int[] held = new int[FENCES.size()];
    for (DmaResv resv : resvs) {
      for (DmaResv.Entry e : resv.entries()) {
        held[index(e.fence())]++;
      }
    }
    for (int t = 0; t < THREADS.size(); t++) {
      if (t != inCall && iters[t] != null && !iterLocked[t] && iters[t].fence() != null) {
        held[index(iters[t].fence())]++;
      }
    }
    return held;
  }

  /** Whether fence f sits in a list entry of some resv. */
  public boolean inTable(int f) {
    for (DmaResv resv : resvs) {
      for (DmaResv.Entry e : resv.entries()) {
        if (e.fence() == fw.fences[f]) {
          return true;
        }
      }
    }
    return false;
  }

  /** The fence's index in {@link #FENCES}. */
  public int fenceIndex(DmaFence f) {
    return index(f);
  }

  /** Runs {@code w} inside thread {@code reader}'s next unlocked step (once). */
  public void armRacingWriter(RacingWriter w) {
    armed = w;
  }

  /** The steps made inside the last call, in order; cleared. */
  public List<Step> takeNested() {
    List<Step> s = List.copyOf(nested);
    nested.clear();
    return s;
  }

  public int budget(int t, int r) {
    return budget[t][r];
  }

  public int generation(int r) {
    return resvs[r].generation();
  }

  public DmaResv resv(int r) {
    return resvs[r];
  }

  /** The issuer's order: f may signal once every earlier fence of its context has signaled. */
  public boolean maySignalInOrder(int f) {
    if (!fw.live(f) || fw.signaled(f) || clientRefs(f) < 1) {
      return false; // the issuer signals through its own reference (the spec's Held)
    }
    for (int g = 0; g < FENCES.size(); g++) {
      if (FenceWorld.earlier(g, f) && !fw.signaled(g)) {
        return false;
      }
    }
    return true;
  }

  /** Entries with usage &lt;= u whose fence is unsignaled: what an unlocked walk yields. */
  public int unlockedCount(int r, int u) {
    int n = 0;
    for (DmaResv.Entry e : resvs[r].entries()) {
      if (e.usage().ordinal() <= u && !e.fence().isSignaledFlag()) {
        n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------------------------------
  // Kernel calls, named by their TLA+ actions

  @Override
  public void applyStep(String action, List<String> args, Random rnd) {
    apply(action, args);
  }

  /**
   * Spec walks favour the calls that build up tables (add, reserve) and continue unlocked walks
   * across writers; the queries that are always enabled would otherwise crowd them out.
   */
  @Override
  public int walkWeight(String action) {
    return switch (action) {
      case "AddFence" -> 14;
      case "IterNextUnlocked" -> 12;
      case "ReserveFences", "IterNext" -> 8;
      case "FenceInitStep", "ResvLock" -> 6;
      case "SignalStep", "IterFirstUnlocked" -> 4;
      case "IterFirst" -> 3;
      case "CopyFences" -> 1;
      default -> 2;
    };
  }

  /** Makes the kernel call named by a DmaResv action; the caller keeps within its precondition. */
  public void apply(String action, List<String> a) {
    Vocab.VOCABULARY.apply(this, action, a);
  }

  /** The caller thread of a call: its first argument. */
  private static int t(List<String> a) {
    return THREADS.indexOf(a.get(0));
  }

  private static final String BY_CLIENT = " (by a resv client)";

  /** A DmaFence call of a resv client: the fence world makes it (its apply notes the signals). */
  private static long fenceCall(ResvWorld w, String action, List<String> a) {
    return w.fw.apply(action, a);
  }

  private static final String DMA_RESV_C = "drivers/dma-buf/dma-resv.c";
  private static final String DMA_RESV_H = "include/linux/dma-resv.h";

  /**
   * DmaResv's kernel calls: spec/MAPPING.md's DmaResv table is generated from these declarations
   * (MappingTables), and {@link #apply} dispatches through them. The fence calls a resv client
   * makes are DmaFence's ({@link FenceWorld.Vocab#VOCABULARY}), made by {@link #fw}.
   */
  public static final class Vocab {
    private Vocab() {}

    // A class of its own, so that reading the declarations (MAPPING.md, VocabularyTest) does
    // not initialize ResvWorld, whose constants come from the model loaded in this JVM.
    public static final Vocabulary<ResvWorld> VOCABULARY = Vocabulary.<ResvWorld>builder("DmaResv", "ResvWorld")
        .call("`dma_resv_lock(obj, NULL)`", "ResvLock(t, r)", "`DmaResv.lock()`", DMA_RESV_H,
            (w, a) -> w.ret(t(a), w.on(t(a), () -> (long) w.resv(a, 1).lock())))
        .call("`dma_resv_unlock` (+ `dma_resv_reset_max_fences`)", "ResvUnlock(t, r)", "`DmaResv.unlock()`", DMA_RESV_H,
            (w, a) -> {
              int t = t(a);
              w.on(t, () -> {
                w.resv(a, 1).unlock();
                return 0L;
              });
              w.budget[t][RESVS.indexOf(a.get(1))] = 0;
              return w.ret(t, 0);
            })
        .call("`dma_resv_reserve_fences`", "ReserveFences(t, r, n)", "`DmaResv.reserveFences(n)`", DMA_RESV_C,
            (w, a) -> {
              int t = t(a);
              int n = Integer.parseInt(a.get(2));
              w.ret(t, w.on(t, () -> (long) w.resv(a, 1).reserveFences(n)));
              // ReservedAfter: the larger of what is left and n (free slots never shrink in a hold)
              w.budget[t][RESVS.indexOf(a.get(1))] = Math.max(w.budget[t][RESVS.indexOf(a.get(1))], n);
              return w.fw.ret[t];
            })
        .call("`dma_resv_add_fence`", "AddFence(t, r, f, u)", "`DmaResv.addFence(f, u)`", DMA_RESV_C, (w, a) -> {
          w.addFence(t(a), RESVS.indexOf(a.get(1)), fence(a.get(2)), Integer.parseInt(a.get(3)));
          w.noteWrite(RESVS.indexOf(a.get(1)));
          return 0;
        })
        .call("`dma_resv_replace_fences`", "ReplaceFences(t, r, c, f, u)", "`DmaResv.replaceFences(c, f, u)`",
            DMA_RESV_C, (w, a) -> {
              int t = t(a);
              int r = RESVS.indexOf(a.get(1));
              long c = Long.parseLong(a.get(2));
              int f = fence(a.get(3));
              int u = Integer.parseInt(a.get(4));
              boolean any = w.resvs[r].entries().stream().anyMatch(e -> e.fence().context() == c);
              w.on(t, () -> {
                w.resvs[r].replaceFences(c, w.fw.fences[f], USAGES[u]);
                return 0L;
              });
              if (any) {
                w.attached.get(r).add(entry(f, u));
              }
              w.replacedCtx.get(r).add(c);
              w.noteWrite(r);
              return w.ret(t, 0);
            })
        .call("`dma_resv_test_signaled`", "TestSignaled(t, r, u)", "`DmaResv.testSignaled(u)`", DMA_RESV_C,
            (w, a) -> w.ret(t(a), w.on(t(a), () -> w.resv(a, 1).testSignaled(usage(a, 2)) ? 1L : 0L)))
        .call("`dma_resv_iter_begin` + `dma_resv_iter_first_unlocked`", "IterFirstUnlocked(t, r, u)",
            "`DmaResvIter.begin(obj, u).firstUnlocked()`", DMA_RESV_C, (w, a) -> {
              w.iterFirst(t(a), RESVS.indexOf(a.get(1)), Integer.parseInt(a.get(2)), false);
              return 0;
            })
        .call("`dma_resv_iter_next_unlocked`", "IterNextUnlocked(t)", "`DmaResvIter.nextUnlocked()`", DMA_RESV_C,
            (w, a) -> {
              w.iterNext(t(a));
              return 0;
            })
        .call("`dma_resv_iter_begin` + `dma_resv_iter_first`", "IterFirst(t, r, u)",
            "`DmaResvIter.begin(obj, u).first()`", DMA_RESV_C, (w, a) -> {
              w.iterFirst(t(a), RESVS.indexOf(a.get(1)), Integer.parseInt(a.get(2)), true);
              return 0;
            })
        .call("`dma_resv_iter_next`", "IterNext(t)", "`DmaResvIter.next()`", DMA_RESV_C, (w, a) -> {
          w.iterNext(t(a));
          return 0;
        })
        .call("`dma_resv_iter_end`", "IterEnd(t)", "`DmaResvIter.end()`", DMA_RESV_H, (w, a) -> {
          int t = t(a);
          DmaResvIter it = w.iters[t];
          w.on(t, () -> {
            it.end();
            return 0L;
          });
          w.iters[t] = null;
          w.iterResv[t] = -1;
          w.iterLocked[t] = false;
          w.curGen[t] = 0;
          w.curNul[t] = true;
          w.must.get(t).clear();
          w.seen.get(t).clear();
          w.rc.get(t).clear();
          w.ahead.get(t).clear();
          w.aheadLo[t] = -1;
          return w.ret(t, 0);
        })
        .call("`dma_resv_get_fences`", "GetFences(t, r, u)", "`DmaResv.getFences(u)`", DMA_RESV_C, (w, a) -> {
          int t = t(a);
          List<DmaFence> fs = w.on(t, () -> w.resv(a, 1).getFences(usage(a, 2)));
          w.out.set(t, w.fenceSeq(fs));
          w.on(t, () -> {
            fs.forEach(DmaFence::put);
            return 0L;
          });
          return w.ret(t, 0);
        })
        .call("`dma_resv_get_singleton`", "GetSingleton(t, r, u)", "`DmaResv.getSingleton(u)`", DMA_RESV_C,
            (w, a) -> {
              int t = t(a);
              DmaFence f = w.on(t, () -> w.resv(a, 1).getSingleton(usage(a, 2)));
              DmaFenceArray arr = f == null ? null : DmaFenceArray.toDmaFenceArray(f);
              if (arr != null) {
                w.fw.nextCtx++; // the array's own context (dma_fence_context_alloc(1))
                w.out.set(t, w.fenceSeq(arr.fences()));
              } else {
                w.out.set(t, w.fenceSeq(f == null ? List.of() : List.of(f)));
              }
              if (f != null) {
                w.on(t, () -> {
                  f.put();
                  return 0L;
                });
              }
              return w.ret(t, 0);
            })
        .call("`dma_resv_wait_timeout`", "ResvWaitTimeout(t, r, u, timeout)", "`DmaResv.waitTimeout(u, intr, timeout)`",
            DMA_RESV_C, (w, a) -> w.ret(t(a), w.waitTimeout(t(a), w.resv(a, 1), usage(a, 2), Long.parseLong(a.get(3)))))
        .call("`dma_resv_copy_fences`", "CopyFences(t, r, src)", "`DmaResv.copyFences(src)` (on dst = r)", DMA_RESV_C,
            (w, a) -> {
              int t = t(a);
              int r = RESVS.indexOf(a.get(1));
              DmaResv src = w.resv(a, 2);
              w.ret(t, w.on(t, () -> (long) w.resvs[r].copyFences(src)));
              Set<Value> now = w.attached.get(r);
              now.clear();
              for (DmaResv.Entry e : w.resvs[r].entries()) {
                now.add(entry(w.index(e.fence()), e.usage().ordinal()));
              }
              w.replacedCtx.get(r).clear();
              w.budget[t][r] = 0; // the new list is full: earlier reservations are gone
              return w.fw.ret[t];
            })
        .add(FenceWorld.Vocab.VOCABULARY.as("ContextAlloc", "ContextAllocStep", BY_CLIENT, ResvWorld::fenceCall))
        .add(FenceWorld.Vocab.VOCABULARY.as("FenceInit", "FenceInitStep", BY_CLIENT, ResvWorld::fenceCall)
            .withJava("`DmaFence.init(...)` / `init64(...)`"))
        .add(FenceWorld.Vocab.VOCABULARY.as("Signal", "SignalStep", BY_CLIENT, ResvWorld::fenceCall)
            .withJava("`DmaFence.signal()`"))
        .add(FenceWorld.Vocab.VOCABULARY.as("Put", "PutStep", BY_CLIENT, ResvWorld::fenceCall))
        .build();
  }

  private void addFence(int t, int r, int f, int u) {
    DmaFence fence = fw.fences[f];
    boolean reAdd = resvs[r].entries().stream()
        .anyMatch(e -> e.fence() == fence && e.usage().ordinal() >= u);
    try {
      on(t, () -> {
        resvs[r].addFence(fence, USAGES[u]);
        return 0L;
      });
    } catch (KernelBug bug) {
      kbug = bug.function();
    }
    if (!reAdd) {
      budget[t][r]--;
    }
    attached.get(r).add(entry(f, u));
    ret(t, 0);
  }

  private void iterFirst(int t, int r, int u, boolean locked) {
    Set<Value> pre = unsignaledUpTo(r, u);
    DmaResvIter it = DmaResvIter.begin(resvs[r], USAGES[u]);
    iters[t] = it;
    iterResv[t] = r;
    iterLocked[t] = locked;
    curRestarts[t] = 0;
    DmaFence f = on(t, () -> locked ? it.first() : it.firstUnlocked());
    afterStep(t, r, pre, f);
  }

  private void iterNext(int t) {
    DmaResvIter it = iters[t];
    int r = iterResv[t];
    int u = it.queryUsage().ordinal();
    preCall = unsignaledUpTo(r, u);
    RacingWriter w = armed;
    armed = null;
    // The reader puts its previous fence before it loads an entry; the spec's cursor holds it
    // until the step ends, so a writer runs inside the step only if a client holds it too.
    boolean race = w != null && !iterLocked[t] && it.fence() != null && clientRefs(index(it.fence())) >= 1;
    if (race) {
      frozenCursor = cursorFields(t);
      inCall = t;
      boolean[] ran = {false};
      resvs[r].setReadHook((point, iter) -> {
        if (iter != it || point != DmaResv.ReadPoint.FENCE_GET || ran[0]) {
          return;
        }
        // the entry just loaded, if the reader walks the current list
        if (iter.listGeneration() != resvs[r].generation() || iter.index() > resvs[r].entries().size()) {
          return;
        }
        List<String> call = w.call().apply(resvs[r].entries().get(iter.index() - 1));
        if (call != null) {
          ran[0] = true;
          List<String> args = List.copyOf(call.subList(1, call.size()));
          apply(call.get(0), args);
          nested.add(new Step(call.get(0), args, snapshot()));
          preCall = unsignaledUpTo(r, u);
        }
      });
    }
    DmaFence f;
    try {
      f = on(t, () -> iterLocked[t] ? it.next() : it.nextUnlocked());
    } finally {
      if (race) {
        resvs[r].setReadHook(null);
        inCall = -1;
        frozenCursor = null;
      }
    }
    afterStep(t, r, preCall, f);
  }

  private void afterStep(int t, int r, Set<Value> pre, DmaFence f) {
    DmaResvIter it = iters[t];
    if (!iterLocked[t]) {
      if (it.restarts() != curRestarts[t]) {
        curRestarts[t] = it.restarts();
        curGen[t] = resvs[r].generation();
        curNul[t] = !resvs[r].hasList();
        must.get(t).clear();
        must.get(t).addAll(pre);
        seen.get(t).clear();
        rc.get(t).clear();
        for (long c : replacedCtx.get(r)) {
          rc.get(t).add(V.i(c));
        }
      }
      if (f != null) {
        seen.get(t).add(V.mv(FENCES.get(index(f))));
      }
      // ahead: the entries the next walk reads first, if the cursor walks the current list
      ahead.get(t).clear();
      aheadLo[t] = f != null && !curNul[t] && curGen[t] == resvs[r].generation() ? it.index() : -1;
      aheadHi[t] = it.numFences();
      addAhead(t, r);
    }
    out.set(t, fenceSeq(f == null ? List.of() : List.of(f)));
    ret(t, 0);
  }

  /** The entries of r at the indices thread t's next walk reads first, into its ahead set. */
  private void addAhead(int t, int r) {
    List<DmaResv.Entry> es = resvs[r].entries();
    for (int i = Math.max(0, aheadLo[t]); aheadLo[t] >= 0 && i < Math.min(aheadHi[t], es.size()); i++) {
      ahead.get(t).add(V.seq(List.of(V.i(i + 1), V.mv(FENCES.get(index(es.get(i).fence()))))));
    }
  }

  /** After an in-place write on r: the cursors walking r's current list may load what it left. */
  private void noteWrite(int r) {
    for (int t = 0; t < THREADS.size(); t++) {
      if (iters[t] != null && !iterLocked[t] && iterResv[t] == r && curGen[t] == resvs[r].generation()) {
        addAhead(t, r);
      }
    }
  }

  private Set<Value> unsignaledUpTo(int r, int u) {
    Set<Value> s = new HashSet<>();
    for (DmaResv.Entry e : resvs[r].entries()) {
      if (e.usage().ordinal() <= u && !e.fence().isSignaledFlag()) {
        s.add(entry(index(e.fence()), e.usage().ordinal()));
      }
    }
    return s;
  }

  /**
   * dma_resv_wait_timeout on thread t's worker; a wait that sleeps is made to time out
   * (ManualSched.expire), the outcome the spec's one-step wait describes.
   */
  private long waitTimeout(int t, DmaResv resv, DmaResvUsage u, long timeout) {
    long[] result = {Long.MIN_VALUE};
    Future<?> fut = fw.workers[t].submit(() -> {
      result[0] = resv.waitTimeout(u, false, timeout);
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!fut.isDone()) {
      Thread w = fw.workerThreads[t];
      if (w != null && fw.sched.isParked(w)) {
        fw.sched.expire(w);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(THREADS.get(t) + ": dma_resv_wait_timeout did not return");
      }
      Thread.onSpinWait();
    }
    get(fut);
    return result[0];
  }

  /** Runs a kernel call on thread t's worker; a KernelBug it throws is rethrown here. */
  private <T> T on(int t, Callable<T> call) {
    return get(fw.workers[t].submit(call));
  }

  private static <T> T get(Future<T> fut) {
    try {
      return fut.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("worker failed", e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("worker failed", e);
    }
  }

  private long ret(int t, long v) {
    fw.ret[t] = v;
    return v;
  }

  private DmaResv resv(List<String> a, int i) {
    int r = RESVS.indexOf(a.get(i));
    if (r < 0) {
      throw new IllegalArgumentException("unknown resv " + a.get(i));
    }
    return resvs[r];
  }

  private static DmaResvUsage usage(List<String> a, int i) {
    return USAGES[Integer.parseInt(a.get(i))];
  }

  private static int fence(String name) {
    int f = FENCES.indexOf(name);
    if (f < 0) {
      throw new IllegalArgumentException("unknown fence " + name);
    }
    return f;
  }

  private int index(DmaFence f) {
    for (int i = 0; i < fw.fences.length; i++) {
      if (fw.fences[i] == f) {
        return i;
      }
    }
    throw new IllegalStateException("a fence outside the model: " + f);
  }

  private static Value entry(int f, int u) {
    return V.rec(Map.of("f", V.mv(FENCES.get(f)), "u", V.i(u)));
  }

  private Value fenceSeq(List<DmaFence> fs) {
    List<Value> v = new ArrayList<>();
    for (DmaFence f : fs) {
      v.add(V.mv(FENCES.get(index(f))));
    }
    return V.seq(v);
  }

  // ------------------------------------------------------------------------------------------
  // The abstract state

  @Override
  public Map<String, Value> snapshot() {
    Map<String, Value> s = fw.snapshot();
    // refs: the client's references (entries and unlocked cursors hold their own)
    int[] held = heldByResvs();
    s.put("refs", perFence(f -> V.i(clientRefs(f, held))));
    s.put("table", perResv(r -> {
      List<Value> es = new ArrayList<>();
      for (DmaResv.Entry e : resvs[r].entries()) {
        es.add(entry(index(e.fence()), e.usage().ordinal()));
      }
      return V.seq(es);
    }));
    s.put("maxSlots", perResv(r -> V.i(resvs[r].maxFences())));
    s.put("gen", perResv(r -> V.i(resvs[r].generation())));
    s.put("nul", perResv(r -> V.b(!resvs[r].hasList())));
    s.put("holder", perResv(r -> {
      int h = holder(r);
      return V.mv(h < 0 ? "None" : THREADS.get(h));
    }));
    s.put("budget", perThread(t -> perResv(r -> V.i(budget[t][r]))));
    s.put("cursor", perThread(this::cursor));
    s.put("out", perThread(out::get));
    s.put("attached", perResv(r -> V.set(attached.get(r))));
    s.put("replacedCtx", perResv(r -> {
      List<Value> cs = new ArrayList<>();
      for (long c : replacedCtx.get(r)) {
        cs.add(V.i(c));
      }
      return V.set(cs);
    }));
    s.put("kbug", V.s(kbug));
    return s;
  }

  private Value cursor(int t) {
    if (t == inCall) {
      Map<String, Value> c = new LinkedHashMap<>(frozenCursor);
      c.put("ahead", V.set(ahead.get(t)));
      return V.rec(c);
    }
    return V.rec(cursorFields(t));
  }

  private Map<String, Value> cursorFields(int t) {
    DmaResvIter it = iters[t];
    Map<String, Value> c = new LinkedHashMap<>();
    boolean locked = it != null && iterLocked[t];
    boolean unlocked = it != null && !iterLocked[t];
    c.put("r", V.mv(it == null ? "None" : RESVS.get(iterResv[t])));
    c.put("u", V.i(it == null ? 0 : it.queryUsage().ordinal()));
    c.put("locked", V.b(locked));
    c.put("gen", V.i(unlocked ? curGen[t] : 0));
    c.put("nul", V.b(!unlocked || curNul[t]));
    c.put("num", V.i(unlocked ? it.numFences() : 0));
    c.put("idx", V.i(it == null ? 1 : it.index() + 1));
    c.put("fence", V.mv(it == null || it.fence() == null ? "None" : FENCES.get(index(it.fence()))));
    c.put("restarted", V.b(it != null && it.isRestarted()));
    c.put("must", V.set(unlocked ? must.get(t) : Set.of()));
    c.put("seen", V.set(unlocked ? seen.get(t) : Set.of()));
    c.put("rc", V.set(unlocked ? rc.get(t) : Set.of()));
    c.put("ahead", V.set(unlocked ? ahead.get(t) : Set.of()));
    return c;
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

  private static Value perFence(IntFn fn) {
    return per(FENCES, fn);
  }

  private static Value perResv(IntFn fn) {
    return per(RESVS, fn);
  }

  private static Value perThread(IntFn fn) {
    return per(THREADS, fn);
  }

  @Override
  public void close() {
    fw.close();
  }
}
