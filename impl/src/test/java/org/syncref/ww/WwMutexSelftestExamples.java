package org.syncref.ww;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.sched.ManualSched;
import org.syncref.sched.RealSched;

/**
 * kernel/locking/test-ww_mutex.c on real threads ({@link RealSched}), for both
 * classes as {@code run_test_classes()} does: a Wound-Wait class {@code ww_class} and a Wait-Die
 * class {@code wd_class}. Work items are Java threads; completions are latches. Deadlock
 * injection is off (the Java model has none, so {@code ww_acquire_init_noinject} is
 * {@code ww_acquire_init}).
 *
 * <p>Differences to the module, each on purpose: the stress runs last about 1 s instead of 2 s
 * (system property {@code syncref.ww.stress.ms}) and a watchdog fails the test when no lock is
 * taken for 5 s (the kernel relies on the hung-task detector); test_cycle starts its workers in
 * ring order so that the stamps increase around the ring, which the module's in-order
 * queue_work almost always gives and which its all-zero assertion needs for Wait-Die (see
 * {@link #test_cycle_decreasing_stamps_relock_can_die}).
 */
class WwMutexSelftestExamples {
  private static final long TIMEOUT_MS = RealSched.HZ / 16; // TIMEOUT (HZ / 16), HZ = 1000
  private static final long STRESS_MS = Long.getLong("syncref.ww.stress.ms", 1000);
  private static final long WATCHDOG_MS = 5000;
  private static final int NCPUS = Runtime.getRuntime().availableProcessors();

  /** Every kernel build: the module runs on debug and production kernels alike. */
  private static final Kernel.Build[] BUILDS = Kernel.Build.values();

  /** {@code cases} once per kernel build, the build as the first argument. */
  private static Stream<Arguments> perBuild(List<Arguments> cases) {
    List<Arguments> out = new ArrayList<>();
    for (Kernel.Build b : BUILDS) {
      for (Arguments a : cases) {
        Object[] in = a.get();
        Object[] args = new Object[in.length + 1];
        args[0] = b;
        System.arraycopy(in, 0, args, 1, in.length);
        out.add(Arguments.of(args));
      }
    }
    return out.stream();
  }

  private static WwClass wwClass(boolean waitDie) {
    return waitDie ? WwClass.waitDie("wd_class") : WwClass.woundWait("ww_class");
  }

  /** A work item: a daemon thread whose failure is kept for the test to rethrow. */
  private static final class Work extends Thread {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ThrowingRunnable body;

    interface ThrowingRunnable {
      void run() throws Exception;
    }

    Work(String name, ThrowingRunnable body) {
      super(name);
      this.body = body;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        body.run();
      } catch (Throwable t) {
        failure.set(t);
      }
    }

    /** flush_work: waits for the work (at most 5 s: a hang fails the test) and rethrows. */
    void flush() throws Throwable {
      join(WATCHDOG_MS);
      if (isAlive()) {
        fail(getName() + " hung:" + stack(this));
      }
      if (failure.get() != null) {
        throw failure.get();
      }
    }
  }

  private static String stack(Thread t) {
    StringBuilder sb = new StringBuilder();
    for (StackTraceElement e : t.getStackTrace()) {
      sb.append("\n    at ").append(e);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------
  // 1. test_mutex

  static final int TEST_MTX_SPIN = 1;
  static final int TEST_MTX_TRY = 2;
  static final int TEST_MTX_CTX = 4;

  static Stream<Arguments> classesAndFlags() {
    List<Arguments> out = new ArrayList<>();
    for (boolean wd : new boolean[] {false, true}) {
      for (int flags = 0; flags < 8; flags++) {
        out.add(Arguments.of(wd, flags));
      }
    }
    return perBuild(out);
  }

  @ParameterizedTest(name = "{0}, wait-die={1}, flags={2}")
  @MethodSource("classesAndFlags")
  @DisplayName("test_mutex: a worker cannot take the mutex while the main thread holds it (HZ/16)")
  void test_mutex(Kernel.Build build, boolean waitDie, int flags) throws Throwable {
    Kernel k = new Kernel(new RealSched(), build);
    WwClass c = wwClass(waitDie);
    WwMutex mtx = new WwMutex(k, c, "mtx");
    WwAcquireContext ctx = (flags & TEST_MTX_CTX) != 0 ? WwAcquireContext.init(k, c) : null;
    CountDownLatch ready = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Work work = new Work("test_mutex_work", () -> {
      ready.countDown();
      go.await();
      if ((flags & TEST_MTX_TRY) != 0) {
        while (!mtx.trylock(null)) {
          Thread.yield(); // cond_resched()
        }
      } else {
        mtx.lock(null);
      }
      done.countDown();
      mtx.unlock();
    });
    work.start();
    ready.await();
    assertEquals(0, mtx.lock(ctx));
    go.countDown();
    boolean exclusionFailure;
    if ((flags & TEST_MTX_SPIN) != 0) {
      long timeout = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
      exclusionFailure = false;
      do {
        if (done.getCount() == 0) {
          exclusionFailure = true;
          break;
        }
        Thread.yield();
      } while (System.nanoTime() - timeout < 0);
    } else {
      exclusionFailure = done.await(TIMEOUT_MS, TimeUnit.MILLISECONDS); // wait_for_completion_timeout
    }
    mtx.unlock();
    if (ctx != null) {
      ctx.fini();
    }
    assertFalse(exclusionFailure, "__test_mutex(flags=" + flags + "): mutual exclusion failure");
    work.flush();
    assertEquals(List.of(), k.warnings());
  }

  // ---------------------------------------------------------------------------------------
  // 2. test_aa

  @ParameterizedTest(name = "{0}, wait-die={1}, trylock={2}")
  @MethodSource("classesAndBooleans")
  @DisplayName("test_aa: trylock(NULL) and trylock(ctx) fail, lock(ctx) gives -EALREADY on a held mutex")
  void test_aa(Kernel.Build build, boolean waitDie, boolean trylock) {
    Kernel k = new Kernel(new RealSched(), build);
    WwClass c = wwClass(waitDie);
    WwMutex mutex = new WwMutex(k, c, "mutex");
    WwAcquireContext ctx = WwAcquireContext.init(k, c);
    if (!trylock) {
      assertEquals(0, mutex.lock(ctx), "initial lock failed");
    } else {
      assertTrue(mutex.trylock(ctx), "initial trylock failed");
    }
    assertFalse(mutex.trylock(null), "trylocked itself without context");
    assertFalse(mutex.trylock(ctx), "trylocked itself with context");
    assertEquals(-Errno.EALREADY, mutex.lock(ctx), "missed deadlock for recursing");
    mutex.unlock();
    ctx.fini();
    assertEquals(List.of(), k.warnings());
  }

  static Stream<Arguments> classesAndBooleans() {
    List<Arguments> out = new ArrayList<>();
    for (boolean wd : new boolean[] {false, true}) {
      for (boolean b : new boolean[] {false, true}) {
        out.add(Arguments.of(wd, b));
      }
    }
    return perBuild(out);
  }

  // ---------------------------------------------------------------------------------------
  // 3. test_abba

  static Stream<Arguments> abbaCases() {
    List<Arguments> out = new ArrayList<>();
    for (boolean wd : new boolean[] {false, true}) {
      for (int i = 0; i < 4; i++) {
        out.add(Arguments.of(wd, (i & 1) != 0, (i & 2) != 0));
      }
    }
    return perBuild(out);
  }

  @ParameterizedTest(name = "{0}, wait-die={1}, trylock={2}, resolve={3}")
  @MethodSource("abbaCases")
  @DisplayName("test_abba: with resolve both sides end with 0, without it at least one gets -EDEADLK")
  void test_abba(Kernel.Build build, boolean waitDie, boolean trylock, boolean resolve) throws Throwable {
    Kernel k = new Kernel(new RealSched(), build);
    WwClass c = wwClass(waitDie);
    WwMutex aMutex = new WwMutex(k, c, "a_mutex");
    WwMutex bMutex = new WwMutex(k, c, "b_mutex");
    CountDownLatch aReady = new CountDownLatch(1);
    CountDownLatch bReady = new CountDownLatch(1);
    int[] result = new int[1];
    Work work = new Work("test_abba_work", () -> {
      WwAcquireContext ctx = WwAcquireContext.init(k, c);
      if (!trylock) {
        assertEquals(0, bMutex.lock(ctx));
      } else {
        assertTrue(bMutex.trylock(ctx));
      }
      assertSame(ctx, bMutex.holderCtx());
      bReady.countDown();
      aReady.await();
      int err = aMutex.lock(ctx);
      if (resolve && err == -Errno.EDEADLK) {
        bMutex.unlock();
        aMutex.lockSlow(ctx);
        err = bMutex.lock(ctx);
      }
      if (err == 0) {
        aMutex.unlock();
      }
      bMutex.unlock();
      ctx.fini();
      result[0] = err;
    });
    work.start();

    WwAcquireContext ctx = WwAcquireContext.init(k, c);
    if (!trylock) {
      assertEquals(0, aMutex.lock(ctx));
    } else {
      assertTrue(aMutex.trylock(ctx));
    }
    assertSame(ctx, aMutex.holderCtx());
    aReady.countDown();
    bReady.await();
    int err = bMutex.lock(ctx);
    if (resolve && err == -Errno.EDEADLK) {
      aMutex.unlock();
      bMutex.lockSlow(ctx);
      err = aMutex.lock(ctx);
    }
    if (err == 0) {
      bMutex.unlock();
    }
    aMutex.unlock();
    ctx.fini();
    work.flush();

    if (resolve) {
      assertTrue(err == 0 && result[0] == 0,
          "failed to resolve ABBA deadlock, A err=" + err + ", B err=" + result[0]);
    } else {
      assertTrue(err == -Errno.EDEADLK || result[0] == -Errno.EDEADLK,
          "missed ABBA deadlock, A err=" + err + ", B err=" + result[0]);
    }
    assertFalse(aMutex.isLocked() || bMutex.isLocked());
    assertEquals(List.of(), k.warnings());
  }

  // ---------------------------------------------------------------------------------------
  // 4. test_cycle

  /**
   * Both classes with lockdep; without lockdep Wait-Die only: there a Wound-Wait worker whose
   * lock_slow takes a free mutex by the fastpath keeps its stale wound, and its retake of its
   * own mutex can die, which the module reports as "cyclic deadlock not resolved" (the real
   * kernel: 9 of 200 trials on 6.12; {@link #stale_wound_survives_the_fastpath}).
   */
  static Stream<Arguments> cycleCases() {
    List<Arguments> out = new ArrayList<>();
    for (Kernel.Build b : BUILDS) {
      for (boolean wd : new boolean[] {false, true}) {
        if (!wd && !b.lockdep()) {
          continue;
        }
        for (int n = 2; n <= 5; n++) { // the module: 2 .. ncpus + 1
          out.add(Arguments.of(b, wd, n));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, wait-die={1}, nthreads={2}")
  @MethodSource("cycleCases")
  @DisplayName("test_cycle: a ring of workers, each locking its own mutex then its neighbour's, all end with 0")
  void test_cycle(Kernel.Build build, boolean waitDie, int nthreads) throws Throwable {
    Kernel k = new Kernel(new RealSched(), build);
    WwClass c = wwClass(waitDie);
    WwMutex[] aMutex = new WwMutex[nthreads];
    CountDownLatch[] bSignal = new CountDownLatch[nthreads];
    for (int n = 0; n < nthreads; n++) {
      aMutex[n] = new WwMutex(k, c, "a_mutex" + n);
      bSignal[n] = new CountDownLatch(1);
    }
    int[] result = new int[nthreads];
    List<Work> works = new ArrayList<>();
    for (int n = 0; n < nthreads; n++) {
      final int i = n;
      final WwMutex a = aMutex[i];
      final WwMutex b = aMutex[(i + 1) % nthreads];
      final CountDownLatch aSignal = bSignal[(i + nthreads - 1) % nthreads];
      CountDownLatch initialised = new CountDownLatch(1);
      Work w = new Work("test_cycle_work" + i, () -> {
        WwAcquireContext ctx = WwAcquireContext.init(k, c);
        initialised.countDown();
        a.lock(ctx);
        aSignal.countDown();
        bSignal[i].await();
        int err = b.lock(ctx);
        int erra = 0;
        if (err == -Errno.EDEADLK) {
          err = 0;
          a.unlock();
          b.lockSlow(ctx);
          erra = a.lock(ctx);
        }
        if (err == 0) {
          b.unlock();
        }
        if (erra == 0) {
          a.unlock();
        }
        ctx.fini();
        result[i] = err != 0 ? err : erra;
      });
      works.add(w);
      w.start();
      assertTrue(initialised.await(WATCHDOG_MS, TimeUnit.MILLISECONDS)); // stamps increase around the ring
    }
    for (Work w : works) {
      w.flush();
    }
    for (int n = 0; n < nthreads; n++) {
      assertEquals(0, result[n], "cyclic deadlock not resolved, ret[" + n + "/" + nthreads + "]");
    }
    for (WwMutex m : aMutex) {
      m.destroy();
    }
    assertEquals(List.of(), k.warnings());
  }

  /**
   * Why test_cycle needs increasing stamps on Wait-Die: with stamps decreasing around a ring of
   * three, w0 and w1 die, w2 (the oldest) takes a0 and still holds it when w0, back from
   * lock_slow(a1), relocks its own a0: w0 holds a1 and a0's holder is older, so w0 dies again
   * and test_cycle would report "cyclic deadlock not resolved". The kernel's rules allow it; the
   * module only avoids it because its workers, queued in order, nearly always get increasing
   * stamps. A deterministic interleaving ({@link ManualSched}).
   */
  @Test
  @DisplayName("test_cycle on Wait-Die with decreasing stamps: the relock after lock_slow can get -EDEADLK")
  void test_cycle_decreasing_stamps_relock_can_die() throws Exception {
    ManualSched sched = new ManualSched();
    Kernel k = new Kernel(sched);
    WwClass c = wwClass(true);
    WwMutex a0 = new WwMutex(k, c, "a_mutex0");
    WwMutex a1 = new WwMutex(k, c, "a_mutex1");
    WwMutex a2 = new WwMutex(k, c, "a_mutex2");
    try (Actor w0 = new Actor("w0"); Actor w1 = new Actor("w1"); Actor w2 = new Actor("w2")) {
      WwAcquireContext c2 = w2.call(() -> WwAcquireContext.init(k, c)); // oldest
      WwAcquireContext c1 = w1.call(() -> WwAcquireContext.init(k, c));
      WwAcquireContext c0 = w0.call(() -> WwAcquireContext.init(k, c)); // youngest
      assertEquals(0, (int) w0.call(() -> a0.lock(c0)));
      assertEquals(0, (int) w1.call(() -> a1.lock(c1)));
      assertEquals(0, (int) w2.call(() -> a2.lock(c2)));

      CompletableFuture<Integer> w2b = w2.submit(() -> a0.lock(c2)); // older than a0's holder: waits
      assertTrue(sched.awaitParked(w2.thread(), 5_000));
      assertEquals(-Errno.EDEADLK, (int) w0.call(() -> a1.lock(c0)));
      w0.run(a0::unlock);
      sched.resume(w2.thread());
      assertEquals(0, Actor.get(w2b)); // w2 holds a2 and a0
      assertEquals(-Errno.EDEADLK, (int) w1.call(() -> a2.lock(c1)));
      w1.run(a1::unlock);
      w0.run(() -> a1.lockSlow(c0)); // free: taken at once
      assertEquals(-Errno.EDEADLK, (int) w0.call(() -> a0.lock(c0)), "erra: the relock of its own mutex dies");
      assertSame(c2, a0.holderCtx());
    }
  }

  /**
   * Finding A of spec/litmus/KERNEL-DIVERGENCES.md on the Java ww_mutex, deterministically
   * ({@link ManualSched}): P1 is wounded by the older P0, dies at l1, backs off and, once P0 has
   * finished, ww_mutex_lock_slow()s l1, which is free. Built with lockdep, that lock goes through
   * __mutex_lock_common, which clears the wound (acquired == 0), and P1, now the oldest, waits
   * for the younger P2's l2. Without CONFIG_DEBUG_LOCK_ALLOC it is taken by
   * __mutex_trylock_fast, whose ww_mutex_set_context_fastpath keeps the wound, so P1 gets
   * -EDEADLK at l2 although it is the oldest live context: what the real kernel does (litmus
   * ww-ww-oldest-never-backs-off-after-stale-wound, "Result without lockdep: Sometimes").
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Kernel.Build.class)
  @DisplayName("Wound-Wait: a stale wound survives lock_slow by the fastpath (no lockdep) and the oldest dies")
  void stale_wound_survives_the_fastpath(Kernel.Build build) throws Exception {
    ManualSched sched = new ManualSched();
    Kernel k = new Kernel(sched, build);
    WwClass c = wwClass(false);
    WwMutex l1 = new WwMutex(k, c, "l1");
    WwMutex l2 = new WwMutex(k, c, "l2");
    WwMutex l3 = new WwMutex(k, c, "l3");
    try (Actor p0 = new Actor("P0"); Actor p1 = new Actor("P1"); Actor p2 = new Actor("P2")) {
      WwAcquireContext x0 = p0.call(() -> WwAcquireContext.init(k, c)); // oldest
      WwAcquireContext x1 = p1.call(() -> WwAcquireContext.init(k, c));
      assertEquals(0, (int) p0.call(() -> l1.lock(x0)));
      assertEquals(0, (int) p1.call(() -> l3.lock(x1)));
      CompletableFuture<Integer> p0l3 = p0.submit(() -> l3.lock(x0)); // waits, wounds P1
      assertTrue(sched.awaitParked(p0.thread(), 5_000));
      assertTrue(x1.isWounded());
      assertEquals(-Errno.EDEADLK, (int) p1.call(() -> l1.lock(x1)), "the wounded P1 dies at l1");
      p1.run(l3::unlock);
      sched.resume(p0.thread());
      assertEquals(0, Actor.get(p0l3));
      p0.run(() -> {
        l3.unlock();
        l1.unlock();
        x0.fini();
      });
      p1.run(() -> l1.lockSlow(x1)); // l1 is free
      assertEquals(!build.lockdep(), x1.isWounded(), "the wound after lock_slow of a free mutex");
      WwAcquireContext x2 = p2.call(() -> WwAcquireContext.init(k, c)); // youngest
      assertEquals(0, (int) p2.call(() -> l2.lock(x2)));
      CompletableFuture<Integer> p1l2 = p1.submit(() -> l2.lock(x1));
      if (build.lockdep()) {
        assertTrue(sched.awaitParked(p1.thread(), 5_000), "the oldest P1 waits for l2");
        assertTrue(x2.isWounded(), "and wounds the younger holder");
        p2.run(() -> {
          l2.unlock();
          x2.fini();
        });
        sched.resume(p1.thread());
        assertEquals(0, Actor.get(p1l2));
        p1.run(l2::unlock);
      } else {
        assertEquals(-Errno.EDEADLK, Actor.get(p1l2), "the oldest P1 gets -EDEADLK: the stale wound");
        p2.run(() -> {
          l2.unlock();
          x2.fini();
        });
      }
      p1.run(() -> {
        l1.unlock();
        x1.fini();
      });
    }
    assertFalse(l1.isLocked() || l2.isLocked() || l3.isLocked());
    assertEquals(List.of(), k.warnings());
  }

  // ---------------------------------------------------------------------------------------
  // 5. stress

  static final int STRESS_INORDER = 1;
  static final int STRESS_REORDER = 2;
  static final int STRESS_ONE = 4;
  static final int STRESS_ALL = STRESS_INORDER | STRESS_REORDER | STRESS_ONE;

  /** Shared state of one stress() run. */
  private static final class Stress {
    final WwClass wwClass;
    final WwMutex[] locks;
    final long timeout;
    final LongAdder progress = new LongAdder();
    final LongAdder transactions = new LongAdder();
    final LongAdder backoffs = new LongAdder();
    final LongAdder lateDeadlk = new LongAdder();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

    Stress(Kernel k, WwClass c, int nlocks, long durationMs) {
      wwClass = c;
      locks = new WwMutex[nlocks];
      for (int n = 0; n < nlocks; n++) {
        locks[n] = new WwMutex(k, c, "lock" + n);
      }
      timeout = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
    }

    boolean timeAfter() {
      return System.nanoTime() - timeout > 0;
    }
  }

  /** get_random_order: the kernel's shuffle (note n &gt; 1: it never swaps slots 0 and 1). */
  private static int[] getRandomOrder(int count, Random rng) {
    int[] order = new int[count];
    for (int n = 0; n < count; n++) {
      order[n] = n;
    }
    for (int n = count - 1; n > 1; n--) {
      int r = rng.nextInt(n + 1);
      if (r != n) {
        int t = order[n];
        order[n] = order[r];
        order[r] = t;
      }
    }
    return order;
  }

  /** dummy_load: usleep_range(1000, 2000), which sleeps its whole range whatever wakes it. */
  private static void dummyLoad(Random rng) {
    long end = System.nanoTime() + 1_000_000 + rng.nextInt(1_000_000);
    for (long left; (left = end - System.nanoTime()) > 0;) {
      LockSupport.parkNanos(left);
    }
  }

  private static void stressInorderWork(Kernel k, Stress stress, Random rng) {
    int nlocks = stress.locks.length;
    WwMutex[] locks = stress.locks;
    int[] order = getRandomOrder(nlocks, rng);
    do {
      int contended = -1;
      int n;
      int err;
      WwAcquireContext ctx = WwAcquireContext.init(k, stress.wwClass);
      for (;;) { // retry:
        err = 0;
        for (n = 0; n < nlocks; n++) {
          if (n == contended) {
            continue;
          }
          err = locks[order[n]].lock(ctx);
          if (err < 0) {
            break;
          }
          stress.progress.increment();
        }
        if (err == 0) {
          dummyLoad(rng);
        }
        if (contended > n) {
          locks[order[contended]].unlock();
        }
        contended = n;
        while (n-- > 0) {
          locks[order[n]].unlock();
        }
        if (err == -Errno.EDEADLK) {
          stress.backoffs.increment();
          if (!stress.timeAfter()) {
            locks[order[contended]].lockSlow(ctx);
            stress.progress.increment();
            continue;
          }
        }
        break;
      }
      ctx.fini();
      if (err == -Errno.EDEADLK) {
        stress.lateDeadlk.increment(); // the kernel's pr_err_once after the timeout
        break;
      }
      if (err != 0) {
        stress.errors.add("stress (stress_inorder_work) failed with " + err);
        break;
      }
      stress.transactions.increment();
    } while (!stress.timeAfter());
  }

  private static void stressReorderWork(Kernel k, Stress stress, Random rng) {
    int[] order = getRandomOrder(stress.locks.length, rng);
    List<WwMutex> locks = new ArrayList<>();
    for (int n = 0; n < order.length; n++) {
      locks.add(0, stress.locks[order[n]]); // list_add
    }
    do {
      WwAcquireContext ctx = WwAcquireContext.init(k, stress.wwClass);
      for (int i = 0; i < locks.size(); i++) {
        int err = locks.get(i).lock(ctx);
        if (err == 0) {
          stress.progress.increment();
          continue;
        }
        for (int j = i - 1; j >= 0; j--) { // list_for_each_entry_continue_reverse
          locks.get(j).unlock();
        }
        if (err != -Errno.EDEADLK) {
          stress.errors.add("stress (stress_reorder_work) failed with " + err);
          return; // the kernel breaks out and goes on with a broken list; stop instead
        }
        stress.backoffs.increment();
        WwMutex ll = locks.get(i);
        ll.lockSlow(ctx);
        stress.progress.increment();
        locks.remove(i); // list_move(&ll->link, &locks): restarts iteration
        locks.add(0, ll);
        i = 0;
      }
      dummyLoad(rng);
      for (WwMutex m : locks) {
        m.unlock();
      }
      ctx.fini();
      stress.transactions.increment();
    } while (!stress.timeAfter());
  }

  private static void stressOneWork(Stress stress, Random rng) {
    WwMutex lock = stress.locks[rng.nextInt(stress.locks.length)];
    do {
      int err = lock.lock(null);
      if (err == 0) {
        stress.progress.increment();
        dummyLoad(rng);
        lock.unlock();
        stress.transactions.increment();
      } else {
        stress.errors.add("stress (stress_one_work) failed with " + err);
        break;
      }
    } while (!stress.timeAfter());
  }

  /** stress(class, nlocks, nthreads, flags), bounded, with a watchdog. */
  private static void stress(String label, Kernel.Build build, boolean waitDie, int nlocks, int nthreads, int flags)
      throws Throwable {
    Kernel k = new Kernel(new RealSched(), build);
    WwClass c = wwClass(waitDie);
    Stress stress = new Stress(k, c, nlocks, STRESS_MS);
    List<Work> works = new ArrayList<>();
    long seed = 0x5eed_0000L + nlocks * 31L + flags;
    for (int n = 0; nthreads > 0; n++) {
      Random rng = new Random(seed + n);
      Work.ThrowingRunnable fn = null;
      String name = null;
      switch (n & 3) {
        case 0:
          if ((flags & STRESS_INORDER) != 0) {
            fn = () -> stressInorderWork(k, stress, rng);
            name = "stress_inorder_work";
          }
          break;
        case 1:
          if ((flags & STRESS_REORDER) != 0) {
            fn = () -> stressReorderWork(k, stress, rng);
            name = "stress_reorder_work";
          }
          break;
        case 2:
          if ((flags & STRESS_ONE) != 0) {
            fn = () -> stressOneWork(stress, rng);
            name = "stress_one_work";
          }
          break;
        default:
          break;
      }
      if (fn == null) {
        continue;
      }
      Work w = new Work(name + "/" + n, fn);
      works.add(w);
      nthreads--;
    }
    works.forEach(Thread::start);

    // Watchdog: fail when no lock was taken for WATCHDOG_MS.
    long last = -1;
    long lastChange = System.nanoTime();
    while (works.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(50);
      long p = stress.progress.sum();
      if (p != last) {
        last = p;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.MILLISECONDS.toNanos(WATCHDOG_MS)) {
        StringBuilder sb = new StringBuilder(label + ": no progress for " + WATCHDOG_MS + " ms (hang)");
        for (Work w : works) {
          if (w.isAlive()) {
            sb.append("\n  ").append(w.getName()).append(':').append(stack(w));
          }
        }
        fail(sb.toString());
      }
    }
    for (Work w : works) {
      w.flush();
    }
    System.out.printf("%s (%s, %s build): %d threads, %d locks, %d transactions, %d lock acquisitions, %d backoffs"
        + " (-EDEADLK), %d -EDEADLK after the timeout%n", label, c, build, works.size(), nlocks,
        stress.transactions.sum(), stress.progress.sum(), stress.backoffs.sum(), stress.lateDeadlk.sum());
    assertEquals(List.of(), stress.errors);
    assertTrue(stress.transactions.sum() > 0, "no transaction completed");
    for (WwMutex m : stress.locks) {
      assertFalse(m.isLocked(), m + " left locked");
      assertTrue(m.waitList().isEmpty(), m + " has waiters");
      assertNull(m.holderCtx());
      m.destroy();
    }
    assertEquals(List.of(), k.warnings(), "no WARN and no lockdep report");
  }

  static Stream<Arguments> buildsAndClasses() {
    return perBuild(List.of(Arguments.of(false), Arguments.of(true)));
  }

  @ParameterizedTest(name = "{0}, wait-die={1}")
  @MethodSource("buildsAndClasses")
  @DisplayName("stress_inorder: 16 locks, 2*ncpus workers, each taking all locks in its own order with backoff")
  void stress_inorder(Kernel.Build build, boolean waitDie) throws Throwable {
    stress("stress_inorder", build, waitDie, 16, 2 * NCPUS, STRESS_INORDER);
  }

  @ParameterizedTest(name = "{0}, wait-die={1}")
  @MethodSource("buildsAndClasses")
  @DisplayName("stress_reorder: 16 locks, 2*ncpus workers, the contended lock moves to the head of the list")
  void stress_reorder(Kernel.Build build, boolean waitDie) throws Throwable {
    stress("stress_reorder", build, waitDie, 16, 2 * NCPUS, STRESS_REORDER);
  }

  @ParameterizedTest(name = "{0}, wait-die={1}")
  @MethodSource("buildsAndClasses")
  @DisplayName("stress_all: 2046 locks, 3*ncpus workers: inorder, reorder and stress_one (one lock, NULL ctx)")
  void stress_all(Kernel.Build build, boolean waitDie) throws Throwable {
    stress("stress_all", build, waitDie, 2046, Integer.bitCount(STRESS_ALL) * NCPUS, STRESS_ALL);
  }
}
