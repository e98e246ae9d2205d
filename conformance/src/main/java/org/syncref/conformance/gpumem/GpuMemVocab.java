package org.syncref.conformance.gpumem;

import java.util.List;
import java.util.function.Predicate;

import org.syncref.conformance.vocab.Vocabulary;
import org.syncref.hw.sched.DrmSchedJob;

/**
 * The vocabulary of spec/GpuMem/GpuMem.tla (slice 1, with hang and reset: {@code GpuResetNext}),
 * declared once: for each action of the next-state relation the kernel code, the Java of hw/
 * (org.syncref.hw.ttm, org.syncref.hw.sched, org.syncref.hw.Engine) and the trace event the Java
 * system records for it. spec/MAPPING.md's GpuMem table is generated from it ({@link
 * org.syncref.conformance.vocab.MappingTables}); property-tests' VocabularyTest checks it against
 * the next-state relations of MCGpuMemReset (all of {@code GpuResetNext}) and of the conformance
 * model MCGpuMemConformance ({@code GpuNext}), and checks that every Java method it names exists.
 *
 * <p>The spec takes one step per kernel call; the Java system makes a CPU operation in one call
 * ({@link GpuMemWorld}). So the world has a step of its own only for the actions that begin an
 * operation a spec walk replays on Java ({@code SubmitBegin}, {@code EvictBegin}, {@code
 * MoveInBegin}, {@code RunJob}, {@code GhostFree}: {@link GpuMemChecker#walk} dispatches
 * through {@link Vocabulary#apply}); the others are declared with {@link
 * Vocabulary.Builder#noStep}: a step inside one of those Java calls, or one the conformance
 * world does not make (the ticketed eviction and its rival, {@code Contention = FALSE}; hang
 * and reset, which MCGpuMemConformance's {@code GpuNext} leaves out).
 *
 * <p>Trace events: the Java system records the steps that change the memory history under the
 * action's name ({@code GpuMemHistory.events()}: {@code SubmitArm(j)}, {@code EvictArm(j)},
 * {@code MoveInArm(j)}, {@code RunJob(j)}, {@code EvictAdd frees ...}, {@code GhostFree frees
 * ...}); its kernel calls reach a {@code Kernel.CallListener} by kernel function ({@code
 * ttm_bo_validate}, {@code ttm_bo_evict}, {@code drm_sched_run_job_work}, ...); a conformance run
 * logs the world's operations ({@code Submit(gfx, b1, read)}, {@code Evict(b1)}, {@code
 * MoveIn(b2)}, {@code run_job(gfx)}, {@code complete(gfx)}, {@code GhostFree(ghost1, v1)}) and a
 * walk the spec's action with its arguments ({@code SubmitBegin(e = gfx, o = b1, m = "read")}).
 */
public final class GpuMemVocab {
  private GpuMemVocab() {}

  /** Why a walk's operation could not be made on Java (the message says why). */
  public static final class Refused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Refused(String why) {
      super(why);
    }
  }

  private static final String SCHED_MAIN_C = "drivers/gpu/drm/scheduler/sched_main.c";
  private static final String SCHED_ENTITY_C = "drivers/gpu/drm/scheduler/sched_entity.c";
  private static final String SCHED_FENCE_C = "drivers/gpu/drm/scheduler/sched_fence.c";
  private static final String TTM_BO_C = "drivers/gpu/drm/ttm/ttm_bo.c";
  private static final String TTM_BO_UTIL_C = "drivers/gpu/drm/ttm/ttm_bo_util.c";
  private static final String TTM_RESOURCE_C = "drivers/gpu/drm/ttm/ttm_resource.c";
  private static final String AMDGPU_TTM_C = "drivers/gpu/drm/amd/amdgpu/amdgpu_ttm.c";
  private static final String ETNAVIV_SUBMIT_C = "drivers/gpu/drm/etnaviv/etnaviv_gem_submit.c";
  private static final String DRM_EXEC_C = "drivers/gpu/drm/drm_exec.c";
  private static final String DMA_RESV_H = "include/linux/dma-resv.h";
  private static final String WW_MUTEX_H = "include/linux/ww_mutex.h";
  private static final String XE_GUC_SUBMIT_C = "drivers/gpu/drm/xe/xe_guc_submit.c";

  /** Inside the submission: the world's {@code Submit} operation makes it in one call. */
  private static final String IN_SUBMIT = "a step inside ExecSubmit.submit, which the world's Submit operation makes"
      + " in one call (SubmitBegin)";
  private static final String IN_EVICT = "a step inside TtmDevice.evict, which the world's Evict operation makes in"
      + " one call (EvictBegin)";
  private static final String IN_MOVE = "a step inside TtmDevice.validate, which the world's MoveIn operation makes"
      + " in one call (MoveInBegin)";
  private static final String NO_CONTENTION = "the conformance world makes no ticketed eviction against a rival"
      + " transaction (MCGpuMemConformance: Contention = FALSE)";
  private static final String NO_RESET = "the conformance world makes no hang or reset (MCGpuMemConformance's"
      + " next-state relation is GpuNext, not GpuResetNext)";

  public static final Vocabulary<GpuMemWorld> VOCABULARY = Vocabulary.<GpuMemWorld>builder("GpuMem", "GpuMemWorld")
      .declaredIn("GpuMemVocab.VOCABULARY")
      .javaHeading("Java method (trace event)")
      // driver load
      .noStep("`drm_sched_entity_init`: `dma_fence_context_alloc(2)` per entity (the spec allocates one"
          + " finished-fence context per engine in one call)", "DriverLoad()",
          "each `new DrmSchedEntity(sched, name)` of `new GpuMemSystem(vram, system, bugs)`:"
          + " `Kernel.dmaFenceContextAlloc(n)`", SCHED_ENTITY_C,
          "the Java system allocates its contexts when it is built (new GpuMemWorld); the checker takes"
          + " DriverLoad before the first operation")
      // user submission
      .call("user submission (`etnaviv_ioctl_gem_submit`): lock the object (`drm_exec_prepare_obj` →"
          + " `dma_resv_lock`; the spec: a trylock, one CPU thread)", "SubmitBegin(e, o, m)",
          "`GpuMemSystem.submit(e, name, mode, bos)` → `ExecSubmit.submit(dev, entity, name, mode, bos)`:"
          + " `DrmExec.prepareObj(obj, n)` (world operation `Submit(e, o, m)`)",
          ETNAVIV_SUBMIT_C + ", " + DRM_EXEC_C,
          (w, a) -> op(w, "Submit(" + a.get(0) + ", " + a.get(1) + ", " + unquote(a.get(2)) + ")", null))
      .noStep("`dma_resv_reserve_fences(robj, 1)` (`submit_fence_sync`; `drm_exec_prepare_obj(exec, obj, 1)`)",
          "SubmitReserve()", "`ExecSubmit.submit(...)`: `DrmExec.prepareObj(obj, n)` → `DmaResv.reserveFences(n)`",
          ETNAVIV_SUBMIT_C + ", " + DRM_EXEC_C, IN_SUBMIT)
      .noStep("`drm_sched_job_add_implicit_dependencies` → `drm_sched_job_add_resv_dependencies(job, obj->resv,"
          + " dma_resv_usage_rw(write))` (explicit sync: `DMA_RESV_USAGE_KERNEL`, as `xe_exec_ioctl`);"
          + " `drm_sched_job_arm`", "SubmitArm()",
          "`ExecSubmit.submit(...)`: `DrmSchedJob.addResvDependencies(resv, usage, skip)`, `DrmSchedJob.arm()`"
          + " (history event `SubmitArm(j)`)",
          SCHED_MAIN_C + ", " + DMA_RESV_H + ", drivers/gpu/drm/xe/xe_exec.c", IN_SUBMIT)
      .noStep("`dma_resv_add_fence(obj->resv, fence, write ? DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ)`"
          + " (explicit sync: BOOKKEEP); `drm_sched_entity_push_job`", "SubmitAdd()",
          "`ExecSubmit.submit(...)`: `DmaResv.addFence(f, u)`, `TtmDevice.moveToLruTail(bo)`,"
          + " `DrmSchedEntity.pushJob(job)`",
          ETNAVIV_SUBMIT_C + ", " + SCHED_ENTITY_C, IN_SUBMIT)
      .noStep("`dma_resv_unlock` (`drm_exec_fini`)", "SubmitUnlock()", "`ExecSubmit.submit(...)`: `DrmExec.fini()`",
          DMA_RESV_H + ", " + DRM_EXEC_C, IN_SUBMIT)
      .noStep("mutant `dag` only: before 5.19 `dma_resv_add_excl_fence` dropped the shared fences, here"
          + " `dma_resv_replace_fences(obj, context, fence, DMA_RESV_USAGE_WRITE)` per context it covers",
          "SubmitDagReplace()", "no hw/ call (hw has no pre-5.19 writer): the call is `DmaResv.replaceFences(c, f, u)`",
          "drivers/dma-buf/dma-resv.c", "a step of the GpuMem mutant dag only; the Java system has no pre-5.19 writer")
      // pipelined eviction
      .call("`ttm_bo_evict_alloc`'s trylock pass: `ttm_lru_walk_for_evict` → `ttm_lru_walk_trylock` →"
          + " `dma_resv_trylock`", "EvictBegin(b)",
          "`DmaResv.lock()`, then `TtmDevice.evict(bo)` (world operation `Evict(b)`); in a validation that"
          + " needs VRAM, the LRU walk's `DmaResv.trylock()` inside `TtmDevice.validate(bo, dst)`",
          TTM_BO_C + ", " + TTM_BO_UTIL_C, (w, a) -> op(w, "Evict(" + a.get(0) + ")", null))
      .noStep("`ttm_bo_evict` → `ttm_bo_mem_space` → `ttm_bo_alloc_resource`: `dma_resv_reserve_fences(bo->base.resv,"
          + " 1)`", "EvictReserve()", "`TtmDevice.evict(bo)`: `DmaResv.reserveFences(n)` (kernel call event"
          + " `ttm_bo_evict`)", TTM_BO_C, IN_EVICT)
      .noStep("`ttm_resource_alloc` (SYSTEM); the driver's copy job: `amdgpu_move_blit` → `amdgpu_ttm_prepare_job`:"
          + " `drm_sched_job_add_resv_dependencies(..., resv, DMA_RESV_USAGE_BOOKKEEP)`, `drm_sched_job_arm`,"
          + " `drm_sched_entity_push_job`", "EvictArm()",
          "`TtmDevice.evict(bo)`: `TtmResourceManager.alloc(bo)`, `DrmSchedJob.addResvDependencies(resv, usage)`,"
          + " `DrmSchedJob.arm()`, `DrmSchedEntity.pushJob(job)` (history event `EvictArm(j)`)",
          TTM_RESOURCE_C + ", " + AMDGPU_TTM_C + ", " + SCHED_MAIN_C, IN_EVICT)
      .noStep("`ttm_bo_move_accel_cleanup(bo, fence, evict = true, pipeline = true, new_mem)`:"
          + " `dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL)`, `ttm_bo_move_pipeline_evict` (the"
          + " manager records the fence; `ttm_resource_free`), `ttm_bo_assign_mem`", "EvictAdd()",
          "`TtmDevice.evict(bo)`: `DmaResv.addFence(f, u)`, `TtmResourceManager.recordEviction(fence)`,"
          + " `TtmResourceManager.free(res)` (history event `EvictAdd frees ...`)", TTM_BO_UTIL_C, IN_EVICT)
      .noStep("`dma_resv_unlock`", "EvictUnlock()",
          "`DmaResv.unlock()` after `TtmDevice.evict(bo)`; in the LRU walk, its `DmaResv.unlock()`",
          DMA_RESV_H + ", " + TTM_BO_UTIL_C, IN_EVICT)
      // move into VRAM, with a ghost
      .call("`ttm_bo_validate` → `ttm_bo_move_buffer`, the object locked (`dma_resv_lock`)", "MoveInBegin(o)",
          "`TtmDevice.moveTo(bo, dst)`: `DmaResv.lock()`, `TtmDevice.validate(bo, dst)` (kernel call event"
          + " `ttm_bo_validate`; world operation `MoveIn(o)`)", TTM_BO_C + ", " + DMA_RESV_H,
          (w, a) -> op(w, "MoveIn(" + a.get(0) + ")", null))
      .noStep("`ttm_bo_alloc_resource`: `dma_resv_reserve_fences(bo->base.resv, 1)`, `ttm_resource_alloc` (VRAM;"
          + " when VRAM is full `ttm_bo_evict_alloc` evicts first: the spec's eviction before `MoveInBegin`)",
          "MoveInAlloc()", "`TtmDevice.validate(bo, dst)`: `DmaResv.reserveFences(n)`, `TtmResourceManager.alloc(bo)`",
          TTM_BO_C + ", " + TTM_RESOURCE_C, IN_MOVE)
      .noStep("`ttm_bo_add_move_fence`: `dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL)` (mainline:"
          + " `ttm_bo_add_pipelined_eviction_fences`, one per recorded fence)", "MoveInAddMoveFence()",
          "`TtmDevice.validate(bo, dst)`: `DmaResv.addFence(f, u)` of each `TtmResourceManager.evictionFences()`",
          TTM_BO_C, IN_MOVE)
      .noStep("`ttm_bo_add_move_fence`: `dma_resv_reserve_fences(bo->base.resv, 1)`", "MoveInReserve()",
          "`TtmDevice.validate(bo, dst)`: `DmaResv.reserveFences(n)`", TTM_BO_C, IN_MOVE)
      .noStep("the copy job: `amdgpu_move_blit` → `amdgpu_ttm_prepare_job`: `drm_sched_job_add_resv_dependencies(...,"
          + " resv, DMA_RESV_USAGE_BOOKKEEP)`, `drm_sched_job_arm`, `drm_sched_entity_push_job`", "MoveInArm()",
          "`TtmDevice.validate(bo, dst)`: `DrmSchedJob.addResvDependencies(resv, usage)`, `DrmSchedJob.arm()`,"
          + " `DrmSchedEntity.pushJob(job)` (history event `MoveInArm(j)`)", AMDGPU_TTM_C + ", " + SCHED_MAIN_C, IN_MOVE)
      .noStep("`ttm_bo_move_accel_cleanup(bo, fence, evict = false, ...)`: `dma_resv_add_fence(bo->base.resv, fence,"
          + " DMA_RESV_USAGE_KERNEL)`", "MoveInAdd()", "`TtmDevice.validate(bo, dst)`: `DmaResv.addFence(f, u)`",
          TTM_BO_UTIL_C, IN_MOVE)
      .noStep("`ttm_bo_move_to_ghost` → `ttm_buffer_object_transfer`: `dma_resv_trylock(&fbo->base.base._resv)`,"
          + " `ttm_resource_set_bo`", "MoveInGhost()",
          "`TtmDevice.validate(bo, dst)`: the ghost's `DmaResv.trylock()`, `TtmResource.setBo(b)`", TTM_BO_UTIL_C,
          IN_MOVE)
      .noStep("`ttm_buffer_object_transfer`: `dma_resv_reserve_fences(&fbo->base.base._resv, 1)`",
          "MoveInGhostReserve()", "`TtmDevice.validate(bo, dst)`: the ghost's `DmaResv.reserveFences(n)`",
          TTM_BO_UTIL_C, IN_MOVE)
      .noStep("`ttm_bo_move_to_ghost`: `dma_resv_add_fence(&ghost_obj->base._resv, fence, DMA_RESV_USAGE_KERNEL)`",
          "MoveInGhostAdd()", "`TtmDevice.validate(bo, dst)`: the ghost's `DmaResv.addFence(f, u)`", TTM_BO_UTIL_C,
          IN_MOVE)
      .noStep("`ttm_bo_move_to_ghost`: `dma_resv_unlock(&ghost_obj->base._resv)`, `ttm_bo_put(ghost_obj)` (the"
          + " delayed delete takes it); `ttm_bo_assign_mem`", "MoveInGhostUnlock()",
          "`TtmDevice.validate(bo, dst)`: the ghost's `DmaResv.unlock()`, `TtmBufferObject.setResource(res)`",
          TTM_BO_UTIL_C + ", " + TTM_BO_C, IN_MOVE)
      .noStep("`dma_resv_unlock(bo->base.resv)`", "MoveInUnlock()", "`TtmDevice.moveTo(bo, dst)`: `DmaResv.unlock()`",
          DMA_RESV_H, IN_MOVE)
      // delayed delete and the engine
      .call("`ttm_bo_delayed_delete`: `dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP, false,"
          + " MAX_SCHEDULE_TIMEOUT)`, `ttm_bo_cleanup_memtype_use` → `ttm_resource_free`", "GhostFree(g, r)",
          "`TtmDevice.delayedDelete(g)` (kernel call event `ttm_bo_delayed_delete`, history event `GhostFree frees"
          + " ...`; world operation `GhostFree(g, r)`)", TTM_BO_C + ", " + TTM_RESOURCE_C,
          (w, a) -> op(w, "GhostFree(", n -> n.startsWith("GhostFree(") && n.endsWith(", " + a.get(1) + ")")))
      .call("`drm_sched_run_job_work`: `run_job` writes the job to the ring; the engine completes it: `dma_fence_signal`"
          + " of the hardware fence → `drm_sched_job_done` → `drm_sched_fence_finished`", "RunJob(f)",
          "`DrmGpuScheduler.runJob(e)`, then `Engine.executeNext()` (kernel call event `drm_sched_run_job_work`;"
          + " history event `RunJob(j)`; world operations `run_job(entity)`, `complete(engine)`)",
          SCHED_MAIN_C + ", " + SCHED_FENCE_C + ", drivers/dma-buf/dma-fence.c", GpuMemVocab::runJob)
      // the ticketed eviction walk against a rival transaction (Contention)
      .noStep("a validation inside a ww transaction that needs VRAM: `ww_acquire_init`", "TEvictBegin(b, e)",
          "`WwAcquireContext.init(kernel, class)`, then `TtmDevice.validate(bo, dst)` under the ticket", WW_MUTEX_H,
          NO_CONTENTION)
      .noStep("`dma_resv_lock(e, ticket)` of the evictor's own object", "TEvictLockOwn()", "`DmaResv.lock(ctx)`",
          DMA_RESV_H, NO_CONTENTION)
      .noStep("the trylock pass: `ttm_lru_walk_trylock` → `dma_resv_trylock` (locked: `ttm_bo_evict_cb` → the"
          + " eviction's steps, then back)", "TEvictTrylock()",
          "`TtmDevice.validate(bo, dst)`: the LRU walk's `DmaResv.trylock()`, then `TtmDevice.evict(bo)`",
          TTM_BO_C + ", " + TTM_BO_UTIL_C, NO_CONTENTION)
      .noStep("the ticket pass: `ttm_lru_walk_ticketlock` → `dma_resv_lock(resv, walk->ticket)`; -EDEADLK → -ENOSPC",
          "TEvictTicketlock()", "`TtmDevice.validate(bo, dst)`: the LRU walk's `DmaResv.lock(ctx)`", TTM_BO_UTIL_C,
          NO_CONTENTION)
      .noStep("the ticketlock asleep in the wait list, woken (WwCalls' `WaitAcquire`, `WaitSteal`, `WaitHandoff`,"
          + " `WaitDie`)", "TEvictWait()", "`DmaResv.lock(ctx)` returning", "kernel/locking/ww_mutex.h,"
          + " kernel/locking/mutex.c", NO_CONTENTION)
      .noStep("the caller leaves its transaction: `dma_resv_unlock(e)`", "TEvictUnlockOwn()", "`DmaResv.unlock()`",
          DMA_RESV_H, NO_CONTENTION)
      .noStep("`ww_acquire_fini`", "TEvictFini()", "`WwAcquireContext.fini()`", WW_MUTEX_H, NO_CONTENTION)
      .noStep("the rival's transaction: `ww_acquire_init`", "RivalInit()", "`WwAcquireContext.init(kernel, class)`",
          WW_MUTEX_H, NO_CONTENTION)
      .noStep("the rival's `dma_resv_lock(obj, ticket)`", "RivalLock()", "`DmaResv.lock(ctx)`", DMA_RESV_H,
          NO_CONTENTION)
      .noStep("the rival asleep in `dma_resv_lock`, woken (WwCalls' `WaitAcquire`, `WaitSteal`, `WaitHandoff`)",
          "RivalWait()", "`DmaResv.lock(ctx)` returning", "kernel/locking/ww_mutex.h, kernel/locking/mutex.c",
          NO_CONTENTION)
      .noStep("the rival's `dma_resv_unlock`", "RivalUnlock()", "`DmaResv.unlock()`", DMA_RESV_H, NO_CONTENTION)
      .noStep("the rival's `ww_acquire_fini`", "RivalFini()", "`WwAcquireContext.fini()`", WW_MUTEX_H, NO_CONTENTION)
      // hang and reset (GpuResetNext)
      .noStep("the engine starts a job that hangs, having touched its ranges (no kernel call: its hardware fence does"
          + " not signal)", "HangJob(f)",
          "`Engine.hang()`: the oldest job on the ring runs (touches its ranges) and its hardware fence never"
          + " signals (syncref simulate's Hang step)", "-", NO_RESET)
      .noStep("`drm_sched_job_timedout` → `timedout_job`: `drm_sched_stop` (`dma_fence_remove_callback` of the"
          + " hardware fences), the hardware reset (xe: `xe_sched_submission_stop`)", "ResetStop(f)",
          "`DrmGpuScheduler.timedOut()`: `DmaFence.removeCallback(cb)`, `Engine.hangAndReset(error)` (kernel call"
          + " event `drm_sched_job_timedout`)", SCHED_MAIN_C + ", " + XE_GUC_SUBMIT_C, NO_RESET)
      .noStep("a job queued behind the hung one is dropped (xe: \"Mark all outstanding jobs as bad\"; amdgpu:"
          + " `drm_sched_entity_pop_job` skips a guilty entity's jobs)", "ResetCancel(f)",
          "`DrmGpuScheduler.timedOut()`: `drm_sched_start`'s completion of a pending job without a parent",
          XE_GUC_SUBMIT_C + ", " + SCHED_ENTITY_C, NO_RESET)
      .noStep("`drm_sched_fence_finished(fence, result)`: `dma_fence_set_error(&fence->finished, result)` (-ETIME for"
          + " the hung job, -ECANCELED for one dropped behind it)", "ResetSetError(f)",
          "`DrmSchedFence.signalFinished(result)`: `DmaFence.setError(e)` (hw: -ETIME for the hung job, -ECANCELED for the others)",
          SCHED_FENCE_C + ", include/linux/dma-fence.h", NO_RESET)
      .noStep("`drm_sched_fence_finished`: `dma_fence_signal(&fence->finished)`", "ResetSignal(f)",
          "`DrmSchedFence.signalFinished(result)`: `DmaFence.signal()`", SCHED_FENCE_C + ", drivers/dma-buf/dma-fence.c",
          NO_RESET)
      .build();

  private static String unquote(String s) {
    return s.replace("\"", "");
  }

  /**
   * Runs the world's operation named {@code want} (or the first whose name {@code match}
   * accepts), which must be one it offers now.
   */
  private static long op(GpuMemWorld w, String want, Predicate<String> match) {
    Predicate<String> m = match != null ? match : want::equals;
    for (GpuMemWorld.Op op : w.enabled()) {
      if (m.test(op.name())) {
        run(op);
        return 0;
      }
    }
    throw new Refused("Java offers no " + want + " (it offers " + w.enabled() + ")");
  }

  private static void run(GpuMemWorld.Op op) {
    try {
      op.run().run();
    } catch (RuntimeException e) {
      throw new Refused(op + " threw " + e);
    }
  }

  /** RunJob(f): run_job of f's entity until f's job is on its ring, then the engine's completion. */
  private static long runJob(GpuMemWorld w, List<String> a) {
    DrmSchedJob job = null;
    for (DrmSchedJob j : w.sys.dev.history().jobs()) {
      if (w.fenceName(j.finished()).equals(a.get(0))) {
        job = j;
      }
    }
    if (job == null) {
      throw new Refused("Java has no job for " + a.get(0));
    }
    String entity = job.entity().name();
    String engine = job.entity().sched().engine().name();
    for (int k = 0; k < 8 && job.state() != DrmSchedJob.State.RUNNING && !job.finished().isSignaled(); k++) {
      GpuMemWorld.Op runJob = null;
      for (GpuMemWorld.Op op : w.enabled()) {
        if (op.name().equals("run_job(" + entity + ")")) {
          runJob = op;
        }
      }
      if (runJob == null) {
        throw new Refused("Java cannot run_job " + job.name() + " (state " + job.state() + ", offers " + w.enabled()
            + ")");
      }
      run(runJob);
    }
    for (GpuMemWorld.Op op : w.enabled()) {
      if (op.name().equals("complete(" + engine + ")")) {
        run(op);
        return 0;
      }
    }
    throw new Refused("Java's " + engine + " has nothing to complete");
  }
}
