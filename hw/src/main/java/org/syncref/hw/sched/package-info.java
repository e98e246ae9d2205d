/**
 * A drm_sched-like GPU scheduler (drivers/gpu/drm/scheduler, Debian linux-source-6.12,
 * 6.12.118) on the {@link org.syncref.hw.Engine} model, stepped explicitly so that a test or a
 * checker chooses every interleaving.
 *
 * <table>
 *   <caption>Java ↔ kernel ↔ spec/GpuMem/GpuMem.tla</caption>
 *   <tr><th>Java</th><th>kernel</th><th>TLA+ action</th></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmSchedEntity#DrmSchedEntity}</td>
 *       <td>drm_sched_entity_init (dma_fence_context_alloc(2))</td><td>DriverLoad</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmSchedJob#init}</td><td>drm_sched_job_init</td>
 *       <td>(part of SubmitArm / EvictArm / MoveInArm)</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmSchedJob#addDependency},
 *       {@link org.syncref.hw.sched.DrmSchedJob#addResvDependencies}</td>
 *       <td>drm_sched_job_add_dependency, drm_sched_job_add_resv_dependencies</td>
 *       <td>jobDeps' in SubmitArm (SubmitDeps), EvictArm / MoveInArm (MoveDeps)</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmSchedJob#arm}</td>
 *       <td>drm_sched_job_arm → drm_sched_fence_init</td><td>ArmStep: FenceInit</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmSchedEntity#pushJob}</td>
 *       <td>drm_sched_entity_push_job</td><td>jobState' = "queued" (SubmitAdd, EvictArm, MoveInArm)</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmGpuScheduler#runJob},
 *       {@link org.syncref.hw.sched.DrmGpuScheduler#runJobWork}</td>
 *       <td>drm_sched_run_job_work: drm_sched_entity_pop_job, ops-&gt;run_job,
 *       drm_sched_fence_scheduled</td><td>RunJob(f), first half (the guard: dependencies)</td></tr>
 *   <tr><td>{@link org.syncref.hw.Engine#executeNext} (the hardware fence's callback)</td>
 *       <td>drm_sched_job_done_cb → drm_sched_job_done → drm_sched_fence_finished</td>
 *       <td>RunJob(f), second half (accesses, Signal)</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmGpuScheduler#timedOut}</td>
 *       <td>drm_sched_fault → drm_sched_job_timedout → drm_sched_stop, reset, drm_sched_start</td>
 *       <td>ResetStop, ResetSetError, ResetSignal (GpuResetNext)</td></tr>
 *   <tr><td>{@link org.syncref.hw.Engine#hang}</td><td>(the hardware: a job that does not
 *       complete)</td><td>HangJob(f) (GpuResetNext)</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmSchedEntity#kill},
 *       {@link org.syncref.hw.sched.DrmSchedEntity#fini},
 *       {@link org.syncref.hw.sched.DrmGpuScheduler#killJobsWork}</td>
 *       <td>drm_sched_entity_kill (from drm_sched_entity_flush on SIGKILL and
 *       drm_sched_entity_fini), drm_sched_entity_kill_jobs_cb / _work</td>
 *       <td>none (the spec's ResetCancel waits for dependencies the same way)</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmSchedJob#cleanup}</td><td>drm_sched_job_cleanup</td>
 *       <td>none</td></tr>
 *   <tr><td>{@link org.syncref.hw.sched.DrmGpuScheduler#fini}</td>
 *       <td>drm_sched_fini (mainline, cancel_job)</td><td>none</td></tr>
 * </table>
 *
 * <p>Where the spec's RunJob is one step, Java has two: run_job (the job leaves its entity for
 * the ring) and the engine's completion (its work runs, its fence signals). A job's dependency on
 * a job of the same scheduler is met once that job is scheduled (drm_sched_entity_add_dependency_cb);
 * the spec waits for the finished fence. Both orders agree because the engine completes in order.
 */
package org.syncref.hw.sched;
