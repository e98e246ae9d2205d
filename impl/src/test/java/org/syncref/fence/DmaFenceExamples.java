package org.syncref.fence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.fence.Mock.SimpleCb;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.kernel.ModuleUnloadedOops;
import org.syncref.kernel.UseAfterFreeBug;
import org.syncref.kernel.Warning;
import org.syncref.sched.ManualSched;

/**
 * Examples of dma_fence semantics beyond the KUnit suite: ordering, callbacks, WARNs, BUGs, ops
 * detaching and module lifetime, each labelled with the spec rule it shows.
 */
class DmaFenceExamples {
  private final Kernel k = new Kernel(new ManualSched());
  private final FenceModule driver = new FenceModule("drv");

  private DmaFence fence(DmaFenceOps ops, long ctx, long seqno) {
    return DmaFence.init(k, ops, ctx, seqno);
  }

  private DmaFence fence() {
    return fence(DmaFenceOps.names(driver, "drv", "ring0"), 1, 1);
  }

  private boolean warned(String fn, Object subject) {
    return k.warnings().stream().anyMatch(w -> w.function().equals(fn) && w.subject() == subject);
  }

  // --- init, refcount ---------------------------------------------------------------------

  @Test
  @DisplayName("FenceInit: refcount 1, unsignaled, no error, ops attached")
  void init_state() {
    DmaFence f = fence();
    assertEquals(1, f.refcount());
    assertFalse(f.isSignaledFlag());
    assertFalse(f.isEnableSignalFlag());
    assertEquals(0, f.error());
    assertFalse(f.opsDetached());
    assertFalse(f.isFreed());
    assertEquals(driver, f.issuer());
    assertTrue(f.queuedCallbacks().isEmpty());
  }

  @Test
  @DisplayName("dma_fence_init BUG_ON(!ops->get_driver_name)")
  void init_without_names_bugs() {
    DmaFenceOps bad = DmaFenceOps.builder(driver, null, f -> "t").build();
    assertThrows(KernelBug.class, () -> fence(bad, 1, 1));
    assertThrows(KernelBug.class, () -> DmaFence.init(k, null, 1, 1));
  }

  @Test
  @DisplayName("[FENCE-REFCOUNT] get/put; the last put frees")
  void get_put() {
    DmaFence f = fence();
    assertEquals(f, f.get());
    assertEquals(2, f.refcount());
    f.put();
    assertFalse(f.isFreed());
    f.signal();
    f.put();
    assertTrue(f.isFreed());
    assertEquals(0, f.refcount());
    assertNull(f.getRcu(), "dma_fence_get_rcu on a zero refcount");
  }

  @Test
  @DisplayName("use after free: every kernel call on a freed fence throws UseAfterFreeBug")
  void use_after_free() {
    DmaFence f = fence();
    DmaFence g = fence();
    f.put();
    assertThrows(UseAfterFreeBug.class, f::get);
    assertThrows(UseAfterFreeBug.class, f::put);
    assertThrows(UseAfterFreeBug.class, f::signal);
    assertThrows(UseAfterFreeBug.class, f::checkAndSignal);
    assertThrows(UseAfterFreeBug.class, () -> f.setError(-Errno.EIO));
    assertThrows(UseAfterFreeBug.class, f::getStatus);
    assertThrows(UseAfterFreeBug.class, f::isSignaled);
    assertThrows(UseAfterFreeBug.class, f::enableSignaling);
    assertThrows(UseAfterFreeBug.class, () -> f.addCallback(new SimpleCb(), Mock.SIMPLE_CALLBACK));
    assertThrows(UseAfterFreeBug.class, () -> f.removeCallback(new SimpleCb()));
    assertThrows(UseAfterFreeBug.class, () -> f.waitTimeout(false, 0));
    assertThrows(UseAfterFreeBug.class, () -> f.isLater(g));
    assertThrows(UseAfterFreeBug.class, () -> g.isLater(f));
    assertThrows(UseAfterFreeBug.class, f::driverName);
    // observability accessors never throw
    assertTrue(f.isFreed());
    assertEquals(0, f.refcount());
    assertFalse(f.isSignaledFlag());
    assertEquals(1, f.seqno());
  }

  // --- signal, set_error, status ----------------------------------------------------------

  @Test
  @DisplayName("[FENCE-SIGNAL-ONCE] signal twice is a no-op; check_and_signal reports it")
  void signal_once() {
    DmaFence f = fence();
    SimpleCb cb = new SimpleCb();
    f.addCallback(cb, Mock.SIMPLE_CALLBACK);
    f.signal();
    f.signal();
    assertTrue(f.checkAndSignal());
    assertEquals(1, cb.runs);
  }

  @Test
  @DisplayName("[FENCE-ERROR] set_error after signal WARNs, is stored anyway")
  void set_error_after_signal_warns() {
    DmaFence f = fence();
    f.signal();
    assertEquals(1, f.getStatus());
    f.setError(-Errno.EIO);
    assertTrue(warned("dma_fence_set_error", f));
    assertEquals(List.of(new Warning("dma_fence_set_error", "fence already signaled", f)), k.warnings());
    assertEquals(-Errno.EIO, f.error());
    assertEquals(-Errno.EIO, f.getStatus());
  }

  @Test
  @DisplayName("set_error outside [-MAX_ERRNO, -1] WARNs, is stored anyway")
  void set_error_range() {
    for (int e : new int[] {0, 1, -Errno.MAX_ERRNO - 1}) {
      DmaFence f = fence();
      f.setError(e);
      assertTrue(warned("dma_fence_set_error", f), "err " + e);
      assertEquals(e, f.error());
    }
    DmaFence ok = fence();
    ok.setError(-Errno.MAX_ERRNO);
    ok.setError(-1);
    assertFalse(warned("dma_fence_set_error", ok));
  }

  @Test
  @DisplayName("a WARN reaches the listener and never throws")
  void warning_listener() {
    List<Warning> seen = new ArrayList<>();
    k.setWarningListener(seen::add);
    DmaFence f = fence();
    f.signal();
    f.setError(7);
    assertEquals(2, seen.size());
    assertEquals(k.warnings(), seen);
  }

  // --- ops detaching and module lifetime (2025 module-lifetime series) ------------------

  @Test
  @DisplayName("[FENCE-OPS-RCU] ops detach at signal unless release or wait is implemented")
  void ops_detaching() {
    DmaFence names = fence(DmaFenceOps.names(driver, "d", "t"), 1, 1);
    DmaFence enable = fence(DmaFenceOps.builder(driver, "d", "t").enableSignaling(f -> true).build(), 1, 2);
    DmaFence rel = fence(DmaFenceOps.builder(driver, "d", "t").release(f -> { }).build(), 1, 3);
    DmaFence wait = fence(DmaFenceOps.builder(driver, "d", "t")
        .waitOp((f, intr, to) -> f.defaultWait(intr, to)).build(), 1, 4);
    for (DmaFence f : List.of(names, enable, rel, wait)) {
      f.signal();
    }
    assertTrue(names.opsDetached());
    assertTrue(enable.opsDetached());
    assertFalse(rel.opsDetached());
    assertFalse(wait.opsDetached());
    assertEquals("detached-driver", names.driverName());
    assertEquals("signaled-timeline", names.timelineName());
  }

  @Test
  @DisplayName("[FENCE-PEEK] is_signaled and get_status ask ops->signaled and signal; without it only the flag")
  void peek_signals_without_dma_fence_signal() {
    java.util.Set<DmaFence> passed = new java.util.HashSet<>();
    DmaFenceOps peek = DmaFenceOps.builder(driver, "d", "t").signaled(passed::contains).build();
    DmaFence f = fence(peek, 1, 1);
    DmaFence plain = fence(DmaFenceOps.names(driver, "d", "t"), 2, 1);
    SimpleCb cb = new SimpleCb();
    assertEquals(0, f.addCallback(cb, Mock.SIMPLE_CALLBACK)); // add_callback does not peek
    assertFalse(f.isSignaled());
    passed.add(f);
    passed.add(plain);
    assertTrue(f.isSignaled()); // the peek signals: SIGNALED set, callbacks run, ops detach
    assertTrue(f.isSignaledFlag());
    assertEquals(1, cb.runs);
    assertTrue(f.opsDetached());
    assertFalse(plain.isSignaled()); // no ops->signaled: the driver must signal
    assertEquals(0, plain.getStatus());
    DmaFence g = fence(peek, 1, 2);
    g.setError(-Errno.EIO);
    passed.add(g);
    assertEquals(-Errno.EIO, g.getStatus()); // dma_fence_get_status_locked peeks too
    assertTrue(g.isSignaledFlag());
  }

  @Test
  @DisplayName("[FENCE-PEEK] enable_signaling returning false signals: add_callback -ENOENT")
  void enable_signaling_false_signals() {
    DmaFence f = fence(DmaFenceOps.builder(driver, "d", "t").enableSignaling(x -> false).build(), 1, 1);
    SimpleCb cb = new SimpleCb();
    assertEquals(-Errno.ENOENT, f.addCallback(cb, Mock.SIMPLE_CALLBACK));
    assertTrue(f.isSignaledFlag());
    assertEquals(0, cb.runs);
    DmaFence g = fence(DmaFenceOps.builder(driver, "d", "t").enableSignaling(x -> false).build(), 1, 2);
    assertEquals(1, g.waitTimeout(false, 0)); // the enable signals before the default wait
  }

  @Test
  @DisplayName("injected PEEK_IGNORED: is_signaled never asks ops->signaled")
  void injected_peek_ignored() {
    k.inject(org.syncref.kernel.InjectedBug.PEEK_IGNORED);
    DmaFence f = fence(DmaFenceOps.builder(driver, "d", "t").signaled(x -> true).build(), 1, 1);
    assertFalse(f.isSignaled());
    assertEquals(0, f.getStatus());
  }

  @Test
  @DisplayName("a detached fence outlives its module")
  void detached_fence_outlives_module() {
    DmaFence f = fence();
    assertEquals("drv", f.driverName());
    assertEquals("ring0", f.timelineName());
    f.signal();
    driver.unload();
    assertEquals(1, f.waitTimeout(true, 0));
    assertEquals(1, f.getStatus());
    assertEquals("detached-driver", f.driverName());
    f.put();
    assertTrue(f.isFreed());
  }

  @Test
  @DisplayName("[FENCE-OPS-RCU] freeing a fence with a release op after its module unloaded oopses")
  void release_op_after_unload_oopses() {
    AtomicInteger released = new AtomicInteger();
    DmaFence f = fence(DmaFenceOps.builder(driver, "d", "t").release(x -> released.incrementAndGet()).build(), 1, 1);
    f.signal();
    driver.unload();
    ModuleUnloadedOops oops = assertThrows(ModuleUnloadedOops.class, f::put);
    assertEquals("drv", oops.module());
    assertEquals("dma_fence_release", oops.function());
    assertEquals(0, released.get());
  }

  @Test
  @DisplayName("ops->release is called on the last put while the module is loaded")
  void release_op_called() {
    AtomicInteger released = new AtomicInteger();
    DmaFence f = fence(DmaFenceOps.builder(driver, "d", "t").release(x -> {
      assertFalse(x.isFreed());
      released.incrementAndGet();
    }).build(), 1, 1);
    f.signal();
    f.put();
    assertEquals(1, released.get());
    assertTrue(f.isFreed());
  }

  @Test
  @DisplayName("ops of an unsignaled fence are reached after unload: oops on first enable, wait, names")
  void unsignaled_after_unload() {
    DmaFence f = fence();
    driver.unload();
    assertThrows(ModuleUnloadedOops.class, f::driverName);
    assertThrows(ModuleUnloadedOops.class, f::enableSignaling);
    assertThrows(ModuleUnloadedOops.class, () -> f.waitTimeout(false, 0));
    assertThrows(ModuleUnloadedOops.class, () -> fence(DmaFenceOps.names(driver, "d", "t"), 1, 2));
  }

  @Test
  @DisplayName("wait_timeout reads ops->wait: attached ops of an unloaded module oops even when signaled")
  void wait_reads_ops_even_when_signaled() {
    DmaFence f = fence(DmaFenceOps.builder(driver, "d", "t").release(x -> { }).build(), 1, 1);
    f.signal();
    driver.unload();
    assertThrows(ModuleUnloadedOops.class, () -> f.waitTimeout(false, 0));
  }

  @Test
  @DisplayName("built-in modules cannot be unloaded")
  void builtin_module() {
    assertThrows(UnsupportedOperationException.class, () -> FenceModule.builtin("x").unload());
  }

  // --- release with pending callbacks -----------------------------------------------------

  @Test
  @DisplayName("[FENCE-RELEASE] release with pending callbacks WARNs and signals with -EDEADLK")
  void release_with_pending_callbacks() {
    DmaFence f = fence();
    List<Integer> errorSeen = new ArrayList<>();
    DmaFenceCb cb = new DmaFenceCb();
    assertEquals(0, f.addCallback(cb, (x, c) -> errorSeen.add(x.error())));
    f.put();
    assertEquals(List.of(-Errno.EDEADLK), errorSeen);
    assertTrue(warned("dma_fence_release", f));
    assertTrue(k.warnings().get(0).check().contains("released with pending signals"));
    assertTrue(f.isSignaledFlag());
    assertTrue(f.isFreed());
    assertTrue(f.opsDetached());
    assertNull(cb.queuedOn());
  }

  @Test
  @DisplayName("release of an unsignaled fence without callbacks is silent")
  void release_unsignaled_silent() {
    DmaFence f = fence();
    f.enableSignaling();
    f.put();
    assertTrue(f.isFreed());
    assertFalse(f.isSignaledFlag());
    assertTrue(k.warnings().isEmpty());
  }

  // --- callbacks ---------------------------------------------------------------------------

  @Test
  @DisplayName("[FENCE-CB-ORDER] callbacks run in registration order, each exactly once")
  void callback_order() {
    DmaFence f = fence();
    List<Integer> order = new ArrayList<>();
    DmaFenceCb[] cbs = new DmaFenceCb[5];
    for (int i = 0; i < cbs.length; i++) {
      final int n = i;
      cbs[i] = new DmaFenceCb();
      assertEquals(0, f.addCallback(cbs[i], (x, c) -> order.add(n)));
    }
    assertTrue(f.removeCallback(cbs[2]));
    assertEquals(List.of(cbs[0], cbs[1], cbs[3], cbs[4]), f.queuedCallbacks());
    f.signal();
    f.signal();
    assertEquals(List.of(0, 1, 3, 4), order);
    assertTrue(f.queuedCallbacks().isEmpty());
  }

  @Test
  @DisplayName("the node is re-initialised before the callback runs; it can be reused")
  void node_reinitialised() {
    DmaFence f = fence();
    DmaFence g = fence(DmaFenceOps.names(driver, "d", "t"), 1, 2);
    SimpleCb cb = new SimpleCb();
    List<Boolean> queuedDuringRun = new ArrayList<>();
    f.addCallback(cb, (x, c) -> queuedDuringRun.add(c.queuedOn() != null));
    f.signal();
    assertEquals(List.of(false), queuedDuringRun);
    assertFalse(f.removeCallback(cb));
    assertEquals(0, g.addCallback(cb, Mock.SIMPLE_CALLBACK));
    g.signal();
    assertTrue(cb.seen);
  }

  @Test
  @DisplayName("one fence at a time: adding a queued callback again is list corruption")
  void callback_one_fence_at_a_time() {
    DmaFence f = fence();
    DmaFence g = fence(DmaFenceOps.names(driver, "d", "t"), 1, 2);
    SimpleCb cb = new SimpleCb();
    f.addCallback(cb, Mock.SIMPLE_CALLBACK);
    assertThrows(KernelBug.class, () -> g.addCallback(cb, Mock.SIMPLE_CALLBACK));
    assertThrows(KernelBug.class, () -> g.removeCallback(cb));
  }

  @Test
  @DisplayName("add_callback with a NULL func WARNs and returns -EINVAL")
  void add_callback_null_func() {
    DmaFence f = fence();
    assertEquals(-Errno.EINVAL, f.addCallback(new DmaFenceCb(), null));
    assertTrue(warned("dma_fence_add_callback", f));
  }

  @Test
  @DisplayName("a callback taking the same fence's lock is a spinlock recursion BUG")
  void callback_lock_recursion() {
    DmaFence f = fence();
    f.addCallback(new DmaFenceCb(), (x, c) -> x.getStatus());
    assertThrows(KernelBug.class, f::signal);
    assertTrue(f.isSignaledFlag());
    assertEquals(1, f.getStatus(), "the lock was released");
  }

  // --- enable_signaling ---------------------------------------------------------------------

  @Test
  @DisplayName("ops->enable_signaling runs once, on the first enable of an unsignaled fence")
  void enable_signaling_once() {
    AtomicInteger calls = new AtomicInteger();
    DmaFenceOps ops = DmaFenceOps.builder(driver, "d", "t").enableSignaling(x -> {
      calls.incrementAndGet();
      return true;
    }).build();
    DmaFence f = fence(ops, 1, 1);
    f.enableSignaling();
    f.addCallback(new SimpleCb(), Mock.SIMPLE_CALLBACK);
    f.enableSignaling();
    assertEquals(1, calls.get());
    DmaFence g = fence(ops, 1, 2);
    g.signal();
    g.enableSignaling();
    assertEquals(1, calls.get(), "not called on a signaled fence");
    assertTrue(g.isEnableSignalFlag());
  }

  @Test
  @DisplayName("ops->enable_signaling returning false signals the fence; add_callback then gives -ENOENT")
  void enable_signaling_false() {
    DmaFence f = fence(DmaFenceOps.builder(driver, "d", "t").enableSignaling(x -> false).build(), 1, 1);
    SimpleCb cb = new SimpleCb();
    assertEquals(-Errno.ENOENT, f.addCallback(cb, Mock.SIMPLE_CALLBACK));
    assertTrue(f.isSignaled());
    assertFalse(cb.seen);
    assertNull(cb.queuedOn());
  }

  // --- ordering -----------------------------------------------------------------------------

  @Test
  @DisplayName("is_later: 32-bit wrap-around unless SEQNO64")
  void is_later_seqno() {
    DmaFenceOps ops = DmaFenceOps.names(driver, "d", "t");
    DmaFence a = fence(ops, 5, 0xFFFFFFFFL);
    DmaFence b = fence(ops, 5, 0x1_0000_0001L); // lower 32 bits: 1
    assertTrue(b.isLater(a), "1 is later than 0xFFFFFFFF");
    assertFalse(a.isLater(b));
    DmaFence c = fence(ops, 5, 0);
    DmaFence d = fence(ops, 5, 0x80000001L); // more than 2^31 apart: backwards
    assertTrue(c.isLater(d));
    assertFalse(d.isLater(c));
    DmaFence e = fence(ops, 5, 0x80000000L); // exactly 2^31: (int) is negative both ways
    assertFalse(e.isLater(c));
    assertFalse(c.isLater(e));
    DmaFence a64 = DmaFence.init64(k, ops, 6, 0xFFFFFFFFL);
    DmaFence b64 = DmaFence.init64(k, ops, 6, 0x1_0000_0001L);
    DmaFence big = DmaFence.init64(k, ops, 6, -1L); // u64 max
    assertTrue(b64.isLater(a64));
    assertTrue(big.isLater(b64));
    assertTrue(a64.isSeqno64());
    assertTrue(DmaFence.seqnoIsLater(a, 1, 0xFFFFFFFFL));
    assertFalse(DmaFence.seqnoIsLater(a64, 1, 0xFFFFFFFFL));
    assertTrue(k.warnings().isEmpty());
  }

  @Test
  @DisplayName("is_later across contexts WARNs and returns false; is_later_or_same(f, f) does not WARN")
  void is_later_contexts() {
    DmaFenceOps ops = DmaFenceOps.names(driver, "d", "t");
    DmaFence a = fence(ops, 1, 2);
    DmaFence b = fence(ops, 2, 1);
    assertTrue(a.isLaterOrSame(a));
    assertFalse(a.isLater(a));
    assertTrue(k.warnings().isEmpty());
    assertFalse(a.isLater(b));
    assertTrue(warned("dma_fence_is_later", a));
    assertFalse(b.isLaterOrSame(a));
    assertTrue(warned("dma_fence_is_later", b));
    DmaFence c = fence(ops, 1, 1);
    assertTrue(a.isLaterOrSame(c));
    assertFalse(c.isLaterOrSame(a));
  }

  // --- waits with custom ops ----------------------------------------------------------------

  @Test
  @DisplayName("wait_timeout uses ops->wait when implemented, after enabling signaling")
  void custom_wait_op() {
    DmaFence f = fence(DmaFenceOps.builder(driver, "d", "t")
        .waitOp((x, intr, to) -> -Errno.ETIME).build(), 1, 1);
    assertEquals(-Errno.ETIME, f.waitTimeout(false, 10));
    assertTrue(f.isEnableSignalFlag());
    assertEquals(-Errno.ETIME, f.wait(false));
  }

  @Test
  @DisplayName("wait_timeout with a negative timeout WARNs and returns -EINVAL without enabling")
  void wait_negative_timeout() {
    DmaFence f = fence();
    assertEquals(-Errno.EINVAL, f.waitTimeout(false, -1));
    assertTrue(warned("dma_fence_wait_timeout", f));
    assertFalse(f.isEnableSignalFlag());
  }

  @Test
  @DisplayName("wait_timeout on a signaled fence returns the full timeout")
  void wait_signaled_full_timeout() {
    DmaFence f = fence();
    f.signal();
    assertEquals(1, f.waitTimeout(false, 0));
    assertEquals(77, f.waitTimeout(true, 77));
    assertEquals(0, f.wait(true));
    assertNotNull(f.kernel());
  }
}
