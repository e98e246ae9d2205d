package org.syncref.resv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.syncref.resv.DmaResvUsage.BOOKKEEP;
import static org.syncref.resv.DmaResvUsage.KERNEL;
import static org.syncref.resv.DmaResvUsage.READ;
import static org.syncref.resv.DmaResvUsage.WRITE;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceArray;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.kernel.KernelBug;
import org.syncref.resv.DmaResv.Entry;
import org.syncref.resv.ResvFixtures.Timeline;
import org.syncref.sched.RealSched;

/**
 * dma_resv rules that only the code states (drivers/dma-buf/dma-resv.c, include/linux/dma-resv.h):
 * cross-usage inclusion for every (add usage, query usage) pair and every query, the
 * add_fence replacement rule, reserve growth and pruning, reservation lifetime, replace_fences,
 * copy_fences, get_singleton, WARNs, BUGs, locking and references.
 */
class DmaResvCrossUsageExamples {
  private final Kernel k = new Kernel(new RealSched());
  private final Timeline a = new Timeline(k, "ringA");
  private final Timeline b = new Timeline(k, "ringB");
  private final Timeline c = new Timeline(k, "ringC");

  private boolean warned(String function) {
    return k.warnings().stream().anyMatch(w -> w.function().equals(function));
  }

  private static List<Entry> entries(Object... fenceUsagePairs) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < fenceUsagePairs.length; i += 2) {
      out.add(new Entry((DmaFence) fenceUsagePairs[i], (DmaResvUsage) fenceUsagePairs[i + 1]));
    }
    return out;
  }

  /** A resv holding {@code f} with usage {@code u}, unlocked. */
  private DmaResv resvWith(DmaFence f, DmaResvUsage u) {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    assertEquals(0, resv.reserveFences(1));
    resv.addFence(f, u);
    resv.unlock();
    return resv;
  }

  // --- cross-usage inclusion: a fence added with usage A is seen by a query Q iff A <= Q -----

  static Stream<Arguments> pairs() {
    List<Arguments> out = new ArrayList<>();
    for (DmaResvUsage add : DmaResvUsage.values()) {
      for (DmaResvUsage query : DmaResvUsage.values()) {
        out.add(Arguments.of(add, query));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "add {0}, dma_resv_test_signaled({1})")
  @MethodSource("pairs")
  @DisplayName("test_signaled(Q) is false for an unsignaled fence added with usage A iff A <= Q")
  void test_signaled_cross_usage(DmaResvUsage add, DmaResvUsage query) {
    DmaFence f = a.next();
    DmaResv resv = resvWith(f, add);
    assertEquals(!query.covers(add), resv.testSignaled(query), "dma_resv_test_signaled");
    f.signal();
    assertTrue(resv.testSignaled(query), "dma_resv_test_signaled after the signal");
    resv.fini();
    assertEquals(1, f.refcount());
  }

  @ParameterizedTest(name = "add {0}, dma_resv_get_fences({1})")
  @MethodSource("pairs")
  @DisplayName("get_fences(Q) returns an unsignaled fence added with usage A iff A <= Q")
  void get_fences_cross_usage(DmaResvUsage add, DmaResvUsage query) {
    DmaFence f = a.next();
    DmaResv resv = resvWith(f, add);
    List<DmaFence> got = resv.getFences(query);
    assertEquals(query.covers(add) ? List.of(f) : List.of(), got, "dma_resv_get_fences");
    got.forEach(DmaFence::put);
    resv.fini();
    assertEquals(1, f.refcount());
  }

  @ParameterizedTest(name = "add {0}, dma_resv_iter_first({1})")
  @MethodSource("pairs")
  @DisplayName("locked iteration with Q yields a fence added with usage A iff A <= Q, signaled or not")
  void locked_iteration_cross_usage(DmaResvUsage add, DmaResvUsage query) {
    DmaFence f = a.next();
    DmaResv resv = resvWith(f, add);
    resv.lock();
    for (boolean signaled : new boolean[] {false, true}) {
      if (signaled) {
        f.signal(); // the locked iteration does not skip signaled fences
      }
      DmaResvIter cursor = DmaResvIter.begin(resv, query);
      DmaFence first = cursor.first();
      if (query.covers(add)) {
        assertSame(f, first, "dma_resv_iter_first");
        assertTrue(cursor.isRestarted());
        assertEquals(add, cursor.usage(), "dma_resv_iter_usage");
        assertNull(cursor.next(), "dma_resv_iter_next");
      } else {
        assertNull(first, "dma_resv_iter_first");
      }
      cursor.end();
    }
    resv.unlock();
    resv.fini();
    assertEquals(1, f.refcount());
  }

  @ParameterizedTest(name = "add {0}, dma_resv_iter_first_unlocked({1})")
  @MethodSource("pairs")
  @DisplayName("unlocked iteration with Q yields an unsignaled fence added with usage A iff A <= Q")
  void unlocked_iteration_cross_usage(DmaResvUsage add, DmaResvUsage query) {
    DmaFence f = a.next();
    DmaResv resv = resvWith(f, add);
    DmaResvIter cursor = DmaResvIter.begin(resv, query);
    DmaFence first = cursor.firstUnlocked();
    if (query.covers(add)) {
      assertSame(f, first, "dma_resv_iter_first_unlocked");
      assertTrue(cursor.isRestarted());
      assertEquals(add, cursor.usage(), "dma_resv_iter_usage");
      assertNull(cursor.nextUnlocked(), "dma_resv_iter_next_unlocked");
    } else {
      assertNull(first, "dma_resv_iter_first_unlocked");
    }
    cursor.end();
    f.signal();
    cursor = DmaResvIter.begin(resv, query);
    assertNull(cursor.firstUnlocked(), "the unlocked walk skips signaled fences");
    cursor.end();
    resv.fini();
    assertEquals(1, f.refcount());
  }

  @ParameterizedTest(name = "add {0}, dma_resv_wait_timeout({1}, timeout 0)")
  @MethodSource("pairs")
  @DisplayName("wait_timeout(Q, 0) waits (1 jiffy) for an unsignaled fence added with usage A iff A <= Q")
  void wait_timeout_cross_usage(DmaResvUsage add, DmaResvUsage query) {
    DmaFence f = a.next();
    DmaResv resv = resvWith(f, add);
    // ret starts at 1 for timeout 0; a matching unsignaled fence times out after it (0).
    assertEquals(query.covers(add) ? 0 : 1, resv.waitTimeout(query, false, 0), "dma_resv_wait_timeout");
    f.signal();
    assertEquals(1, resv.waitTimeout(query, false, 0), "dma_resv_wait_timeout, all signaled, timeout 0");
    assertEquals(7, resv.waitTimeout(query, false, 7), "dma_resv_wait_timeout, all signaled: the full timeout");
    resv.fini();
    assertEquals(1, f.refcount());
  }

  @Test
  @DisplayName("enum dma_resv_usage: WRITE is seen by READ and BOOKKEEP, not KERNEL; KERNEL by all; BOOKKEEP only by BOOKKEEP")
  void usage_inclusions_from_the_code() {
    DmaFence w = a.next();
    DmaFence kf = b.next();
    DmaFence bk = c.next();
    DmaResv rw = resvWith(w, WRITE);
    DmaResv rk = resvWith(kf, KERNEL);
    DmaResv rb = resvWith(bk, BOOKKEEP);
    assertFalse(rw.testSignaled(READ));
    assertFalse(rw.testSignaled(BOOKKEEP));
    assertTrue(rw.testSignaled(KERNEL));
    for (DmaResvUsage q : DmaResvUsage.values()) {
      assertFalse(rk.testSignaled(q), "KERNEL is returned by every query");
      assertEquals(q != BOOKKEEP, rb.testSignaled(q), "BOOKKEEP only by a BOOKKEEP query");
    }
    rw.fini();
    rk.fini();
    rb.fini();
  }

  @Test
  @DisplayName("dma_resv_usage_rw: a writer waits with READ (readers and writers), a reader with WRITE")
  void usage_rw() {
    assertEquals(READ, DmaResvUsage.rw(true));
    assertEquals(WRITE, DmaResvUsage.rw(false));
    DmaFence reader = a.next();
    DmaResv resv = resvWith(reader, READ);
    assertFalse(resv.testSignaled(DmaResvUsage.rw(true)), "a new writer waits for a reader");
    assertTrue(resv.testSignaled(DmaResvUsage.rw(false)), "a new reader does not wait for a reader");
    resv.fini();
  }

  @Test
  @DisplayName("negative control RESV_TEST_SIGNALED_IGNORES_KERNEL: test_signaled passes an unsignaled KERNEL fence")
  void negative_control_ignores_kernel() {
    k.inject(org.syncref.kernel.InjectedBug.RESV_TEST_SIGNALED_IGNORES_KERNEL);
    DmaFence f = a.next();
    DmaResv resv = resvWith(f, KERNEL);
    for (DmaResvUsage q : DmaResvUsage.values()) {
      assertTrue(resv.testSignaled(q), "the cross-usage rule (KERNEL is seen by every query) is broken");
      assertEquals(List.of(), resv.getFences(q));
    }
    assertFalse(f.isSignaled());
    resv.fini();
  }

  @Test
  @DisplayName("negative control RESV_ADD_APPENDS: re-adding a fence needs a slot and promotion duplicates")
  void negative_control_add_appends() {
    k.inject(org.syncref.kernel.InjectedBug.RESV_ADD_APPENDS);
    DmaFence f1 = a.next();
    DmaFence f2 = a.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(2);
    resv.addFence(f1, BOOKKEEP);
    resv.addFence(f2, READ);
    assertEquals(entries(f1, BOOKKEEP, f2, READ), resv.entries(), "no promotion in place");
    resv.unlock();
    resv.lock();
    assertThrows(KernelBug.class, () -> resv.addFence(f2, READ), "the re-add rule (95ba893c9f4f) is broken");
  }

  // --- dma_resv_add_fence: the replacement rule (dma_resv_add_fence) -----------------------------------

  @Test
  @DisplayName("AddFence: a later fence of the context with the same or stronger usage replaces in place (promotion)")
  void add_promotion_replaces_in_place() {
    DmaFence f1 = a.next();
    DmaFence f2 = a.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(f1, BOOKKEEP);
    int gen = resv.generation();
    resv.addFence(f2, READ);
    assertEquals(entries(f2, READ), resv.entries(), "BOOKKEEP -> READ promotion replaces f1");
    assertEquals(1, f1.refcount(), "dma_resv_add_fence put the replaced fence");
    resv.addFence(f2, WRITE);
    assertEquals(entries(f2, WRITE), resv.entries(), "the same fence promoted READ -> WRITE in place");
    assertEquals(2, f2.refcount(), "re-adding put the old reference");
    assertEquals(gen, resv.generation(), "in-place replacement keeps the list");
    resv.unlock();
    resv.fini();
  }

  @Test
  @DisplayName("AddFence: a weaker usage never replaces; a second entry is appended (no downgrade)")
  void add_weaker_usage_appends() {
    DmaFence f1 = a.next();
    DmaFence f2 = a.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(2);
    resv.addFence(f1, WRITE);
    resv.addFence(f2, READ);
    assertEquals(entries(f1, WRITE, f2, READ), resv.entries());
    resv.addFence(f2, BOOKKEEP);
    assertEquals(entries(f1, WRITE, f2, READ, f2, BOOKKEEP), resv.entries(),
        "even the same fence re-added with a weaker usage is appended: no entry is downgraded");
    resv.unlock();
    resv.fini();
  }

  @Test
  @DisplayName("AddFence: an older fence of the same context is appended, both kept")
  void add_older_fence_appends() {
    DmaFence f1 = a.next();
    DmaFence f2 = a.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(2);
    resv.addFence(f2, READ);
    resv.addFence(f1, READ);
    assertEquals(entries(f2, READ, f1, READ), resv.entries());
    resv.unlock();
    resv.fini();
  }

  @Test
  @DisplayName("AddFence (95ba893c9f4f): re-adding the same fence with the same or stronger usage needs no slot")
  void re_add_needs_no_slot() {
    DmaFence f = a.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(f, READ);
    resv.unlock(); // max_fences = num_fences = 1: no free slot
    resv.lock();
    assertEquals(1, resv.maxFences());
    resv.addFence(f, READ);
    resv.addFence(f, KERNEL);
    assertEquals(entries(f, KERNEL), resv.entries());
    assertEquals(2, f.refcount());
    KernelBug bug = assertThrows(KernelBug.class, () -> resv.addFence(f, BOOKKEEP),
        "a weaker re-add appends and needs a slot");
    assertEquals("dma_resv_add_fence", bug.function());
    assertTrue(bug.getMessage().contains("BUG_ON(fobj->num_fences >= fobj->max_fences)"), bug.getMessage());
  }

  @Test
  @DisplayName("AddFence: a signaled entry of any context and usage is recycled by any fence, no slot needed")
  void signaled_entry_recycled() {
    DmaFence fa = a.next();
    DmaFence fb = b.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(fa, KERNEL);
    resv.unlock();
    resv.lock(); // no free slot
    fa.signal();
    resv.addFence(fb, BOOKKEEP);
    assertEquals(entries(fb, BOOKKEEP), resv.entries(), "fa's signaled KERNEL entry recycled");
    assertEquals(1, fa.refcount(), "the recycled fence was put");
    resv.unlock();
    resv.fini();
  }

  @Test
  @DisplayName("AddFence: only the first matching entry in index order is replaced")
  void only_first_match_replaced() {
    DmaFence f1 = a.next();
    DmaFence f2 = a.next();
    DmaFence f3 = a.next();
    DmaFence x = b.next();
    DmaFence y = c.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(4);
    resv.addFence(f1, READ);
    resv.addFence(f2, BOOKKEEP); // weaker: appended
    resv.addFence(f3, READ); // matches (f1, READ) and (f2, BOOKKEEP): only index 0 replaced
    assertEquals(entries(f3, READ, f2, BOOKKEEP), resv.entries());
    resv.addFence(x, WRITE);
    f3.signal();
    f2.signal();
    resv.addFence(y, READ); // two signaled entries: only index 0 is recycled
    assertEquals(entries(y, READ, f2, BOOKKEEP, x, WRITE), resv.entries());
    resv.unlock();
    resv.fini();
  }

  // --- dma_resv_reserve_fences: growth and pruning (dma_resv_reserve_fences) -------------------------------

  @Test
  @DisplayName("ReserveFences without a list: max(4, roundup_pow_of_two(n)), exactly (no kmalloc rounding)")
  void reserve_first_list_sizes() {
    int[][] cases = {{1, 4}, {3, 4}, {4, 4}, {5, 8}, {8, 8}, {9, 16}, {17, 32}};
    for (int[] cs : cases) {
      DmaResv resv = new DmaResv(k);
      resv.lock();
      assertEquals(0, resv.reserveFences(cs[0]));
      assertEquals(cs[1], resv.maxFences(), "reserve_fences(" + cs[0] + ")");
      assertEquals(cs[1], resv.capacity());
      assertEquals(1, resv.generation());
      resv.unlock();
      resv.fini();
    }
  }

  @Test
  @DisplayName("ReserveFences with a list: nothing if num + n <= max, else max(num + n, 2 * max)")
  void reserve_growth() {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(4);
    for (Timeline t : List.of(a, b, c, new Timeline(k, "ringD"))) {
      resv.addFence(t.next(), READ);
    }
    assertEquals(4, resv.numFences());
    int gen = resv.generation();
    assertEquals(0, resv.reserveFences(0), "num + 0 <= max: nothing to do");
    assertEquals(gen, resv.generation());
    assertEquals(0, resv.reserveFences(1));
    assertEquals(8, resv.maxFences(), "max(4 + 1, 2 * 4)");
    assertEquals(gen + 1, resv.generation(), "a new list");
    assertEquals(0, resv.reserveFences(4), "4 + 4 <= 8: nothing to do");
    assertEquals(gen + 1, resv.generation());
    assertEquals(0, resv.reserveFences(13));
    assertEquals(17, resv.maxFences(), "max(4 + 13, 2 * 8): num + n wins, not rounded");
    resv.unlock();
    assertEquals(4, resv.maxFences(), "dma_resv_reset_max_fences at unlock");
    assertEquals(17, resv.capacity(), "the allocation stays");
    resv.lock();
    assertEquals(0, resv.reserveFences(1));
    assertEquals(8, resv.maxFences(), "max(4 + 1, 2 * 4) from the reset max");
    resv.unlock();
    resv.fini();
  }

  @Test
  @DisplayName("ReserveFences after an unlock with no fence: max_fences 0 takes the first-list branch")
  void reserve_after_reset_to_zero() {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(16);
    resv.unlock();
    assertEquals(0, resv.maxFences());
    assertEquals(16, resv.capacity());
    resv.lock();
    int gen = resv.generation();
    assertEquals(0, resv.reserveFences(1));
    assertEquals(4, resv.maxFences(), "max(4, roundup_pow_of_two(1)), a new list despite the capacity");
    assertEquals(gen + 1, resv.generation());
    resv.unlock();
    resv.fini();
  }

  @Test
  @DisplayName("ReserveFences prunes signaled entries on reallocation only, keeping order and usages")
  void reserve_prunes() {
    DmaFence fa = a.next();
    DmaFence fb = b.next();
    DmaFence fc = c.next();
    Timeline d = new Timeline(k, "ringD");
    DmaFence fd = d.next();
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(4);
    resv.addFence(fa, KERNEL);
    resv.addFence(fb, WRITE);
    resv.addFence(fc, READ);
    resv.addFence(fd, BOOKKEEP);
    fa.signal();
    fc.signal();
    assertEquals(0, resv.reserveFences(0), "fits: no reallocation, no pruning");
    assertEquals(4, resv.numFences());
    assertEquals(0, resv.reserveFences(1));
    assertEquals(entries(fb, WRITE, fd, BOOKKEEP), resv.entries(), "unsignaled entries in order");
    assertEquals(8, resv.maxFences());
    assertEquals(1, fa.refcount(), "pruned fences were put");
    assertEquals(1, fc.refcount());
    assertEquals(2, fb.refcount());
    resv.unlock();
    resv.fini();
    for (DmaFence f : List.of(fa, fb, fc, fd)) {
      assertEquals(1, f.refcount());
    }
  }

  @Test
  @DisplayName("ReserveFences: -ENOMEM only beyond kmalloc's largest allocation (and for a negative n)")
  void reserve_enomem() {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    assertEquals(-Errno.ENOMEM, resv.reserveFences(DmaResv.MAX_LIST_FENCES + 1));
    assertEquals(-Errno.ENOMEM, resv.reserveFences(-1), "unsigned int n >= 2^31");
    assertFalse(resv.hasList());
    resv.unlock();
    resv.fini();
  }

  // --- reservation lifetime and missing reservations ---------------------------------------

  @Test
  @DisplayName("reservations last one lock hold: reserve, unlock, lock, add -> BUG_ON (CONFIG_DEBUG_MUTEXES)")
  void reservation_reset_by_unlock() {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    assertEquals(0, resv.reserveFences(1));
    resv.unlock();
    resv.lock();
    DmaFence f = a.next();
    KernelBug bug = assertThrows(KernelBug.class, () -> resv.addFence(f, WRITE));
    assertEquals("dma_resv_add_fence", bug.function());
    assertTrue(bug.getMessage().contains("BUG_ON"), bug.getMessage());
  }

  @Test
  @DisplayName("add_fence without any reserve dereferences the NULL list -> oops")
  void add_without_reserve() {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    KernelBug bug = assertThrows(KernelBug.class, () -> resv.addFence(a.next(), READ));
    assertEquals("dma_resv_add_fence", bug.function());
    assertTrue(bug.getMessage().contains("NULL pointer"), bug.getMessage());
  }

  // --- dma_resv_replace_fences ----------------------------------------------------------------

  @Test
  @DisplayName("ReplaceFences: every entry of the context, no is-later check, may downgrade")
  void replace_fences_downgrades() {
    DmaFence f1 = a.next();
    DmaFence f2 = a.next();
    DmaFence x = b.next();
    DmaFence pt = c.next(); // e.g. a page-table update fence replacing preemption fences
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(3);
    resv.addFence(f2, KERNEL);
    resv.addFence(x, READ);
    resv.addFence(f1, WRITE); // older than f2: appended
    resv.replaceFences(a.context, pt, BOOKKEEP);
    assertEquals(entries(pt, BOOKKEEP, x, READ, pt, BOOKKEEP), resv.entries());
    assertEquals(3, pt.refcount(), "one reference per overwritten entry");
    assertEquals(1, f1.refcount());
    assertEquals(1, f2.refcount());
    assertTrue(resv.testSignaled(WRITE), "KERNEL/WRITE fences downgraded to BOOKKEEP: a WRITE query passes");
    assertFalse(resv.testSignaled(BOOKKEEP));
    resv.replaceFences(12345, pt, KERNEL);
    assertEquals(entries(pt, BOOKKEEP, x, READ, pt, BOOKKEEP), resv.entries(), "no entry of that context");
    resv.unlock();
    resv.fini();
    assertEquals(1, pt.refcount());
  }

  // --- dma_resv_copy_fences ---------------------------------------------------------------------

  @Test
  @DisplayName("CopyFences: dst gets src's unsignaled fences with their usages; dst's old fences are put")
  void copy_fences() {
    DmaFence fa = a.next();
    DmaFence fb = b.next();
    DmaFence fc = c.next();
    Timeline d = new Timeline(k, "ringD");
    DmaFence fd = d.next();
    DmaResv src = new DmaResv(k);
    src.lock();
    src.reserveFences(3);
    src.addFence(fa, KERNEL);
    src.addFence(fb, READ);
    src.addFence(fc, BOOKKEEP);
    src.unlock();
    fb.signal();
    DmaResv dst = resvWith(fd, WRITE);
    int gen = dst.generation();
    dst.lock();
    assertEquals(0, dst.copyFences(src));
    assertEquals(entries(fa, KERNEL, fc, BOOKKEEP), dst.entries());
    assertEquals(3, dst.maxFences(), "allocated for the cursor's num_fences");
    assertEquals(gen + 1, dst.generation());
    assertEquals(1, fd.refcount(), "dst's old fence put");
    assertEquals(3, fa.refcount(), "timeline + src + dst");
    assertEquals(2, fb.refcount(), "not copied");
    assertEquals(3, src.numFences(), "src unchanged");
    dst.unlock();

    // nothing unsignaled in src: dst ends without a list
    fa.signal();
    fc.signal();
    dst.lock();
    assertEquals(0, dst.copyFences(src));
    assertFalse(dst.hasList());
    assertEquals(gen + 2, dst.generation());
    assertEquals(2, fa.refcount());
    dst.unlock();
    dst.fini();
    src.fini();
    for (DmaFence f : List.of(fa, fb, fc, fd)) {
      assertEquals(1, f.refcount());
    }
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }

  // --- dma_resv_get_singleton and containers ------------------------------------------------

  @Test
  @DisplayName("GetSingleton: none -> NULL, one -> that fence, many -> a dma_fence_array signaling when all did")
  void get_singleton() {
    DmaFence fa = a.next();
    DmaFence fb = b.next();
    DmaFence fc = c.next();
    DmaResv resv = new DmaResv(k);
    assertNull(resv.getSingleton(BOOKKEEP), "no list: NULL");
    resv.lock();
    resv.reserveFences(3);
    resv.addFence(fa, WRITE);
    resv.unlock();
    assertNull(resv.getSingleton(KERNEL), "no matching fence: NULL");
    DmaFence one = resv.getSingleton(WRITE);
    assertSame(fa, one, "one fence: itself");
    assertEquals(3, fa.refcount(), "with a reference for the caller");
    one.put();

    resv.lock();
    resv.reserveFences(2); // the reservation of the earlier lock hold is gone
    resv.addFence(fb, READ);
    resv.addFence(fc, BOOKKEEP);
    resv.unlock();
    long ctxBefore = k.dmaFenceContextAlloc(1);
    DmaFence s = resv.getSingleton(READ);
    DmaFenceArray array = DmaFenceArray.toDmaFenceArray(s);
    assertNotNull(array, "many fences: a dma_fence_array");
    assertTrue(s.isContainer());
    assertEquals(ctxBefore + 1, s.context(), "a fresh context (dma_fence_context_alloc(1))");
    assertEquals(1, s.seqno());
    assertEquals(List.of(fa, fb), array.fences(), "the fences with usage <= READ, in walk order");
    assertEquals(3, fa.refcount(), "the array owns one reference per member");
    s.enableSignaling();
    fa.setError(-Errno.EIO);
    fa.signal();
    assertFalse(s.isSignaled(), "one member left");
    assertEquals(1, array.numPending());
    fb.signal();
    assertTrue(s.isSignaled(), "all members signaled");
    assertEquals(-Errno.EIO, s.getStatus(), "the first member error");
    s.put();
    assertTrue(s.isFreed());
    assertEquals(2, fa.refcount(), "the array's release put its members");
    resv.fini();
    assertEquals(1, fa.refcount());
    assertEquals(1, fb.refcount());
    assertEquals(1, fc.refcount());
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }

  @Test
  @DisplayName("dma_fence_array: members already signaled are counted at enable; all signaled -> array signaled")
  void array_enable_with_signaled_members() {
    DmaFence fa = a.next();
    DmaFence fb = b.next();
    fa.signal();
    DmaFenceArray array = DmaFenceArray.create(k, List.of(fa.get(), fb.get()), k.dmaFenceContextAlloc(1), 1);
    DmaFence s = array.base();
    assertEquals(1, s.error(), "PENDING_ERROR until the array signals");
    s.enableSignaling();
    assertFalse(s.isSignaled());
    fb.signal();
    assertTrue(s.isSignaled());
    assertEquals(1, s.getStatus(), "no member error: PENDING_ERROR cleared");
    DmaFenceArray all = DmaFenceArray.create(k, List.of(fa.get(), fb.get()), k.dmaFenceContextAlloc(1), 1);
    all.base().enableSignaling();
    assertTrue(all.base().isSignaled(), "enable_signaling returned false: the core signaled it");
    s.put();
    all.base().put();
    assertEquals(1, fa.refcount());
    assertEquals(1, fb.refcount());
  }

  @Test
  @DisplayName("AddFence WARNs for a container (the singleton must not be added back) and goes on")
  void container_add_warns() {
    DmaFenceArray array = DmaFenceArray.create(k, List.of(a.next().get(), b.next().get()), k.dmaFenceContextAlloc(1), 1);
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(array.base(), READ);
    assertTrue(warned("dma_resv_add_fence"), "WARN_ON(dma_fence_is_container(fence))");
    assertEquals(entries(array.base(), READ), resv.entries());
    resv.unlock();
    resv.fini();
    array.base().put();
    assertTrue(array.base().isFreed());
  }

  @Test
  @DisplayName("dma_fence_array_create WARNs for a nested container and for no member")
  void array_nesting_warns() {
    DmaFenceArray inner = DmaFenceArray.create(k, List.of(a.next().get()), k.dmaFenceContextAlloc(1), 1);
    DmaFenceArray.create(k, List.of(inner.base()), k.dmaFenceContextAlloc(1), 1);
    assertEquals(1, k.warnings().size());
    DmaFenceArray.create(k, List.of(), k.dmaFenceContextAlloc(1), 1);
    assertEquals(2, k.warnings().size());
    assertTrue(k.warnings().stream().allMatch(w -> w.function().equals("dma_fence_array_init")));
  }

  // --- locking and dma_resv_assert_held -------------------------------------------------------

  @Test
  @DisplayName("dma_resv_assert_held: every writer and the locked iteration WARN without the lock, and go on")
  void assert_held_warns() {
    DmaResv resv = new DmaResv(k);
    assertEquals(0, resv.reserveFences(2));
    assertTrue(warned("dma_resv_reserve_fences"));
    assertTrue(resv.hasList(), "goes on: the list was allocated");
    DmaFence f = a.next();
    resv.addFence(f, READ);
    assertTrue(warned("dma_resv_add_fence"));
    resv.replaceFences(a.context, f, WRITE);
    assertTrue(warned("dma_resv_replace_fences"));
    DmaResvIter cursor = DmaResvIter.begin(resv, BOOKKEEP);
    assertSame(f, cursor.first());
    assertTrue(warned("dma_resv_iter_first"));
    assertTrue(warned("dma_resv_iter_next"), "dma_resv_iter_first calls dma_resv_iter_next, which asserts too");
    new DmaResv(k).copyFences(resv);
    assertTrue(warned("dma_resv_copy_fences"));
    int before = k.warnings().size();
    resv.testSignaled(BOOKKEEP);
    resv.getFences(BOOKKEEP).forEach(DmaFence::put);
    assertEquals(before, k.warnings().size(), "readers need no lock");
    resv.fini();
  }

  @Test
  @DisplayName("ResvLock: locking again from the owner self-deadlocks (KernelBug); trylock fails for the owner")
  void recursive_lock() {
    DmaResv resv = new DmaResv(k);
    assertTrue(resv.trylock());
    assertTrue(resv.held());
    assertFalse(resv.trylock(), "mutex_trylock by the owner fails");
    KernelBug bug = assertThrows(KernelBug.class, resv::lock);
    assertEquals("dma_resv_lock", bug.function());
    assertTrue(resv.held(), "still held");
    resv.unlock();
    assertFalse(resv.isLocked());
  }

  @Test
  @DisplayName("ResvLock blocks while another thread holds the lock; trylock fails for it meanwhile")
  void lock_blocks() throws Exception {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    AtomicInteger ret = new AtomicInteger(-1);
    AtomicReference<Boolean> tryRes = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      tryRes.set(resv.trylock());
      started.countDown();
      ret.set(resv.lock());
      resv.unlock();
    });
    t.start();
    assertTrue(started.await(5, TimeUnit.SECONDS));
    assertEquals(Boolean.FALSE, tryRes.get());
    // wait until t sleeps in lock()
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(Thread.State.WAITING, t.getState());
    assertEquals(-1, ret.get(), "still blocked");
    assertSame(Thread.currentThread(), resv.holder());
    resv.unlock();
    t.join(5000);
    assertFalse(t.isAlive());
    assertEquals(0, ret.get());
    assertFalse(resv.isLocked());
  }

  @Test
  @DisplayName("ResvUnlock by a non-owner: reset_max_fences and mutex_unlock WARN, and (debug mutex) the lock is released")
  void unlock_by_non_owner() throws Exception {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.reserveFences(4);
    Thread t = new Thread(resv::unlock);
    t.start();
    t.join(5000);
    assertTrue(warned("dma_resv_reset_max_fences"), "dma_resv_assert_held in dma_resv_reset_max_fences");
    assertTrue(warned("dma_resv_unlock"), "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)");
    assertEquals(0, resv.maxFences(), "reset_max_fences ran anyway");
    assertFalse(resv.isLocked(), "__mutex_unlock_slowpath releases the mutex after its WARN");
    resv.fini();
  }

  @Test
  @DisplayName("dma_resv_fini of a locked object WARNs (mutex_destroy)")
  void fini_locked_warns() {
    DmaResv resv = new DmaResv(k);
    resv.lock();
    resv.fini();
    assertTrue(warned("dma_resv_fini"));
  }

  // --- references and the call listener -------------------------------------------------------

  @Test
  @DisplayName("references: each entry owns one; every refcount returns to its start after fini and the puts")
  void references_balanced() {
    List<DmaFence> all = new ArrayList<>();
    DmaResv resv = new DmaResv(k);
    DmaResv other = new DmaResv(k);
    resv.lock();
    for (int round = 0; round < 6; round++) {
      resv.reserveFences(2);
      DmaFence fa = a.next();
      DmaFence fb = b.next();
      all.add(fa);
      all.add(fb);
      resv.addFence(fa, DmaResvUsage.values()[round % 4]);
      resv.addFence(fb, DmaResvUsage.values()[(round + 1) % 4]);
      if (round % 2 == 0) {
        a.signalNext();
      }
      if (round == 3) {
        DmaFence r = c.next();
        all.add(r);
        resv.replaceFences(b.context, r, BOOKKEEP);
      }
      resv.getFences(READ).forEach(DmaFence::put);
      DmaFence s = resv.getSingleton(BOOKKEEP);
      if (s != null) {
        s.put();
      }
      resv.unlock();
      resv.lock();
    }
    resv.unlock();
    for (DmaFence f : all) {
      assertFalse(f.isFreed());
    }
    // Drop the test's own references: the resv's keep its fences alive.
    List<DmaFence> inResv = resv.entries().stream().map(Entry::fence).toList();
    other.lock();
    other.copyFences(resv);
    other.unlock();
    for (Timeline t : List.of(a, b, c)) {
      t.putAll();
    }
    for (DmaFence f : inResv) {
      assertFalse(f.isFreed(), "no fence freed while in a resv: " + f);
    }
    resv.fini();
    other.fini();
    for (DmaFence f : all) {
      assertTrue(f.isFreed(), "every reference dropped: " + f);
    }
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }

  @Test
  @DisplayName("kernel call listener: a dma_resv call is one outermost call; its fence gets and puts are not reported")
  void call_listener_sees_outermost_calls() {
    List<String> calls = new ArrayList<>();
    DmaResv resv = new DmaResv(k);
    DmaFence f1 = a.next();
    DmaFence f2 = a.next();
    k.setCallListener((fn, subject, args, result) -> calls.add(fn));
    resv.lock();
    resv.reserveFences(1);
    resv.addFence(f1, READ);
    resv.addFence(f2, READ); // gets f2, puts f1
    resv.testSignaled(READ);
    resv.getFences(READ).get(0).put();
    resv.unlock();
    k.setCallListener(null);
    assertEquals(List.of("dma_resv_lock", "dma_resv_reserve_fences", "dma_resv_add_fence",
        "dma_resv_add_fence", "dma_resv_test_signaled", "dma_resv_get_fences", "dma_fence_put",
        "dma_resv_unlock"), calls);
    assertNotEquals(0, f2.refcount());
    resv.fini();
  }
}
