package org.syncref.bench;

import java.util.ArrayList;
import java.util.List;
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
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.hw.Engine;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;
import org.syncref.sched.RealSched;

/**
 * JMH: a drm_sched submission's implicit-sync dependency collection over {@code size} fences,
 * against a plain loop over the same fences.
 *
 * <p>One operation: drm_sched_job_init, then per object {@link DrmSchedJob#addResvDependencies}
 * (drm_sched_job_add_resv_dependencies: dma_resv_for_each_fence over the locked reservation
 * object, BOOKKEEP so every entry, and drm_sched_job_add_dependency(job, dma_fence_get(fence)),
 * whose per-context dedup scans the job's dependencies: sched_main.c, 6.12.118), then the puts of
 * drm_sched_job_cleanup (hw has no cleanup call: the benchmark puts each dependency). {@code
 * fences}: {@code contexts}, one object whose reservation holds {@code size} fences of as many
 * contexts (the dependency array grows to {@code size}, each add scans it), or {@code engines},
 * {@code size} objects of one fence each, the fences of 4 engines' contexts with rising seqnos
 * (the dedup keeps 4: "the size of the array of deps scale with the number of engines involved,
 * rather than the number of BOs"). The reservations stay locked for the whole trial, as the
 * submission holds them (drm_exec).
 *
 * <p>The baseline visits the same fences in an array and collects them into a new {@link
 * ArrayList}: no iterator, no references, no dedup. Kernel build {@link Kernel.Build#PRODUCTION}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SchedDepsBench {
  /** The engines of the {@code engines} variant. */
  static final int ENGINES = 4;

  @Param({"16", "256"})
  public int size;

  @Param({"contexts", "engines"})
  public String fences;

  /** The query's usage; a field, so that the JIT cannot fold it. */
  public DmaResvUsage usage = DmaResvUsage.BOOKKEEP;

  private Kernel kernel;
  private DrmSchedEntity entity;
  private DmaFence[] all;
  private DmaResv[] resvs;
  private int expected;

  @Setup(Level.Trial)
  public void setUp() {
    kernel = new Kernel(new RealSched(), Kernel.Build.PRODUCTION);
    FenceModule gpuSched = new FenceModule("gpu_sched");
    DrmGpuScheduler gfx = new DrmGpuScheduler(kernel, new Engine(kernel, new FenceModule("amdgpu"), "gfx", 8), "gfx",
        gpuSched);
    entity = new DrmSchedEntity(gfx, "bench");
    DmaFenceOps ops = ResvBenchFixtures.ops();
    all = new DmaFence[size];
    switch (fences) {
      case "contexts" -> {
        long first = kernel.dmaFenceContextAlloc(size);
        for (int i = 0; i < size; i++) {
          all[i] = DmaFence.init(kernel, ops, first + i, 1);
        }
        resvs = new DmaResv[] {fill(all)};
        expected = size;
      }
      case "engines" -> {
        long first = kernel.dmaFenceContextAlloc(ENGINES);
        resvs = new DmaResv[size];
        for (int i = 0; i < size; i++) {
          all[i] = DmaFence.init(kernel, ops, first + i % ENGINES, i / ENGINES + 1);
          resvs[i] = fill(new DmaFence[] {all[i]});
        }
        expected = Math.min(size, ENGINES);
      }
      default -> throw new IllegalArgumentException("fences " + fences);
    }
    ResvBenchFixtures.check(collect() == expected, "the job does not depend on " + expected + " fences");
    ResvBenchFixtures.check(baseline() == size, "the baseline does not visit " + size + " fences");
  }

  /** A locked reservation object holding {@code fs}, WRITE and READ alternately (implicit sync's usages). */
  private DmaResv fill(DmaFence[] fs) {
    DmaResv r = new DmaResv(kernel);
    r.lock();
    ResvBenchFixtures.check(r.reserveFences(fs.length) == 0, "dma_resv_reserve_fences failed");
    for (int i = 0; i < fs.length; i++) {
      r.addFence(fs[i], i % 2 == 0 ? DmaResvUsage.WRITE : DmaResvUsage.READ);
    }
    return r;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (DmaFence f : all) {
      // the benchmark's reference and the entry's: the job's gets and the cleanup's puts balance
      ResvBenchFixtures.check(f.refcount() == 2, "refcount of " + f + " is " + f.refcount());
    }
    for (DmaResv r : resvs) {
      r.unlock();
    }
    ResvBenchFixtures.check(kernel.warnings().isEmpty(), "WARNs: " + kernel.warnings());
  }

  /** drm_sched_job_init, the implicit dependencies of every object, the cleanup's puts. */
  @Benchmark
  public int collect() {
    DrmSchedJob job = DrmSchedJob.init(entity, "bench");
    for (DmaResv r : resvs) {
      job.addResvDependencies(r, usage);
    }
    List<DmaFence> deps = job.dependencies();
    for (DmaFence f : deps) {
      f.put();
    }
    return deps.size();
  }

  /** The same fences, collected by a plain loop. */
  @Benchmark
  public int baseline() {
    List<DmaFence> deps = new ArrayList<>();
    for (DmaFence f : all) {
      deps.add(f);
    }
    return deps.size();
  }
}
