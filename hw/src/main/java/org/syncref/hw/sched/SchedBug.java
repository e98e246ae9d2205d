package org.syncref.hw.sched;

import java.util.EnumSet;
import java.util.Set;

import org.syncref.kernel.Kernel;

/**
 * Deliberate bugs of the scheduler's fault paths (negative controls of the fault-injection
 * workloads), asked on the path each changes. The same mechanism as org.syncref.hw.ttm.HwBug, of
 * which each constant here is the scheduler-side half ({@code HwBug.inject} injects both; this
 * package cannot see HwBug, which depends on it).
 */
public enum SchedBug {
  /**
   * drm_sched_entity_kill pops the queued jobs and forgets them: their scheduled and finished
   * fences never signal (against sched_entity.c drm_sched_entity_kill_jobs_work, which signals
   * every killed job's finished fence with -ESRCH).
   */
  KILL_DROPS_JOBS,
  /**
   * drm_sched_entity_kill signals the killed jobs' finished fences at once, without waiting for
   * their dependencies (against drm_sched_entity_kill_jobs_work: "Wait for all dependencies to
   * avoid data corruptions"); the spec's mutant {@code cancel_skips_deps} for a kill.
   */
  KILL_SKIPS_DEPS,
  /**
   * The driver's timedout_job forgets the hung job's error: its finished fence signals without one
   * (against amdgpu_job_timedout and xe's guc_exec_queue_timedout_job, which set -ETIME).
   */
  RESET_FORGETS_ERROR;

  /** The per-kernel set of injected scheduler bugs. */
  static final class Injected {
    final Set<SchedBug> bugs = EnumSet.noneOf(SchedBug.class);
  }

  /** Gives {@code kernel}'s scheduler the bugs. */
  public static void inject(Kernel kernel, SchedBug... bugs) {
    Injected s = kernel.subsystem(Injected.class, k -> new Injected());
    synchronized (s) {
      s.bugs.addAll(java.util.List.of(bugs));
    }
  }

  /** Whether this bug was injected into {@code kernel}. */
  public boolean in(Kernel kernel) {
    Injected s = kernel.subsystem(Injected.class, k -> new Injected());
    synchronized (s) {
      return s.bugs.contains(this);
    }
  }
}
