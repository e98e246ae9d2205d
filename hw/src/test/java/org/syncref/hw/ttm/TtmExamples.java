package org.syncref.hw.ttm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.resv.DmaResvUsage;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;

/**
 * The TTM model on fixed scenarios: each mainline property of spec/GpuMem holds, and each
 * injected bug ({@link HwBug}, the spec's {@code _bug} models) is caught by the same check.
 */
class TtmExamples {
  static final String STALE = "MEM-NO-STALE-ACCESS";
  static final String KERNEL_FIRST = "MEM-KERNEL-FIRST";
  static final String FREE = "MEM-FREE-UNREACHABLE";
  static final String RW = "MEM-RW-ORDERED";

  /** The jobs of the eviction scenario. */
  record Evicted(GpuMemSystem rig, TtmBufferObject b1, TtmBufferObject b2, DrmSchedJob reader, DrmSchedJob c1,
      DrmSchedJob c2) {
  }

  /**
   * GpuMem's layout: b1 in VRAM v1 (the only VRAM range), b2 in SYSTEM s1; a reader of b1 is
   * queued on gfx; b2 is moved into VRAM, which evicts b1 (copy c1, pipelined: v1 freed at once,
   * c1 recorded) and moves b2 into v1 (copy c2, ghost of s1).
   */
  static Evicted evictionScenario(HwBug... bugs) {
    GpuMemSystem rig = new GpuMemSystem(1, 3, bugs);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.SYSTEM);
    DrmSchedJob reader = rig.submit(rig.gfxUser, "r1", SubmitMode.READ, b1);
    assertEquals(0, rig.dev.moveTo(b2, TtmMemType.VRAM));
    List<DrmSchedJob> copies = rig.sdma.armedJobs();
    assertEquals(2, copies.size(), rig.log());
    return new Evicted(rig, b1, b2, reader, copies.get(0), copies.get(1));
  }

  @Test
  @DisplayName("mainline: eviction and move-in are ordered after the reader; every check holds")
  void mainline_eviction_and_move_in() {
    Evicted s = evictionScenario();
    GpuMemSystem rig = s.rig();
    TtmResourceManager vram = rig.dev.manager(TtmMemType.VRAM);
    assertEquals("s2", s.b1().resource().range().toString(), "b1 evicted to the first free SYSTEM range");
    assertEquals("v1", s.b2().resource().range().toString());
    assertEquals(2, s.b2().resource().tenure(), "v1's second tenure");
    assertEquals(List.of(s.c1().finished()), vram.evictionFences(), "ttm_bo_move_pipeline_evict");
    assertTrue(s.c1().dependencies().contains(s.reader().finished()), "the copy waits for BOOKKEEP");
    assertTrue(s.c2().dependencies().contains(s.c1().finished()), "ttm_bo_add_move_fence");
    assertTrue(s.b1().resv().entries().stream().anyMatch(e -> e.fence() == s.c1().finished()
        && e.usage() == DmaResvUsage.KERNEL));
    assertEquals(1, rig.dev.ghosts().size());
    assertEquals("s1", rig.dev.ghosts().get(0).resource().range().toString());
    assertFalse(rig.dev.delayedDeleteStep(), "the ghost is busy until c2 signals");
    assertNull(rig.sdma.runJobWork(), "c1 waits for the reader");

    DrmSchedJob r2 = rig.submit(rig.compUser, "r2", SubmitMode.READ, s.b2());
    assertTrue(r2.dependencies().contains(s.c2().finished()), "a submission waits for KERNEL");
    assertNull(rig.comp.runJobWork());

    rig.drain();
    assertEquals(List.of(), rig.violations(), rig.log());
    assertTrue(rig.dev.ghosts().isEmpty(), "the delayed delete freed the idle ghost");
    assertNull(rig.dev.manager(TtmMemType.SYSTEM).resourceAt(new TtmRange(TtmMemType.SYSTEM, 1)));
    List<String> v1 = rig.dev.history().accesses().stream()
        .filter(a -> a.range().toString().equals("v1")).map(Object::toString).toList();
    assertEquals(List.of("r1->b1:v1@1", "evict1:b1->b1:v1@1", "move2:b2->b2:v1@2", "r2->b2:v1@2"), v1);
    assertTrue(rig.k.warnings().isEmpty(), rig.k.warnings().toString());
  }

  @Test
  @DisplayName("negative control evict_waits_write: the copy skips the reader; FREE-UNREACHABLE and NO-STALE-ACCESS fire")
  void evict_waits_write_is_caught() {
    Evicted s = evictionScenario(HwBug.EVICT_WAITS_WRITE);
    GpuMemSystem rig = s.rig();
    assertFalse(s.c1().dependencies().contains(s.reader().finished()));
    assertEquals(1, rig.dev.history().violations(FREE).size(), rig.log());
    // the copies run first, then the reader reads v1 in its ended tenure
    rig.runAndComplete(rig.sdma);
    rig.runAndComplete(rig.sdma);
    assertTrue(rig.dev.history().violations(STALE).isEmpty());
    rig.runAndComplete(rig.gfx);
    assertEquals(1, rig.dev.history().violations(STALE).size(), rig.log());
  }

  @Test
  @DisplayName("negative control evict_waits_write on a move-in: the ghost is freed while the reader can reach it")
  void evict_waits_write_ghost_is_caught() {
    for (HwBug[] bugs : List.of(new HwBug[0], new HwBug[] {HwBug.EVICT_WAITS_WRITE})) {
      GpuMemSystem rig = new GpuMemSystem(1, 2, bugs);
      TtmBufferObject b = rig.bo("b", TtmMemType.SYSTEM);
      rig.submit(rig.gfxUser, "r", SubmitMode.READ, b);
      assertEquals(0, rig.dev.moveTo(b, TtmMemType.VRAM));
      while (rig.sdma.runJobWork() != null) {
        rig.sdmaRing.executeNext();
      }
      while (rig.dev.delayedDeleteStep()) {
        // free what is idle
      }
      rig.drain();
      assertEquals(bugs.length, rig.dev.history().violations(FREE).size(), rig.log());
    }
  }

  @Test
  @DisplayName("negative control ignore_kernel: a reader of the moved object runs before its copy")
  void ignore_kernel_is_caught() {
    Evicted s = evictionScenario(HwBug.IGNORE_KERNEL);
    GpuMemSystem rig = s.rig();
    rig.runAndComplete(rig.gfx); // r1, so that c1 may run
    DrmSchedJob r2 = rig.submit(rig.compUser, "r2", SubmitMode.READ, s.b2());
    assertTrue(r2.dependencies().isEmpty());
    rig.runAndComplete(rig.comp);
    assertEquals(1, rig.dev.history().violations(KERNEL_FIRST).size(), rig.log());
    rig.drain();
    assertEquals(1, rig.dev.history().violations(STALE).size(), "c1 reads v1@1 after r2 read v1@2\n" + rig.log());

    Evicted m = evictionScenario();
    m.rig().runAndComplete(m.rig().gfx);
    DrmSchedJob ok = m.rig().submit(m.rig().compUser, "r2", SubmitMode.READ, m.b2());
    assertFalse(ok.dependencies().isEmpty());
    assertNull(m.rig().comp.runJobWork(), "mainline: r2 waits for c2");
  }

  @Test
  @DisplayName("explicit sync waits for KERNEL only: ordered after the move, not after a writer")
  void explicit_waits_for_kernel_only() {
    Evicted s = evictionScenario();
    GpuMemSystem rig = s.rig();
    DrmSchedJob w = rig.submit(rig.gfxUser, "w", SubmitMode.WRITE, s.b2());
    DrmSchedJob x = rig.submit(rig.compUser, "x", SubmitMode.EXPLICIT, s.b2());
    assertEquals(List.of(s.c2().finished()), x.dependencies());
    assertTrue(w.dependencies().contains(s.c2().finished()));
    rig.drain();
    assertEquals(List.of(), rig.violations(), rig.log());
  }

  @Test
  @DisplayName("negative control no_move_fence: the pipelined eviction frees v1 with nothing recorded")
  void no_move_fence_is_caught() {
    Evicted s = evictionScenario(HwBug.NO_MOVE_FENCE);
    GpuMemSystem rig = s.rig();
    assertTrue(rig.dev.manager(TtmMemType.VRAM).evictionFences().isEmpty());
    List<GpuMemHistory.Violation> v = rig.dev.history().violations(FREE);
    assertEquals(2, v.size(), "the reader and the copy can still reach v1\n" + rig.log());
    assertTrue(v.get(0).message().contains("unfinished r1"), rig.log());
    assertTrue(v.get(1).message().contains("unfinished evict1:b1"), rig.log());
    assertTrue(s.c2().dependencies().isEmpty(), "no move fence for the next tenant to wait for");
  }

  @Test
  @DisplayName("the trylock pass evicts the least recently used object; a submission moves it to the tail")
  void lru_order() {
    GpuMemSystem rig = new GpuMemSystem(2, 3);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.VRAM);
    rig.submit(rig.gfxUser, "r", SubmitMode.READ, b1);
    TtmBufferObject b3 = rig.bo("b3", TtmMemType.SYSTEM);
    assertEquals(0, rig.dev.moveTo(b3, TtmMemType.VRAM));
    assertEquals(TtmMemType.SYSTEM, b2.resource().range().memType(), "b2 was the LRU head");
    assertEquals(TtmMemType.VRAM, b1.resource().range().memType());
    rig.drain();
    assertEquals(List.of(), rig.violations(), rig.log());
  }

  @Test
  @DisplayName("a pinned object is not evicted: -ENOSPC; ttm_bo_unpin of an unpinned object WARNs")
  void pinned_object_stays() {
    GpuMemSystem rig = new GpuMemSystem(1, 3);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.SYSTEM);
    b1.resv().lock();
    rig.dev.pin(b1);
    b1.resv().unlock();
    assertEquals(-TtmDevice.ENOSPC, rig.dev.moveTo(b2, TtmMemType.VRAM));
    assertEquals("v1", b1.resource().range().toString());
    assertTrue(rig.sdma.armedJobs().isEmpty());
    b1.resv().lock();
    rig.dev.unpin(b1);
    assertTrue(rig.k.warnings().isEmpty());
    rig.dev.unpin(b1);
    b1.resv().unlock();
    assertEquals("ttm_bo_unpin", rig.k.warnings().get(0).function());
    assertEquals(0, rig.dev.moveTo(b2, TtmMemType.VRAM));
  }

  /**
   * A rival thread holds b1 (VRAM's only range) under an older ticket; the evictor holds its own
   * b2 under a younger ticket and validates b2 into VRAM: the trylock pass fails, the ticketlock
   * of b1 gets -EDEADLK (Wait-Die: the younger dies).
   *
   * @return the validation's result
   */
  private static int ticketlockAgainstOlderRival(GpuMemSystem rig, TtmBufferObject b1, TtmBufferObject b2)
      throws InterruptedException {
    WwClass cls = WwClass.reservationWwClass(rig.k);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread rival = new Thread(() -> {
      WwAcquireContext older = WwAcquireContext.initNoinject(rig.k, cls);
      b1.resv().lock(older);
      locked.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      b1.resv().unlock();
      older.fini();
    });
    rival.start();
    assertTrue(locked.await(5, TimeUnit.SECONDS));
    WwAcquireContext younger = WwAcquireContext.initNoinject(rig.k, cls);
    assertEquals(0, b2.resv().lock(younger));
    assertSame(younger, b2.resv().lockingCtx());
    int ret = rig.dev.validate(b2, TtmMemType.VRAM);
    b2.resv().unlock(); // the caller exits the ww transaction
    younger.fini();
    release.countDown();
    rival.join(5_000);
    return ret;
  }

  @Test
  @DisplayName("MEM-EVICT-TICKET: the ticketlock's -EDEADLK ends the walk with -ENOSPC, no ww WARN")
  void ticketlock_edeadlk_becomes_enospc() throws Exception {
    GpuMemSystem rig = new GpuMemSystem(1, 3);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.SYSTEM);
    assertEquals(-TtmDevice.ENOSPC, ticketlockAgainstOlderRival(rig, b1, b2));
    assertEquals("v1", b1.resource().range().toString());
    assertTrue(rig.sdma.armedJobs().isEmpty());
    assertTrue(rig.k.warnings().isEmpty(), rig.k.warnings().toString());
    assertEquals(0, rig.dev.moveTo(b2, TtmMemType.VRAM), "free again: the trylock pass evicts b1");
    assertNotNull(b1.resource());
  }

  @Test
  @DisplayName("negative control edeadlk_retry: locking again after -EDEADLK WARNs (contending_lock)")
  void edeadlk_retry_is_caught() throws Exception {
    GpuMemSystem rig = new GpuMemSystem(1, 3, HwBug.EDEADLK_RETRY);
    TtmBufferObject b1 = rig.bo("b1", TtmMemType.VRAM);
    TtmBufferObject b2 = rig.bo("b2", TtmMemType.SYSTEM);
    assertEquals(-TtmDevice.ENOSPC, ticketlockAgainstOlderRival(rig, b1, b2));
    assertFalse(rig.k.warnings().isEmpty());
    assertTrue(rig.k.warnings().get(0).toString().contains("DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock)"),
        rig.k.warnings().toString());
  }

  @Test
  @DisplayName("a reset cancels a pending copy: its fence signals with an error and the ghost is freed")
  void reset_of_copy_engine() {
    Evicted s = evictionScenario();
    GpuMemSystem rig = s.rig();
    rig.runAndComplete(rig.gfx);
    assertSame(s.c1(), rig.sdma.runJobWork());
    assertEquals(1, rig.sdma.timedOut());
    assertTrue(s.c1().finished().getStatus() < 0);
    rig.drain();
    assertEquals(List.of(), rig.violations(), rig.log());
    assertTrue(rig.dev.ghosts().isEmpty());
  }

  @Test
  @DisplayName("MEM-RW-ORDERED: a writer waits for a reader on another engine; rw_swapped is caught")
  void rw_ordered_and_rw_swapped() {
    for (boolean bug : new boolean[] {false, true}) {
      GpuMemSystem rig = bug ? new GpuMemSystem(1, 2, HwBug.RW_SWAPPED) : new GpuMemSystem(1, 2);
      TtmBufferObject b = rig.bo("b", TtmMemType.VRAM);
      DrmSchedJob r = rig.submit(rig.gfxUser, "r", SubmitMode.READ, b);
      DrmSchedJob w = rig.submit(rig.compUser, "w", SubmitMode.WRITE, b);
      assertEquals(!bug, w.dependencies().contains(r.finished()));
      DrmSchedJob x = rig.submit(rig.compUser, "x", SubmitMode.EXPLICIT, b);
      assertTrue(x.dependencies().isEmpty(), "explicit sync: KERNEL only");
      rig.drain();
      assertEquals(bug ? 1 : 0, rig.dev.history().violations(RW).size(), rig.log());
      assertEquals(bug ? 1 : 0, rig.violations().size(), rig.log());
    }
  }
}
