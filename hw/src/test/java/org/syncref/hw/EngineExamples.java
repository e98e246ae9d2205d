package org.syncref.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceCb;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.ModuleUnloadedOops;
import org.syncref.sched.RealSched;

/** Examples of engines: in-order signaling, back-pressure, reset, out-of-order hardware. */
class EngineExamples {
  private final Kernel k = new Kernel(new RealSched());
  private final FenceModule amdgpu = new FenceModule("amdgpu");

  /** Records the order in which fences signal, via callbacks. */
  private static final class SignalLog {
    final List<Long> order = Collections.synchronizedList(new ArrayList<>());

    void watch(DmaFence f) {
      assertEquals(0, f.addCallback(new DmaFenceCb(), (x, cb) -> order.add(x.seqno())));
    }
  }

  /**
   * [FENCE-ORDER] checked on a set of fences of one context: no fence is signaled while an
   * earlier one is not (TLA+ SameContextOrdering without the release exception).
   */
  private static boolean sameContextOrdering(List<DmaFence> fences) {
    for (DmaFence a : fences) {
      for (DmaFence b : fences) {
        if (a != b && b.isLater(a) && b.isSignaledFlag() && !a.isSignaledFlag()) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  @DisplayName("each engine has its own context; seqnos are 1, 2, 3")
  void contexts_and_seqnos() {
    Engine gfx = new Engine(k, amdgpu, "gfx", 4);
    Engine sdma = new Engine(k, amdgpu, "sdma0", 4);
    assertNotEquals(gfx.context(), sdma.context());
    assertEquals(1, gfx.context());
    for (int i = 1; i <= 3; i++) {
      DmaFence f = gfx.submit(new Job("j" + i));
      assertEquals(i, f.seqno());
      assertEquals(gfx.context(), f.context());
      assertEquals(2, f.refcount(), "the ring's reference and the caller's");
      assertEquals("amdgpu", f.driverName());
      assertEquals("gfx", f.timelineName());
    }
    assertEquals(1, sdma.submit(new Job("s1")).seqno());
  }

  @Test
  @DisplayName("[FENCE-ORDER] fences signal in submission order; jobs run before their fence signals")
  void in_order_signaling() {
    Engine e = new Engine(k, amdgpu, "gfx", 8);
    SignalLog log = new SignalLog();
    List<DmaFence> fences = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      final int n = i;
      DmaFence f = e.submit(new Job("j" + i) {
        @Override
        protected void run() {
          ran.add(name());
          assertFalse(fence().isSignaledFlag());
        }
      });
      log.watch(f);
      fences.add(f);
      assertEquals(n, e.pending().size());
    }
    assertTrue(e.executeNext());
    assertTrue(fences.get(0).isSignaled());
    assertFalse(fences.get(1).isSignaled());
    assertTrue(sameContextOrdering(fences));
    assertEquals(4, e.runAll());
    assertFalse(e.executeNext());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), log.order);
    assertEquals(List.of("j1", "j2", "j3", "j4", "j5"), ran);
    assertTrue(sameContextOrdering(fences));
    for (DmaFence f : fences) {
      assertEquals(1, f.getStatus());
      assertEquals(1, f.refcount(), "the ring dropped its reference");
      assertTrue(f.opsDetached());
      f.put();
      assertTrue(f.isFreed());
    }
    assertTrue(k.warnings().isEmpty());
  }

  @Test
  @DisplayName("a full ring refuses the submission (null) until a job completes")
  void ring_full() {
    Engine e = new Engine(k, amdgpu, "gfx", 2);
    assertEquals(1, e.submit(new Job("a")).seqno());
    assertEquals(2, e.submit(new Job("b")).seqno());
    assertNull(e.submit(new Job("c")));
    assertTrue(e.executeNext());
    assertEquals(3, e.submit(new Job("c")).seqno(), "a refused job does not consume a seqno");
    assertThrows(IllegalStateException.class, () -> e.submit(e.pending().get(0)));
  }

  @Test
  @DisplayName("hangAndReset: pending fences get the error and signal in submission order; the ring is empty")
  void hang_and_reset() {
    Engine e = new Engine(k, amdgpu, "gfx", 8);
    SignalLog log = new SignalLog();
    List<DmaFence> fences = new ArrayList<>();
    List<Integer> errorsInCallbacks = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      Job job = i == 1 ? new Job("j1") : new Job("j" + i) {
        @Override
        protected void run() {
          throw new AssertionError("a reset job must not run");
        }
      };
      DmaFence f = e.submit(job);
      fences.add(f);
      log.watch(f);
      f.addCallback(new DmaFenceCb(), (x, cb) -> errorsInCallbacks.add(x.error()));
    }
    assertTrue(e.executeNext());
    assertEquals(3, e.hangAndReset(-Errno.ECANCELED));
    assertTrue(e.pending().isEmpty());
    assertFalse(e.executeNext());
    assertEquals(List.of(1L, 2L, 3L, 4L), log.order);
    assertEquals(List.of(0, -Errno.ECANCELED, -Errno.ECANCELED, -Errno.ECANCELED), errorsInCallbacks);
    assertEquals(1, fences.get(0).getStatus());
    for (DmaFence f : fences.subList(1, 4)) {
      assertEquals(-Errno.ECANCELED, f.getStatus());
    }
    assertTrue(k.warnings().isEmpty(), "errors were set before the signal");
    assertEquals(5, e.submit(new Job("after-reset")).seqno(), "seqnos continue after reset");
  }

  @Test
  @DisplayName("reset with -ETIME: a waiter wakes with the error visible in the status")
  void reset_wakes_waiter() throws Exception {
    Engine e = new Engine(k, amdgpu, "gfx", 8);
    DmaFence f = e.submit(new Job("hung"));
    long[] ret = new long[1];
    Thread w = new Thread(() -> ret[0] = f.waitTimeout(true, RealSched.HZ));
    w.start();
    Thread.sleep(5);
    e.hangAndReset(-Errno.ETIME);
    w.join(5_000);
    assertTrue(ret[0] > 0);
    assertEquals(-Errno.ETIME, f.getStatus());
  }

  @Test
  @DisplayName("negative control: an engine overriding nextToComplete signals out of order and [FENCE-ORDER] catches it")
  void out_of_order_engine_is_caught() {
    Engine bad = new Engine(k, amdgpu, "bad", 8) {
      @Override
      protected int nextToComplete(List<Job> ring) {
        return ring.size() - 1; // newest first
      }
    };
    SignalLog log = new SignalLog();
    List<DmaFence> fences = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      DmaFence f = bad.submit(new Job("j" + i));
      log.watch(f);
      fences.add(f);
    }
    assertTrue(bad.executeNext());
    assertFalse(sameContextOrdering(fences));
    bad.runAll();
    assertEquals(List.of(3L, 2L, 1L), log.order);
  }

  @Test
  @DisplayName("background mode: a real thread executes jobs; waiters wake")
  void background_mode() throws Exception {
    try (Engine e = new Engine(k, amdgpu, "gfx", 64)) {
      e.startBackground(100);
      List<DmaFence> fences = new ArrayList<>();
      SignalLog log = new SignalLog();
      for (int i = 0; i < 20; i++) {
        DmaFence f = e.submit(new Job("j" + i));
        fences.add(f);
        f.addCallback(new DmaFenceCb(), (x, cb) -> log.order.add(x.seqno()));
      }
      for (DmaFence f : fences) {
        assertEquals(0, f.wait(false));
      }
      // a callback added after its fence signaled got -ENOENT and is not in the log;
      // the ones that ran saw increasing seqnos
      List<Long> seen = new ArrayList<>(log.order);
      for (int i = 1; i < seen.size(); i++) {
        assertTrue(seen.get(i - 1) < seen.get(i), seen.toString());
      }
      assertTrue(sameContextOrdering(fences));
    }
  }

  @Test
  @DisplayName("[FENCE-OPS-RCU] signaled engine fences outlive the driver; a release op pins it")
  void fences_outlive_driver() {
    Engine e = new Engine(k, amdgpu, "gfx", 4);
    DmaFence f = e.submit(new Job("j"));
    e.runAll();
    amdgpu.unload();
    assertEquals(1, f.waitTimeout(false, 0));
    f.put();
    assertTrue(f.isFreed());

    FenceModule i915 = new FenceModule("i915");
    Engine rcs = new Engine(k, DmaFenceOps.builder(i915, "i915", "rcs0").release(x -> { }).build(), "rcs0", 4);
    DmaFence g = rcs.submit(new Job("j"));
    rcs.runAll();
    assertFalse(g.opsDetached());
    i915.unload();
    assertThrows(ModuleUnloadedOops.class, g::put);
  }
}
