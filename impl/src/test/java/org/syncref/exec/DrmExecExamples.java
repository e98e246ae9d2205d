package org.syncref.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.resv.DmaResv;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;

/**
 * drm_exec, i915_gem_ww_ctx and dma_resv's ww_mutex beyond
 * the kernel's own drm_exec test: the acquire-context entry points of dma_resv, duplicates per
 * flag, prepare's unlock on failure, and a deterministic Wait-Die backoff in which the contended
 * object is slow-locked first. Real threads ({@link org.syncref.sched.RealSched}); the older
 * transaction runs in a helper thread.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrmExecExamples {
  private final Kernel k = new Kernel();

  // --- dma_resv with an acquire context ---------------------------------------------------

  @Test
  @DisplayName("dma_resv_lock(obj, ctx): 0, then -EALREADY; dma_resv_locking_ctx; unlock drops acquired")
  void resv_lock_ctx() {
    DmaResv resv = new DmaResv(k);
    WwAcquireContext ctx = WwAcquireContext.init(k, WwClass.reservationWwClass(k));
    assertSame(WwClass.reservationWwClass(k), resv.wwMutex().wwClass());
    assertTrue(resv.wwMutex().wwClass().isWaitDie(), "DEFINE_WD_CLASS(reservation_ww_class)");
    assertEquals(0, resv.lock(ctx));
    assertSame(ctx, resv.lockingCtx());
    assertEquals(1, ctx.acquired());
    assertEquals(-Errno.EALREADY, resv.lock(ctx));
    assertEquals(-Errno.EALREADY, resv.lockInterruptible(ctx));
    assertFalse(resv.trylock(), "dma_resv_trylock (NULL ctx) by the holder fails");
    assertTrue(resv.held());
    resv.unlock();
    assertEquals(0, ctx.acquired());
    assertNull(resv.lockingCtx());
    assertEquals(0, resv.lock());
    assertNull(resv.lockingCtx(), "dma_resv_lock(obj, NULL) records no context");
    resv.unlock();
    ctx.fini();
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }

  @Test
  @DisplayName("dma_resv_lock(obj, NULL) after dma_resv_lock(obj, ctx) by the holder self-deadlocks (KernelBug)")
  void resv_null_after_ctx() {
    DmaResv resv = new DmaResv(k);
    WwAcquireContext ctx = WwAcquireContext.init(k, WwClass.reservationWwClass(k));
    assertEquals(0, resv.lock(ctx));
    assertEquals("dma_resv_lock", org.junit.jupiter.api.Assertions.assertThrows(KernelBug.class, resv::lock).function());
    resv.unlock();
    ctx.fini();
  }

  @Test
  @DisplayName("dma_resv_lock_slow without a preceding -EDEADLK WARNs (DEBUG_WW_MUTEXES) and locks")
  void resv_lock_slow_without_edeadlk() {
    DmaResv resv = new DmaResv(k);
    WwAcquireContext ctx = WwAcquireContext.init(k, WwClass.reservationWwClass(k));
    resv.lockSlow(ctx);
    assertTrue(resv.held());
    assertTrue(k.warnings().stream().anyMatch(w -> w.function().equals("ww_mutex_lock_slow")));
    resv.unlock();
    ctx.fini();
  }

  // --- drm_exec ---------------------------------------------------------------------------

  @Test
  @DisplayName("without DRM_EXEC_IGNORE_DUPLICATES a second drm_exec_lock_obj returns -EALREADY")
  void duplicates_without_flag() {
    GemObject o = new GemObject(k, "o");
    DrmExec exec = DrmExec.init(k, 0, 0);
    List<Integer> rets = new ArrayList<>();
    exec.untilAllLocked(e -> {
      rets.add(e.lockObj(o));
      e.retryOnContention();
      rets.add(e.prepareObj(o, 1));
      e.retryOnContention();
      return true;
    });
    assertEquals(List.of(0, -Errno.EALREADY), rets);
    assertEquals(List.of(o), exec.lockedObjects());
    assertTrue(o.resv().held(), "still locked once");
    exec.fini();
    assertFalse(o.resv().isLocked());
    assertEquals(1, o.refcount());
  }

  @Test
  @DisplayName("drm_exec_prepare_obj: a failing dma_resv_reserve_fences unlocks the object again")
  void prepare_failure_unlocks() {
    GemObject a = new GemObject(k, "a");
    GemObject b = new GemObject(k, "b");
    DrmExec exec = DrmExec.init(k, 0, 0);
    int[] ret = new int[2];
    exec.untilAllLocked(e -> {
      ret[0] = e.prepareObj(a, 1);
      e.retryOnContention();
      ret[1] = e.prepareObj(b, -1); // (unsigned) ~0 fences: -ENOMEM
      e.retryOnContention();
      return true;
    });
    assertEquals(0, ret[0]);
    assertEquals(-Errno.ENOMEM, ret[1]);
    assertFalse(b.resv().isLocked());
    assertEquals(1, b.refcount());
    assertEquals(List.of(a), exec.lockedObjects());
    exec.fini();
  }

  @Test
  @DisplayName("manual loop: while (cleanup()) { ...; if (retryOnContention()) continue; } ends with ww_acquire_done")
  void manual_loop() {
    GemObject a = new GemObject(k, "a");
    DrmExec exec = DrmExec.init(k, 0, 4);
    int passes = 0;
    while (exec.cleanup()) {
      passes++;
      int ret = exec.lockObj(a);
      if (exec.retryOnContention()) {
        continue;
      }
      assertEquals(0, ret);
    }
    assertEquals(1, passes);
    assertTrue(exec.ticket().isDoneAcquire());
    exec.fini();
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }

  @Test
  @DisplayName("drm_exec's objects array grows past nr")
  void objects_grow() {
    DrmExec exec = DrmExec.init(k, 0, 2);
    List<GemObject> objs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      objs.add(new GemObject(k, "o" + i));
    }
    exec.untilAllLocked(e -> {
      int ret = e.prepareArray(objs, 1);
      e.retryOnContention();
      assertEquals(0, ret);
      return true;
    });
    // on the default PROVE_LOCKING build the deadlock injection (its countdown starts at
    // stamp & 0xf) backs off once, and the contended object is locked first in the next round
    assertEquals(new java.util.HashSet<>(objs), new java.util.HashSet<>(exec.lockedObjects()));
    assertEquals(objs.size(), exec.lockedObjects().size());
    assertEquals(2 + 512, exec.maxObjects());
    exec.fini();
    objs.forEach(o -> assertEquals(1, o.refcount()));
  }

  /**
   * A helper thread starts an older transaction and locks {@code x}; it releases x once the
   * calling thread sleeps on it (after the younger one's backoff, in lock_slow).
   */
  private Thread olderHolder(GemObject x, CountDownLatch locked, AtomicReference<Throwable> failure) {
    Thread t = new Thread(() -> {
      try {
        WwAcquireContext old = WwAcquireContext.init(k, WwClass.reservationWwClass(k));
        assertEquals(0, x.resv().lock(old));
        locked.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (x.resv().wwMutex().waitList().isEmpty() && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        x.resv().unlock();
        old.fini();
      } catch (Throwable e) {
        failure.set(e);
        locked.countDown();
      }
    }, "older");
    t.start();
    return t;
  }

  @Test
  @DisplayName("Wait-Die in drm_exec: the younger exec gets -EDEADLK, backs off, slow-locks the contended object first")
  void drm_exec_contended_first() throws Exception {
    GemObject x = new GemObject(k, "x");
    GemObject y = new GemObject(k, "y");
    CountDownLatch locked = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread older = olderHolder(x, locked, failure);
    assertTrue(locked.await(5, TimeUnit.SECONDS));
    DrmExec exec = DrmExec.init(k, 0, 0); // its ticket is initialised now: younger
    List<String> log = new ArrayList<>();
    int passes = exec.untilAllLocked(e -> {
      log.add("pass, locked " + e.lockedObjects());
      int ret = e.lockObj(y);
      log.add("y " + ret + " " + e.lockedObjects() + " prelocked=" + e.prelocked());
      e.retryOnContention();
      ret = e.lockObj(x);
      log.add("x " + ret + " " + e.lockedObjects() + " prelocked=" + e.prelocked());
      e.retryOnContention();
      return true;
    });
    older.join(5000);
    assertNull(failure.get());
    assertEquals(2, passes);
    assertEquals(1, exec.backoffs());
    assertEquals(List.of(
        "pass, locked []",
        "y 0 [y] prelocked=null",
        "x " + -Errno.EDEADLK + " [y] prelocked=null",
        "pass, locked []",
        "y 0 [x, y] prelocked=x",
        "x 0 [x, y] prelocked=null"), log);
    assertSame(exec.ticket(), x.resv().lockingCtx());
    assertSame(exec.ticket(), y.resv().lockingCtx());
    assertEquals(2, exec.ticket().acquired());
    exec.fini();
    assertEquals(1, x.refcount());
    assertEquals(1, y.refcount());
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }

  @Test
  @DisplayName("DRM_EXEC_INTERRUPTIBLE_WAIT: a signal during the slow lock of the contended object gives -EINTR and clears contended")
  void drm_exec_slow_lock_interrupted() throws Exception {
    GemObject x = new GemObject(k, "x");
    GemObject y = new GemObject(k, "y");
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread older = new Thread(() -> {
      try {
        WwAcquireContext old = WwAcquireContext.init(k, WwClass.reservationWwClass(k));
        assertEquals(0, x.resv().lock(old));
        locked.countDown();
        assertTrue(release.await(5, TimeUnit.SECONDS));
        x.resv().unlock();
        old.fini();
      } catch (Throwable e) {
        failure.set(e);
        locked.countDown();
      }
    }, "older");
    older.start();
    assertTrue(locked.await(5, TimeUnit.SECONDS));
    DrmExec exec = DrmExec.init(k, DrmExec.INTERRUPTIBLE_WAIT, 0);
    List<Integer> rets = new ArrayList<>();
    int passes = exec.untilAllLocked(e -> {
      if (!rets.isEmpty()) {
        Thread.currentThread().interrupt(); // a signal arrives before the slow lock
      }
      int ret = e.lockObj(y);
      rets.add(ret);
      e.retryOnContention();
      if (ret != 0) {
        Thread.interrupted();
        return false; // goto error
      }
      ret = e.lockObj(x);
      rets.add(ret);
      e.retryOnContention();
      return true;
    });
    assertEquals(2, passes);
    assertEquals(List.of(0, -Errno.EDEADLK, -Errno.EINTR), rets);
    assertNull(exec.contended(), "drm_exec_lock_contended clears contended even on error");
    assertEquals(List.of(), exec.lockedObjects());
    assertEquals(1, x.refcount(), "the contended reference was dropped");
    assertFalse(y.resv().isLocked());
    exec.fini();
    release.countDown();
    older.join(5000);
    assertNull(failure.get());
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }

  // --- i915_gem_ww_ctx --------------------------------------------------------------------

  @Test
  @DisplayName("for_i915_gem_ww: -EDEADLK, backoff slow-locks the contended object; relocking it is -EALREADY = 0")
  void i915_contended_first() throws Exception {
    GemObject x = new GemObject(k, "x");
    GemObject y = new GemObject(k, "y");
    CountDownLatch locked = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread older = olderHolder(x, locked, failure);
    assertTrue(locked.await(5, TimeUnit.SECONDS));
    List<String> log = new ArrayList<>();
    int err = I915GemWwCtx.forI915GemWw(k, false, ww -> {
      log.add("pass " + ww.objects());
      int ret = ww.objectLock(y);
      if (ret != 0) {
        return ret;
      }
      ret = ww.objectLock(x);
      log.add("x " + ret + " contended=" + ww.contended());
      if (ret != 0) {
        return ret;
      }
      log.add("locked " + ww.objects() + " backoffs=" + ww.backoffs());
      assertSame(ww.ctx(), x.resv().lockingCtx());
      return 0;
    });
    older.join(5000);
    assertNull(failure.get());
    assertEquals(0, err);
    assertEquals(List.of(
        "pass []",
        "x " + -Errno.EDEADLK + " contended=x",
        "pass [x]",
        "x 0 contended=null",
        "locked [x, y] backoffs=1"), log);
    assertFalse(x.resv().isLocked());
    assertFalse(y.resv().isLocked());
    assertEquals(1, x.refcount());
    assertEquals(1, y.refcount());
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }

  @Test
  @DisplayName("i915_gem_ww_ctx_backoff without a contended object: WARN and -EINVAL; the loop ends with it")
  void i915_backoff_without_contended() {
    GemObject a = new GemObject(k, "a");
    int err = I915GemWwCtx.forI915GemWw(k, true, ww -> {
      assertEquals(0, ww.objectLock(a));
      return -Errno.EDEADLK; // claims contention that never happened
    });
    assertEquals(-Errno.EINVAL, err);
    assertTrue(k.warnings().stream().anyMatch(w -> w.function().equals("i915_gem_ww_ctx_backoff")));
    assertFalse(a.resv().isLocked(), "i915_gem_ww_ctx_fini unlocked everything");
    assertEquals(1, a.refcount());
  }

  @Test
  @DisplayName("i915_gem_ww_unlock_single unlocks one object; fini the rest")
  void i915_unlock_single() {
    GemObject a = new GemObject(k, "a");
    GemObject b = new GemObject(k, "b");
    I915GemWwCtx ww = I915GemWwCtx.init(k, false);
    assertEquals(0, ww.objectLock(a));
    assertEquals(0, ww.objectLock(b));
    assertEquals(0, ww.objectLock(a), "-EALREADY is success");
    ww.unlockSingle(a);
    assertEquals(List.of(b), ww.objects());
    assertFalse(a.resv().isLocked());
    ww.fini();
    assertFalse(b.resv().isLocked());
    assertEquals(1, a.refcount());
    assertEquals(1, b.refcount());
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }
}
