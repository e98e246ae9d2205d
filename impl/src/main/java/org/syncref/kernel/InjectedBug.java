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
     * that holds locks dies whenever it would wait on an older one (digest 4.3, Wait-Die).
     */
    WW_WAIT_DIE_YOUNGER_WAITS,
    /**
     * ww_mutex_lock_acquired forgets {@code ww_ctx->acquired++} (for ww_mutex_lock, _slow and
     * trylock with a context): a context that holds locks looks as if it held none, so it never
     * dies and never wounds (the deadlock goes undetected), and the unlock WARNs
     * ({@code DEBUG_LOCKS_WARN_ON(!lock->ctx->acquired)}). Rule: acquired counts the ww_mutexes
     * held through the context (digest 4.1, 4.3).
     */
    WW_LOCK_FORGETS_ACQUIRED,
    /**
     * Wound-Wait acted on eagerly: a wounded context that holds locks gets -EDEADLK from its next
     * ww_mutex_lock even when that lock is free, instead of only when it next has to wait
     * (__ww_mutex_check_kill). Rule: the wound is lazy (digest 4.3, 7.19).
     */
    WW_WOUND_WAIT_EAGER_BACKOFF
}
