package org.syncref.ww;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.kernel.Lockdep;
import org.syncref.kernel.Warning;
import org.syncref.sched.ManualSched;

/**
 * The ww_mutex part of lib/locking-selftest.c ({@code ww_tests()}, 36 {@code dotest} cases),
 * one test per case, named after it. The kernel runs each case with a fresh lockdep
 * and reports SUCCESS when {@code debug_locks} is still on afterwards, FAILURE when a lockdep
 * report or a DEBUG_LOCKS_WARN_ON fired; here SUCCESS is "no WARN recorded and no KernelBug",
 * FAILURE is "the expected WARN recorded" (each case asserts which check fired).
 *
 * <p>Setup as in the kernel: one Wait-Die class {@code ww_lockdep}; contexts t, t2; mutexes o, o2,
 * o3; raw spinlocks A, X1, Y1, Y2 (X1 of class X; Y1 and Y2 of class Y). The macros: WWAI =
 * ww_acquire_init (no deadlock injection), WWAD = done, WWAF = fini, WWL = ww_mutex_lock(x, c),
 * WWT = ww_mutex_trylock(x, NULL), WWL1 = ww_mutex_lock(x, NULL), WWU = ww_mutex_unlock. The
 * cases follow mainline, where ww_acquire_init also holds the fake first_lock_dep_map and
 * ww_test_normal takes its context just before the nest_lock step (both from the 2024 patch
 * "locking/ww_mutex: Adjust to lockdep nest_lock requirements").
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WwLockingSelftestExamples {
  private final Kernel k = new Kernel(new ManualSched());
  private final Lockdep lockdep = Lockdep.of(k);
  private final WwClass wwLockdep = WwClass.waitDie("ww_lockdep");
  private final WwMutex o = new WwMutex(k, wwLockdep, "o");
  private final WwMutex o2 = new WwMutex(k, wwLockdep, "o2");
  private final WwMutex o3 = new WwMutex(k, wwLockdep, "o3");
  private final SpinLock lockA = new SpinLock(k, SpinLock.spinClass("lock_A"), "A");
  private final Lockdep.LockClass classX = SpinLock.spinClass("lock_X");
  private final Lockdep.LockClass classY = SpinLock.spinClass("lock_Y");
  private final SpinLock lockX1 = new SpinLock(k, classX, "X1");
  private final SpinLock lockY1 = new SpinLock(k, classY, "Y1");
  private final SpinLock lockY2 = new SpinLock(k, classY, "Y2");
  private WwAcquireContext t;
  private WwAcquireContext t2;

  /** The kernel's dotest(fn, SUCCESS, LOCKTYPE_WW). */
  private void success(Runnable testcase) {
    try {
      testcase.run();
    } catch (KernelBug b) {
      fail("expected SUCCESS, got " + b);
    }
    assertEquals(List.of(), k.warnings(), "expected SUCCESS: no check may fire");
  }

  /** The kernel's dotest(fn, FAILURE, LOCKTYPE_WW): the check {@code expected} fired. */
  private void failure(Runnable testcase, String expected) {
    String bug = null;
    try {
      testcase.run();
    } catch (KernelBug b) {
      bug = b.getMessage();
    }
    List<String> fired = new java.util.ArrayList<>(k.warnings().stream().map(Warning::check).collect(Collectors.toList()));
    if (bug != null) {
      fired.add("BUG: " + bug);
    }
    assertFalse(fired.isEmpty(), "expected FAILURE: a check must fire");
    assertTrue(fired.stream().anyMatch(c -> c.contains(expected)),
        "expected a check containing '" + expected + "', got " + fired);
  }

  private WwAcquireContext wwai() {
    return WwAcquireContext.init(k, wwLockdep);
  }

  // ---------------------------------------------------------------------------------------
  // ww api failures

  @Test
  @DisplayName("1 ww_test_fail_acquire: -EALREADY, failed trylock, -EDEADLK for a younger copy -> SUCCESS")
  void ww_test_fail_acquire() {
    success(() -> {
      t = wwai();
      t.debugSetStamp(t.stamp() + 1);
      assertEquals(0, o.lock(t));
      assertSame(t, o.holderCtx());
      assertEquals(-Errno.EALREADY, o.lock(t)); // no lockdep test, pure API
      assertFalse(o.trylock(null));
      t2 = t.debugCopy();
      t2.debugSetStamp(t2.stamp() + 1);
      assertEquals(-Errno.EDEADLK, o.lock(t2));
      o.unlock();
      assertTrue(o.trylock(null));
      o.unlock();
    });
  }

  @Test
  @DisplayName("2 ww_test_normal: the base mutex API leaves o.ctx alone -> SUCCESS")
  void ww_test_normal() {
    success(() -> {
      WwAcquireContext poison = WwAcquireContext.debugUninitialised(k, "(void *)~0UL");
      o.debugSetCtx(poison);
      o.baseLock();
      o.baseUnlock();
      assertSame(poison, o.holderCtx());

      o.debugSetCtx(poison);
      assertEquals(0, o.baseLockInterruptible());
      o.baseUnlock();
      assertSame(poison, o.holderCtx());

      o.debugSetCtx(poison);
      assertEquals(0, o.baseLockKillable());
      o.baseUnlock();
      assertSame(poison, o.holderCtx());

      o.debugSetCtx(poison); // trylock, succeeding
      assertTrue(o.baseTrylock());
      o.baseUnlock();
      assertSame(poison, o.holderCtx());

      o.debugSetCtx(poison); // trylock, failing
      o.baseLock();
      assertFalse(o.baseTrylock());
      o.baseUnlock();
      assertSame(poison, o.holderCtx());

      t = wwai(); // mainline: the context is taken only for the nest_lock step
      o.debugSetCtx(poison);
      o.baseLockNestLock(t);
      o.baseUnlock();
      assertSame(poison, o.holderCtx());
    });
  }

  @Test
  @DisplayName("2' ww_test_normal in its 6.12 order (WWAI first) fails with mainline's first_lock_dep_map")
  void ww_test_normal_context_first_is_recursive_with_first_lock_dep_map() {
    failure(() -> {
      t = wwai();
      o.baseLock(); // a ww_lockdep_mutex under the context's fake first lock, without nest_lock
      o.baseUnlock();
    }, "possible recursive locking detected");
  }

  @Test
  @DisplayName("3 ww_test_unneeded_slow: lock_slow without a preceding -EDEADLK -> FAILURE")
  void ww_test_unneeded_slow() {
    failure(() -> {
      t = wwai();
      o.lockSlow(t);
    }, "DEBUG_LOCKS_WARN_ON(!ctx->contending_lock)");
  }

  // ww contexts mixing

  @Test
  @DisplayName("4 ww_test_two_contexts: two live contexts of one class in one task -> FAILURE (lockdep)")
  void ww_test_two_contexts() {
    failure(() -> {
      t = wwai();
      t2 = wwai();
    }, "possible recursive locking detected");
  }

  @Test
  @DisplayName("5 ww_test_diff_class: the context's class differs from the mutex's -> FAILURE")
  void ww_test_diff_class() {
    failure(() -> {
      t = wwai();
      t.debugSetWwClass(null);
      o.lock(t);
    }, "DEBUG_LOCKS_WARN_ON(ww_ctx->ww_class != ww->ww_class)");
  }

  // finishing ww context

  @Test
  @DisplayName("6 ww_test_context_done_twice -> FAILURE")
  void ww_test_context_done_twice() {
    failure(() -> {
      t = wwai();
      t.done();
      t.done();
      t.fini();
    }, "DEBUG_LOCKS_WARN_ON(ctx->done_acquire)");
  }

  @Test
  @DisplayName("7 ww_test_context_unlock_twice: fini twice -> FAILURE (lockdep: bad unlock balance)")
  void ww_test_context_unlock_twice() {
    failure(() -> {
      t = wwai();
      t.done();
      t.fini();
      t.fini();
    }, "bad unlock balance detected");
  }

  @Test
  @DisplayName("8 ww_test_context_fini_early: fini while holding o -> FAILURE")
  void ww_test_context_fini_early() {
    failure(() -> {
      t = wwai();
      o.lock(t);
      t.done();
      t.fini();
    }, "DEBUG_LOCKS_WARN_ON(ctx->acquired)");
  }

  @Test
  @DisplayName("9 ww_test_context_lock_after_done -> FAILURE")
  void ww_test_context_lock_after_done() {
    failure(() -> {
      t = wwai();
      t.done();
      o.lock(t);
    }, "DEBUG_LOCKS_WARN_ON(ww_ctx->done_acquire)");
  }

  // locking mismatches

  @Test
  @DisplayName("10 ww_test_object_unlock_twice -> FAILURE")
  void ww_test_object_unlock_twice() {
    failure(() -> {
      o.lock(null);
      o.unlock();
      o.unlock();
    }, "bad unlock balance detected");
    assertTrue(k.warnings().stream().anyMatch(w -> w.check().contains("__owner_task(owner) != current")));
  }

  @Test
  @DisplayName("11 ww_test_object_lock_unbalanced: acquired forced to 0 before the unlock -> FAILURE")
  void ww_test_object_lock_unbalanced() {
    failure(() -> {
      t = wwai();
      o.lock(t);
      t.debugSetAcquired(0);
      o.unlock();
      t.fini();
    }, "DEBUG_LOCKS_WARN_ON(!lock->ctx->acquired)");
  }

  @Test
  @DisplayName("12 ww_test_object_lock_stale_context: o.ctx already set when t takes it -> FAILURE")
  void ww_test_object_lock_stale_context() {
    failure(() -> {
      t = wwai();
      o.debugSetCtx(WwAcquireContext.debugUninitialised(k, "t2"));
      o.lock(t);
    }, "DEBUG_LOCKS_WARN_ON(ww->ctx)");
  }

  // EDEADLK handling

  /**
   * The common start of the EDEADLK cases: o2 (and o3 if {@code o3Too}) held through its base
   * mutex by an older fake context t2 (stamp - 1) hidden from lockdep; t holds o and gets
   * -EDEADLK on o2.
   */
  private void edeadlkSetup(boolean o3Too) {
    o2.baseLock();
    lockdep.release("mutex_release", o2.depMap());
    if (o3Too) {
      o3.baseLock();
      lockdep.release("mutex_release", o3.depMap());
    }
    t = wwai();
    t2 = t.debugCopy();
    t2.debugSetStamp(t.stamp() - 1);
    o2.debugSetCtx(t2);
    if (o3Too) {
      o3.debugSetCtx(t2);
    }
    assertEquals(0, o.lock(t));
    assertEquals(-Errno.EDEADLK, o2.lock(t));
    assertSame(o2, t.contendingLock());
  }

  /** The older holder of o2 lets go: o2.ctx = NULL, then its base mutex is unlocked. */
  private void o2HolderReleases() {
    o2.debugSetCtx(null);
    lockdep.acquire("mutex_acquire", o2.depMap(), true, null);
    o2.baseUnlock();
  }

  @Test
  @DisplayName("13 ww_test_edeadlk_normal: unlock o, then lock the contended o2 -> SUCCESS")
  void ww_test_edeadlk_normal() {
    success(() -> {
      edeadlkSetup(false);
      o2HolderReleases();
      o.unlock();
      assertEquals(0, o2.lock(t));
      assertSame(null, t.contendingLock());
    });
  }

  @Test
  @DisplayName("14 ww_test_edeadlk_normal_slow: unlock o, then lock_slow the contended o2 -> SUCCESS")
  void ww_test_edeadlk_normal_slow() {
    success(() -> {
      edeadlkSetup(false);
      o2HolderReleases();
      o.unlock();
      o2.lockSlow(t);
      assertSame(t, o2.holderCtx());
    });
  }

  @Test
  @DisplayName("15 ww_test_edeadlk_no_unlock: relock o2 while still holding o -> FAILURE")
  void ww_test_edeadlk_no_unlock() {
    failure(() -> {
      edeadlkSetup(false);
      o2HolderReleases();
      o2.lock(t);
    }, "DEBUG_LOCKS_WARN_ON(ww_ctx->acquired > 0)");
  }

  @Test
  @DisplayName("16 ww_test_edeadlk_no_unlock_slow -> FAILURE")
  void ww_test_edeadlk_no_unlock_slow() {
    failure(() -> {
      edeadlkSetup(false);
      o2HolderReleases();
      o2.lockSlow(t);
    }, "DEBUG_LOCKS_WARN_ON(ww_ctx->acquired > 0)");
  }

  @Test
  @DisplayName("17 ww_test_edeadlk_acquire_more: lock o3 after -EDEADLK on o2 -> FAILURE")
  void ww_test_edeadlk_acquire_more() {
    failure(() -> {
      edeadlkSetup(false);
      o3.lock(t);
    }, "After -EDEADLK you tried to acquire a different ww_mutex");
  }

  @Test
  @DisplayName("18 ww_test_edeadlk_acquire_more_slow -> FAILURE")
  void ww_test_edeadlk_acquire_more_slow() {
    failure(() -> {
      edeadlkSetup(false);
      o3.lockSlow(t);
    }, "After -EDEADLK you tried to acquire a different ww_mutex");
  }

  @Test
  @DisplayName("19 ww_test_edeadlk_acquire_more_edeadlk: a second -EDEADLK without backing off -> FAILURE")
  void ww_test_edeadlk_acquire_more_edeadlk() {
    failure(() -> {
      edeadlkSetup(true);
      assertEquals(-Errno.EDEADLK, o3.lock(t));
    }, "DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock)");
  }

  @Test
  @DisplayName("20 ww_test_edeadlk_acquire_more_edeadlk_slow -> FAILURE")
  void ww_test_edeadlk_acquire_more_edeadlk_slow() {
    failure(() -> {
      edeadlkSetup(true);
      o3.lockSlow(t);
    }, "DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock)");
  }

  @Test
  @DisplayName("21 ww_test_edeadlk_acquire_wrong: unlock o, then lock o3 instead of o2 -> FAILURE")
  void ww_test_edeadlk_acquire_wrong() {
    failure(() -> {
      edeadlkSetup(false);
      o.unlock();
      o3.lock(t);
    }, "After -EDEADLK you tried to acquire a different ww_mutex");
  }

  @Test
  @DisplayName("22 ww_test_edeadlk_acquire_wrong_slow -> FAILURE")
  void ww_test_edeadlk_acquire_wrong_slow() {
    failure(() -> {
      edeadlkSetup(false);
      o.unlock();
      o3.lockSlow(t);
    }, "After -EDEADLK you tried to acquire a different ww_mutex");
  }

  // spinlock nest

  @Test
  @DisplayName("23 ww_test_spin_nest_unlocked: spin_lock_nest_lock(A, &o.base) with o not held -> FAILURE")
  void ww_test_spin_nest_unlocked() {
    failure(() -> {
      lockA.lockNestLock(o.depMap());
      lockA.unlock();
    }, "Nested lock was not taken");
  }

  @Test
  @DisplayName("24 ww_test_spin_nest_lock: X1 serialises Y1 and Y2 -> SUCCESS")
  void ww_test_spin_nest_lock() {
    success(() -> {
      lockX1.lock();
      lockY1.lockNestLock(lockX1.depMap());
      lockA.lock();
      lockY2.lockNestLock(lockX1.depMap());
      lockA.unlock();
      lockY2.unlock();
      lockY1.unlock();
      lockX1.unlock();
    });
  }

  // The matrix: first acquisition (row) / second acquisition (column: block, try, context)

  @Test
  @DisplayName("25 ww_test_context_block: context, then WWL1 -> FAILURE")
  void ww_test_context_block() {
    failure(() -> {
      t = wwai();
      assertEquals(0, o.lock(t));
      o2.lock(null);
    }, "possible recursive locking detected");
  }

  @Test
  @DisplayName("26 ww_test_context_try: context, then WWT -> SUCCESS")
  void ww_test_context_try() {
    success(() -> {
      t = wwai();
      assertEquals(0, o.lock(t));
      assertTrue(o2.trylock(null));
      o2.unlock();
      o.unlock();
    });
  }

  @Test
  @DisplayName("27 ww_test_context_context: context, then context -> SUCCESS")
  void ww_test_context_context() {
    success(() -> {
      t = wwai();
      assertEquals(0, o.lock(t));
      assertEquals(0, o2.lock(t));
      o2.unlock();
      o.unlock();
    });
  }

  @Test
  @DisplayName("28 ww_test_try_block: WWT, then WWL1 -> FAILURE")
  void ww_test_try_block() {
    failure(() -> {
      assertTrue(o.trylock(null));
      o2.lock(null);
      o2.unlock();
      o.unlock();
    }, "possible recursive locking detected");
  }

  @Test
  @DisplayName("29 ww_test_try_try: WWT, then WWT -> SUCCESS")
  void ww_test_try_try() {
    success(() -> {
      assertTrue(o.trylock(null));
      assertTrue(o2.trylock(null));
      o2.unlock();
      o.unlock();
    });
  }

  @Test
  @DisplayName("30 ww_test_try_context: WWT, then a context and WWL -> FAILURE")
  void ww_test_try_context() {
    failure(() -> {
      assertTrue(o.trylock(null));
      t = wwai();
      assertEquals(0, o2.lock(t));
    }, "possible recursive locking detected");
  }

  @Test
  @DisplayName("31 ww_test_block_block: WWL1, then WWL1 -> FAILURE")
  void ww_test_block_block() {
    failure(() -> {
      o.lock(null);
      o2.lock(null);
    }, "possible recursive locking detected");
  }

  @Test
  @DisplayName("32 ww_test_block_try: WWL1, then WWT -> SUCCESS")
  void ww_test_block_try() {
    success(() -> {
      o.lock(null);
      assertTrue(o2.trylock(null));
    });
  }

  @Test
  @DisplayName("33 ww_test_block_context: WWL1, then a context and WWL -> FAILURE")
  void ww_test_block_context() {
    failure(() -> {
      o.lock(null);
      t = wwai();
      assertEquals(0, o2.lock(t));
    }, "possible recursive locking detected");
  }

  @Test
  @DisplayName("34 ww_test_spin_block: A inside o, then o inside A -> FAILURE")
  void ww_test_spin_block() {
    failure(() -> {
      lockA.lock();
      lockA.unlock();

      o.lock(null);
      lockA.lock();
      lockA.unlock();
      o.unlock();

      lockA.lock();
      o.lock(null);
      o.unlock();
      lockA.unlock();
    }, "Invalid wait context");
    assertTrue(k.warnings().stream().anyMatch(w -> w.check().contains("possible circular locking dependency")),
        "the A -> o inversion is reported too: " + k.warnings());
  }

  @Test
  @DisplayName("35 ww_test_spin_try: the same with trylocks -> SUCCESS")
  void ww_test_spin_try() {
    success(() -> {
      lockA.lock();
      lockA.unlock();

      assertTrue(o.trylock(null));
      lockA.lock();
      lockA.unlock();
      o.unlock();

      lockA.lock();
      assertTrue(o.trylock(null));
      o.unlock();
      lockA.unlock();
    });
  }

  @Test
  @DisplayName("36 ww_test_spin_context: the same with a context -> FAILURE")
  void ww_test_spin_context() {
    failure(() -> {
      lockA.lock();
      lockA.unlock();

      t = wwai();
      assertEquals(0, o.lock(t));
      lockA.lock();
      lockA.unlock();
      o.unlock();

      lockA.lock();
      assertEquals(0, o.lock(t));
      o.unlock();
      lockA.unlock();
    }, "Invalid wait context");
  }

  @Test
  @DisplayName("AA with a NULL context: lockdep's report, then the task would sleep on itself -> KernelBug")
  void aa_null_ctx_is_recursive_locking_then_kernel_bug() {
    o.lock(null);
    KernelBug b = org.junit.jupiter.api.Assertions.assertThrows(KernelBug.class, () -> o.lock(null));
    assertEquals("ww_mutex_lock", b.function());
    assertNotNull(k.warnings().stream().filter(w -> w.check().contains("possible recursive locking detected"))
        .findFirst().orElse(null), "lockdep reports it first: " + k.warnings());
    assertSame(Thread.currentThread(), o.owner(), "the first lock is still held");
    assertTrue(o.waitList().isEmpty());
  }
}
