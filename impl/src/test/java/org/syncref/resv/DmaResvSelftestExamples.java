package org.syncref.resv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.syncref.fence.DmaFence;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.sched.RealSched;

/**
 * The KUnit suite "dma-buf-resv" (drivers/dma-buf/st-dma-resv.c, 6.x): one
 * example per kernel test case, cases 2-5 once per usage (17 runs), with the kernel's assertions
 * and messages. Every run also checks that no WARN fired and that the fence is freed at the end
 * (every reference the resv or the cursor took was dropped).
 */
class DmaResvSelftestExamples {
  private final Kernel k = new Kernel(new RealSched());

  @AfterEach
  void noWarnings() {
    assertTrue(k.warnings().isEmpty(), () -> "unexpected WARNs: " + k.warnings());
  }

  @Test
  @DisplayName("test_sanitycheck")
  void test_sanitycheck() {
    DmaFence f = ResvFixtures.allocFence(k);
    f.enableSignaling();
    f.signal();
    f.put();
    assertTrue(f.isFreed());

    DmaResv resv = new DmaResv(k);
    int r = resv.lock(); // dma_resv_lock(&resv, NULL)
    assertEquals(0, r, "Resv locking failed");
    resv.unlock();
    resv.fini();
    assertFalse(resv.isLocked());
  }

  @ParameterizedTest(name = "test_signaling({0})")
  @EnumSource(DmaResvUsage.class)
  @DisplayName("test_signaling")
  void test_signaling(DmaResvUsage usage) {
    DmaFence f = ResvFixtures.allocFence(k);
    f.enableSignaling();
    DmaResv resv = new DmaResv(k);
    assertEquals(0, resv.lock(), "Resv locking failed");
    assertEquals(0, resv.reserveFences(1), "Resv shared slot allocation failed");
    resv.addFence(f, usage);
    assertFalse(resv.testSignaled(usage), "Resv unexpectedly signaled");
    f.signal();
    assertTrue(resv.testSignaled(usage), "Resv not reporting signaled");
    resv.unlock();
    resv.fini();
    f.put();
    assertTrue(f.isFreed(), "dma_resv_fini dropped the resv's reference");
  }

  @ParameterizedTest(name = "test_for_each({0})")
  @EnumSource(DmaResvUsage.class)
  @DisplayName("test_for_each")
  void test_for_each(DmaResvUsage usage) {
    DmaFence f = ResvFixtures.allocFence(k);
    f.enableSignaling();
    DmaResv resv = new DmaResv(k);
    assertEquals(0, resv.lock(), "Resv locking failed");
    assertEquals(0, resv.reserveFences(1), "Resv shared slot allocation failed");
    resv.addFence(f, usage);

    int r = -Errno.ENOENT;
    // dma_resv_for_each_fence(&cursor, &resv, usage, fence)
    DmaResvIter cursor = DmaResvIter.begin(resv, usage);
    for (DmaFence fence = cursor.first(); fence != null; fence = cursor.next()) {
      if (r == 0) {
        fail("More than one fence found");
      }
      assertSame(f, fence, "Unexpected fence");
      assertEquals(usage, cursor.usage(), "Unexpected fence usage");
      r = 0;
    }
    assertEquals(0, r, "No fence found");
    assertEquals(2, f.refcount(), "the locked iteration takes no reference");
    f.signal();
    resv.unlock();
    resv.fini();
    f.put();
    assertTrue(f.isFreed());
  }

  @ParameterizedTest(name = "test_for_each_unlocked({0})")
  @EnumSource(DmaResvUsage.class)
  @DisplayName("test_for_each_unlocked")
  void test_for_each_unlocked(DmaResvUsage usage) {
    DmaFence f = ResvFixtures.allocFence(k);
    f.enableSignaling();
    DmaResv resv = new DmaResv(k);
    assertEquals(0, resv.lock(), "Resv locking failed");
    assertEquals(0, resv.reserveFences(1), "Resv shared slot allocation failed");
    resv.addFence(f, usage);
    resv.unlock();

    int r = -Errno.ENOENT;
    int seen = 0;
    DmaResvIter cursor = DmaResvIter.begin(resv, usage);
    // dma_resv_for_each_fence_unlocked(&cursor, fence)
    for (DmaFence fence = cursor.firstUnlocked(); fence != null; fence = cursor.nextUnlocked()) {
      seen++;
      if (r == 0) {
        fail("More than one fence found");
      }
      assertTrue(cursor.isRestarted(), "No restart flag");
      assertSame(f, fence, "Unexpected fence");
      assertEquals(usage, cursor.usage(), "Unexpected fence usage");
      assertEquals(3, f.refcount(), "the cursor holds a reference on the fence it hands out");
      // We use r as state here
      if (r == -Errno.ENOENT) {
        r = -Errno.EINVAL;
        // That should trigger an restart: cursor.fences = (void*)~0
        cursor.poisonFencesForTest();
      } else if (r == -Errno.EINVAL) {
        r = 0;
      }
    }
    assertEquals(0, r, "No fence found");
    assertEquals(2, seen, "seen twice");
    assertEquals(1, cursor.restarts() - 1, "restarted once");
    cursor.end();
    assertEquals(2, f.refcount(), "the walk's end dropped the cursor's reference");
    f.signal();
    resv.fini();
    f.put();
    assertTrue(f.isFreed());
  }

  @ParameterizedTest(name = "test_get_fences({0})")
  @EnumSource(DmaResvUsage.class)
  @DisplayName("test_get_fences")
  void test_get_fences(DmaResvUsage usage) {
    DmaFence f = ResvFixtures.allocFence(k);
    f.enableSignaling();
    DmaResv resv = new DmaResv(k);
    assertEquals(0, resv.lock(), "Resv locking failed");
    assertEquals(0, resv.reserveFences(1), "Resv shared slot allocation failed");
    resv.addFence(f, usage);
    resv.unlock();

    List<DmaFence> fences = resv.getFences(usage);
    assertNotEquals(null, fences, "get_fences failed");
    assertEquals(1, fences.size(), "get_fences returned unexpected fence");
    assertSame(f, fences.get(0), "get_fences returned unexpected fence");
    assertEquals(3, f.refcount(), "get_fences hands the caller a reference");
    f.signal();
    for (DmaFence g : fences) {
      g.put();
    }
    resv.fini();
    f.put();
    assertTrue(f.isFreed());
  }
}
