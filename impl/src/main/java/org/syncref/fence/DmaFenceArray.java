package org.syncref.fence;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.syncref.kernel.Kernel;

/**
 * A struct dma_fence_array: a container fence that signals once every member fence has signaled,
 * with the first member error as its error (drivers/dma-buf/dma-fence-array.c).
 *
 * <p>Algorithm notes. References: (1) drivers/dma-buf/dma-fence-array.c; (2)
 * Christian König, "dma-buf/dma_fence_array: remove unused functionality v3" (M-SOA, April 2026):
 * signal_on_any is gone, so {@link #create} takes four arguments and the array always waits for
 * all members.
 * <ul>
 *   <li>The array owns one reference of each member (taken over from the caller) and puts them in
 *       its ops->release.</li>
 *   <li>ops->enable_signaling takes one array reference per member and adds a callback to each
 *       member; a member that has already signaled is counted at once (and its reference put). If
 *       every member has signaled, enable_signaling returns false and the core signals the array.
 *       Otherwise the callback of the last member queues the array's irq_work
 *       ({@link Kernel#irqWorkQueue}), which clears PENDING_ERROR, signals the array and drops the
 *       last callback reference; the other callbacks drop theirs.</li>
 *   <li>The error starts as PENDING_ERROR (1); the first non-zero member error replaces it
 *       (cmpxchg); at signal time a remaining PENDING_ERROR becomes 0.</li>
 *   <li>Not modelled: the array's ops->signaled (dma_fence_array_signaled), so an array
 *       signals only through enable_signaling and the member callbacks: {@link
 *       DmaFence#isSignaled()} on an array whose signaling was never enabled stays false even
 *       when all members have signaled. Enable signaling (or wait, or add a callback) first.
 *       dma_fence_array_first/next, dma_fence_match_context and dma_fence_chain are not
 *       implemented.</li>
 * </ul>
 */
public final class DmaFenceArray {
  /** The internal "no error seen yet" value of the array's error (PENDING_ERROR). */
  static final int PENDING_ERROR = 1;

  private final Kernel kernel;
  private final DmaFence base;
  private final DmaFence[] fences;
  private final ArrayCb[] cbs;
  private final AtomicInteger numPending;
  /** The array's error word (base.error), kept atomic for the cmpxchg of the kernel. */
  private final AtomicInteger error = new AtomicInteger(PENDING_ERROR);

  /** struct dma_fence_array_cb: the callback node an array queues on one member. */
  private static final class ArrayCb extends DmaFenceCb {
    final DmaFenceArray array;

    ArrayCb(DmaFenceArray array) {
      this.array = array;
    }
  }

  /** dma_fence_array_ops, one table per kernel (built-in code, never unloaded). */
  private static final class ArrayOps {
    final DmaFenceOps ops;

    ArrayOps(Kernel k) {
      this.ops = DmaFenceOps.builder(FenceModule.builtin("dma-fence-array"),
              "dma_fence_array", "unbound")
          .enableSignaling(f -> f.array.enableSignaling())
          .release(f -> f.array.release())
          .build();
    }
  }

  private DmaFenceArray(Kernel kernel, DmaFence[] fences, long context, long seqno) {
    this.kernel = kernel;
    this.fences = fences;
    this.cbs = new ArrayCb[fences.length];
    for (int i = 0; i < fences.length; i++) {
      cbs[i] = new ArrayCb(this);
    }
    this.numPending = new AtomicInteger(fences.length);
    DmaFenceOps ops = kernel.subsystem(ArrayOps.class, ArrayOps::new).ops;
    this.base = DmaFence.init(kernel, ops, context, seqno);
    base.array = this;
    base.setErrorRaw(PENDING_ERROR); // array->base.error = PENDING_ERROR
  }

  /**
   * Creates an array fence over {@code fences}, taking over the caller's reference of each.
   * WARNs if there is no member and for each member that is itself a container (nesting is
   * forbidden; callers must flatten), and goes on as the kernel does.
   *
   * <p>Kernel dma_fence_array_create(num_fences, fences, context, seqno) (dma_fence_array_alloc
   * + dma_fence_array_init, 2026 form without signal_on_any); not a TLA+ action (the array
   * returned by TLA+ GetSingleton).
   *
   * @return the new array; its {@link #base()} has refcount 1, owned by the caller
   */
  public static DmaFenceArray create(Kernel kernel, List<DmaFence> fences, long context, long seqno) {
    return kernel.call("dma_fence_array_create", null,
        new Object[] {fences == null ? 0 : fences.size(), context, seqno}, () -> {
          DmaFence[] fs = fences == null ? new DmaFence[0] : fences.toArray(new DmaFence[0]);
          // WARN_ON(!num_fences || !fences)
          kernel.warnOn(fs.length == 0, "dma_fence_array_init", "WARN_ON(!num_fences || !fences)", null);
          for (int i = fs.length - 1; i >= 0; i--) {
            // WARN_ON(dma_fence_is_container(fences[num_fences]))
            kernel.warnOn(fs[i].isContainer(), "dma_fence_array_init",
                "WARN_ON(dma_fence_is_container(fences[num_fences]))", fs[i]);
          }
          return new DmaFenceArray(kernel, fs, context, seqno);
        });
  }

  /**
   * The array behind {@code fence}, or null if it is not an array.
   *
   * <p>Kernel to_dma_fence_array() (NULL unless dma_fence_is_array()).
   */
  public static DmaFenceArray toDmaFenceArray(DmaFence fence) {
    return fence == null ? null : fence.array;
  }

  /** The array's own fence (&amp;array-&gt;base): wait on it, add callbacks, put it. */
  public DmaFence base() {
    return base;
  }

  /** array-&gt;num_fences. */
  public int numFences() {
    return fences.length;
  }

  /** The member fences in order (array-&gt;fences), an unmodifiable view. */
  public List<DmaFence> fences() {
    return List.of(fences);
  }

  /** Read-only observability: array-&gt;num_pending. */
  public int numPending() {
    return numPending.get();
  }

  /** dma_fence_array_set_pending_error: the first non-zero member error wins. */
  private void setPendingError(int err) {
    if (err != 0) {
      error.compareAndSet(PENDING_ERROR, err);
      base.setErrorRaw(error.get());
    }
  }

  /** dma_fence_array_clear_pending_error: PENDING_ERROR becomes 0. */
  private void clearPendingError() {
    error.compareAndSet(PENDING_ERROR, 0);
    base.setErrorRaw(error.get());
  }

  /** dma_fence_array_cb_func, with the member's lock held. */
  private static final DmaFenceFunc CB_FUNC = (f, cb) -> {
    DmaFenceArray array = ((ArrayCb) cb).array;
    array.setPendingError(f.error());
    if (array.numPending.decrementAndGet() == 0) {
      array.kernel.irqWorkQueue(array::irqWork);
    } else {
      array.base.put();
    }
  };

  /** irq_dma_fence_array_work. */
  private void irqWork() {
    clearPendingError();
    base.signal();
    base.put();
  }

  /** dma_fence_array_enable_signaling, with the array's lock held by the core. */
  private boolean enableSignaling() {
    for (int i = 0; i < fences.length; i++) {
      // As we may report that the fence is signaled before all callbacks are complete, we
      // need an additional reference count on the array so that we do not free it too early.
      base.get();
      if (fences[i].addCallback(cbs[i], CB_FUNC) != 0) {
        setPendingError(fences[i].error());
        base.put();
        if (numPending.decrementAndGet() == 0) {
          clearPendingError();
          return false;
        }
      }
    }
    return true;
  }

  /** dma_fence_array_release: put every member (dma_fence_free follows in the core). */
  private void release() {
    for (DmaFence f : fences) {
      f.put();
    }
  }

  @Override
  public String toString() {
    return "dma_fence_array" + base + "(" + fences.length + " fences)";
  }
}
