/**
 * One simulated Linux kernel: context allocation, the WARN log, errno values and the exceptions
 * that stand for BUG() and oopses.
 *
 * <p>Package-wide conventions (they hold for {@code org.syncref.sched} and
 * {@code org.syncref.fence} as well):
 * <ul>
 *   <li>No global static state: everything a kernel would keep in globals (the fence context
 *       counter, the stub fence, the WARN log, the scheduler) lives in one {@link
 *       org.syncref.kernel.Kernel} instance, so tests are isolated from each other.</li>
 *   <li>Names follow the kernel: {@code dma_fence_context_alloc} is {@code
 *       Kernel.dmaFenceContextAlloc}, {@code dma_fence_signal} is {@code DmaFence.signal}.
 *       Return types follow the C prototypes: {@code int}, {@code long} (C {@code signed long}),
 *       {@code boolean}, {@code void}. Errors are negative errno values ({@link
 *       org.syncref.kernel.Errno}), never exceptions.</li>
 *   <li>A kernel {@code WARN}/{@code WARN_ON} is recorded as a {@link
 *       org.syncref.kernel.Warning} and the call carries on exactly as the kernel does; it never
 *       throws. A kernel {@code BUG()}, an oops or a use-after-free is a {@link
 *       org.syncref.kernel.KernelBug} (unchecked).</li>
 *   <li>Where a method implements an action of a TLA+ spec under {@code spec/}, its javadoc names
 *       the action and the kernel function it follows.</li>
 * </ul>
 */
package org.syncref.kernel;
