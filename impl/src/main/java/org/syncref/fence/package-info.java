/**
 * struct dma_fence and its ops, as in mainline drivers/dma-buf/dma-fence.c and
 * include/linux/dma-fence.h (2026 tip: RCU-protected ops that detach at signal, inline lock,
 * void dma_fence_signal, dma_fence_check_and_signal); the Java counterpart of the TLA+ module
 * {@code spec/DmaFence/DmaFence.tla}.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Every fence has its own inline lock (M-INL); every kernel call on a fence is one critical
 *       section of it, as every TLA+ action is one step. Callbacks run with the lock held, as in
 *       the kernel, so a callback must not call a locking function on the same fence: that is a
 *       spinlock recursion and throws {@link org.syncref.kernel.KernelBug} instead of
 *       deadlocking.</li>
 *   <li>Reference counting is explicit ({@code get}/{@code put}); after the last {@code put} the
 *       fence is freed and every kernel call on it throws {@link
 *       org.syncref.kernel.UseAfterFreeBug}. Read-only observability accessors (documented as
 *       such, not kernel functions) never throw, so a conformance checker can compare a freed
 *       fence with the spec's state.</li>
 *   <li>Optional ops are nullable fields of {@link org.syncref.fence.DmaFenceOps}, as the C
 *       function pointers are: null means "not implemented". Every read of a fence's ops table
 *       while the ops are attached checks that the issuing {@link
 *       org.syncref.fence.FenceModule} is loaded and otherwise throws {@link
 *       org.syncref.kernel.ModuleUnloadedOops} ([FENCE-OPS-RCU]).</li>
 *   <li>Not modelled, as in the spec: set_deadline, timestamps,
 *       external locks, dma_fence_wait_any_timeout.</li>
 *   <li>Containers: {@link org.syncref.fence.DmaFenceArray} (drivers/dma-buf/dma-fence-array.c)
 *       is the only container type ({@link org.syncref.fence.DmaFence#isContainer()});
 *       dma_fence_chain and dma_fence_unwrap are not implemented. The array signals from an
 *       irq_work ({@link org.syncref.kernel.Kernel#irqWorkQueue}) after its last member's
 *       callback.</li>
 * </ul>
 */
package org.syncref.fence;
