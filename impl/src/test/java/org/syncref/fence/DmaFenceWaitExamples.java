package org.syncref.fence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.sched.ManualSched;
import org.syncref.sched.RealSched;
import org.syncref.sched.Sched;

/**
 * Sleeping waits driven step by step with {@link ManualSched} (the spec's WaitTimeout followed by
 * WaitWake, WaitExpire or WaitInterrupt), plus interrupts with {@link RealSched}.
 */
class DmaFenceWaitExamples {
  private final ManualSched sched = new ManualSched();
  private final Kernel k = new Kernel(sched);

  /** A thread that runs {@code f.waitTimeout(intr, timeout)} and keeps the result. */
  private static final class Waiter extends Thread {
    final CompletableFuture<Long> result = new CompletableFuture<>();
    private final DmaFence f;
    private final boolean intr;
    private final long timeout;

    Waiter(DmaFence f, boolean intr, long timeout) {
      super("waiter");
      this.f = f;
      this.intr = intr;
      this.timeout = timeout;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        result.complete(f.waitTimeout(intr, timeout));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }

    long get() throws InterruptedException, ExecutionException, TimeoutException {
      return result.get(5, TimeUnit.SECONDS);
    }
  }

  private Waiter sleeping(DmaFence f, boolean intr, long timeout) throws InterruptedException {
    Waiter w = new Waiter(f, intr, timeout);
    w.start();
    assertTrue(sched.awaitParked(w, 5_000), "waiter did not go to sleep");
    assertEquals(timeout, sched.parkedTimeout(w));
    return w;
  }

  @Test
  @DisplayName("WaitExpire: the timeout runs out -> 0")
  void expire_returns_zero() throws Exception {
    DmaFence f = Mock.fence(k);
    Waiter w = sleeping(f, false, 10);
    assertEquals(1, f.queuedWaiters());
    assertTrue(f.queuedCallbacks().isEmpty(), "the private wake-up callback is not a user callback");
    sched.expire(w);
    assertEquals(0, w.get());
    assertEquals(0, f.queuedWaiters(), "the private callback is unlinked");
    assertFalse(f.isSignaledFlag());
    assertTrue(f.isEnableSignalFlag());
  }

  @Test
  @DisplayName("WaitWake: signal, then resume -> the timeout unchanged")
  void resume_after_signal_returns_timeout() throws Exception {
    DmaFence f = Mock.fence(k);
    Waiter w = sleeping(f, false, 10);
    f.signal();
    assertEquals(1, sched.wakeups(w), "the private callback woke the waiter");
    assertTrue(sched.isParked(w), "ManualSched: the sleep ends only when the controller says so");
    sched.resume(w);
    assertEquals(10, w.get());
  }

  @Test
  @DisplayName("[FENCE-WAIT] a spurious wakeup before the signal sleeps again")
  void resume_without_signal_sleeps_again() throws Exception {
    DmaFence f = Mock.fence(k);
    Waiter w = sleeping(f, false, 10);
    sched.resume(w);
    assertTrue(sched.awaitParked(w, 5_000));
    assertFalse(w.result.isDone());
    f.signal();
    sched.resume(w);
    assertEquals(10, w.get());
  }

  @Test
  @DisplayName("WaitExpire in the same instant as the signal -> 0")
  void expire_when_signaled_returns_zero() throws Exception {
    DmaFence f = Mock.fence(k);
    Waiter w = sleeping(f, false, 10);
    f.signal();
    sched.expire(w);
    assertEquals(0, w.get());
  }

  @Test
  @DisplayName("WaitInterrupt: an interruptible sleeper with a signal pending -> -ERESTARTSYS")
  void interrupt_returns_erestartsys() throws Exception {
    DmaFence f = Mock.fence(k);
    Waiter w = sleeping(f, true, 10);
    sched.setSignalPending(w, true);
    sched.resume(w);
    assertEquals(-Errno.ERESTARTSYS, w.get());
    assertEquals(0, f.queuedWaiters());
  }

  @Test
  @DisplayName("an uninterruptible sleeper ignores a pending signal")
  void uninterruptible_ignores_signal() throws Exception {
    DmaFence f = Mock.fence(k);
    Waiter w = sleeping(f, false, 10);
    sched.setSignalPending(w, true);
    sched.resume(w);
    assertTrue(sched.awaitParked(w, 5_000));
    f.signal();
    sched.resume(w);
    assertEquals(10, w.get());
  }

  @Test
  @DisplayName("entry checks: signal pending -> -ERESTARTSYS at once; timeout 0 -> 0; signaled -> timeout")
  void entry_checks() {
    DmaFence f = Mock.fence(k);
    sched.setSignalPending(Thread.currentThread(), true);
    assertEquals(-Errno.ERESTARTSYS, f.waitTimeout(true, 10));
    assertEquals(0, f.waitTimeout(false, 0));
    assertEquals(-Errno.ERESTARTSYS, f.waitTimeout(true, 0));
    f.signal();
    assertEquals(10, f.waitTimeout(true, 10), "signaled is checked before signal_pending");
    assertEquals(1, f.waitTimeout(true, 0));
    sched.setSignalPending(Thread.currentThread(), false);
  }

  @Test
  @DisplayName("dma_fence_wait: MAX_SCHEDULE_TIMEOUT, a positive result becomes 0")
  void wait_forever() throws Exception {
    DmaFence f = Mock.fence(k);
    CompletableFuture<Long> r = new CompletableFuture<>();
    Thread t = new Thread(() -> r.complete(f.wait(true)));
    t.setDaemon(true);
    t.start();
    assertTrue(sched.awaitParked(t, 5_000));
    assertEquals(Sched.MAX_SCHEDULE_TIMEOUT, sched.parkedTimeout(t));
    f.signal();
    sched.resume(t);
    assertEquals(0, r.get(5, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("two sleepers and a user callback: all woken by one signal, user callback ran once")
  void two_waiters() throws Exception {
    DmaFence f = Mock.fence(k);
    Mock.SimpleCb cb = new Mock.SimpleCb();
    assertEquals(0, f.addCallback(cb, Mock.SIMPLE_CALLBACK));
    Waiter a = sleeping(f, false, 5);
    Waiter b = sleeping(f, true, 7);
    assertEquals(List.of(cb), f.queuedCallbacks());
    assertEquals(2, f.queuedWaiters());
    f.signal();
    sched.resume(a);
    sched.resume(b);
    assertEquals(5, a.get());
    assertEquals(7, b.get());
    assertEquals(1, cb.runs);
  }

  @Test
  @DisplayName("RealSched: a Java interrupt ends an interruptible wait with -ERESTARTSYS")
  void real_interrupt() throws Exception {
    Kernel rk = new Kernel(new RealSched());
    DmaFence f = Mock.fence(rk);
    AtomicLong ret = new AtomicLong(1);
    Thread t = new Thread(() -> ret.set(f.wait(true)));
    t.start();
    Thread.sleep(20);
    t.interrupt();
    t.join(5_000);
    assertFalse(t.isAlive());
    assertEquals(-Errno.ERESTARTSYS, ret.get());
    assertEquals(0, f.queuedWaiters());
  }

  @Test
  @DisplayName("RealSched: an uninterruptible wait ignores interrupts (no busy loop) and keeps the flag")
  void real_uninterruptible() throws Exception {
    Kernel rk = new Kernel(new RealSched());
    DmaFence f = Mock.fence(rk);
    AtomicLong ret = new AtomicLong(1);
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      ret.set(f.waitTimeout(false, RealSched.HZ));
      flag.complete(Thread.currentThread().isInterrupted());
    });
    t.start();
    Thread.sleep(10);
    t.interrupt();
    Thread.sleep(10);
    assertTrue(t.isAlive());
    f.signal();
    t.join(5_000);
    assertTrue(ret.get() > 0 && ret.get() <= RealSched.HZ, "remaining jiffies " + ret.get());
    assertTrue(flag.get(), "interrupt flag restored");
  }

  @Test
  @DisplayName("RealSched: the timeout runs out -> 0 after about that many milliseconds")
  void real_timeout() {
    Kernel rk = new Kernel(new RealSched());
    DmaFence f = Mock.fence(rk);
    long t0 = System.nanoTime();
    assertEquals(0, f.waitTimeout(true, 20));
    assertTrue(System.nanoTime() - t0 >= 19_000_000L);
  }
}
