package org.syncref.resv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.syncref.resv.DmaResvUsage.READ;
import static org.syncref.resv.DmaResvUsage.WRITE;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.syncref.fence.DmaFence;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.resv.ResvFixtures.Timeline;
import org.syncref.sched.RealSched;
import org.syncref.sched.Sched;

/**
 * dma_resv behaviour that depends on the kernel build (Kernel.Build) or on a kernel fix:
 * dma_resv_reset_max_fences (CONFIG_DEBUG_MUTEXES), dma_resv_assert_held (CONFIG_LOCKDEP), the
 * reservation rule of dma_resv_reserve_fences, and dma_resv_wait_timeout's poll (commit
 * 2b95a7db6e0f) and blocking wait.
 */
class DmaResvBuildExamples {

  /** A RealSched that counts the sleeps (schedule_timeout calls). */
  static final class CountingSched implements Sched {
    final RealSched real = new RealSched();
    final AtomicInteger sleeps = new AtomicInteger();

    @Override
    public long scheduleTimeout(long jiffies) {
      sleeps.incrementAndGet();
      return real.scheduleTimeout(jiffies);
    }

    @Override
    public void wakeUpProcess(Thread t) {
      real.wakeUpProcess(t);
    }

    @Override
    public boolean signalPending() {
      return real.signalPending();
    }

    @Override
    public void setCurrentState(int state) {
      real.setCurrentState(state);
    }
  }

  private static boolean warned(Kernel k, String function) {
    return k.warnings().stream().anyMatch(w -> w.function().equals(function));
  }

  @ParameterizedTest
  @EnumSource(Kernel.Build.class)
  @DisplayName("reserve(2) then reserve(1) in one lock hold leaves two slots: two appends fit (every build)")
  void smallerSecondReservationKeepsTheFirst(Kernel.Build build) {
    Kernel k = new Kernel(new RealSched(), build);
    Timeline a = new Timeline(k, "ringA");
    Timeline b = new Timeline(k, "ringB");
    DmaResv resv = new DmaResv(k);
    resv.lock();
    assertEquals(0, resv.reserveFences(2));
    int max = resv.maxFences();
    assertEquals(0, resv.reserveFences(1));
    assertEquals(max, resv.maxFences(), "the second reserve returns at once: num + 1 <= max");
    resv.addFence(a.next(), WRITE);
    resv.addFence(b.next(), WRITE);
    resv.unlock();
    assertEquals(2, resv.numFences());
    assertTrue(k.warnings().isEmpty(), k.warnings().toString());
  }

  @ParameterizedTest
  @EnumSource(Kernel.Build.class)
  @DisplayName("dma_resv_unlock resets max_fences only with CONFIG_DEBUG_MUTEXES")
  void reservationOutlivesTheHoldOnlyWithoutDebugMutexes(Kernel.Build build) {
    Kernel k = new Kernel(new RealSched(), build);
    Timeline a = new Timeline(k, "ringA");
    DmaResv resv = new DmaResv(k);
    resv.lock();
    assertEquals(0, resv.reserveFences(1));
    resv.unlock();
    resv.lock();
    DmaFence f = a.next();
    if (build.debugMutexes()) {
      assertEquals(0, resv.maxFences(), "dma_resv_reset_max_fences: max_fences = num_fences");
      KernelBug bug = assertThrows(KernelBug.class, () -> resv.addFence(f, WRITE));
      assertTrue(bug.getMessage().contains("BUG_ON(fobj->num_fences >= fobj->max_fences)"), bug.getMessage());
    } else {
      assertEquals(4, resv.maxFences(), "no reset: the slots reserved in the last hold are still there");
      resv.addFence(f, WRITE);
      resv.unlock();
      assertEquals(1, resv.numFences());
    }
  }

  @ParameterizedTest
  @EnumSource(Kernel.Build.class)
  @DisplayName("dma_resv_assert_held WARNs only with CONFIG_LOCKDEP")
  void assertHeldNeedsLockdep(Kernel.Build build) {
    Kernel k = new Kernel(new RealSched(), build);
    DmaResv resv = new DmaResv(k);
    assertEquals(0, resv.reserveFences(1)); // not locked: a contract breach
    assertEquals(build.lockdep(), warned(k, "dma_resv_reserve_fences"), k.warnings().toString());
  }

  @Test
  @DisplayName("dma_resv_wait_timeout(timeout 0) polls: 0 at once on an unsignaled fence, no sleep")
  void zeroTimeoutPolls() {
    CountingSched sched = new CountingSched();
    Kernel k = new Kernel(sched);
    Timeline a = new Timeline(k, "ringA");
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(a.next(), WRITE);
    resv.unlock();
    assertEquals(0, resv.waitTimeout(READ, false, 0));
    assertEquals(0, sched.sleeps.get(), "dma_fence_wait_timeout(fence, intr, 0) does not sleep");
    a.signalNext();
    assertEquals(1, resv.waitTimeout(READ, false, 0));
  }

  @Test
  @DisplayName("negative control: the pre-2b95a7db6e0f wait passes ret (1) and sleeps a jiffy per fence")
  void zeroTimeoutPollControl() {
    CountingSched sched = new CountingSched();
    Kernel k = new Kernel(sched);
    k.inject(InjectedBug.RESV_WAIT_PASSES_RET);
    Timeline a = new Timeline(k, "ringA");
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(a.next(), WRITE);
    resv.unlock();
    assertEquals(0, resv.waitTimeout(READ, false, 0));
    assertFalse(sched.sleeps.get() == 0, "the injected bug sleeps: the poll test above would catch it");
  }

  @Test
  @DisplayName("dma_resv_wait_timeout(MAX_SCHEDULE_TIMEOUT) sleeps until the fence signals")
  void maxScheduleTimeoutWaitsForTheSignal() throws InterruptedException {
    Kernel k = new Kernel(new RealSched());
    Timeline a = new Timeline(k, "ringA");
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(a.next(), WRITE);
    resv.unlock();
    long[] ret = {-1};
    Thread waiter = new Thread(() -> ret[0] = resv.waitTimeout(READ, false, Sched.MAX_SCHEDULE_TIMEOUT));
    waiter.start();
    waiter.join(200);
    assertTrue(waiter.isAlive(), "no timeout: the waiter still sleeps");
    a.signalNext();
    waiter.join(10_000);
    assertFalse(waiter.isAlive());
    assertEquals(Sched.MAX_SCHEDULE_TIMEOUT, ret[0], "woken: dma_fence_default_wait returns the remaining MAX_SCHEDULE_TIMEOUT");
  }
}
