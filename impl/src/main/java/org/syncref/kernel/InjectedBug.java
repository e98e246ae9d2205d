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
    RESV_TEST_SIGNALED_IGNORES_KERNEL
}
