package org.syncref.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.syncref.fence.FenceModule;
import org.syncref.hw.Engine;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.ttm.TtmBufferObject;
import org.syncref.hw.ttm.TtmDevice;
import org.syncref.hw.ttm.TtmMemType;
import org.syncref.kernel.Kernel;
import org.syncref.sched.RealSched;

/**
 * JMH: TTM's eviction walk over a full VRAM manager of {@code size} objects none of which can be
 * evicted, against a plain walk of the same objects in a list.
 *
 * <p>The walk is hw's {@link TtmDevice#moveTo}{@code (evictor, VRAM)} of an object in SYSTEM:
 * dma_resv_lock, ttm_bo_validate → ttm_bo_alloc_resource (dma_resv_reserve_fences, a failed
 * ttm_resource_alloc) → ttm_bo_evict_alloc's trylock pass, ttm_lru_walk_for_evict over the LRU
 * (ttm_bo.c / ttm_bo_util.c, 6.12.118), which visits every object and evicts none, so the call
 * returns -ENOSPC and changes nothing; dma_resv_unlock. {@code state}: {@code locked}, every
 * object is held by another thread (a submission holding its reservations: the trylock fails,
 * ttm_lru_walk_trylock's {@code continue}), or {@code pinned}, every object is pinned (the
 * trylock succeeds and ttm_bo_evict_cb returns 0 for {@code bo->pin_count}; the kernel keeps
 * pinned objects off the LRU, hw keeps them on it, so this is hw's cost, not the kernel's case).
 *
 * <p>The baseline walks an {@link ArrayList} of the same objects in LRU order and skips each one
 * that is pinned or locked, reading the same fields, without any lock: what a walk costs with no
 * locking protocol, no resource bookkeeping and no kernel call around it. Kernel build {@link
 * Kernel.Build#PRODUCTION} (no debug checks), as a distribution kernel runs it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TtmEvictWalkBench {
  @Param({"16", "256"})
  public int size;

  @Param({"locked", "pinned"})
  public String state;

  private Kernel kernel;
  private TtmDevice dev;
  private TtmBufferObject evictor;
  private final List<TtmBufferObject> lru = new ArrayList<>();
  private Thread holder;
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    kernel = new Kernel(new RealSched(), Kernel.Build.PRODUCTION);
    Engine ring = new Engine(kernel, new FenceModule("amdgpu"), "sdma0", 8);
    DrmGpuScheduler sdma = new DrmGpuScheduler(kernel, ring, "sdma0", new FenceModule("gpu_sched"));
    dev = new TtmDevice(kernel, new DrmSchedEntity(sdma, "ttm"), size, 1);
    for (int i = 0; i < size; i++) {
      TtmBufferObject bo = dev.createBo("b" + i);
      ResvBenchFixtures.check(dev.moveTo(bo, TtmMemType.VRAM) == 0, "placing b" + i + " in VRAM");
      lru.add(bo);
    }
    evictor = dev.createBo("evictor");
    ResvBenchFixtures.check(dev.moveTo(evictor, TtmMemType.SYSTEM) == 0, "placing the evictor in SYSTEM");
    switch (state) {
      case "pinned" -> {
        for (TtmBufferObject bo : lru) {
          bo.resv().lock();
          dev.pin(bo);
          bo.resv().unlock();
        }
      }
      case "locked" -> {
        holder = new Thread(() -> {
          for (TtmBufferObject bo : lru) {
            bo.resv().lock();
          }
          held.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          for (TtmBufferObject bo : lru) {
            bo.resv().unlock();
          }
        }, "bench-holder");
        holder.setDaemon(true);
        holder.start();
        held.await();
      }
      default -> throw new IllegalArgumentException("state " + state);
    }
    ResvBenchFixtures.check(walk() == -TtmDevice.ENOSPC, "the walk did not fail with -ENOSPC");
    ResvBenchFixtures.check(baseline() == null, "the baseline found an evictable object");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    ResvBenchFixtures.check(evictor.resource().range().memType() == TtmMemType.SYSTEM, "the evictor moved");
    for (TtmBufferObject bo : lru) {
      ResvBenchFixtures.check(bo.resource() != null && bo.resource().range().memType() == TtmMemType.VRAM,
          bo + " left VRAM");
    }
    ResvBenchFixtures.check(kernel.warnings().isEmpty(), "WARNs: " + kernel.warnings());
    release.countDown();
    if (holder != null) {
      holder.join();
    }
  }

  /** ttm_bo_validate of the evictor into the full VRAM: the LRU walk, -ENOSPC. */
  @Benchmark
  public int walk() {
    return dev.moveTo(evictor, TtmMemType.VRAM);
  }

  /** The same objects in a list, each skipped as pinned or locked. */
  @Benchmark
  public TtmBufferObject baseline() {
    for (TtmBufferObject bo : lru) {
      if (bo.pinCount() > 0 || bo.resv().isLocked()) {
        continue;
      }
      return bo;
    }
    return null;
  }
}
