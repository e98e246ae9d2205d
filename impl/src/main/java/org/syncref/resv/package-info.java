/**
 * struct dma_resv, its usage enum and its iterator, as in mainline drivers/dma-buf/dma-resv.c
 * and include/linux/dma-resv.h; the Java counterpart of the TLA+ module
 * {@code spec/DmaResv/DmaResv.tla}.
 *
 * <p>Conventions (besides those of {@code org.syncref.kernel}):
 * <ul>
 *   <li>One vocabulary: kernel function {@code dma_resv_add_fence} is TLA+ action
 *       {@code AddFence} is {@link org.syncref.resv.DmaResv#addFence}; each public kernel method
 *       names both in its javadoc and reports itself to the kernel's call listener as one
 *       outermost call (the fence gets and puts it makes inside are not reported).</li>
 *   <li>Writers hold the object's lock; a writer function called without it WARNs
 *       (dma_resv_assert_held, lockdep) and goes on. Readers need no lock: the fence list is
 *       published through a volatile field (the RCU pointer) and list objects are never
 *       recycled, so a reader's identity check of the list pointer is exact (no ABA).</li>
 *   <li>Every build is CONFIG_DEBUG_MUTEXES + lockdep: {@code unlock} forfeits unused reserved
 *       slots (dma_resv_reset_max_fences).</li>
 *   <li>References: every table entry owns one fence reference; the unlocked iterator holds one
 *       on the fence it hands out; {@code getFences}/{@code getSingleton} return references
 *       owned by the caller.</li>
 *   <li>Read-only debugging views ({@code entries()}, {@code numFences()}, {@code maxFences()},
 *       {@code generation()}, {@code holder()}, the iterator's {@code index()} ...) are not
 *       kernel functions; the {@link org.syncref.resv.DmaResv.ReadHook} is a test seam for
 *       deterministic interleavings of unlocked readers with writers.</li>
 * </ul>
 */
package org.syncref.resv;
