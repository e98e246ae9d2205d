package org.syncref.ww;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.syncref.kernel.Errno;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.sched.ManualSched;

/**
 * The Wait-Die and Wound-Wait rules of kernel/locking/ww_mutex.h, one example each,
 * with deterministic interleavings: every task is an {@link Actor} and every sleep parks in a
 * {@link ManualSched} until the test resumes it (a kernel wake-up only counts). Ends with one
 * example per injected ww bug, run on a correct and on a broken kernel, so that the negative
 * controls are known to change behaviour.
 */
class WwMutexExamples {
  private final ManualSched sched = new ManualSched();
  private final Kernel k = new Kernel(sched);
  private final List<Actor> actors = new ArrayList<>();

  @AfterEach
  void closeActors() {
    actors.forEach(Actor::close);
  }

  private Actor actor(String name) {
    Actor a = new Actor(name);
    actors.add(a);
    return a;
  }

  private static WwClass wwClass(boolean waitDie) {
    return waitDie ? WwClass.waitDie("wd_class") : WwClass.woundWait("ww_class");
  }

  private WwAcquireContext init(Actor a, WwClass c) throws Exception {
    return a.call(() -> WwAcquireContext.init(k, c));
  }

  /** A lock that must return without sleeping. */
  private int lock(Actor a, WwMutex m, WwAcquireContext c) throws Exception {
    return a.call(() -> m.lock(c));
  }

  /** A step that must go to sleep; its future completes after the test resumes the task. */
  private <T> CompletableFuture<T> sleeping(Actor a, Callable<T> step) throws Exception {
    CompletableFuture<T> f = a.submit(step);
    assertTrue(sched.awaitParked(a.thread(), 5_000), a.thread().getName() + " did not go to sleep");
    return f;
  }

  private CompletableFuture<Integer> lockSleeping(Actor a, WwMutex m, WwAcquireContext c) throws Exception {
    return sleeping(a, () -> m.lock(c));
  }

  private void unlock(Actor a, WwMutex... ms) throws Exception {
    a.run(() -> {
      for (WwMutex m : ms) {
        m.unlock();
      }
    });
  }

  private static List<Thread> waiters(WwMutex m) {
    return m.waitList().stream().map(WwMutex.WaiterInfo::task).collect(Collectors.toList());
  }

  // ---------------------------------------------------------------------------------------

  @ParameterizedTest(name = "wait-die={0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("ABBA: the oldest context waits (never -EDEADLK), the younger backs off and lock_slows")
  void oldest_never_gets_edeadlk(boolean waitDie) throws Exception {
    WwClass c = wwClass(waitDie);
    WwMutex m0 = new WwMutex(k, c, "m0");
    WwMutex m1 = new WwMutex(k, c, "m1");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);
    assertTrue(co.stamp() < cy.stamp());
    assertEquals(0, lock(o, m0, co));
    assertEquals(0, lock(y, m1, cy));

    CompletableFuture<Integer> oldLocksM1 = lockSleeping(o, m1, co);
    // Wound-Wait: the older waiter wounds the younger holder and wakes it; Wait-Die: it just waits.
    assertEquals(!waitDie, cy.isWounded());
    assertEquals(waitDie ? 0 : 1, sched.wakeups(y.thread()));

    assertEquals(-Errno.EDEADLK, lock(y, m0, cy), "the younger one backs off at once");
    assertSame(m0, cy.contendingLock());
    unlock(y, m1);
    sched.resume(o.thread());
    assertEquals(0, Actor.get(oldLocksM1), "the oldest never gets -EDEADLK");
    assertEquals(2, co.acquired());

    CompletableFuture<Void> slow = sleeping(y, () -> {
      m0.lockSlow(cy);
      return null;
    });
    assertFalse(cy.isWounded(), "a context that holds nothing is unwounded on entry");
    unlock(o, m1, m0);
    o.run(co::fini);
    sched.resume(y.thread());
    Actor.get(slow);
    assertNull(cy.contendingLock());
    assertEquals(0, lock(y, m1, cy));
    unlock(y, m1, m0);
    y.run(cy::fini);
    assertEquals(List.of(), k.warnings());
  }

  @ParameterizedTest(name = "wait-die={0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("acquired == 0: a context that holds nothing never dies and never wounds")
  void acquired_zero_never_dies_nor_wounds(boolean waitDie) throws Exception {
    WwClass c = wwClass(waitDie);
    WwMutex m = new WwMutex(k, c, "m");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);

    // A younger context holding nothing waits for an older holder (Wait-Die would kill it otherwise).
    assertEquals(0, lock(o, m, co));
    CompletableFuture<Integer> young = lockSleeping(y, m, cy);
    unlock(o, m);
    sched.resume(y.thread());
    assertEquals(0, Actor.get(young));

    // An older context holding nothing waits for a younger holder without wounding it.
    int before = sched.wakeups(y.thread());
    CompletableFuture<Integer> old = lockSleeping(o, m, co);
    assertFalse(cy.isWounded());
    assertEquals(before, sched.wakeups(y.thread()), "the holder is not woken");
    unlock(y, m);
    sched.resume(o.thread());
    assertEquals(0, Actor.get(old));
    unlock(o, m);
    assertEquals(List.of(), k.warnings());
  }

  @Test
  @DisplayName("Wait-Die: a younger context that holds locks dies when queueing behind an older waiter")
  void wait_die_dies_at_queueing() throws Exception {
    WwClass c = wwClass(true);
    WwMutex m = new WwMutex(k, c, "m");
    WwMutex m2 = new WwMutex(k, c, "m2");
    Actor h = actor("holder");
    Actor o = actor("old");
    Actor y = actor("young");
    Actor z = actor("young-empty");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);
    WwAcquireContext cz = init(z, c);
    assertEquals(0, lock(h, m, null)); // no holder context: only the queue can kill
    CompletableFuture<Integer> old = lockSleeping(o, m, co);
    assertEquals(0, lock(y, m2, cy));

    assertEquals(-Errno.EDEADLK, lock(y, m, cy), "an older context is already waiting");
    assertSame(m, cy.contendingLock());
    assertEquals(List.of(o.thread()), waiters(m), "the dying context was never queued");

    CompletableFuture<Integer> empty = lockSleeping(z, m, cz); // acquired == 0: queues behind
    assertEquals(List.of(o.thread(), z.thread()), waiters(m));

    unlock(h, m);
    sched.resume(o.thread());
    assertEquals(0, Actor.get(old));
    unlock(o, m);
    sched.resume(z.thread());
    assertEquals(0, Actor.get(empty));
    unlock(z, m);
    unlock(y, m2);
    assertEquals(List.of(), k.warnings());
  }

  @Test
  @DisplayName("Wait-Die: an older context queueing ahead wakes the younger lock-holding waiters, which die")
  void wait_die_older_waiter_wakes_younger_to_die() throws Exception {
    WwClass c = wwClass(true);
    WwMutex m = new WwMutex(k, c, "m");
    WwMutex m2 = new WwMutex(k, c, "m2");
    Actor h = actor("holder");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);
    assertEquals(0, lock(h, m, null));
    assertEquals(0, lock(y, m2, cy));
    CompletableFuture<Integer> young = lockSleeping(y, m, cy); // nobody older around: waits
    int before = sched.wakeups(y.thread());

    CompletableFuture<Integer> old = lockSleeping(o, m, co);
    assertEquals(List.of(o.thread(), y.thread()), waiters(m), "sorted by stamp, oldest first");
    assertEquals(before + 1, sched.wakeups(y.thread()), "__ww_mutex_die woke the younger waiter");
    sched.resume(y.thread());
    assertEquals(-Errno.EDEADLK, Actor.get(young), "__ww_mutex_check_kill: an older context waits ahead");
    assertEquals(List.of(o.thread()), waiters(m));

    unlock(y, m2);
    unlock(h, m);
    sched.resume(o.thread());
    assertEquals(0, Actor.get(old));
    unlock(o, m);
    assertEquals(List.of(), k.warnings());
  }

  @Test
  @DisplayName("Wait-Die: a context that takes a lock with waiters behind wakes a younger lock-holding one to die")
  void wait_die_check_waiters_after_acquire() throws Exception {
    WwClass c = wwClass(true);
    WwMutex m = new WwMutex(k, c, "m");
    WwMutex m2 = new WwMutex(k, c, "m2");
    Actor h = actor("holder");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);
    assertEquals(0, lock(h, m, null));
    assertEquals(0, lock(y, m2, cy));
    CompletableFuture<Integer> young = lockSleeping(y, m, cy);
    unlock(h, m); // wakes y, which does not run yet
    int before = sched.wakeups(y.thread());

    assertEquals(0, lock(o, m, co), "the free lock is taken on the fastpath");
    assertEquals(before + 1, sched.wakeups(y.thread()), "__ww_mutex_check_waiters woke the younger waiter");
    sched.resume(y.thread());
    assertEquals(-Errno.EDEADLK, Actor.get(young), "the holder is older");
    assertTrue(m.waitList().isEmpty());
    unlock(o, m);
    unlock(y, m2);
    assertEquals(List.of(), k.warnings());
  }

  @Test
  @DisplayName("Wound-Wait: the wound is lazy (uncontended locks succeed), the next contended lock returns -EDEADLK")
  void wound_wait_lazy_wound() throws Exception {
    WwClass c = wwClass(false);
    WwMutex m0 = new WwMutex(k, c, "m0");
    WwMutex m1 = new WwMutex(k, c, "m1");
    WwMutex m2 = new WwMutex(k, c, "m2");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);
    assertEquals(0, lock(o, m0, co));
    assertEquals(0, lock(y, m1, cy));
    CompletableFuture<Integer> old = lockSleeping(o, m1, co);
    assertTrue(cy.isWounded());
    assertEquals(1, sched.wakeups(y.thread()), "the wounded holder's task is woken");

    assertEquals(0, lock(y, m2, cy), "an uncontended lock ignores the wound");
    assertTrue(cy.isWounded());
    assertEquals(2, cy.acquired());
    assertEquals(-Errno.EDEADLK, lock(y, m0, cy), "contended: the wound is acted on");
    unlock(y, m2, m1);
    sched.resume(o.thread());
    assertEquals(0, Actor.get(old));
    unlock(o, m1, m0);
    assertEquals(0, y.call(() -> {
      m0.lockSlow(cy);
      return cy.isWounded() ? 1 : 0;
    }), "wounded is cleared on entry when acquired == 0");
    unlock(y, m0);
    assertEquals(List.of(), k.warnings());
  }

  @Test
  @DisplayName("Wound-Wait: a context that takes a lock on the fastpath and finds an older waiter wounds itself")
  void wound_wait_fastpath_finds_older_waiter() throws Exception {
    WwClass c = wwClass(false);
    WwMutex m = new WwMutex(k, c, "m");
    WwMutex m0 = new WwMutex(k, c, "m0");
    WwMutex m1 = new WwMutex(k, c, "m1");
    Actor h = actor("holder");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);
    assertEquals(0, lock(h, m, null));
    assertEquals(0, lock(o, m0, co));
    assertEquals(0, lock(y, m1, cy));
    CompletableFuture<Integer> old = lockSleeping(o, m, co); // holder without context: no wound
    unlock(h, m);

    assertEquals(0, lock(y, m, cy));
    assertTrue(cy.isWounded(), "__ww_mutex_check_waiters: the older waiter holds locks");
    assertEquals(-Errno.EDEADLK, lock(y, m0, cy));
    unlock(y, m, m1);
    sched.resume(o.thread());
    assertEquals(0, Actor.get(old));
    unlock(o, m, m0);
    assertEquals(List.of(), k.warnings());
  }

  @ParameterizedTest(name = "wait-die={0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("wait list: context waiters sorted by stamp, context-less ones FIFO and skipped by the scan")
  void waiter_ordering(boolean waitDie) throws Exception {
    WwClass c = wwClass(waitDie);
    WwMutex m = new WwMutex(k, c, "m");
    Actor h = actor("holder");
    Actor n1 = actor("n1");
    Actor n2 = actor("n2");
    Actor c1 = actor("c1");
    Actor c2 = actor("c2");
    Actor c3 = actor("c3");
    WwAcquireContext x1 = init(c1, c);
    WwAcquireContext x2 = init(c2, c);
    WwAcquireContext x3 = init(c3, c);
    assertEquals(0, lock(h, m, null));
    List<CompletableFuture<Integer>> f = new ArrayList<>();
    f.add(lockSleeping(n1, m, null));
    f.add(lockSleeping(c3, m, x3));
    f.add(lockSleeping(n2, m, null));
    f.add(lockSleeping(c1, m, x1));
    f.add(lockSleeping(c2, m, x2));
    // __ww_mutex_add_waiter: c1 goes before the first younger context (c3), and so before
    // n2, which queued behind c3; c2 between c1 and c3; n1 is never passed.
    assertEquals(List.of(n1.thread(), c1.thread(), c2.thread(), c3.thread(), n2.thread()), waiters(m));

    // The unlock wakes the first waiter; each runs in turn.
    Actor[] order = {n1, c1, c2, c3, n2};
    Actor prev = h;
    for (Actor a : order) {
      unlock(prev, m);
      assertEquals(1, sched.wakeups(a.thread()), a.thread().getName() + " is woken first");
      sched.resume(a.thread());
      prev = a;
    }
    unlock(prev, m);
    for (CompletableFuture<Integer> r : f) {
      assertEquals(0, Actor.get(r));
    }
    assertEquals(List.of(), k.warnings());
  }

  @Test
  @DisplayName("HANDOFF: a first waiter that loses the lock to a thief gets it handed over at the next unlock")
  void first_waiter_gets_handoff() throws Exception {
    WwClass c = wwClass(true);
    WwMutex m = new WwMutex(k, c, "m");
    Actor h = actor("holder");
    Actor w = actor("waiter");
    Actor s = actor("thief");
    assertEquals(0, lock(h, m, null));
    CompletableFuture<Integer> waiter = lockSleeping(w, m, null);
    unlock(h, m);
    assertTrue(s.call(() -> m.trylock(null)), "a free mutex can be stolen before the woken waiter runs");
    sched.resume(w.thread());
    assertTrue(sched.awaitParked(w.thread(), 5_000), "the waiter failed, set HANDOFF and sleeps again");
    assertTrue(m.isHandoffPending());
    unlock(s, m);
    assertSame(w.thread(), m.owner(), "__mutex_handoff: the lock now belongs to the waiter");
    assertFalse(s.call(() -> m.trylock(null)), "nobody else can take a handed-off lock");
    sched.resume(w.thread());
    assertEquals(0, Actor.get(waiter));
    unlock(w, m);
    assertFalse(m.isLocked());
    assertEquals(List.of(), k.warnings());
  }

  @Test
  @DisplayName("interruptible: a pending signal ends lock and lock_slow waits with -EINTR, leaving nothing queued")
  void interruptible_waits_end_with_eintr() throws Exception {
    WwClass c = wwClass(true);
    WwMutex m0 = new WwMutex(k, c, "m0");
    WwMutex m1 = new WwMutex(k, c, "m1");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);
    assertEquals(0, lock(o, m0, co));
    CompletableFuture<Integer> intr = sleeping(y, () -> m0.lockInterruptible(cy));
    sched.setSignalPending(y.thread(), true);
    sched.resume(y.thread());
    assertEquals(-Errno.EINTR, Actor.get(intr));
    assertTrue(m0.waitList().isEmpty());
    assertEquals(-Errno.EINTR, y.call(() -> m0.lockInterruptible(cy)), "a pending signal is seen before sleeping");
    sched.setSignalPending(y.thread(), false);

    assertEquals(0, lock(y, m1, cy));
    assertEquals(-Errno.EDEADLK, y.call(() -> m0.lockInterruptible(cy)));
    unlock(y, m1);
    CompletableFuture<Integer> slow = sleeping(y, () -> m0.lockSlowInterruptible(cy));
    sched.setSignalPending(y.thread(), true);
    sched.resume(y.thread());
    assertEquals(-Errno.EINTR, Actor.get(slow));
    sched.setSignalPending(y.thread(), false);
    assertEquals(0, cy.acquired());
    unlock(o, m0);
    y.run(cy::fini);
    o.run(co::fini);
    assertEquals(List.of(), k.warnings(), "the interrupted locks were released from lockdep too");
  }

  @ParameterizedTest(name = "wait-die={0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("the textbook backoff loop (WwLockAll): transactions over shared locks in clashing orders all complete")
  void textbook_backoff_loop_completes(boolean waitDie) throws Throwable {
    Kernel real = new Kernel(); // real threads: the interleaving varies, the outcome does not
    WwClass c = wwClass(waitDie);
    List<WwMutex> locks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      locks.add(new WwMutex(real, c, "obj" + i));
    }
    java.util.concurrent.atomic.AtomicIntegerArray inUse = new java.util.concurrent.atomic.AtomicIntegerArray(8);
    java.util.concurrent.atomic.AtomicInteger backoffs = new java.util.concurrent.atomic.AtomicInteger();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<WwMutex> order = new ArrayList<>(locks);
      java.util.Collections.shuffle(order, new java.util.Random(t));
      CompletableFuture<Void> f = new CompletableFuture<>();
      Thread th = new Thread(() -> {
        try {
          for (int round = 0; round < 100; round++) {
            WwAcquireContext ctx = WwAcquireContext.init(real, c);
            WwLockAll.Result r = WwLockAll.lockAll(order, ctx);
            assertEquals(0, r.ret());
            backoffs.addAndGet(r.backoffs());
            ctx.done();
            for (WwMutex m : order) {
              int i = locks.indexOf(m);
              assertTrue(inUse.compareAndSet(i, 0, 1), "mutual exclusion on " + m);
            }
            Thread.yield();
            for (WwMutex m : order) {
              inUse.set(locks.indexOf(m), 0);
            }
            WwLockAll.unlockAll(order);
            ctx.fini();
          }
          f.complete(null);
        } catch (Throwable e) {
          f.completeExceptionally(e);
        }
      }, "lock_objs-" + t);
      th.setDaemon(true);
      th.start();
      done.add(f);
    }
    for (CompletableFuture<Void> f : done) {
      f.get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
    System.out.printf("WwLockAll (%s): 4 threads x 100 transactions over 8 locks, %d backoffs%n", c,
        backoffs.get());
    for (WwMutex m : locks) {
      assertFalse(m.isLocked());
    }
    assertEquals(List.of(), real.warnings());
  }

  // ---------------------------------------------------------------------------------------
  // Negative controls: each injected bug changes the behaviour

  /** ABBA on a Wait-Die class with interruptible locks: what the younger context's lock(m0) does. */
  private int abbaYoungerResult(Kernel kernel, ManualSched s) throws Exception {
    WwClass c = wwClass(true);
    WwMutex m0 = new WwMutex(kernel, c, "m0");
    WwMutex m1 = new WwMutex(kernel, c, "m1");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = o.call(() -> WwAcquireContext.init(kernel, c));
    WwAcquireContext cy = y.call(() -> WwAcquireContext.init(kernel, c));
    assertEquals(0, (int) o.call(() -> m0.lock(co)));
    assertEquals(0, (int) y.call(() -> m1.lock(cy)));
    CompletableFuture<Integer> old = o.submit(() -> m1.lockInterruptible(co));
    assertTrue(s.awaitParked(o.thread(), 5_000));
    CompletableFuture<Integer> young = y.submit(() -> m0.lockInterruptible(cy));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!young.isDone() && !s.isParked(y.thread())) { // returns, or goes to sleep
      assertTrue(System.nanoTime() < deadline, "the younger task neither returned nor slept");
      Thread.sleep(1);
    }
    int result;
    if (young.isDone()) {
      result = Actor.get(young);
    } else {
      // Both sleep on each other: a real deadlock. End it with a signal.
      assertTrue(s.isParked(o.thread()), "both tasks sleep");
      s.setSignalPending(y.thread(), true);
      s.resume(y.thread());
      assertEquals(-Errno.EINTR, Actor.get(young));
      result = 1; // "slept"
    }
    y.run(m1::unlock);
    s.resume(o.thread());
    assertEquals(0, Actor.get(old));
    o.run(() -> {
      m1.unlock();
      m0.unlock();
    });
    return result;
  }

  @ParameterizedTest(name = "injected={0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("negative control WW_WAIT_DIE_YOUNGER_WAITS: ABBA deadlocks instead of the younger dying")
  void injected_wait_die_younger_waits(boolean injected) throws Exception {
    if (injected) {
      k.inject(InjectedBug.WW_WAIT_DIE_YOUNGER_WAITS);
    }
    assertEquals(injected ? 1 : -Errno.EDEADLK, abbaYoungerResult(k, sched));
  }

  @ParameterizedTest(name = "injected={0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("negative control WW_LOCK_FORGETS_ACQUIRED: acquired stays 0, the deadlock goes undetected, unlock WARNs")
  void injected_lock_forgets_acquired(boolean injected) throws Exception {
    if (injected) {
      k.inject(InjectedBug.WW_LOCK_FORGETS_ACQUIRED);
    }
    Actor a = actor("a");
    WwClass c = wwClass(true);
    WwMutex m = new WwMutex(k, c, "m");
    WwAcquireContext ctx = init(a, c);
    assertEquals(0, lock(a, m, ctx));
    assertEquals(injected ? 0 : 1, ctx.acquired());
    unlock(a, m);
    assertEquals(injected, k.warnings().stream()
        .anyMatch(w -> w.check().equals("DEBUG_LOCKS_WARN_ON(!lock->ctx->acquired)")));
    a.run(ctx::fini);

    assertEquals(injected ? 1 : -Errno.EDEADLK, abbaYoungerResult(k, sched));
  }

  @ParameterizedTest(name = "injected={0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("negative control WW_WOUND_WAIT_EAGER_BACKOFF: a wounded context's uncontended lock returns -EDEADLK")
  void injected_wound_wait_eager_backoff(boolean injected) throws Exception {
    if (injected) {
      k.inject(InjectedBug.WW_WOUND_WAIT_EAGER_BACKOFF);
    }
    WwClass c = wwClass(false);
    WwMutex m0 = new WwMutex(k, c, "m0");
    WwMutex m1 = new WwMutex(k, c, "m1");
    WwMutex m2 = new WwMutex(k, c, "m2");
    Actor o = actor("old");
    Actor y = actor("young");
    WwAcquireContext co = init(o, c);
    WwAcquireContext cy = init(y, c);
    assertEquals(0, lock(o, m0, co));
    assertEquals(0, lock(y, m1, cy));
    CompletableFuture<Integer> old = lockSleeping(o, m1, co);
    assertTrue(cy.isWounded());

    int r = lock(y, m2, cy);
    assertEquals(injected ? -Errno.EDEADLK : 0, r, "the lock on the free mutex m2");
    if (r == 0) {
      unlock(y, m2);
    }
    unlock(y, m1);
    sched.resume(o.thread());
    assertEquals(0, Actor.get(old));
    unlock(o, m1, m0);
  }
}
