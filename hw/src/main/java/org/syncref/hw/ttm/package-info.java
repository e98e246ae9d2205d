/**
 * A TTM-like memory manager (drivers/gpu/drm/ttm, Debian linux-source-6.12, 6.12.118) with an
 * amdgpu-like driver (moves by copy jobs on a copy engine) and an implicit-sync exec ioctl, and
 * the history and checks of spec/GpuMem/GpuMem.tla ({@link org.syncref.hw.ttm.GpuMemHistory}).
 *
 * <table>
 *   <caption>Java ↔ kernel ↔ spec/GpuMem/GpuMem.tla</caption>
 *   <tr><th>Java</th><th>kernel</th><th>TLA+ action</th></tr>
 *   <tr><td>{@link org.syncref.hw.ttm.ExecSubmit#submit}</td>
 *       <td>etnaviv_ioctl_gem_submit with drm_exec: lock + dma_resv_reserve_fences,
 *       drm_sched_job_add_implicit_dependencies, drm_sched_job_arm, dma_resv_add_fence,
 *       drm_sched_entity_push_job, unlock; xe_exec_ioctl for {@code EXPLICIT}</td>
 *       <td>SubmitBegin, SubmitReserve, SubmitArm, SubmitAdd, SubmitUnlock</td></tr>
 *   <tr><td>{@link org.syncref.hw.ttm.TtmDevice#validate}, {@link org.syncref.hw.ttm.TtmDevice#moveTo}</td>
 *       <td>ttm_bo_validate → ttm_bo_alloc_resource (dma_resv_reserve_fences,
 *       ttm_resource_alloc, ttm_bo_evict_alloc, ttm_bo_add_move_fence) →
 *       ttm_bo_handle_move_mem → amdgpu_bo_move / amdgpu_move_blit →
 *       ttm_bo_move_accel_cleanup(evict = false) → ttm_bo_move_to_ghost</td>
 *       <td>MoveInBegin, MoveInAlloc, MoveInAddMoveFence, MoveInReserve, MoveInArm, MoveInAdd,
 *       MoveInGhost, MoveInGhostReserve, MoveInGhostAdd, MoveInGhostUnlock, MoveInUnlock</td></tr>
 *   <tr><td>TtmDevice.evictAlloc / lruWalkForEvict (private)</td>
 *       <td>ttm_bo_evict_alloc, ttm_lru_walk_for_evict, ttm_lru_walk_trylock,
 *       ttm_lru_walk_ticketlock (-EDEADLK → -ENOSPC), ttm_bo_evict_cb</td>
 *       <td>EvictBegin (trylock), TEvictTrylock, TEvictTicketlock</td></tr>
 *   <tr><td>{@link org.syncref.hw.ttm.TtmDevice#evict}</td>
 *       <td>ttm_bo_evict → ttm_bo_mem_space (SYSTEM), the copy job,
 *       ttm_bo_move_accel_cleanup(evict = true, pipeline = true) →
 *       ttm_bo_move_pipeline_evict (record the fence, ttm_resource_free)</td>
 *       <td>EvictReserve, EvictArm, EvictAdd, EvictUnlock</td></tr>
 *   <tr><td>{@link org.syncref.hw.ttm.TtmDevice#delayedDelete},
 *       {@link org.syncref.hw.ttm.TtmDevice#delayedDeleteStep}</td>
 *       <td>ttm_bo_delayed_delete (wait BOOKKEEP, ttm_bo_cleanup_memtype_use)</td>
 *       <td>GhostFree(g, r)</td></tr>
 *   <tr><td>{@link org.syncref.hw.ttm.TtmDevice#pin}, {@link org.syncref.hw.ttm.TtmDevice#unpin},
 *       {@link org.syncref.hw.ttm.TtmDevice#moveToLruTail}</td>
 *       <td>ttm_bo_pin, ttm_bo_unpin, ttm_bo_move_to_lru_tail</td><td>none (the spec has no LRU or pins)</td></tr>
 *   <tr><td>{@link org.syncref.hw.ttm.DriverPolicy} ({@link org.syncref.hw.ttm.GenericPolicy},
 *       {@link org.syncref.hw.ttm.AmdgpuPolicy}, {@link org.syncref.hw.ttm.XePolicy},
 *       {@link org.syncref.hw.ttm.I915Policy}), asked by ExecSubmit and TtmDevice</td>
 *       <td>amdgpu_cs_sync_rings / amdgpu_sync_resv / amdgpu_sync_test_fence, amdgpu_cs_submit;
 *       xe_exec_ioctl, xe_migrate_copy; i915_request_await_object, _i915_vma_move_to_active,
 *       i915_deps_add_resv; amdgpu_ttm_prepare_job</td>
 *       <td>the constant Driver: DriverModes, SubmitDeps / AmdgpuDeps, UsageOf, EvictQuery
 *       (in SubmitArm, SubmitAdd, EvictArm, MoveInArm)</td></tr>
 * </table>
 *
 * <p>Granularity: a CPU operation (a submission, a validation with its evictions) is one Java
 * call, not one step per kernel call as in the spec; the GPU (run_job, engine completion) and
 * the delayed delete run between such calls, as {@link org.syncref.hw.ttm.GpuMemSystem#enabledSteps}
 * lists them. Within an operation the order of the kernel calls is the spec's.
 *
 * <p>Checks (rule IDs of spec/GpuMem/README.md): MEM-NO-STALE-ACCESS, MEM-KERNEL-FIRST,
 * MEM-FREE-UNREACHABLE, MEM-RW-ORDERED in {@link org.syncref.hw.ttm.GpuMemHistory};
 * MEM-EVICT-TICKET is the kernel's own ww_mutex WARNs ({@code Kernel.warnings()}: none after the
 * walk's -EDEADLK); negative controls {@link org.syncref.hw.ttm.HwBug}. Faults (a hang and
 * reset, a killed client, an interrupted submission, the driver's unload, allocation failures on
 * the eviction path) and the nothing-lost checks after them: {@link org.syncref.hw.ttm.GpuFaults}.
 * Driver policies: {@link org.syncref.hw.ttm.DriverPolicy}. VMs and preemption fences
 * (GpuMemVm.tla, GpuMemTlb.tla) are {@link org.syncref.hw.vm}.
 */
package org.syncref.hw.ttm;
