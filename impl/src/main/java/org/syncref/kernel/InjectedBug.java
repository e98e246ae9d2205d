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
    CALLBACKS_LIFO
}
