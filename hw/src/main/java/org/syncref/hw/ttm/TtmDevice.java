package org.syncref.hw.ttm;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.syncref.exec.GemObject;
import org.syncref.fence.DmaFence;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.kernel.Errno;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;
import org.syncref.ww.WwAcquireContext;

/**
 * A struct ttm_device with an amdgpu-like driver behind it: two memory types (VRAM, SYSTEM) of a
 * few ranges each, moves done by a copy job on a copy engine's entity, pipelined evictions from
 * VRAM, ghost objects for the other moves, and the delayed delete of idle ghosts.
 *
 * <p>Kernel tree: drivers/gpu/drm/ttm/ttm_bo.c and ttm_bo_util.c of Debian linux-source-6.12
 * (6.12.118); the driver's move is amdgpu_ttm.c's amdgpu_bo_move / amdgpu_move_blit. Each method
 * names the kernel function and the TLA+ action(s) of spec/GpuMem/GpuMem.tla it stands for.
 * Callers hold the object's reservation lock where the kernel requires it (dma_resv_assert_held
 * WARNs otherwise, in a lockdep build).
 *
 * <p>Not modelled: TT objects (SYSTEM has no pages to bind), swap-out, multi-hop moves, clears on
 * allocation, the non-pipelined eviction (ttm_bo_wait_free_node: the CPU waits; unreachable
 * here, since nothing is evicted from SYSTEM), the eviction of deleted objects (a ghost on the
 * LRU, e.g. of a move out of VRAM: the kernel's walk waits for it on the CPU and frees it; here
 * the walk skips it, and only the delayed delete frees it), allow_res_evict, placements with
 * several memory types (one per call), the driver's eviction_valuable (always true) and CPU access
 * (mmap faults).
 */
public final class TtmDevice {
  /** ENOSPC (include/uapi/asm-generic/errno-base.h), not in org.syncref.kernel.Errno. */
  public static final int ENOSPC = 28;

  private final Kernel kernel;
  private final Map<TtmMemType, TtmResourceManager> managers = new EnumMap<>(TtmMemType.class);
  private final DrmSchedEntity copyEntity;
  private final GpuMemHistory history = new GpuMemHistory();
  /** The objects waiting for ttm_bo_delayed_delete (the ghosts), oldest first. */
  private final List<TtmBufferObject> delayedDelete = new ArrayList<>();
  private int ghosts;
  private int copies;
  private final DriverPolicy policy;

  /**
   * A device whose moves run on {@code copyEntity} (amdgpu: adev-&gt;mman.high_pr /
   * low_pr, the buffer functions' SDMA ring) with {@code vram} VRAM ranges and {@code system}
   * SYSTEM ranges.
   */
  public TtmDevice(Kernel kernel, DrmSchedEntity copyEntity, int vram, int system) {
    this(kernel, copyEntity, vram, system, new GenericPolicy());
  }

  /** As {@link #TtmDevice(Kernel, DrmSchedEntity, int, int)}, with the driver's {@code policy}. */
  public TtmDevice(Kernel kernel, DrmSchedEntity copyEntity, int vram, int system, DriverPolicy policy) {
    this.policy = policy;
    this.kernel = kernel;
    this.copyEntity = copyEntity;
    managers.put(TtmMemType.VRAM, new TtmResourceManager(TtmMemType.VRAM, vram));
    managers.put(TtmMemType.SYSTEM, new TtmResourceManager(TtmMemType.SYSTEM, system));
  }

  /** The kernel. */
  public Kernel kernel() {
    return kernel;
  }

  /** ttm_manager_type(bdev, memType). */
  public TtmResourceManager manager(TtmMemType memType) {
    return managers.get(memType);
  }

  /** The driver's policy (TLA+ {@code Driver}): what submissions and moves wait for. */
  public DriverPolicy policy() {
    return policy;
  }

  /** The history and its checks. */
  public GpuMemHistory history() {
    return history;
  }

  /** The copy entity. */
  public DrmSchedEntity copyEntity() {
    return copyEntity;
  }

  /**
   * A new buffer object without backing store (drm_gem_private_object_init of bo-&gt;base; its
   * first {@link #validate} places it).
   */
  public TtmBufferObject createBo(String name) {
    return new TtmBufferObject(new GemObject(kernel, name), name, false);
  }

  private void assertHeld(TtmBufferObject bo, String fn) {
    if (kernel.build().lockdep() && !bo.resv().held()) {
      kernel.warn(fn, "dma_resv_assert_held(bo->base.resv)", bo);
    }
  }

  /**
   * Places {@code bo} in {@code dst}, moving it there if it is elsewhere; the object's lock is
   * held (its locking context, if any, is the ticket of the eviction walk). Kernel
   * ttm_bo_validate → ttm_bo_move_buffer: ttm_bo_alloc_resource, then ttm_bo_handle_move_mem
   * (the driver's move, {@link #handleMoveMem}). TLA+ {@code MoveInBegin} ... {@code
   * MoveInUnlock} (the lock is the caller's), with {@code EvictBegin} ... {@code EvictUnlock}
   * for each eviction it needs.
   *
   * @return 0, -ENOSPC when no range could be found, or the error of a kernel call
   */
  public int validate(TtmBufferObject bo, TtmMemType dst) {
    return kernel.call("ttm_bo_validate", bo, new Object[] {dst}, () -> {
      assertHeld(bo, "ttm_bo_validate");
      if (bo.resource() != null && bo.resource().range().memType() == dst) {
        return 0; // ttm_resource_compatible: nothing to do
      }
      TtmResource[] res = new TtmResource[1];
      int ret = allocResource(bo, dst, true, res);
      if (ret != 0) {
        return ret;
      }
      ret = handleMoveMem(bo, res[0], false);
      if (ret != 0) {
        moveFailed("ttm_bo_validate", res[0]); // if (ret) { ttm_resource_free(bo, &res); return ret; }
      }
      return ret;
    });
  }

  /**
   * {@link #validate} inside its own lock hold: dma_resv_lock(bo-&gt;base.resv, NULL),
   * validate, dma_resv_unlock (no ticket, so the eviction walk only trylocks).
   */
  public int moveTo(TtmBufferObject bo, TtmMemType dst) {
    bo.resv().lock();
    try {
      return validate(bo, dst);
    } finally {
      bo.resv().unlock();
    }
  }

  /**
   * Kernel ttm_bo_alloc_resource(bo, placement, ctx, force_space, res) for a placement of one
   * memory type (ttm_bo.c, 6.12.118):
   * <pre>
   *   ticket = dma_resv_locking_ctx(bo-&gt;base.resv);
   *   ret = dma_resv_reserve_fences(bo-&gt;base.resv, 1);
   *   ...
   *   may_evict = (force_space &amp;&amp; place-&gt;mem_type != TTM_PL_SYSTEM);
   *   ret = ttm_resource_alloc(bo, place, res);
   *   if (ret) {
   *           if (ret != -ENOSPC)
   *                   return ret;
   *           if (!may_evict)
   *                   continue;
   *           ret = ttm_bo_evict_alloc(bdev, man, place, bo, ctx,
   *                                    ticket, res);
   *           if (ret == -EBUSY)
   *                   continue;
   *           if (ret)
   *                   return ret;
   *   }
   *   ret = ttm_bo_add_move_fence(bo, man, ctx-&gt;no_wait_gpu);
   * </pre>
   * TLA+ {@code MoveInAlloc} (reserve, allocate), {@code MoveInAddMoveFence}, {@code
   * MoveInReserve}; {@code EvictReserve} and the SYSTEM allocation of {@code EvictArm}.
   */
  private int allocResource(TtmBufferObject bo, TtmMemType dst, boolean forceSpace, TtmResource[] out) {
    WwAcquireContext ticket = bo.resv().lockingCtx();
    int ret = bo.resv().reserveFences(1);
    if (ret != 0) {
      return ret;
    }
    TtmResourceManager man = manager(dst);
    boolean mayEvict = forceSpace && dst != TtmMemType.SYSTEM;
    TtmResource res = man.alloc(bo);
    if (res == null) {
      if (man.lastAllocError() != -ENOSPC) {
        return man.lastAllocError(); // if (ret != -ENOSPC) return ret;
      }
      if (!mayEvict) {
        return -ENOSPC;
      }
      EvictWalk walk = new EvictWalk(bo, ticket);
      ret = evictAlloc(man, walk);
      if (ret == -Errno.EBUSY) {
        return -ENOSPC; // continue: no other place
      }
      if (ret != 0) {
        return ret;
      }
      res = walk.res;
    }
    ret = addMoveFence(bo, man);
    if (ret != 0) {
      freeResource("ttm_bo_alloc_resource", res);
      return ret;
    }
    out[0] = res;
    return 0;
  }

  /**
   * Kernel ttm_bo_add_move_fence (6.12.118: the manager's one {@code move} fence):
   * <pre>
   *   dma_resv_add_fence(bo-&gt;base.resv, fence, DMA_RESV_USAGE_KERNEL);
   *   ret = dma_resv_reserve_fences(bo-&gt;base.resv, 1);
   * </pre>
   * once per recorded fence (mainline's ttm_bo_add_pipelined_eviction_fences, one per fence
   * context). TLA+ {@code MoveInAddMoveFence}, {@code MoveInReserve}.
   */
  private int addMoveFence(TtmBufferObject bo, TtmResourceManager man) {
    for (DmaFence f : man.evictionFences()) {
      bo.resv().addFence(f, DmaResvUsage.KERNEL);
      int ret = bo.resv().reserveFences(1);
      if (ret != 0) {
        return ret;
      }
    }
    return 0;
  }

  /** struct ttm_bo_evict_walk: the walk's ticket, the evictor, its new resource, progress. */
  private static final class EvictWalk {
    final TtmBufferObject evictor;
    WwAcquireContext ticket;
    boolean trylockOnly;
    TtmResource res;
    int evicted;

    EvictWalk(TtmBufferObject evictor, WwAcquireContext ticket) {
      this.evictor = evictor;
      this.ticket = ticket;
    }
  }

  /**
   * Kernel ttm_bo_evict_alloc (ttm_bo.c, 6.12.118):
   * <pre>
   *   evict_walk.walk.trylock_only = true;
   *   lret = ttm_lru_walk_for_evict(&amp;evict_walk.walk, bdev, man, 1);
   *   if (lret || !ticket)
   *           goto out;
   *   /* If ticket-locking, repeat while making progress. *&#47;
   *   evict_walk.walk.trylock_only = false;
   *   do {
   *           /* The walk may clear the evict_walk.walk.ticket field *&#47;
   *           evict_walk.walk.ticket = ticket;
   *           evict_walk.evicted = 0;
   *           lret = ttm_lru_walk_for_evict(&amp;evict_walk.walk, bdev, man, 1);
   *   } while (!lret &amp;&amp; evict_walk.evicted);
   * out:
   *   if (lret &lt; 0)
   *           return lret;
   *   if (lret == 0)
   *           return -EBUSY;
   *   return 0;
   * </pre>
   * TLA+ {@code EvictBegin} (the trylock pass), {@code TEvictTrylock}, {@code TEvictTicketlock}.
   */
  private int evictAlloc(TtmResourceManager man, EvictWalk walk) {
    WwAcquireContext ticket = walk.ticket;
    walk.trylockOnly = true;
    long lret = lruWalkForEvict(man, walk);
    if (lret == 0 && ticket != null) {
      walk.trylockOnly = false;
      do {
        walk.ticket = ticket;
        walk.evicted = 0;
        lret = lruWalkForEvict(man, walk);
      } while (lret == 0 && walk.evicted > 0);
    }
    if (lret < 0) {
      return (int) lret;
    }
    if (lret == 0) {
      return -Errno.EBUSY;
    }
    return 0;
  }

  /**
   * Kernel ttm_lru_walk_for_evict with target 1, ttm_lru_walk_trylock and
   * ttm_lru_walk_ticketlock (ttm_bo_util.c, 6.12.118):
   * <pre>
   *   if (ttm_lru_walk_trylock(walk, bo, &amp;bo_needs_unlock))
   *           bo_locked = true;
   *   else if (!walk-&gt;ticket || walk-&gt;ctx-&gt;no_wait_gpu ||
   *            walk-&gt;trylock_only)
   *           continue;
   *   ...
   *   ret = dma_resv_lock(resv, walk-&gt;ticket);
   *   if (!ret) {
   *           *needs_unlock = true;
   *           /* Only a single ticketlock per loop. ... *&#47;
   *           walk-&gt;ticket = NULL;
   *   } else if (ret == -EDEADLK) {
   *           /* Caller needs to exit the ww transaction. *&#47;
   *           ret = -ENOSPC;
   *   }
   *   ...
   *   if (lret == -EBUSY || lret == -EALREADY)
   *           lret = 0;
   *   progress = (lret &lt; 0) ? lret : progress + lret;
   * </pre>
   */
  private long lruWalkForEvict(TtmResourceManager man, EvictWalk walk) {
    long progress = 0;
    for (TtmResource res : man.lru()) {
      TtmBufferObject bo = res.bo();
      if (res.isFreed() || bo.resource() != res) {
        continue; // the LRU changed under the walk (ttm_resource_cursor restarts past it)
      }
      if (bo.isGhost()) {
        continue; // bo->deleted: the kernel waits for it on the CPU (ttm_bo_wait_ctx); not modelled
      }
      boolean needsUnlock = false;
      boolean locked = false;
      if (bo.resv().trylock()) {
        locked = needsUnlock = true;
      } else if (walk.ticket == null || walk.trylockOnly) {
        continue;
      }
      long lret = 0;
      if (!locked) {
        int ret = bo.resv().lock(walk.ticket);
        if (ret == -Errno.EDEADLK && HwBug.EDEADLK_RETRY.in(kernel)) {
          ret = bo.resv().lock(walk.ticket); // mutant: again, without leaving the transaction
        }
        if (ret == 0) {
          needsUnlock = true;
          walk.ticket = null;
        } else if (ret == -Errno.EDEADLK) {
          ret = -ENOSPC;
        }
        lret = ret;
      }
      if (lret == 0 && bo.resource() == res) {
        lret = evictCb(bo, man, walk);
      }
      if (needsUnlock) {
        bo.resv().unlock();
      }
      if (lret == -Errno.EBUSY || lret == -Errno.EALREADY) {
        lret = 0;
      }
      progress = lret < 0 ? lret : progress + lret;
      if (progress < 0 || progress >= 1) {
        break;
      }
    }
    return progress;
  }

  /**
   * Kernel ttm_bo_evict_cb:
   * <pre>
   *   if (bo-&gt;pin_count ||
   *       !bo-&gt;bdev-&gt;funcs-&gt;eviction_valuable(bo, evict_walk-&gt;place))
   *           return 0;
   *   ...
   *   lret = ttm_bo_evict(bo, walk-&gt;ctx);
   *   ...
   *   evict_walk-&gt;evicted++;
   *   if (evict_walk-&gt;res)
   *           lret = ttm_resource_alloc(evict_walk-&gt;evictor, evict_walk-&gt;place,
   *                                     evict_walk-&gt;res);
   *   if (lret == 0)
   *           return 1;
   * out:
   *   /* Errors that should terminate the walk. *&#47;
   *   if (lret == -ENOSPC)
   *           return -EBUSY;
   * </pre>
   */
  private long evictCb(TtmBufferObject bo, TtmResourceManager man, EvictWalk walk) {
    if (bo.pinCount() > 0) {
      return 0;
    }
    int lret = evict(bo);
    if (lret == 0) {
      walk.evicted++;
      walk.res = man.alloc(walk.evictor);
      if (walk.res != null) {
        return 1;
      }
      lret = man.lastAllocError();
    }
    return lret == -ENOSPC ? -Errno.EBUSY : lret;
  }

  /**
   * Kernel ttm_bo_evict: the driver's evict_flags (amdgpu: VRAM → GTT/SYSTEM, here SYSTEM),
   * ttm_bo_mem_space, ttm_bo_handle_move_mem(bo, evict_mem, evict = true, ...). The object is
   * locked. TLA+ {@code EvictReserve}, {@code EvictArm}, {@code EvictAdd}.
   *
   * @return 0, or -ENOSPC when SYSTEM is full
   */
  public int evict(TtmBufferObject bo) {
    return kernel.call("ttm_bo_evict", bo, new Object[0], () -> {
      assertHeld(bo, "ttm_bo_evict");
      if (bo.isDiscardable()) {
        return evictWithoutPlacement(bo);
      }
      TtmResource[] res = new TtmResource[1];
      int ret = allocResource(bo, TtmMemType.SYSTEM, false, res);
      if (ret != 0) {
        return ret; // ttm_bo_mem_space failed: pr_err("Failed to find memory space ..."), goto out
      }
      ret = handleMoveMem(bo, res[0], true);
      if (ret != 0) {
        moveFailed("ttm_bo_evict", res[0]); // if (ret) { ttm_resource_free(bo, &evict_mem); ... }
      }
      return ret;
    });
  }

  /**
   * AMDGPU_GEM_CREATE_DISCARDABLE at creation (amdgpu_gem_create_ioctl): the object's eviction
   * drops its contents ({@link #evict}: amdgpu_evict_flags gives no placement).
   */
  public void markDiscardable(TtmBufferObject bo) {
    bo.discardable(true);
  }

  /**
   * ttm_bo_evict (ttm_bo.c, 6.12.118) when the driver's evict_flags give no placement (amdgpu_evict_flags:
   * {@code if (abo->flags & AMDGPU_GEM_CREATE_DISCARDABLE) { placement->num_placement = 0; return; }}):
   * <pre>
   *   if (!placement.num_placement) {
   *           ret = ttm_bo_wait_ctx(bo, ctx);
   *           if (ret)
   *                   return ret;
   *
   *           /*
   *            * Since we've already synced, this frees backing store
   *            * immediately.
   *            *&#47;
   *           return ttm_bo_pipeline_gutting(bo);
   *   }
   * </pre>
   * ttm_bo_wait_ctx waits inside this one CPU step ({@code dma_resv_wait_timeout(...,
   * DMA_RESV_USAGE_BOOKKEEP, ctx->interruptible, 15 * HZ)}): the object is idle already, or the
   * wait times out and returns -EBUSY (nothing on the GPU moves during a CPU step), which
   * ttm_bo_evict_cb passes on and the walk treats as "try the next object". ttm_bo_pipeline_gutting
   * of an idle object: {@code ttm_resource_free(bo, &bo->resource)} (its TT part, ttm_tt_create,
   * which may fail with -ENOMEM, is not modelled). The object stays, without backing store, until
   * it is validated again. Mutant {@link HwBug#GUTTING_NO_WAIT}.
   */
  private int evictWithoutPlacement(TtmBufferObject bo) {
    if (!HwBug.GUTTING_NO_WAIT.in(kernel) && !bo.resv().testSignaled(DmaResvUsage.BOOKKEEP)) {
      return -Errno.EBUSY; // ttm_bo_wait_ctx: the 15 s timeout
    }
    freeResource("ttm_bo_pipeline_gutting", bo.resource());
    bo.setResource(null);
    return 0;
  }

  /** An injected failure of the driver's next move (a negative errno), or 0. */
  private int failNextMove;

  /**
   * Fault injection: the driver's next move of a placed object fails with {@code err} before its
   * copy job is armed: amdgpu_move_blit's job allocation (amdgpu_ttm_prepare_job →
   * amdgpu_job_alloc_with_ib: -ENOMEM), with no memcpy fallback (amdgpu_bo_move: {@code
   * if (!amdgpu_res_copyable(adev, old_mem) || !amdgpu_res_copyable(adev, new_mem)) { pr_err("Move
   * buffer fallback to memcpy unavailable\n"); return r; }}, VRAM outside the CPU-visible window).
   * The caller (ttm_bo_evict, ttm_bo_validate) frees the destination resource. 0 disarms.
   */
  public void failNextMove(int err) {
    if (err > 0) {
      throw new IllegalArgumentException("not a negative errno (0 disarms): " + err);
    }
    failNextMove = err;
  }

  /** Whether an injected move failure is still armed. */
  public boolean moveFailureArmed() {
    return failNextMove != 0;
  }

  /**
   * The failed move's clean-up: {@code ttm_resource_free(bo, &evict_mem)} (ttm_bo_evict) or
   * {@code ttm_resource_free(bo, &res)} (ttm_bo_validate); the object keeps its old resource.
   * Mutants {@link HwBug#MOVE_FAIL_LEAKS_DST} (no free) and {@link HwBug#MOVE_FAIL_FREES_DST_TWICE}.
   */
  private void moveFailed(String fn, TtmResource dst) {
    if (HwBug.MOVE_FAIL_LEAKS_DST.in(kernel)) {
      return;
    }
    freeResource(fn, dst);
    if (HwBug.MOVE_FAIL_FREES_DST_TWICE.in(kernel)) {
      freeResource(fn, dst);
    }
  }

  /**
   * ttm_bo_handle_move_mem → the driver's move (amdgpu_bo_move). A new object (no resource)
   * gets its first one without a copy (amdgpu_bo_move: {@code if (!old_mem || ...) {
   * ttm_bo_move_null(bo, new_mem); ...}}); otherwise amdgpu_move_blit: a copy job on the copy
   * entity that depends on every fence of the object (amdgpu_ttm.c amdgpu_ttm_prepare_job):
   * <pre>
   *   return drm_sched_job_add_resv_dependencies(&amp;(*job)-&gt;base, resv,
   *                                              DMA_RESV_USAGE_BOOKKEEP);
   * </pre>
   * armed and pushed (amdgpu_job_submit), then ttm_bo_move_accel_cleanup(bo, fence, evict,
   * pipeline = true, new_mem). The copy reads the old range and writes the new one. TLA+
   * {@code EvictArm} / {@code MoveInArm} (MoveDeps; the query is the driver's, {@link
   * DriverPolicy#evictQuery}: READ for i915; mutant {@code evict_waits_write}: {@link
   * HwBug#EVICT_WAITS_WRITE}).
   */
  private int handleMoveMem(TtmBufferObject bo, TtmResource newRes, boolean evict) {
    TtmResource old = bo.resource();
    if (old == null) {
      bo.setResource(newRes); // ttm_bo_move_null → ttm_bo_assign_mem
      return 0;
    }
    if (failNextMove != 0) {
      int err = failNextMove; // injected: amdgpu_move_blit fails before its job is armed
      failNextMove = 0;
      return err;
    }
    DrmSchedJob job = DrmSchedJob.init(copyEntity, (evict ? "evict" : "move") + ++copies + ":" + bo.name());
    DmaResvUsage q = HwBug.EVICT_WAITS_WRITE.in(kernel) ? DmaResvUsage.WRITE : policy.evictQuery();
    if (HwBug.EVICT_SKIPS_BOOKKEEP.in(kernel)) {
      q = DmaResvUsage.READ; // mutant evict_skips_bookkeep (GpuMemVm): no preemption fence waited for
    }
    job.addResvDependencies(bo.resv(), q);
    List<GpuMemHistory.Bind> binds = List.of(new GpuMemHistory.Bind(bo, old.range(), old.tenure()),
        new GpuMemHistory.Bind(bo, newRes.range(), newRes.tenure()));
    List<DmaFence> pendingKernel = pendingKernel(bo.resv());
    job.arm();
    history.jobArmed(evict ? "EvictArm" : "MoveInArm", job, "kernel", binds, pendingKernel);
    copyEntity.pushJob(job);
    return moveAccelCleanup(bo, job.finished(), evict, newRes);
  }

  /** TLA+ {@code PendingKernel(o)}: the unsignaled KERNEL fences of {@code resv}. */
  static List<DmaFence> pendingKernel(DmaResv resv) {
    List<DmaFence> out = new ArrayList<>();
    for (DmaResv.Entry e : resv.entries()) {
      if (e.usage() == DmaResvUsage.KERNEL && !e.fence().isSignaled()) {
        out.add(e.fence());
      }
    }
    return out;
  }

  /**
   * Kernel ttm_bo_move_accel_cleanup (ttm_bo_util.c, 6.12.118):
   * <pre>
   *   dma_resv_add_fence(bo-&gt;base.resv, fence, DMA_RESV_USAGE_KERNEL);
   *   if (!evict)
   *           ret = ttm_bo_move_to_ghost(bo, fence, man-&gt;use_tt);
   *   else if (!from-&gt;use_tt &amp;&amp; pipeline)
   *           ttm_bo_move_pipeline_evict(bo, fence);
   *   else
   *           ret = ttm_bo_wait_free_node(bo, man-&gt;use_tt);
   *   ...
   *   ttm_bo_assign_mem(bo, new_mem);
   * </pre>
   * TLA+ {@code EvictAdd}; {@code MoveInAdd}, {@code MoveInGhost} ... {@code MoveInGhostUnlock}.
   */
  private int moveAccelCleanup(TtmBufferObject bo, DmaFence fence, boolean evict, TtmResource newRes) {
    bo.resv().addFence(fence, DmaResvUsage.KERNEL);
    if (!evict) {
      moveToGhost(bo, fence);
    } else if (bo.resource().range().memType() == TtmMemType.VRAM) {
      pipelineEvict(bo, fence);
    } else {
      throw new IllegalStateException("ttm_bo_wait_free_node (eviction from SYSTEM) is not modelled");
    }
    bo.setResource(newRes); // ttm_bo_assign_mem
    return 0;
  }

  /**
   * Kernel ttm_bo_move_pipeline_evict: "BO doesn't have a TTM we need to bind/unbind. Just
   * remember this eviction and free up the allocation" (see {@link TtmResourceManager}), then
   * ttm_resource_free(bo, &amp;bo-&gt;resource). Mutant {@code no_move_fence}
   * ({@link HwBug#NO_MOVE_FENCE}): nothing is recorded.
   */
  private void pipelineEvict(TtmBufferObject bo, DmaFence fence) {
    TtmResourceManager from = manager(bo.resource().range().memType());
    if (!HwBug.NO_MOVE_FENCE.in(kernel)) {
      from.recordEviction(fence);
    }
    freeResource("EvictAdd", bo.resource());
    bo.setResource(null);
  }

  /**
   * Kernel ttm_bo_move_to_ghost: ttm_buffer_object_transfer makes a ghost with its own resv
   * ({@code dma_resv_trylock(&fbo->base.base._resv)}, {@code dma_resv_reserve_fences(..., 1)})
   * that takes the old resource (ttm_resource_set_bo), then
   * <pre>
   *   dma_resv_add_fence(&amp;ghost_obj-&gt;base._resv, fence,
   *                      DMA_RESV_USAGE_KERNEL);
   *   ...
   *   dma_resv_unlock(&amp;ghost_obj-&gt;base._resv);
   *   ttm_bo_put(ghost_obj);
   * </pre>
   * The put finds the ghost busy and queues it for ttm_bo_delayed_delete ({@link
   * #delayedDeleteStep}). TLA+ {@code MoveInGhost}, {@code MoveInGhostReserve}, {@code
   * MoveInGhostAdd}, {@code MoveInGhostUnlock}.
   */
  private void moveToGhost(TtmBufferObject bo, DmaFence fence) {
    TtmBufferObject ghost = new TtmBufferObject(new GemObject(kernel, "ghost" + ++ghosts), "ghost" + ghosts, true);
    if (!ghost.resv().trylock()) {
      kernel.warn("ttm_buffer_object_transfer", "WARN_ON(!ret)", ghost);
    }
    ghost.resv().reserveFences(1);
    TtmResource old = bo.resource();
    old.setBo(ghost);
    ghost.setResource(old);
    ghost.resv().addFence(fence, DmaResvUsage.KERNEL);
    ghost.resv().unlock();
    delayedDelete.add(ghost);
  }

  /** The ghosts waiting for the delayed delete, oldest first. */
  public List<TtmBufferObject> ghosts() {
    return List.copyOf(delayedDelete);
  }

  /** The ghosts the delayed delete could free now: idle (every fence signaled) and unlocked. */
  public List<TtmBufferObject> idleGhosts() {
    List<TtmBufferObject> out = new ArrayList<>();
    for (TtmBufferObject g : delayedDelete) {
      if (!g.resv().isLocked() && g.resv().testSignaled(DmaResvUsage.BOOKKEEP)) {
        out.add(g);
      }
    }
    return out;
  }

  /**
   * One ttm_bo_delayed_delete, of the oldest idle ghost (ttm_bo.c, 6.12.118):
   * <pre>
   *   dma_resv_wait_timeout(bo-&gt;base.resv, DMA_RESV_USAGE_BOOKKEEP, false,
   *                         MAX_SCHEDULE_TIMEOUT);
   *   dma_resv_lock(bo-&gt;base.resv, NULL);
   *   ttm_bo_cleanup_memtype_use(bo);
   *   dma_resv_unlock(bo-&gt;base.resv);
   *   ttm_bo_put(bo);
   * </pre>
   * The worker's wait is the step's guard: it runs only once the ghost is idle. TLA+ {@code
   * GhostFree(g, r)}.
   *
   * @return whether a ghost was freed
   */
  public boolean delayedDeleteStep() {
    List<TtmBufferObject> idle = idleGhosts();
    if (idle.isEmpty()) {
      return false;
    }
    delayedDelete(idle.get(0));
    return true;
  }

  /**
   * {@link #delayedDeleteStep()} of ghost {@code g}, which must be idle and unlocked (one of
   * {@link #idleGhosts()}). TLA+ {@code GhostFree(g, r)}.
   */
  public void delayedDelete(TtmBufferObject g) {
    if (!idleGhosts().contains(g)) {
      throw new IllegalStateException(g + " is not an idle ghost");
    }
    kernel.callVoid("ttm_bo_delayed_delete", g, new Object[0], () -> {
      g.resv().lock();
      freeResource("GhostFree", g.resource()); // ttm_bo_cleanup_memtype_use → ttm_resource_free
      g.setResource(null);
      g.resv().unlock();
      delayedDelete.remove(g);
      g.base().put();
    });
  }

  /** ttm_resource_free, with the MEM-FREE-UNREACHABLE check on the step. */
  private void freeResource(String action, TtmResource res) {
    TtmResourceManager man = manager(res.range().memType());
    history.freeing(action, res, man);
    man.free(res);
  }

  /**
   * Kernel ttm_bo_pin: {@code dma_resv_assert_held(bo->base.resv)}, {@code ++bo->pin_count}: the
   * eviction walk skips it.
   */
  public void pin(TtmBufferObject bo) {
    assertHeld(bo, "ttm_bo_pin");
    bo.pinCount(bo.pinCount() + 1);
  }

  /** Kernel ttm_bo_unpin: {@code if (WARN_ON_ONCE(!bo->pin_count)) return;}, else --pin_count. */
  public void unpin(TtmBufferObject bo) {
    assertHeld(bo, "ttm_bo_unpin");
    if (kernel.warnOn(bo.pinCount() == 0, "ttm_bo_unpin", "WARN_ON_ONCE(!bo->pin_count)", bo)) {
      return;
    }
    bo.pinCount(bo.pinCount() - 1);
  }

  /** Kernel ttm_bo_move_to_lru_tail: the object's resource becomes the most recently used. */
  public void moveToLruTail(TtmBufferObject bo) {
    if (bo.resource() != null) {
      manager(bo.resource().range().memType()).moveToLruTail(bo.resource());
    }
  }
}
