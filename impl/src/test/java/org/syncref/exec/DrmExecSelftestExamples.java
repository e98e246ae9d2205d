package org.syncref.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.syncref.kernel.Kernel;

/**
 * drivers/gpu/drm/tests/drm_exec_test.c, suite "drm_exec", its 7 cases, each
 * written as the C test is (the loop, drm_exec_retry_on_contention, KUNIT_EXPECT_EQ(ret, 0) and
 * break on error), plus the state the C test leaves implicit: no WARN, every object unlocked
 * and its refcount back to 1 after drm_exec_fini.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrmExecSelftestExamples {
  private final Kernel k = new Kernel();

  @AfterEach
  void noWarnings() {
    assertTrue(k.warnings().isEmpty(), () -> "unexpected WARNs: " + k.warnings());
  }

  private static void assertReleased(GemObject... objs) {
    for (GemObject o : objs) {
      assertFalse(o.resv().isLocked(), o + " unlocked");
      assertEquals(1, o.refcount(), o + ": only drm_gem_private_object_init's reference left");
    }
  }

  @Test
  @DisplayName("sanitycheck: drm_exec_init, drm_exec_fini")
  void sanitycheck() {
    DrmExec exec = DrmExec.init(k, DrmExec.INTERRUPTIBLE_WAIT, 0);
    assertEquals(512, exec.maxObjects(), "nr 0: PAGE_SIZE / sizeof(void *)");
    assertTrue(exec.isTicketPending(), "contended = DRM_EXEC_DUMMY");
    exec.fini();
    assertNull(exec.ticket(), "the ticket was never initialised, so fini does not fini it");
  }

  @Test
  @DisplayName("test_lock: drm_exec_lock_obj inside the loop returns 0")
  void test_lock() {
    GemObject gobj = new GemObject(k, "gobj");
    DrmExec exec = DrmExec.init(k, DrmExec.INTERRUPTIBLE_WAIT, 0);
    int passes = exec.untilAllLocked(e -> {
      int ret = e.lockObj(gobj);
      e.retryOnContention();
      assertEquals(0, ret);
      return ret == 0;
    });
    assertEquals(1, passes);
    assertTrue(gobj.resv().held());
    assertTrue(exec.ticket().isDoneAcquire(), "the loop ended through ww_acquire_done");
    assertEquals(List.of(gobj), exec.lockedObjects());
    assertEquals(2, gobj.refcount(), "the exec holds a reference");
    exec.fini();
    assertReleased(gobj);
    assertTrue(exec.ticket().isFinished());
  }

  @Test
  @DisplayName("test_lock_unlock: lock, drm_exec_unlock_obj, lock again: 0 each time")
  void test_lock_unlock() {
    GemObject gobj = new GemObject(k, "gobj");
    DrmExec exec = DrmExec.init(k, DrmExec.INTERRUPTIBLE_WAIT, 0);
    exec.untilAllLocked(e -> {
      int ret = e.lockObj(gobj);
      e.retryOnContention();
      assertEquals(0, ret);
      if (ret != 0) {
        return false;
      }
      e.unlockObj(gobj);
      assertFalse(gobj.resv().isLocked());
      assertEquals(0, e.numObjects());
      ret = e.lockObj(gobj);
      e.retryOnContention();
      assertEquals(0, ret);
      return ret == 0;
    });
    assertEquals(List.of(gobj), exec.lockedObjects());
    exec.fini();
    assertReleased(gobj);
  }

  @Test
  @DisplayName("test_duplicates: with DRM_EXEC_IGNORE_DUPLICATES locking one object twice returns 0 twice")
  void test_duplicates() {
    GemObject gobj = new GemObject(k, "gobj");
    DrmExec exec = DrmExec.init(k, DrmExec.IGNORE_DUPLICATES, 0);
    exec.untilAllLocked(e -> {
      int ret = e.lockObj(gobj);
      e.retryOnContention();
      assertEquals(0, ret);
      if (ret != 0) {
        return false;
      }
      ret = e.lockObj(gobj);
      e.retryOnContention();
      assertEquals(0, ret);
      return ret == 0;
    });
    assertEquals(List.of(gobj), exec.lockedObjects(), "tracked once");
    exec.unlockObj(gobj);
    exec.fini();
    assertReleased(gobj);
  }

  @Test
  @DisplayName("test_prepare: drm_exec_prepare_obj(obj, 1) returns 0 and reserves a slot")
  void test_prepare() {
    GemObject gobj = new GemObject(k, "gobj");
    DrmExec exec = DrmExec.init(k, DrmExec.INTERRUPTIBLE_WAIT, 0);
    exec.untilAllLocked(e -> {
      int ret = e.prepareObj(gobj, 1);
      e.retryOnContention();
      assertEquals(0, ret);
      return ret == 0;
    });
    assertTrue(gobj.resv().maxFences() >= 1, "a slot is reserved");
    exec.fini();
    assertReleased(gobj);
    gobj.put(); // drm_gem_private_object_fini
    assertEquals(0, gobj.refcount());
  }

  @Test
  @DisplayName("test_prepare_array: drm_exec_prepare_array over two objects returns 0")
  void test_prepare_array() {
    GemObject gobj1 = new GemObject(k, "gobj1");
    GemObject gobj2 = new GemObject(k, "gobj2");
    GemObject[] array = {gobj1, gobj2};
    DrmExec exec = DrmExec.init(k, DrmExec.INTERRUPTIBLE_WAIT, 0);
    int[] ret = {-1};
    // drm_exec_until_all_locked(&exec) ret = drm_exec_prepare_array(...); (no retry macro)
    exec.untilAllLocked(e -> {
      ret[0] = e.prepareArray(array, 1);
      return true;
    });
    assertEquals(0, ret[0]);
    assertEquals(List.of(gobj1, gobj2), exec.lockedObjects());
    exec.fini();
    assertReleased(gobj1, gobj2);
  }

  @Test
  @DisplayName("test_multiple_loops: two init / until_all_locked { break } / fini sequences on one exec")
  void test_multiple_loops() {
    DrmExec exec = DrmExec.init(k, DrmExec.INTERRUPTIBLE_WAIT, 0);
    assertEquals(1, exec.untilAllLocked(e -> false));
    assertFalse(exec.ticket().isDoneAcquire(), "break leaves the loop without ww_acquire_done");
    exec.fini();
    exec.init(DrmExec.INTERRUPTIBLE_WAIT, 0);
    assertEquals(1, exec.untilAllLocked(e -> false));
    exec.fini();
    assertTrue(exec.ticket().isFinished());
  }
}
