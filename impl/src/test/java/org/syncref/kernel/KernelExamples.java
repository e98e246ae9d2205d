package org.syncref.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceStub;
import org.syncref.sched.ManualSched;

/** Examples of per-kernel state: contexts, stubs and the WARN log. */
class KernelExamples {
  @Test
  @DisplayName("ContextAlloc: the counter starts at 1 and hands out num consecutive contexts")
  void context_alloc() {
    Kernel k = new Kernel(new ManualSched());
    assertEquals(1, k.dmaFenceContextAlloc(1));
    assertEquals(2, k.dmaFenceContextAlloc(3));
    assertEquals(5, k.dmaFenceContextAlloc(1));
    assertTrue(k.warnings().isEmpty());
  }

  @Test
  @DisplayName("ContextAlloc(0) WARNs")
  void context_alloc_zero() {
    Kernel k = new Kernel(new ManualSched());
    assertEquals(1, k.dmaFenceContextAlloc(0));
    assertEquals(1, k.warnings().size());
    Warning w = k.warnings().get(0);
    assertEquals("dma_fence_context_alloc", w.function());
    assertNull(w.subject());
    assertEquals(1, k.dmaFenceContextAlloc(1));
  }

  @Test
  @DisplayName("kernels are isolated: each has its own counter, stub and WARN log")
  void kernels_isolated() {
    Kernel a = new Kernel(new ManualSched());
    Kernel b = new Kernel(new ManualSched());
    a.dmaFenceContextAlloc(10);
    a.warn("x", "y", null);
    assertEquals(1, b.dmaFenceContextAlloc(1));
    assertTrue(b.warnings().isEmpty());
    DmaFence sa = DmaFenceStub.getStub(a);
    DmaFence sb = DmaFenceStub.getStub(b);
    assertNotSame(sa, sb);
    assertEquals(0, sa.context());
    assertTrue(sa.isSignaled() && sb.isSignaled());
    assertTrue(sa.isEnableSignalFlag());
    assertNotSame(DmaFenceStub.allocatePrivateStub(a), DmaFenceStub.allocatePrivateStub(a));
  }

  @Test
  @DisplayName("warnOn returns its condition and records only when it holds")
  void warn_on() {
    Kernel k = new Kernel(new ManualSched());
    assertTrue(k.warnOn(true, "f", "c", null));
    assertEquals(false, k.warnOn(false, "f", "c", null));
    assertEquals(1, k.warnings().size());
  }
}
