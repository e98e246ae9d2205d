package org.syncref.hw.userptr;

import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.SubmitMode;
import org.syncref.kernel.Kernel;

/**
 * One exec ioctl on a userptr, one kernel call a {@link #step} (TLA+ {@code uop}: {@code
 * UReadBegin} ... {@code UUnlock} of spec/GpuMem/GpuMemUserptr.tla), as drm-vm-bind-locking.rst
 * ("userptr gpu_vmas") writes it:
 * <pre>
 *   retry:
 *   seq = mmu_interval_read_begin(&amp;gpu_vma-&gt;userptr_interval);
 *   if (seq != gpu_vma-&gt;saved_seq) {
 *           obtain_new_page_pointers(&amp;gpu_vma);
 *           ...
 *           gpu_vma-&gt;saved_seq = seq;
 *   }
 *   // The usual revalidation goes here.
 *   add_dependencies(&amp;gpu_job, &amp;gpu_vm-&gt;resv);
 *   down_read(&amp;gpu_vm-&gt;userptr_notifier_lock);
 *   if (mmu_interval_read_retry(&amp;gpu_vma-&gt;userptr_interval, gpu_vma-&gt;saved_seq)) {
 *          up_read(&amp;gpu_vm-&gt;userptr_notifier_lock);
 *          goto retry;
 *   }
 *   job_dma_fence = gpu_submit(&amp;gpu_job));
 *   add_dma_fence(job_dma_fence, &amp;gpu_vm-&gt;resv);
 *   ...
 *   dma_resv_unlock_all_resv_locks();
 *   up_read(&amp;gpu_vm-&gt;userptr_notifier_lock);
 * </pre>
 * and xe_exec.c xe_exec_ioctl (6.12.118) does for a VM not in LR mode: xe_vm_userptr_pin →
 * xe_hmm.c xe_hmm_userptr_populate_range (read_begin, hmm_range_fault, {@code
 * userptr->notifier_seq = hmm_range.notifier_seq}), drm_gpuvm_exec_lock (lock, reserve one
 * slot), {@code xe_sched_job_add_deps(job, obj->resv, DMA_RESV_USAGE_KERNEL)}, {@code
 * down_read_interruptible(&vm->userptr.notifier_lock)}, {@code __xe_vm_userptr_needs_repin(vm)}
 * (-EAGAIN: err_repin), xe_sched_job_arm, {@code drm_gpuvm_resv_add_fence(...,
 * DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP)}, xe_sched_job_push, up_read, drm_exec_fini,
 * {@code if (err == -EAGAIN && !skip_retry) goto retry}. amdgpu_cs.c amdgpu_cs_submit takes
 * {@code mutex_lock(&p->adev->notifier_lock)} and checks {@code
 * amdgpu_ttm_tt_get_user_pages_done} (amdgpu_hmm_range_get_pages_done: mmu_interval_read_retry)
 * before it adds its fence as WRITE. Mode {@link SubmitMode#EXPLICIT}: xe's job (KERNEL
 * dependencies, BOOKKEEP fence); {@link SubmitMode#WRITE}: amdgpu's gang leader, as the spec's
 * "write" (dma_resv_usage_rw(true) dependencies, WRITE fence). Like the spec (and xe), the job
 * is armed after the check; amdgpu arms before it.
 *
 * <p>Mutants: {@link HwBug#CHECK_UNLOCKED} (mmu_interval_check_retry without the lock, and the
 * fence published without it), {@link HwBug#NO_RECHECK} (the lock without the retry check).
 */
public final class UserptrExec {
  /** The next kernel call (TLA+ {@code uop.s}). */
  public enum Step {
    READ_BEGIN("UReadBegin"), GET_PAGES("UGetPages"), LOCK("ULock"), RESERVE("UReserve"), CHECK("UCheck"),
    ARM("UArm"), ADD("UAdd"), UP_READ("UUpRead"), UNLOCK("UUnlock"), DONE("done");

    /** The TLA+ action. */
    public final String action;

    Step(String action) {
      this.action = action;
    }
  }

  private final UserptrSystem sys;
  private final Kernel kernel;
  private final UserptrBo bo;
  private final DrmSchedEntity entity;
  private final SubmitMode mode;
  private final DrmSchedJob job;
  private Step step = Step.READ_BEGIN;
  private long seq;
  private boolean retry;
  private boolean readHeld;
  private int retries;

  UserptrExec(UserptrSystem sys, String name, SubmitMode mode) {
    this.sys = sys;
    this.kernel = sys.k;
    this.bo = sys.bo;
    this.entity = sys.entity;
    this.mode = mode;
    this.job = DrmSchedJob.init(entity, name); // the job of TLA+ uop.f
  }

  /** The next kernel call. */
  public Step next() {
    return step;
  }

  /** The job. */
  public DrmSchedJob job() {
    return job;
  }

  /** How many times the exec got -EAGAIN and went back to read_begin. */
  public int retries() {
    return retries;
  }

  /** The sequence mmu_interval_read_begin returned last (TLA+ {@code uop.seq}). */
  public long seq() {
    return seq;
  }

  /** Whether the last check said -EAGAIN and the retry has not begun (TLA+ {@code uop.retry}). */
  public boolean retrying() {
    return retry;
  }

  /** Whether the exec is done. */
  public boolean done() {
    return step == Step.DONE;
  }

  /** The name of the next step for a walk's log: the TLA+ action and the subject. */
  public String nextName() {
    if (step == Step.GET_PAGES && seq == bo.savedSeq) {
      return "UKeepPages(" + job.name() + ")";
    }
    return step.action + "(" + job.name() + ")";
  }

  /**
   * Whether the next kernel call would not sleep: read_begin while this interval's invalidation
   * runs, down_read while the invalidation holds the lock for write.
   */
  public boolean canStep() {
    return switch (step) {
      case READ_BEGIN -> !bo.notifier().readBeginWouldWait();
      case CHECK -> HwBug.CHECK_UNLOCKED.in(kernel) || sys.notifierLock.canDownRead();
      case DONE -> false;
      default -> true;
    };
  }

  /** Makes the next kernel call. */
  public void step() {
    if (!canStep()) {
      throw new IllegalStateException(nextName() + " would sleep (or the exec is done)");
    }
    switch (step) {
      case READ_BEGIN -> {
        seq = bo.notifier().readBegin(); // mmu_interval_read_begin
        retry = false;
        step = Step.GET_PAGES;
      }
      case GET_PAGES -> {
        if (seq != bo.savedSeq) { // obtain_new_page_pointers: hmm_range_fault
          bo.boundTenure = bo.pagesTenure;
          bo.savedSeq = seq;
        }
        step = Step.LOCK;
      }
      case LOCK -> {
        if (!bo.resv().trylock()) { // drm_exec: nobody else locks it here
          throw new IllegalStateException(bo + "'s resv is locked");
        }
        step = Step.RESERVE;
      }
      case RESERVE -> {
        bo.resv().reserveFences(1);
        step = Step.CHECK;
      }
      case CHECK -> check();
      case ARM -> {
        job.addResvDependencies(bo.resv(), mode.query()); // add_dependencies
        long tenure = bo.boundTenure;
        job.arm(); // gpu_submit / xe_sched_job_arm
        sys.armed(job, tenure);
        step = Step.ADD;
      }
      case ADD -> {
        bo.resv().addFence(job.finished(), mode.usage()); // add_dma_fence
        entity.pushJob(job);
        step = Step.UP_READ;
      }
      case UP_READ -> {
        if (readHeld) {
          sys.notifierLock.upRead();
          readHeld = false;
        }
        step = Step.UNLOCK;
      }
      case UNLOCK -> {
        bo.resv().unlock(); // drm_exec_fini
        if (retry) { // err == -EAGAIN: goto retry
          step = Step.READ_BEGIN;
        } else {
          step = Step.DONE;
        }
      }
      default -> throw new IllegalStateException("done");
    }
  }

  /**
   * {@code down_read(&notifier_lock)}, {@code mmu_interval_read_retry(interval, saved_seq)}:
   * true is -EAGAIN (up_read, unlock, retry). TLA+ {@code UCheck} ({@code TakesNotifierLock},
   * {@code Collided}).
   */
  private void check() {
    boolean collided;
    if (HwBug.CHECK_UNLOCKED.in(kernel)) {
      collided = bo.notifier().checkRetry(bo.savedSeq); // mutant: no lock
    } else {
      sys.notifierLock.downRead();
      readHeld = true;
      collided = !HwBug.NO_RECHECK.in(kernel) && bo.notifier().readRetry(bo.savedSeq);
    }
    if (collided) {
      retry = true;
      retries++;
      step = Step.UP_READ;
    } else {
      step = Step.ARM;
    }
  }

  @Override
  public String toString() {
    return "exec[" + job.name() + " at " + step + "]";
  }
}
