package org.syncref.hw.ttm;

import java.util.ArrayList;
import java.util.List;

import org.syncref.fence.FenceModule;
import org.syncref.hw.Engine;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.kernel.Kernel;
import org.syncref.sched.RealSched;

/**
 * A small GPU for the examples: a gfx and a compute engine (one user entity each) and a copy
 * engine (the TTM entity), each with its scheduler, and a TTM device of {@code vram} VRAM and
 * {@code system} SYSTEM ranges. Every step is explicit.
 */
final class GpuRig {
  final Kernel k;
  final FenceModule amdgpu = new FenceModule("amdgpu");
  final FenceModule gpuSched = new FenceModule("gpu_sched");
  final Engine gfxRing;
  final Engine compRing;
  final Engine sdmaRing;
  final DrmGpuScheduler gfx;
  final DrmGpuScheduler comp;
  final DrmGpuScheduler sdma;
  final DrmSchedEntity gfxUser;
  final DrmSchedEntity compUser;
  final TtmDevice dev;

  GpuRig(int vram, int system, HwBug... bugs) {
    k = new Kernel(new RealSched());
    HwBug.inject(k, bugs);
    gfxRing = new Engine(k, amdgpu, "gfx", 8);
    compRing = new Engine(k, amdgpu, "comp", 8);
    sdmaRing = new Engine(k, amdgpu, "sdma0", 8);
    gfx = new DrmGpuScheduler(k, gfxRing, "gfx", gpuSched);
    comp = new DrmGpuScheduler(k, compRing, "comp", gpuSched);
    sdma = new DrmGpuScheduler(k, sdmaRing, "sdma0", gpuSched);
    gfxUser = new DrmSchedEntity(gfx, "gfx-user");
    compUser = new DrmSchedEntity(comp, "comp-user");
    dev = new TtmDevice(k, new DrmSchedEntity(sdma, "ttm"), vram, system);
  }

  List<DrmGpuScheduler> schedulers() {
    return List.of(gfx, comp, sdma);
  }

  List<Engine> engines() {
    return List.of(gfxRing, compRing, sdmaRing);
  }

  /** A new object placed in {@code where} (its first validate). */
  TtmBufferObject bo(String name, TtmMemType where) {
    TtmBufferObject bo = dev.createBo(name);
    int ret = dev.moveTo(bo, where);
    if (ret != 0) {
      throw new IllegalStateException("placing " + name + ": " + ret);
    }
    return bo;
  }

  DrmSchedJob submit(DrmSchedEntity e, String name, SubmitMode mode, TtmBufferObject... bos) {
    DrmSchedJob j = ExecSubmit.submit(dev, e, name, mode, bos);
    if (j == null) {
      throw new IllegalStateException("submit " + name + " failed");
    }
    return j;
  }

  /** Runs one job of {@code s} on its engine: run_job, then the engine's step. */
  void runAndComplete(DrmGpuScheduler s) {
    if (s.runJobWork() == null) {
      throw new IllegalStateException(s + " has no runnable job");
    }
    s.engine().executeNext();
  }

  /**
   * Steps everything until nothing moves: each scheduler's run_job work, each engine, the
   * delayed delete; in that fixed order.
   *
   * @return how many steps were taken
   */
  int drain() {
    int n = 0;
    boolean progress = true;
    while (progress) {
      progress = false;
      for (DrmGpuScheduler s : schedulers()) {
        while (s.runJobWork() != null) {
          n++;
          progress = true;
        }
      }
      for (Engine e : engines()) {
        while (e.executeNext()) {
          n++;
          progress = true;
        }
      }
      while (dev.delayedDeleteStep()) {
        n++;
        progress = true;
      }
    }
    return n;
  }

  List<GpuMemHistory.Violation> violations() {
    return dev.history().violations();
  }

  String log() {
    return String.join("\n", new ArrayList<>(dev.history().events())) + "\nviolations: " + violations();
  }
}
