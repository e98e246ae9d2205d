package org.syncref.fence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.fence.Mock.SimpleCb;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.sched.RealSched;

/**
 * The KUnit suite "dma-buf-fence" (drivers/dma-buf/st-dma-fence.c), one
 * example per kernel test case, with the kernel's assertions.
 */
class DmaFenceSelftestExamples {
  private final Kernel k = new Kernel(new RealSched());

  @Test
  @DisplayName("test_sanitycheck")
  void test_sanitycheck() {
    DmaFence f = Mock.fence(k);
    f.enableSignaling();
    f.signal();
    f.put();
    assertTrue(f.isFreed());
    assertTrue(k.warnings().isEmpty());
  }

  @Test
  @DisplayName("test_signaling")
  void test_signaling() {
    DmaFence f = Mock.fence(k);
    f.enableSignaling();
    assertFalse(f.isSignaled(), "fence signaled too early");
    assertFalse(f.checkAndSignal(), "fence reported being already signaled");
    assertTrue(f.isSignaled(), "fence not reporting signaled");
    assertTrue(f.isSignaledFlag(), "dma_fence_test_signaled_flag");
    assertNull(f.ops(), "ops not detached after signal (mock_ops has no release, no wait)");
    assertTrue(f.opsDetached());
    assertTrue(f.checkAndSignal(), "fence reported not being already signaled");
    f.put();
  }

  @Test
  @DisplayName("test_add_callback")
  void test_add_callback() {
    DmaFence f = Mock.fence(k);
    SimpleCb cb = new SimpleCb();
    assertEquals(0, f.addCallback(cb, Mock.SIMPLE_CALLBACK), "Failed to add callback");
    assertTrue(f.isEnableSignalFlag(), "add_callback enables signaling");
    f.signal();
    assertTrue(cb.seen, "callback failed!");
    f.put();
  }

  @Test
  @DisplayName("test_late_add_callback")
  void test_late_add_callback() {
    DmaFence f = Mock.fence(k);
    SimpleCb cb = new SimpleCb();
    f.enableSignaling();
    f.signal();
    assertNotEquals(0, f.addCallback(cb, Mock.SIMPLE_CALLBACK), "Added callback, but fence was already signaled!");
    assertEquals(-Errno.ENOENT, f.addCallback(new SimpleCb(), Mock.SIMPLE_CALLBACK));
    f.signal();
    assertFalse(cb.seen, "Callback called after failed attachment!");
    f.put();
  }

  @Test
  @DisplayName("test_rm_callback")
  void test_rm_callback() {
    DmaFence f = Mock.fence(k);
    SimpleCb cb = new SimpleCb();
    assertEquals(0, f.addCallback(cb, Mock.SIMPLE_CALLBACK));
    assertTrue(f.removeCallback(cb), "Failed to remove callback!");
    f.signal();
    assertFalse(cb.seen, "Callback still signaled after removal!");
    f.put();
  }

  @Test
  @DisplayName("test_late_rm_callback")
  void test_late_rm_callback() {
    DmaFence f = Mock.fence(k);
    SimpleCb cb = new SimpleCb();
    assertEquals(0, f.addCallback(cb, Mock.SIMPLE_CALLBACK));
    f.signal();
    assertTrue(cb.seen, "Callback failed!");
    assertFalse(f.removeCallback(cb), "Callback removal succeed after being executed!");
    f.put();
  }

  @Test
  @DisplayName("test_status")
  void test_status() {
    DmaFence f = Mock.fence(k);
    f.enableSignaling();
    assertEquals(0, f.getStatus(), "Fence unexpectedly has signaled status on creation");
    f.signal();
    assertNotEquals(0, f.getStatus(), "Fence not reporting signaled status");
    assertEquals(1, f.getStatus());
    f.put();
  }

  @Test
  @DisplayName("test_error")
  void test_error() {
    DmaFence f = Mock.fence(k);
    f.enableSignaling();
    f.setError(-Errno.EIO);
    assertEquals(0, f.getStatus(), "Fence unexpectedly has error status before signal");
    f.signal();
    assertEquals(-Errno.EIO, f.getStatus(), "Fence not reporting error status");
    assertTrue(k.warnings().isEmpty());
    f.put();
  }

  @Test
  @DisplayName("test_wait")
  void test_wait() {
    DmaFence f = Mock.fence(k);
    f.enableSignaling();
    assertEquals(0, f.waitTimeout(false, 0), "Wait reported complete before being signaled");
    f.signal();
    assertEquals(1, f.waitTimeout(false, 0), "Wait reported incomplete after being signaled");
    f.put();
  }

  @Test
  @DisplayName("test_wait_timeout")
  void test_wait_timeout() throws InterruptedException {
    DmaFence f = Mock.fence(k);
    f.enableSignaling();
    assertEquals(0, f.waitTimeout(false, 1), "Wait reported complete before being signaled");
    // mod_timer(&wt.timer, jiffies + 1): a timer thread signals one jiffy later
    Thread timer = new Thread(() -> {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
      f.signal();
    }, "wait_timer");
    timer.start();
    long ret = f.waitTimeout(false, RealSched.HZ);
    timer.join();
    if (ret == 0) {
      Assumptions.assumeTrue(false, "Timer did not fire within one second");
    }
    assertTrue(ret > 0 && ret <= RealSched.HZ, "Wait reported incomplete after timeout: " + ret);
    f.put();
  }

  @Test
  @DisplayName("test_stub")
  void test_stub() {
    DmaFence[] stubs = new DmaFence[64];
    for (int i = 0; i < stubs.length; i++) {
      stubs[i] = DmaFenceStub.getStub(k);
      assertTrue(stubs[i].isSignaled(), "stub " + i + " not signaled");
      assertEquals(0, stubs[i].context());
      assertEquals(0, stubs[i].seqno());
    }
    for (DmaFence s : stubs) {
      assertSame(stubs[0], s);
      s.put();
    }
    DmaFence priv = DmaFenceStub.allocatePrivateStub(k);
    assertTrue(priv.isSignaled());
    assertEquals(1, priv.getStatus());
    priv.put();
    assertTrue(priv.isFreed());
    assertFalse(stubs[0].isFreed());
  }

  /** dma_fence_get_rcu_safe(&slot): a reference to the fence that is still in the slot. */
  private static DmaFence getRcuSafe(AtomicReferenceArray<DmaFence> slots, int i) {
    while (true) {
      DmaFence f = slots.get(i);
      if (f == null) {
        return null;
      }
      if (f.getRcu() != null) {
        if (slots.get(i) == f) {
          return f;
        }
        f.put();
      }
    }
  }

  private static void raceThread(AtomicReferenceArray<DmaFence> fences, int id, boolean before,
      Kernel k, AtomicLong passes, AtomicReference<String> err,
      java.util.function.BooleanSupplier shouldStop) {
    long pass = 0;
    long miss = 0;
    while (err.get() == null && !shouldStop.getAsBoolean()) {
      DmaFence f1 = Mock.fence(k);
      f1.enableSignaling();
      fences.set(id, f1);
      DmaFence f2;
      do {
        f2 = getRcuSafe(fences, 1 - id);
      } while (f2 == null && !shouldStop.getAsBoolean());
      if (before) {
        f1.signal();
      }
      SimpleCb cb = new SimpleCb();
      if (f2 == null || f2.addCallback(cb, Mock.SIMPLE_CALLBACK) != 0) {
        miss++;
        cb.seen = true;
      }
      if (!before) {
        f1.signal();
      }
      if (!cb.seen) {
        f2.wait(false);
        f2.queuedCallbacks(); // __wait_for_callbacks: lock and unlock f2
      }
      if (!cb.seen) {
        err.compareAndSet(null, "thread " + id + ": callback not seen, pass " + pass);
      }
      if (f2 != null) {
        f2.put();
      }
      fences.set(id, null);
      f1.put();
      pass++;
    }
    passes.addAndGet(pass);
  }

  @Test
  @DisplayName("test_race_signal_callback")
  void test_race_signal_callback() throws InterruptedException {
    for (boolean before : new boolean[] {false, true}) {
      AtomicReferenceArray<DmaFence> fences = new AtomicReferenceArray<>(2);
      AtomicReference<String> err = new AtomicReference<>();
      AtomicLong passes = new AtomicLong();
      long stopAt = System.nanoTime() + 50_000_000L;
      Thread[] t = new Thread[2];
      for (int i = 0; i < 2; i++) {
        final int id = i;
        t[i] = new Thread(() -> raceThread(fences, id, before, k, passes, err,
            () -> System.nanoTime() - stopAt >= 0), "thread_signal_callback[" + i + "]");
      }
      for (Thread th : t) {
        th.start();
      }
      for (Thread th : t) {
        th.join(5_000);
        assertFalse(th.isAlive(), "race thread hung");
      }
      assertNull(err.get());
      assertTrue(passes.get() > 0);
    }
    assertTrue(k.warnings().isEmpty(), k.warnings().toString());
  }
}
