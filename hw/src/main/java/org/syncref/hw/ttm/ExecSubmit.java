package org.syncref.hw.ttm;

import java.util.ArrayList;
import java.util.List;

import org.syncref.exec.DrmExec;
import org.syncref.fence.DmaFence;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.kernel.Errno;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;

/**
 * A user submission as an implicit-sync driver's exec ioctl makes it (etnaviv_gem_submit.c
 * etnaviv_ioctl_gem_submit, 6.12.118), with drm_exec for the locks:
 * <ol>
 *   <li>lock every object and reserve a fence slot (drm_exec_until_all_locked,
 *       drm_exec_prepare_obj(exec, obj, 1)); TLA+ {@code SubmitBegin}, {@code SubmitReserve}</li>
 *   <li>the dependencies: {@code drm_sched_job_add_implicit_dependencies(job, obj, write)} =
 *       drm_sched_job_add_resv_dependencies(job, obj-&gt;resv, dma_resv_usage_rw(write)), or
 *       KERNEL for an explicit-sync submission; drm_sched_job_arm. The job will touch the
 *       ranges its objects occupy now. TLA+ {@code SubmitArm}</li>
 *   <li>{@code dma_resv_add_fence(obj->resv, fence, write ? DMA_RESV_USAGE_WRITE :
 *       DMA_RESV_USAGE_READ)} (BOOKKEEP for explicit sync), ttm_bo_move_to_lru_tail,
 *       drm_sched_entity_push_job; TLA+ {@code SubmitAdd}</li>
 *   <li>unlock (drm_exec_fini); TLA+ {@code SubmitUnlock}.</li>
 * </ol>
 * Objects are not validated here: each must have a resource (real drivers validate first; a
 * test calls {@link TtmDevice#validate} or {@link TtmDevice#moveTo}).
 *
 * <p>What the job waits for and the usage of its fence are the device's {@link DriverPolicy}'s
 * (the dependencies above are {@link GenericPolicy}'s; amdgpu's are {@link AmdgpuPolicy}'s); a
 * mode the driver does not make is refused with -EINVAL.
 */
public final class ExecSubmit {
  private ExecSubmit() {
  }

  /**
   * Submits a job called {@code name} on {@code entity} that uses {@code bos} with {@code mode}.
   *
   * @return the pushed job, or null (-EINVAL) when an object has no backing store, a lock
   *     could not be taken or the driver makes no such submission
   */
  public static DrmSchedJob submit(TtmDevice dev, DrmSchedEntity entity, String name, SubmitMode mode,
      TtmBufferObject... bos) {
    DriverPolicy policy = dev.policy();
    if (!policy.modes().contains(mode)) {
      return null; // the driver's ioctl: -EINVAL
    }
    DrmExec exec = DrmExec.init(dev.kernel(), 0, bos.length);
    int[] err = new int[1];
    exec.untilAllLocked(e -> {
      for (TtmBufferObject bo : bos) {
        int ret = e.prepareObj(bo.base(), 1);
        e.retryOnContention();
        if (ret != 0) {
          err[0] = ret;
          return false;
        }
      }
      return true;
    });
    try {
      if (err[0] != 0) {
        return null;
      }
      for (TtmBufferObject bo : bos) {
        if (bo.resource() == null) {
          err[0] = -Errno.EINVAL;
          return null;
        }
      }
      DrmSchedJob job = DrmSchedJob.init(entity, name);
      List<GpuMemHistory.Bind> binds = new ArrayList<>();
      List<DmaFence> pendingKernel = new ArrayList<>();
      for (TtmBufferObject bo : bos) {
        policy.addSubmitDependencies(dev, job, bo.resv(), mode);
        binds.add(new GpuMemHistory.Bind(bo, bo.resource().range(), bo.resource().tenure()));
        pendingKernel.addAll(TtmDevice.pendingKernel(bo.resv()));
      }
      job.arm();
      dev.history().jobArmed("SubmitArm", job, mode.specName(), binds, pendingKernel);
      for (TtmBufferObject bo : bos) {
        bo.resv().addFence(job.finished(), policy.fenceUsage(mode));
        dev.moveToLruTail(bo);
      }
      entity.pushJob(job);
      return job;
    } finally {
      exec.fini();
    }
  }

  /**
   * The implicit-sync dependencies of a submission in {@code mode} on {@code resv} (TLA+ {@code
   * LockedDeps(o, QueryOf(m))}): {@code drm_sched_job_add_resv_dependencies(job, resv,
   * query)} with {@link #query}; mutant {@link HwBug#IGNORE_KERNEL} ({@code Rule_ignore_kernel}):
   * the KERNEL entries are left out. The rule of {@link GenericPolicy}, {@link XePolicy} and
   * {@link I915Policy}.
   */
  static void implicitDependencies(TtmDevice dev, DrmSchedJob job, DmaResv resv, SubmitMode mode) {
    DmaResvUsage skip = HwBug.IGNORE_KERNEL.in(dev.kernel()) ? DmaResvUsage.KERNEL : null;
    job.addResvDependencies(resv, query(dev, mode), skip);
  }

  /**
   * The usage the dependencies are queried with: {@link SubmitMode#query()}, the mainline
   * dma_resv_usage_rw(write) ("This looks confusing at first sight, but is indeed correct");
   * mutant {@link HwBug#RW_SWAPPED}: a writer queries WRITE, a reader READ.
   */
  static DmaResvUsage query(TtmDevice dev, SubmitMode mode) {
    if (!HwBug.RW_SWAPPED.in(dev.kernel())) {
      return mode.query();
    }
    return switch (mode) {
      case WRITE -> DmaResvUsage.WRITE;
      case READ -> DmaResvUsage.READ;
      case EXPLICIT -> DmaResvUsage.KERNEL;
      case AMDGPU, AMDGPU_EXPLICIT -> DmaResvUsage.BOOKKEEP;
    };
  }
}
