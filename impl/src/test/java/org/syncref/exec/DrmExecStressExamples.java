package org.syncref.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResvUsage;

/**
 * Real threads ({@link org.syncref.sched.RealSched}) lock overlapping sets of GEM objects in
 * random orders, half of them through {@link DrmExec} (alternately with and without
 * DRM_EXEC_IGNORE_DUPLICATES; duplicates are asked for only with the flag) and half through
 * {@link I915GemWwCtx} (which always takes duplicates as -EALREADY = 0), for a bounded time
 * (system property {@code syncref.exec.stress.ms}, default 500). Each transaction checks that
 * every object it asked for is locked by it, claims a per-object owner slot inside the critical
 * section (mutual exclusion), adds a fence to every object (the slot reserved by prepare: never
 * a BUG_ON) and releases. A watchdog fails the test if the threads do not finish (deadlock). The
 * backoffs are counted and reported; Wait-Die makes them certain under this much overlap.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrmExecStressExamples {
  private static final int THREADS = 4;
  private static final int OBJECTS = 6;
  private static final long RUN_MS = Long.getLong("syncref.exec.stress.ms", 500);

  private Kernel k;
  private final GemObject[] objs = new GemObject[OBJECTS];
  private final AtomicReferenceArray<Thread> owners = new AtomicReferenceArray<>(OBJECTS);
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong drmBackoffs = new AtomicLong();
  private final AtomicLong i915Backoffs = new AtomicLong();

  /** A random request: 2..4 distinct objects in random order, plus one duplicate if allowed. */
  private List<GemObject> request(Random rnd, boolean duplicates) {
    List<GemObject> all = new ArrayList<>(List.of(objs));
    Collections.shuffle(all, rnd);
    List<GemObject> req = new ArrayList<>(all.subList(0, 2 + rnd.nextInt(3)));
    if (duplicates && rnd.nextBoolean()) {
      req.add(rnd.nextInt(req.size() + 1), req.get(rnd.nextInt(req.size())));
    }
    return req;
  }

  /** The critical section: exclusive ownership of every object, then a fence on each. */
  private void critical(Set<GemObject> set, Object ticket, DmaFence fence) {
    Thread me = Thread.currentThread();
    List<Integer> claimed = new ArrayList<>();
    try {
      for (GemObject o : set) {
        int i = List.of(objs).indexOf(o);
        assertTrue(o.resv().held(), () -> o + " not held by " + me.getName());
        assertEquals(ticket, o.resv().lockingCtx(), o + " locked through the transaction's context");
        if (!owners.compareAndSet(i, null, me)) {
          fail("mutual exclusion: " + o + " owned by " + owners.get(i) + " while " + me.getName() + " holds it");
        }
        claimed.add(i);
      }
      Thread.yield();
      for (GemObject o : set) {
        o.resv().addFence(fence, DmaResvUsage.WRITE); // reserved by prepare: no BUG_ON
      }
    } finally {
      for (int i : claimed) {
        owners.set(i, null);
      }
    }
  }

  private void drmExecWorker(int id, long deadline) {
    Random rnd = new Random(1000 + id);
    boolean dupFlag = id % 2 == 0;
    FenceModule mod = new FenceModule("t" + id);
    DmaFenceOps ops = DmaFenceOps.names(mod, "t" + id, "t" + id);
    long context = k.dmaFenceContextAlloc(1);
    long seqno = 0;
    while (System.nanoTime() < deadline) {
      List<GemObject> req = request(rnd, dupFlag);
      Set<GemObject> set = new LinkedHashSet<>(req);
      DrmExec exec = DrmExec.init(k, dupFlag ? DrmExec.IGNORE_DUPLICATES : 0, 0);
      exec.untilAllLocked(e -> {
        for (GemObject o : req) {
          int ret = e.prepareObj(o, 1);
          e.retryOnContention();
          assertEquals(0, ret, () -> "drm_exec_prepare_obj(" + o + ")");
        }
        return true;
      });
      // ctx->done_acquire exists with DEBUG_WW_MUTEXES only
      assertTrue(exec.ticket().isDoneAcquire() || !k.build().debugMutexes());
      assertEquals(set, new LinkedHashSet<>(exec.lockedObjects()), "every object locked, once");
      assertEquals(set.size(), exec.lockedObjects().size());
      DmaFence fence = DmaFence.init(k, ops, context, ++seqno);
      critical(set, exec.ticket(), fence);
      fence.signal();
      fence.put();
      drmBackoffs.addAndGet(exec.backoffs());
      exec.fini();
      transactions.incrementAndGet();
    }
  }

  private void i915Worker(int id, long deadline) {
    Random rnd = new Random(2000 + id);
    FenceModule mod = new FenceModule("i" + id);
    DmaFenceOps ops = DmaFenceOps.names(mod, "i" + id, "i" + id);
    long context = k.dmaFenceContextAlloc(1);
    long[] seqno = {0};
    while (System.nanoTime() < deadline) {
      List<GemObject> req = request(rnd, true);
      Set<GemObject> set = new LinkedHashSet<>(req);
      int[] passes = {0};
      int[] backoffs = {0};
      int err = I915GemWwCtx.forI915GemWw(k, false, ww -> {
        if (passes[0]++ > 0) {
          // after a backoff only the contended object is locked, and it was asked for
          assertEquals(1, ww.objects().size(), "the contended object is slow-locked first");
          assertTrue(set.contains(ww.objects().get(0)));
        }
        for (GemObject o : req) {
          int ret = ww.objectLock(o);
          if (ret != 0) {
            assertEquals(-Errno.EDEADLK, ret);
            return ret;
          }
          ret = o.resv().reserveFences(1);
          assertEquals(0, ret);
        }
        assertEquals(set, new LinkedHashSet<>(ww.objects()), "every object locked, once");
        DmaFence fence = DmaFence.init(k, ops, context, ++seqno[0]);
        critical(set, ww.ctx(), fence);
        fence.signal();
        fence.put();
        backoffs[0] = ww.backoffs();
        return 0;
      });
      assertEquals(0, err);
      i915Backoffs.addAndGet(backoffs[0]);
      transactions.incrementAndGet();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kernel.Build.class)
  @DisplayName("4 threads, 6 objects, random orders through drm_exec and i915_gem_ww_ctx: exclusion, progress, no deadlock")
  void stress(Kernel.Build build) throws Exception {
    k = new Kernel(new org.syncref.sched.RealSched(), build);
    for (int i = 0; i < OBJECTS; i++) {
      objs[i] = new GemObject(k, "bo" + i);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MS);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      final int id = t;
      Thread th = new Thread(() -> {
        try {
          if (id < THREADS / 2) {
            drmExecWorker(id, deadline);
          } else {
            i915Worker(id, deadline);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, (id < THREADS / 2 ? "drm_exec-" : "i915-") + id);
      th.setDaemon(true);
      threads.add(th);
      th.start();
    }
    // Watchdog: every thread must finish soon after the deadline.
    long watchdog = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MS + 10_000);
    for (Thread th : threads) {
      th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(watchdog - System.nanoTime())));
    }
    StringBuilder stuck = new StringBuilder();
    for (Thread th : threads) {
      if (th.isAlive()) {
        stuck.append(th.getName()).append(' ').append(List.of(th.getStackTrace())).append('\n');
      }
    }
    if (!failures.isEmpty()) {
      // a failed thread leaves its objects locked: its failure, not the others' wait, is the news
      Throwable first = failures.peek();
      throw new AssertionError(failures.size() + " thread failures" + (stuck.length() > 0
          ? " (and threads stuck behind them)" : "") + ", first: " + first, first);
    }
    if (stuck.length() > 0) {
      fail("deadlock? threads still running after the watchdog:\n" + stuck + "resv wait lists: "
          + List.of(objs).stream().map(o -> o + "=" + o.resv().holder() + " ctx " + o.resv().wwMutex().holderCtx()
              + (o.resv().wwMutex().isHandoffPending() ? " HANDOFF" : "") + " "
              + o.resv().wwMutex().waitList()).toList());
    }
    System.out.println("DRM-EXEC-STRESS (" + build + " build): " + transactions.get() + " transactions in " + RUN_MS + " ms, backoffs: drm_exec "
        + drmBackoffs.get() + ", i915 " + i915Backoffs.get());
    assertTrue(transactions.get() >= THREADS, "every thread completed transactions");
    assertTrue(drmBackoffs.get() + i915Backoffs.get() > 0, "Wait-Die made some transaction back off");
    for (GemObject o : objs) {
      assertFalse(o.resv().isLocked(), o + " unlocked at the end");
      assertEquals(1, o.refcount(), o + ": every transaction's reference dropped");
    }
    assertTrue(k.warnings().isEmpty(), () -> k.warnings().toString());
  }
}
