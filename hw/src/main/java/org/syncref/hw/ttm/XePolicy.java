package org.syncref.hw.ttm;

import java.util.List;

import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;

/**
 * TLA+ {@code Driver = "xe"}: no implicit sync. Kernel xe_exec.c xe_exec_ioctl (6.12.118): a
 * job of a VM not in long-running mode waits for the KERNEL fences of every locked object
 * <pre>
 *   drm_exec_for_each_locked_object(exec, obj) {
 *           err = xe_sched_job_add_deps(job, obj-&gt;resv,
 *                                       DMA_RESV_USAGE_KERNEL);
 * </pre>
 * and its fence goes in as BOOKKEEP:
 * <pre>
 *   drm_gpuvm_resv_add_fence(&amp;vm-&gt;gpuvm, exec, &amp;job-&gt;drm.s_fence-&gt;finished,
 *                            DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
 * </pre>
 * The eviction copy waits for every fence: xe_migrate.c xe_migrate_copy
 * {@code xe_sched_job_add_deps(job, src_bo->ttm.base.resv, DMA_RESV_USAGE_BOOKKEEP)}.
 * In the models a submission names its objects (no VM): mode "explicit" of {@link SubmitMode}.
 */
public final class XePolicy implements DriverPolicy {
  @Override
  public String name() {
    return "xe";
  }

  @Override
  public List<SubmitMode> modes() {
    return List.of(SubmitMode.EXPLICIT);
  }

  @Override
  public SubmitMode writer() {
    return SubmitMode.EXPLICIT;
  }

  /** {@code LockedDeps(o, KERNEL)} (QueryOf("explicit")): {@link ExecSubmit#implicitDependencies}. */
  @Override
  public void addSubmitDependencies(TtmDevice dev, DrmSchedJob job, DmaResv resv, SubmitMode mode) {
    ExecSubmit.implicitDependencies(dev, job, resv, mode);
  }

  @Override
  public DmaResvUsage evictQuery() {
    return DmaResvUsage.BOOKKEEP;
  }
}
