package org.syncref.resv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.syncref.resv.DmaResvUsage.BOOKKEEP;
import static org.syncref.resv.DmaResvUsage.READ;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.fence.DmaFence;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv.Entry;
import org.syncref.resv.DmaResv.ReadPoint;
import org.syncref.resv.ResvFixtures.Timeline;
import org.syncref.sched.RealSched;

/**
 * The unlocked read path under concurrent add, reserve (reallocation and pruning), replace and
 * signal: hand-written interleavings, several hundred seeded random interleavings driven from
 * the {@link DmaResv.ReadHook} (single-threaded, deterministic), the negative control
 * {@link InjectedBug#RESV_READER_NO_RESTART}, and a short real-thread smoke test.
 *
 * <p>The guarantee checked after every walk, [RESV-UNLOCKED-READ] (TLA+
 * {@code UnlockedReaderGuarantee}): let S be the reader's last restart and Must the entries (f, u)
 * of the object's list at S with u &lt;= the reader's usage and f unsignaled at S. When the walk
 * ends (returns NULL), every f in Must has signaled, or the walk yielded f or a later-or-same
 * fence of f's context after S, or f's context was passed to dma_resv_replace_fences after S.
 * Also every yielded fence had usage &lt;= U and was unsignaled when the walk read it. The
 * writers follow the driver contract: fences of a context are signaled in seqno order, and every
 * add uses a slot reserved in the same lock hold.
 */
class DmaResvUnlockedReadExamples {

  // --- hand-written interleavings -----------------------------------------------------------

  /** Runs {@code action} once, at the {@code nth} (1-based) hook call at {@code point}. */
  private static DmaResv.ReadHook onceAt(ReadPoint point, int nth, Runnable action) {
    AtomicInteger seen = new AtomicInteger();
    return (p, cursor) -> {
      if (p == point && seen.incrementAndGet() == nth) {
        action.run();
      }
    };
  }

  /**
   * The counterexample shape of the naive reader: [x, y] both unsignaled; the reader yields x
   * (index 0 -> 1); x signals; a reallocating reserve prunes x, so y moves to index 0.
   */
  private static DmaFence readerAcrossPruningRealloc(Kernel k) {
    Timeline ta = new Timeline(k, "ringA");
    Timeline tb = new Timeline(k, "ringB");
    DmaFence x = ta.next();
    DmaFence y = tb.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(2);
    resv.addFence(x, READ);
    resv.addFence(y, READ);
    resv.unlock(); // max_fences = 2: the next reserve reallocates
    DmaResvIter cursor = DmaResvIter.begin(resv, BOOKKEEP);
    assertSame(x, cursor.firstUnlocked());
    int gen = resv.generation();
    // At the check at the start of dma_resv_iter_next_unlocked:
    resv.setReadHook(onceAt(ReadPoint.LIST_CHECK, 1, () -> {
      x.signal();
      resv.lock();
      resv.reserveFences(1); // max(2 + 1, 2 * 2) = 4: a new list [y]
      resv.unlock();
    }));
    DmaFence next = cursor.nextUnlocked();
    assertEquals(gen + 1, resv.generation());
    assertEquals(List.of(new Entry(y, READ)), resv.entries(), "x pruned, y moved to index 0");
    if (next != null) {
      assertSame(y, next);
      assertTrue(cursor.isRestarted(), "dma_resv_iter_is_restarted after the restart");
      assertNull(cursor.nextUnlocked());
    }
    cursor.end();
    resv.setReadHook(null);
    resv.fini();
    assertEquals(1, x.refcount());
    assertEquals(1, y.refcount());
    return next;
  }

  @Test
  @DisplayName("RESV-UNLOCKED-READ: a reallocation mid-walk restarts the reader at index 0; it yields the moved fence")
  void restart_after_reallocation() {
    Kernel k = new Kernel(new RealSched());
    assertNotNull(readerAcrossPruningRealloc(k), "dma_resv_iter_next_unlocked missed y");
  }

  @Test
  @DisplayName("negative control RESV_READER_NO_RESTART: the naive reader keeps index 1 of the new list and misses y")
  void naive_reader_misses_moved_fence() {
    Kernel k = new Kernel(new RealSched());
    k.inject(InjectedBug.RESV_READER_NO_RESTART);
    assertNull(readerAcrossPruningRealloc(k));
  }

  @Test
  @DisplayName("in-place replacement is seen without a restart; an append after the (re)start is not")
  void in_place_changes_without_restart() {
    Kernel k = new Kernel(new RealSched());
    Timeline ta = new Timeline(k, "ringA");
    Timeline tb = new Timeline(k, "ringB");
    Timeline tc = new Timeline(k, "ringC");
    DmaFence x = ta.next();
    DmaFence y = tb.next();
    DmaResv resv = new DmaResv(k);
    resv.lock(); // the writer keeps the lock; the reader never takes it
    resv.reserveFences(4);
    resv.addFence(x, READ);
    resv.addFence(y, READ);
    DmaResvIter cursor = DmaResvIter.begin(resv, BOOKKEEP);
    assertSame(x, cursor.firstUnlocked());
    int gen = resv.generation();
    DmaFence y2 = tb.next();
    resv.addFence(y2, READ); // replaces y at index 1 in place
    DmaFence z = tc.next();
    resv.addFence(z, READ); // appended at index 2, within capacity
    assertSame(y2, cursor.nextUnlocked(), "the in-place replacement is seen");
    assertFalse(cursor.isRestarted());
    assertNull(cursor.nextUnlocked(), "z is past the num_fences taken at the start");
    assertEquals(1, cursor.restarts());
    assertEquals(gen, resv.generation());
    cursor.end();
    resv.unlock();
    resv.fini();
  }

  @Test
  @DisplayName("get_fences and copy_fences drop what they collected when the walk restarts")
  void accumulators_drop_on_restart() {
    Kernel k = new Kernel(new RealSched());
    Timeline ta = new Timeline(k, "ringA");
    Timeline tb = new Timeline(k, "ringB");
    DmaFence x = ta.next();
    DmaFence y = tb.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(2);
    resv.addFence(x, READ);
    resv.addFence(y, BOOKKEEP);
    resv.unlock();
    Runnable realloc = () -> {
      resv.lock();
      resv.reserveFences(1); // a new list, nothing pruned
      resv.unlock();
    };
    // 1st LIST_CHECK: end of first_unlocked; 2nd: start of next_unlocked, after x was collected.
    resv.setReadHook(onceAt(ReadPoint.LIST_CHECK, 2, realloc));
    List<DmaFence> got = resv.getFences(BOOKKEEP);
    assertEquals(List.of(x, y), got, "no duplicate after the restart");
    assertEquals(3, x.refcount(), "timeline + resv + caller: the first collected reference was put");
    got.forEach(DmaFence::put);

    DmaResv dst = new DmaResv(k);
    resv.setReadHook(onceAt(ReadPoint.LIST_CHECK, 2, realloc));
    dst.lock();
    dst.copyFences(resv);
    dst.unlock();
    assertEquals(List.of(new Entry(x, READ), new Entry(y, BOOKKEEP)), dst.entries());
    assertEquals(3, x.refcount(), "timeline + resv + dst: the list freed at the restart put its copy");
    resv.setReadHook(null);
    dst.fini();
    resv.fini();
    assertEquals(1, x.refcount());
    assertEquals(1, y.refcount());
  }

  @Test
  @DisplayName("kernel quirk: after copy_fences leaves no list mid-walk, next_unlocked hands out the previous fence again")
  void restart_onto_null_list_repeats_fence() {
    Kernel k = new Kernel(new RealSched());
    Timeline ta = new Timeline(k, "ringA");
    DmaFence x = ta.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(x, READ);
    resv.unlock();
    DmaResvIter cursor = DmaResvIter.begin(resv, READ);
    assertSame(x, cursor.firstUnlocked());
    resv.lock();
    resv.copyFences(new DmaResv(k)); // nothing to copy: obj->fences = NULL
    resv.unlock();
    assertFalse(resv.hasList());
    // dma_resv_iter_walk_unlocked returns at once on a NULL list, cursor->fence untouched.
    assertSame(x, cursor.nextUnlocked());
    assertTrue(cursor.isRestarted());
    assertSame(x, cursor.nextUnlocked());
    assertFalse(cursor.isRestarted());
    assertEquals(2, x.refcount(), "timeline + the cursor's one reference");
    resv.lock();
    resv.reserveFences(1); // a list again: the reader restarts and ends
    resv.unlock();
    assertNull(cursor.nextUnlocked());
    cursor.end();
    assertEquals(1, x.refcount());
    resv.fini();
  }

  // --- seeded random interleavings ----------------------------------------------------------

  /** One seeded run: a writer schedule injected at the read hooks of unlocked readers. */
  static final class Run {
    final long seed;
    final Kernel k = new Kernel(new RealSched());
    final DmaResv resv = new DmaResv(k);
    final Random rnd;
    final List<Timeline> timelines = new ArrayList<>();
    final Timeline repl;
    final List<String> log = new ArrayList<>();
    boolean locked;
    int budget;
    int writerOpsLeft;

    // ghost state of the current reader
    DmaResvUsage readerUsage;
    List<Entry> must = List.of();
    final Set<DmaFence> yieldedSinceS = new HashSet<>();
    final Set<Long> replacedSinceS = new HashSet<>();
    int snapRestarts;
    boolean inRestart;
    /** The entry of Must the naive reader stepped over when it kept its index, if any. */
    Entry skippedBelowIndex;
    /** Whether the exact counterexample shape of the naive reader occurred (see below). */
    boolean shape;
    DmaFence loaded;
    DmaResvUsage loadedUsage;
    boolean loadedSignaled;
    String violation;
    // coverage counters: the check must not be vacuous
    int restartsAfterYield;
    int mustChecked;
    int yieldsTotal;

    Run(long seed, boolean noRestartBug) {
      this.seed = seed;
      this.rnd = new Random(seed);
      if (noRestartBug) {
        k.inject(InjectedBug.RESV_READER_NO_RESTART);
      }
      int n = 2 + rnd.nextInt(2);
      for (int i = 0; i < n; i++) {
        timelines.add(new Timeline(k, "ring" + (char) ('A' + i)));
      }
      repl = new Timeline(k, "pt");
      resv.setReadHook(this::hook);
    }

    DmaResvUsage anyUsage() {
      return DmaResvUsage.values()[rnd.nextInt(4)];
    }

    void lock() {
      resv.lock();
      locked = true;
      budget = 0;
      log.add("  lock");
    }

    void unlock() {
      resv.unlock();
      locked = false;
      log.add("  unlock");
    }

    void reserve(int n) {
      int gen = resv.generation();
      resv.reserveFences(n);
      budget = n;
      log.add("  reserve_fences(" + n + ")" + (resv.generation() != gen
          ? " -> new list " + resv.entries() : ""));
    }

    void add() {
      Timeline t = timelines.get(rnd.nextInt(timelines.size()));
      DmaFence f = t.latest() != null && rnd.nextInt(5) == 0 ? t.latest() : t.next();
      DmaResvUsage u = anyUsage();
      resv.addFence(f, u);
      budget--;
      log.add("  add_fence(" + f + ", " + u + ") -> " + resv.entries());
    }

    void replace() {
      Timeline t = timelines.get(rnd.nextInt(timelines.size()));
      DmaFence r = repl.next();
      DmaResvUsage u = anyUsage();
      resv.replaceFences(t.context, r, u);
      replacedSinceS.add(t.context);
      log.add("  replace_fences(" + t + ", " + r + ", " + u + ") -> " + resv.entries());
    }

    boolean signal() {
      List<Timeline> ready = new ArrayList<>();
      for (Timeline t : timelines) {
        if (t.hasUnsignaled()) {
          ready.add(t);
        }
      }
      if (repl.hasUnsignaled()) {
        ready.add(repl);
      }
      if (ready.isEmpty()) {
        return false;
      }
      DmaFence f = ready.get(rnd.nextInt(ready.size())).signalNext();
      log.add("  signal(" + f + ")");
      return true;
    }

    /**
     * A writer that completes work and then makes room: signal the fence of the list's first
     * entry if it is next in its context's order (else any fence in order), then a reserve
     * that cannot fit, so the list is reallocated and the signaled entries pruned: entries
     * move to lower indices.
     */
    void signalThenRealloc() {
      if (!locked) {
        lock();
      }
      boolean done = false;
      List<Entry> now = resv.entries();
      if (!now.isEmpty()) {
        DmaFence head = now.get(0).fence();
        for (Timeline t : timelines) {
          if (t.context == head.context() && t.hasUnsignaled()
              && t.fences.get(t.signaledCount()) == head) {
            t.signalNext();
            log.add("  signal(" + head + ")");
            done = true;
          }
        }
      }
      if (!done) {
        signal();
      }
      reserve(resv.maxFences() - resv.numFences() + 1);
      unlock();
    }

    /** One writer operation, keeping the contract (reserve before add, in-order signals). */
    void writerStep() {
      int r = rnd.nextInt(100);
      if (r < 10) {
        signalThenRealloc();
        return;
      }
      r = rnd.nextInt(100);
      if (!locked) {
        if (r < 55 || !signal()) {
          lock();
        }
        return;
      }
      if (r < 22) {
        reserve(1 + rnd.nextInt(3));
      } else if (r < 55 && budget > 0) {
        add();
      } else if (r < 60) {
        replace();
      } else if (r < 80) {
        if (!signal()) {
          unlock();
        }
      } else {
        unlock();
      }
    }

    void snapshot(DmaResvIter cursor, boolean final_) {
      List<Entry> m = new ArrayList<>();
      for (Entry e : resv.entries()) {
        if (readerUsage.covers(e.usage()) && !e.fence().isSignaledFlag()) {
          m.add(e);
        }
      }
      must = m;
      yieldedSinceS.clear();
      replacedSinceS.clear();
      snapRestarts = cursor.restarts();
      if (final_) {
        log.add("    reader (re)starts on list #" + resv.generation() + " with num_fences "
            + resv.numFences() + ": S, Must = " + must);
      }
    }

    void hook(ReadPoint p, DmaResvIter cursor) {
      if (writerOpsLeft > 0 && rnd.nextInt(100) < 35) {
        log.add("   at " + p + " (index " + cursor.index() + ", list #" + cursor.listGeneration() + "):");
        for (int n = 1 + rnd.nextInt(4); n > 0 && writerOpsLeft > 0; n--, writerOpsLeft--) {
          writerStep();
        }
      }
      // Observe, after the writers: the read that follows sees this state.
      switch (p) {
        case RESTART_LIST -> {
          if (cursor.restarts() != snapRestarts) {
            if (!yieldedSinceS.isEmpty()) {
              restartsAfterYield++;
            }
            inRestart = true;
            snapshot(cursor, !resv.hasList()); // no list: S is this load
          }
        }
        case RESTART_NUM -> {
          if (inRestart) {
            snapshot(cursor, true); // S is the load of num_fences
          } else {
            log.add("    reader takes list #" + resv.generation() + " with num_fences "
                + resv.numFences() + " and keeps index " + cursor.index());
            List<Entry> now = resv.entries();
            for (int i = 0; i < Math.min(cursor.index(), now.size()); i++) {
              if (must.contains(now.get(i)) && !now.get(i).fence().isSignaledFlag()
                  && !yieldedSinceS.isEmpty() && skippedBelowIndex == null) {
                skippedBelowIndex = now.get(i); // moved below the kept index
              }
            }
          }
          inRestart = false;
        }
        case FENCE_SIGNALED -> {
          inRestart = false;
          loaded = ResvFixtures.heldFence(cursor);
          loadedUsage = cursor.usage();
          loadedSignaled = loaded.isSignaledFlag();
          log.add("    reader reads table[" + (cursor.index() - 1) + "] of list #" + cursor.listGeneration()
              + " = " + loaded + "/" + loadedUsage + (loadedSignaled ? " (signaled: skip)" : ""));
        }
        case LIST_CHECK -> {
          inRestart = false;
          if (cursor.listGeneration() != resv.generation()) {
            log.add("    reader sees list #" + resv.generation() + " != its list #" + cursor.listGeneration());
          }
        }
        default -> inRestart = false;
      }
    }

    void checkYield(DmaFence f, DmaResvIter cursor) {
      log.add("    reader yields " + f + "/" + cursor.usage());
      if (violation == null && (f != loaded || loadedSignaled || !readerUsage.covers(loadedUsage)
          || cursor.usage() != loadedUsage)) {
        violation = "yielded " + f + "/" + cursor.usage() + " but the walk read " + loaded + "/"
            + loadedUsage + (loadedSignaled ? " (signaled)" : "") + " with usage filter " + readerUsage;
      }
      yieldedSinceS.add(f);
      yieldsTotal++;
    }

    /** [RESV-UNLOCKED-READ] at the end of a walk. */
    void checkGuarantee() {
      for (Entry e : must) {
        mustChecked++;
        DmaFence f = e.fence();
        boolean ok = f.isSignaledFlag()
            || replacedSinceS.contains(f.context())
            || yieldedSinceS.stream().anyMatch(g -> g.context() == f.context() && g.isLaterOrSame(f));
        if (!ok && violation == null) {
          // The shape: the reader yielded a fence, a reallocation pruned signaled
          // entries so e moved below the index the reader kept, and it missed e.
          shape = e.equals(skippedBelowIndex);
          violation = "UnlockedReaderGuarantee: " + e + " was in the list at the last restart with usage <= "
              + readerUsage + ", is unsignaled, and neither it nor a later fence of its context was yielded";
        }
      }
    }

    void walk() {
      skippedBelowIndex = null;
      readerUsage = anyUsage();
      snapRestarts = 0;
      writerOpsLeft = 30;
      DmaResvIter cursor = DmaResvIter.begin(resv, readerUsage);
      log.add(" reader: dma_resv_for_each_fence_unlocked(" + readerUsage + ")");
      for (DmaFence f = cursor.firstUnlocked(); f != null; f = cursor.nextUnlocked()) {
        checkYield(f, cursor);
      }
      cursor.end();
      log.add("    reader: end of walk");
      checkGuarantee();
    }

    void testSignaled() {
      skippedBelowIndex = null;
      readerUsage = anyUsage();
      snapRestarts = 0;
      writerOpsLeft = 30;
      loaded = null;
      log.add(" reader: dma_resv_test_signaled(" + readerUsage + ")");
      boolean r = resv.testSignaled(readerUsage);
      log.add("    -> " + r);
      if (r) {
        checkGuarantee();
      } else if (violation == null && (loaded == null || loadedSignaled || !readerUsage.covers(loadedUsage))) {
        violation = "test_signaled false, but the walk read " + loaded + "/" + loadedUsage
            + (loadedSignaled ? " (signaled)" : "");
      }
    }

    /** The whole run; returns the violation, or null. */
    String run() {
      writerOpsLeft = 0;
      lock();
      reserve(5);
      for (int i = 2 + rnd.nextInt(4); i > 0; i--) {
        add();
      }
      unlock();
      for (int round = 0; round < 8 && violation == null; round++) {
        if (round % 2 == 0) {
          walk();
        } else {
          testSignaled();
        }
        for (int i = rnd.nextInt(4); i > 0 && violation == null; i--) {
          writerStep();
        }
      }
      if (locked) {
        unlock();
      }
      resv.setReadHook(null);
      resv.fini();
      List<Timeline> all = new ArrayList<>(timelines);
      all.add(repl);
      for (Timeline t : all) {
        for (DmaFence f : t.fences) {
          assertEquals(1, f.refcount(), () -> "seed " + seed + ": refcount of " + f + " after fini");
        }
        t.putAll();
      }
      assertTrue(k.warnings().isEmpty(), () -> "seed " + seed + ": " + k.warnings());
      return violation;
    }

    String schedule() {
      return "seed " + seed + ":\n" + String.join("\n", log);
    }
  }

  private static final int SEEDS = 1000;

  @Test
  @DisplayName("RESV-UNLOCKED-READ holds for 1000 seeded interleavings of add/reserve/replace/signal with unlocked walks and test_signaled")
  void unlocked_reader_guarantee_random() {
    int restartsAfterYield = 0;
    int mustChecked = 0;
    int yields = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      Run run = new Run(seed, false);
      String v = run.run();
      if (v != null) {
        fail(v + "\n" + run.schedule());
      }
      restartsAfterYield += run.restartsAfterYield;
      mustChecked += run.mustChecked;
      yields += run.yieldsTotal;
    }
    System.out.println("RESV-UNLOCKED-READ: " + SEEDS + " seeds, " + yields + " yields, " + restartsAfterYield
        + " restarts after a yield, " + mustChecked + " Must entries checked");
    // Not vacuous: walks were restarted after handing out fences, and Must was non-empty.
    assertTrue(restartsAfterYield >= 50, "restarts after a yield: " + restartsAfterYield);
    assertTrue(mustChecked >= 500, "Must entries checked: " + mustChecked);
    assertTrue(yields >= 500, "yields: " + yields);
  }

  @Test
  @DisplayName("negative control RESV_READER_NO_RESTART: some seeded interleaving breaks RESV-UNLOCKED-READ")
  void unlocked_reader_guarantee_catches_no_restart() {
    int broken = 0;
    int shapes = 0;
    Run shortest = null;
    String shortestViolation = null;
    for (long seed = 0; seed < SEEDS; seed++) {
      Run run = new Run(seed, true);
      String v = run.run();
      if (v != null) {
        broken++;
        if (run.shape) {
          shapes++;
          if (shortest == null || run.log.size() < shortest.log.size()) {
            shortest = run;
            shortestViolation = v;
          }
        }
      }
    }
    assertTrue(broken > 0, "no seed of " + SEEDS + " caught the naive reader");
    assertTrue(shapes > 0, "no seed showed the shape: yield, prune by reallocation, fence moved below the kept index");
    System.out.println("RESV_READER_NO_RESTART caught by " + broken + " of " + SEEDS + " seeds, " + shapes
        + " with the shape 'yield x; x signals; a reallocation prunes x; the reader keeps its index"
        + " and misses the fence that moved below it'. Shortest such schedule: " + shortestViolation
        + "\n" + shortest.schedule());
  }

  // --- real threads ----------------------------------------------------------------------------

  @Test
  @DisplayName("smoke: reader threads walk and test_signaled while a writer adds, reserves, replaces and signals")
  void real_threads_smoke() throws Exception {
    Kernel k = new Kernel(new RealSched());
    DmaResv resv = new DmaResv(k);
    List<Timeline> timelines = List.of(new Timeline(k, "ringA"), new Timeline(k, "ringB"), new Timeline(k, "ringC"));
    Timeline repl = new Timeline(k, "pt");
    AtomicLong clock = new AtomicLong();
    Map<DmaFence, Long> signalDone = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicLong yields = new AtomicLong();

    Thread writer = new Thread(() -> {
      Random rnd = new Random(42);
      try {
        for (int iter = 0; iter < 20_000 && !stop.get(); iter++) {
          resv.lock();
          int n = 1 + rnd.nextInt(3);
          resv.reserveFences(n);
          for (int i = 0; i < n; i++) {
            Timeline t = timelines.get(rnd.nextInt(3));
            resv.addFence(t.next(), DmaResvUsage.values()[rnd.nextInt(4)]);
          }
          if (rnd.nextInt(10) == 0) {
            resv.replaceFences(timelines.get(rnd.nextInt(3)).context, repl.next(), BOOKKEEP);
          }
          resv.unlock();
          // Complete in order, leaving a few fences of each context in flight.
          for (Timeline t : List.of(timelines.get(rnd.nextInt(3)), repl)) {
            int inFlight = rnd.nextInt(4);
            while (t.hasUnsignaled() && t.fences.size() - t.signaledCount() > inFlight) {
              DmaFence f = t.signalNext();
              signalDone.put(f, clock.incrementAndGet());
            }
          }
        }
      } catch (Throwable e) {
        errors.add(e);
      }
    }, "resv-writer");

    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      final int id = r;
      readers.add(new Thread(() -> {
        Random rnd = new Random(id);
        try {
          while (!stop.get()) {
            DmaResvUsage u = DmaResvUsage.values()[rnd.nextInt(4)];
            if (rnd.nextBoolean()) {
              resv.testSignaled(u);
              continue;
            }
            DmaResvIter cursor = DmaResvIter.begin(resv, u);
            long start = clock.get();
            for (DmaFence f = cursor.firstUnlocked(); f != null; f = cursor.nextUnlocked()) {
              yields.incrementAndGet();
              if (!u.covers(cursor.usage())) {
                throw new AssertionError("yielded " + f + " with usage " + cursor.usage() + " > " + u);
              }
              if (f.isFreed() || f.refcount() < 1) {
                throw new AssertionError("yielded a freed fence " + f);
              }
              Long done = signalDone.get(f);
              if (done != null && done <= start) {
                throw new AssertionError("yielded " + f + ", signaled before the step read it");
              }
              start = clock.get();
            }
            cursor.end();
            if (rnd.nextInt(8) == 0) {
              resv.getFences(u).forEach(DmaFence::put);
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "resv-reader-" + r));
    }
    writer.start();
    readers.forEach(Thread::start);
    Thread.sleep(200);
    stop.set(true);
    writer.join(10_000);
    for (Thread t : readers) {
      t.join(10_000);
    }
    assertTrue(errors.isEmpty(), () -> "errors: " + errors);
    assertFalse(writer.isAlive());
    resv.fini();
    List<Timeline> all = new ArrayList<>(timelines);
    all.add(repl);
    for (Timeline t : all) {
      for (DmaFence f : t.fences) {
        assertEquals(1, f.refcount(), () -> "refcount of " + f + " after fini");
      }
      t.putAll();
      for (DmaFence f : t.fences) {
        assertTrue(f.isFreed());
      }
    }
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
    assertTrue(yields.get() >= 0);
  }
}
