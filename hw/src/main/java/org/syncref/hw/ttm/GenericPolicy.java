package org.syncref.hw.ttm;

import java.util.List;

import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;

/**
 * TLA+ {@code Driver = "generic"}: etnaviv's implicit sync ("read", "write") and xe's explicit
 * sync ("explicit") side by side, as the slice-1 models explore them; the eviction copy waits
 * for every fence (BOOKKEEP). Kernel: etnaviv_gem_submit.c submit_fence_sync (the job waits for
 * {@code drm_sched_job_add_implicit_dependencies(job, obj, write)} = dma_resv_usage_rw(write)),
 * submit_attach_object_fences (the fence added as WRITE or READ); xe_exec.c xe_exec_ioctl for
 * "explicit" (see {@link XePolicy}); amdgpu_ttm.c amdgpu_ttm_prepare_job for the copy
 * ({@code drm_sched_job_add_resv_dependencies(..., resv, DMA_RESV_USAGE_BOOKKEEP)}). The policy
 * hw/ had before the drivers were told apart, and the default of {@link TtmDevice}.
 */
public final class GenericPolicy implements DriverPolicy {
  @Override
  public String name() {
    return "generic";
  }

  @Override
  public List<SubmitMode> modes() {
    return List.of(SubmitMode.READ, SubmitMode.WRITE, SubmitMode.EXPLICIT);
  }

  @Override
  public SubmitMode writer() {
    return SubmitMode.WRITE;
  }

  /** {@code LockedDeps(o, QueryOf(m))}: {@link ExecSubmit#implicitDependencies}. */
  @Override
  public void addSubmitDependencies(TtmDevice dev, DrmSchedJob job, DmaResv resv, SubmitMode mode) {
    ExecSubmit.implicitDependencies(dev, job, resv, mode);
  }

  @Override
  public DmaResvUsage evictQuery() {
    return DmaResvUsage.BOOKKEEP;
  }
}
