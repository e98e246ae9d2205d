package org.syncref.kernel;

/**
 * Deliberate bugs that a {@link Kernel} can be told to have, so that the conformance tests can
 * show that they catch a broken implementation (negative controls), in the spirit of the kernel's
 * CONFIG_FAULT_INJECTION. A kernel has none unless {@link Kernel#inject} is called.
 */
public enum InjectedBug {
  /** dma_fence_signal without the test_and_set of SIGNALED and without unlinking the callbacks. */
  CALLBACK_RUNS_TWICE,
  /** dma_fence_set_error after the signal is accepted without its WARN_ON. */
  SET_ERROR_AFTER_SIGNAL_SILENT,
  /** dma_fence_add_callback with list_add instead of list_add_tail. */
  CALLBACKS_LIFO,
  /**
   * dma_fence_is_signaled and dma_fence_get_status test the SIGNALED bit only and never call
   * ops->signaled, so a fence whose hardware has passed is reported pending until its driver
   * signals it. TLA+ mutant {@code "ignore_peek"} (PeekSignaled).
   */
  PEEK_IGNORED,
  /**
   * dma_fence_set_deadline tests the SIGNALED bit instead of calling dma_fence_is_signaled, so
   * it never runs the ops->signaled peek: a fence whose hardware has passed stays unsignaled.
   * TLA+ SetDeadline (PeekSignal).
   */
  DEADLINE_NO_PEEK,
  /**
   * __dma_fence_is_later compares 32-bit seqnos as plain unsigned numbers, without the
   * wrap-around ({@code (int)(f1 - f2) > 0}): after a u32 seqno counter wraps, the new fence
   * is taken for an earlier one. TLA+ SeqnoLater.
   */
  SEQNO_NO_WRAP,
  /**
   * dma_fence_release frees a fence released unsignaled with callbacks still queued without
   * its WARN and forced -EDEADLK signal: the callbacks never run. TLA+ mutant
   * {@code "release_no_signal"}, rule FENCE-RELEASE ({@code NoDanglingCallbacks}).
   */
  RELEASE_NO_SIGNAL,
  /**
   * dma_resv_add_fence never replaces an entry: it always appends (and so needs a reserved
   * slot even to re-add a fence or to replace a signaled one), as if the scan for a
   * replaceable entry were missing. TLA+ rule RESV-NO-BUG ({@code NoKernelBug}).
   */
  RESV_ADD_APPENDS,
  /**
   * The naive lock-free reader: when dma_resv_iter_next_unlocked (at its start, or in the
   * re-check after its walk, as dma_resv_iter_first_unlocked's re-check) finds that the
   * object's list pointer changed, the cursor switches to the current list and its count but
   * keeps its index, neither restarting at 0 nor setting is_restarted (a fence the walk already
   * holds is still handed out). A reallocation prunes signaled entries, so unsignaled ones move
   * below the index and are missed. TLA+ mutant {@code "no_restart"}, rule RESV-UNLOCKED-READ
   * ({@code UnlockedReaderGuarantee}).
   */
  RESV_READER_NO_RESTART,
  /**
   * The unlocked walk (dma_resv_iter_walk_unlocked, and so dma_resv_test_signaled,
   * get_fences, wait_timeout, copy_fences) skips entries of usage KERNEL: memory management
   * would touch a buffer while a kernel copy or clear still runs. TLA+ mutant
   * {@code "ignore_kernel"}, rule RESV-IMPLICIT-SYNC ({@code ImplicitSync}).
   */
  RESV_TEST_SIGNALED_IGNORES_KERNEL,
  /**
   * The unlocked walk treats a fence whose dma_fence_get_rcu failed (its refcount already
   * reached 0: a writer replaced its entry in place and put the last reference) as signaled
   * and walks on, instead of restarting: the fence that took the entry is never read.
   * dma_resv_iter_walk_unlocked restarts ({@code dma_resv_iter_restart_unlocked}). TLA+ mutant
   * {@code "get_rcu_skip"}, rule RESV-UNLOCKED-READ ({@code UnlockedReaderGuarantee}).
   */
  RESV_READER_SKIPS_DEAD_FENCE,
  /**
   * dma_resv_wait_timeout before commit 2b95a7db6e0f (2025, stable 6.1+): each fence is waited for
   * with the remaining ret, which starts at 1 for timeout 0, so a poll sleeps up to a jiffy
   * on every unsignaled fence instead of returning 0 at once.
   */
  RESV_WAIT_PASSES_RET,
  /**
   * Wait-Die without the die: a younger acquire context that holds locks waits for an older
   * one instead of backing off, both when it queues behind an older waiter
   * (__ww_mutex_add_waiter) and on every wake-up (__ww_mutex_check_kill). Two transactions
   * that lock A, B in opposite orders then deadlock for real. Rule: a younger transaction
   * that holds locks dies whenever it would wait on an older one (Wait-Die).
   */
  WW_WAIT_DIE_YOUNGER_WAITS,
  /**
   * ww_mutex_lock_acquired forgets {@code ww_ctx->acquired++} (for ww_mutex_lock, _slow and
   * trylock with a context): a context that holds locks looks as if it held none, so it never
   * dies and never wounds (the deadlock goes undetected), and the unlock WARNs
   * ({@code DEBUG_LOCKS_WARN_ON(!lock->ctx->acquired)}). Rule: acquired counts the ww_mutexes
   * held through the context.
   */
  WW_LOCK_FORGETS_ACQUIRED,
  /**
   * Wound-Wait acted on eagerly: a wounded context that holds locks gets -EDEADLK from its next
   * ww_mutex_lock even when that lock is free, instead of only when it next has to wait
   * (__ww_mutex_check_kill). Rule: the wound is lazy.
   */
  WW_WOUND_WAIT_EAGER_BACKOFF,
  /**
   * The retry after -EDEADLK does not unlock everything first: drm_exec_cleanup goes round
   * the loop again without drm_exec_unlock_all (the objects stay locked and tracked), and
   * i915_gem_ww_ctx_backoff slow-locks the contended object without
   * i915_gem_ww_ctx_unlock_all. TLA+ mutant {@code "no_unlock_all"}, rule
   * EXEC-RESTART-UNLOCKED.
   */
  DRM_EXEC_RETRY_KEEPS_LOCKS,
  /**
   * drm_exec_lock_contended forgets the contended object (drops its reference) instead of
   * slow-locking it first: the next pass locks its objects in its own order with
   * dma_resv_lock. TLA+ mutant {@code "no_slow_first"}.
   */
  DRM_EXEC_CONTENDED_NOT_SLOW_LOCKED,
  /**
   * drm_exec_lock_obj treats -EALREADY as 0 without DRM_EXEC_IGNORE_DUPLICATES: a caller that
   * asked for an object twice is not told. TLA+ model DrmExecWaitDie_duplicate_without_flag_bug.
   */
  DRM_EXEC_DUPLICATE_WITHOUT_FLAG,
  /**
   * drm_exec_prepare_obj reserves fence slots in the first pass only: after a backoff, whose
   * unlocks dropped the reservations (dma_resv_reset_max_fences), the objects have none.
   * TLA+ mutant {@code "reserve_once"}, rule EXEC-CONTRACT.
   */
  DRM_EXEC_RESERVE_FIRST_PASS_ONLY,
  /**
   * No lock stealing: ww_mutex_trylock, and ww_mutex_lock before it queues, refuse a free
   * mutex whose wait list is not empty (MUTEX_FLAG_WAITERS), as if it were handed to the first
   * waiter. mutex.c's __mutex_trylock_common takes any mutex whose owner word has no task;
   * only a handed-over mutex (PICKUP) or an armed HANDOFF keeps others out. Rule: a released
   * mutex is free for everyone (kernel/locking/mutex.c, 6.12).
   */
  WW_NO_LOCK_STEALING,
  /**
   * dma_resv_add_fence replaces a same-context entry whatever its usage: a later fence added
   * for READ overwrites a WRITE entry of its context (the usage check {@code old_usage >=
   * usage} is gone), so a WRITE query no longer waits for it. Rule RESV-NO-DOWNGRADE (TLA+
   * mutant {@code "downgrade"}).
   */
  RESV_ADD_IGNORES_USAGE,
  /**
   * dma_resv_add_fence replaces an entry by removing it and appending the new fence (the
   * entries after it move down) instead of overwriting it in place: the same fences, in
   * another order. Rule: the replaced entry keeps its index (an unlocked reader reads entries
   * in place; dma_resv_get_fences returns them in table order).
   */
  RESV_ADD_REPLACE_MOVES_TO_END
}
