package org.syncref.hw.ttm;

import java.util.List;

import org.syncref.fence.DmaFence;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedFence;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvIter;
import org.syncref.resv.DmaResvUsage;

/**
 * TLA+ {@code Driver = "amdgpu"}: amdgpu's command submission (Debian linux-source-6.12,
 * 6.12.118). amdgpu_cs.c amdgpu_cs_sync_rings picks a sync mode per locked BO
 * <pre>
 *   sync_mode = amdgpu_bo_explicit_sync(bo) ?
 *           AMDGPU_SYNC_EXPLICIT : AMDGPU_SYNC_NE_OWNER;
 *   r = amdgpu_sync_resv(p-&gt;adev, &amp;p-&gt;sync, resv, sync_mode,
 *                        &amp;fpriv-&gt;vm);
 * </pre>
 * ({@link SubmitMode#AMDGPU_EXPLICIT} for a BO created with AMDGPU_GEM_CREATE_EXPLICIT_SYNC,
 * {@link SubmitMode#AMDGPU} otherwise); amdgpu_sync.c amdgpu_sync_resv walks every fence
 * ({@code dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, f)}, "TODO: Use
 * DMA_RESV_USAGE_READ here") and keeps those amdgpu_sync_test_fence accepts ({@link
 * #testFence}); amdgpu_sync_push_to_job makes them the job's dependencies. amdgpu_cs_submit adds
 * the job's fence as WRITE whatever the mode ("The gang leader as remembered as writer"). The
 * eviction copy waits for every fence (amdgpu_ttm.c amdgpu_ttm_prepare_job: BOOKKEEP).
 *
 * <p>Owners (amdgpu_sync_get_owner: a scheduler fence's {@code s_fence->owner}, given to
 * drm_sched_job_init): a user job's owner is its process's VM ({@code &fpriv->vm}); here each
 * user entity is its own process, so the owner is the entity (as in the spec, where "another
 * owner" is "another user engine"). TTM's copy jobs are AMDGPU_FENCE_OWNER_UNDEFINED
 * (amdgpu_ttm_prepare_job), as is a fence of no scheduler that is no KFD fence. This system has
 * no page-table update entity (AMDGPU_FENCE_OWNER_VM) and no amdgpu_amdkfd_fence
 * (AMDGPU_FENCE_OWNER_KFD); {@link #owner} is the place to name them.
 *
 * <p>TLA+ {@code AmdgpuDeps(o, m, e)} = {@code AmdgpuMoves(o)} (the KERNEL entries: in these
 * systems exactly the copy jobs' fences) ∪ the fences of user engines other than {@code e}
 * (none for "amdgpu_explicit"). Mutant {@code amdgpu_skip_moves} ({@link
 * HwBug#AMDGPU_SKIP_MOVES}): the moves are not synced to unconditionally.
 */
public final class AmdgpuPolicy implements DriverPolicy {
  /** AMDGPU_FENCE_OWNER_UNDEFINED (amdgpu_sync.h): TTM's moves and fences of no scheduler. */
  public static final Object OWNER_UNDEFINED = "AMDGPU_FENCE_OWNER_UNDEFINED";
  /** AMDGPU_FENCE_OWNER_VM: page-table updates. */
  public static final Object OWNER_VM = "AMDGPU_FENCE_OWNER_VM";
  /** AMDGPU_FENCE_OWNER_KFD: the KFD's eviction (preemption) fences. */
  public static final Object OWNER_KFD = "AMDGPU_FENCE_OWNER_KFD";

  @Override
  public String name() {
    return "amdgpu";
  }

  @Override
  public List<SubmitMode> modes() {
    return List.of(SubmitMode.AMDGPU, SubmitMode.AMDGPU_EXPLICIT);
  }

  @Override
  public SubmitMode writer() {
    return SubmitMode.AMDGPU;
  }

  /**
   * Kernel amdgpu_sync_resv(adev, &amp;p-&gt;sync, resv, sync_mode, &amp;fpriv-&gt;vm) and
   * amdgpu_sync_push_to_job: every fence of the BOOKKEEP walk that {@link #testFence} accepts
   * becomes a dependency of {@code job} (drm_sched_job_add_dependency keeps the later of two
   * fences of one context, as amdgpu_sync_add_later does in the sync object).
   */
  @Override
  public void addSubmitDependencies(TtmDevice dev, DrmSchedJob job, DmaResv resv, SubmitMode mode) {
    boolean explicit = mode == SubmitMode.AMDGPU_EXPLICIT;
    Object owner = job.entity(); // &fpriv->vm: the entity's process
    DmaResvIter cursor = DmaResvIter.begin(resv, DmaResvUsage.BOOKKEEP);
    for (DmaFence f = cursor.first(); f != null; f = cursor.next()) {
      if (testFence(dev, explicit, owner, f)) {
        job.addDependency(f.get());
      }
    }
  }

  /**
   * Kernel amdgpu_sync_test_fence(adev, mode, owner, f), for the two modes a submission uses:
   * <pre>
   *   /* Always sync to moves, no matter what *&#47;
   *   if (fence_owner == AMDGPU_FENCE_OWNER_UNDEFINED)
   *           return true;
   *   /* We only want to trigger KFD eviction fences on
   *    * evict or move jobs. Skip KFD fences otherwise.
   *    *&#47;
   *   if (fence_owner == AMDGPU_FENCE_OWNER_KFD &amp;&amp;
   *       owner != AMDGPU_FENCE_OWNER_UNDEFINED)
   *           return false;
   *   /* Never sync to VM updates either. *&#47;
   *   if (fence_owner == AMDGPU_FENCE_OWNER_VM &amp;&amp; ...)
   *           return false;
   *   switch (mode) {
   *   case AMDGPU_SYNC_NE_OWNER:
   *           if (amdgpu_sync_same_dev(adev, f) &amp;&amp;
   *               fence_owner == owner)
   *                   return false;
   *           break;
   *   case AMDGPU_SYNC_EXPLICIT:
   *           return false;
   *   }
   *   return true;
   * </pre>
   * Mutant {@link HwBug#AMDGPU_SKIP_MOVES}, as the spec's {@code Rule_amdgpu_skip_moves}: the
   * first test is gone and a move is filtered like the fences of no user (VM, KFD), in both
   * modes. (Dropping the test alone would still sync a move under AMDGPU_SYNC_NE_OWNER, whose
   * owner differs; the explicit-sync BO, which then waits for nothing, is the case that
   * matters.) One device: amdgpu_sync_same_dev is true.
   */
  boolean testFence(TtmDevice dev, boolean explicit, Object owner, DmaFence f) {
    Object fenceOwner = owner(dev, f);
    if (fenceOwner == OWNER_UNDEFINED) {
      return !HwBug.AMDGPU_SKIP_MOVES.in(dev.kernel()); // "Always sync to moves, no matter what"
    }
    if (fenceOwner == OWNER_KFD || fenceOwner == OWNER_VM) {
      return false;
    }
    if (explicit) {
      return false; // AMDGPU_SYNC_EXPLICIT
    }
    return fenceOwner != owner; // AMDGPU_SYNC_NE_OWNER
  }

  /**
   * Kernel amdgpu_sync_get_owner(f): a scheduler fence's owner (the copy entity's jobs:
   * AMDGPU_FENCE_OWNER_UNDEFINED, amdgpu_ttm_prepare_job; a user entity's: its process, here
   * the entity), AMDGPU_FENCE_OWNER_UNDEFINED for any other fence (this system has no
   * amdgpu_amdkfd_fence).
   */
  Object owner(TtmDevice dev, DmaFence f) {
    DrmSchedFence s = DrmSchedFence.of(f);
    if (s == null) {
      return OWNER_UNDEFINED;
    }
    DrmSchedEntity e = s.job().entity();
    return e == dev.copyEntity() ? OWNER_UNDEFINED : e;
  }

  @Override
  public DmaResvUsage evictQuery() {
    return DmaResvUsage.BOOKKEEP;
  }
}
