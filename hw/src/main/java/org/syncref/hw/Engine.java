package org.syncref.hw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceOps;
import org.syncref.fence.FenceModule;
import org.syncref.kernel.Kernel;

/**
 * A GPU engine: a ring of bounded capacity whose jobs complete one at a time, each completion
 * signaling that job's fence on the engine's own fence context.
 *
 * <p>Algorithm notes. References:
 * <ol>
 *   <li>amdgpu: drivers/gpu/drm/amd/amdgpu/amdgpu_fence.c. amdgpu_fence_emit() numbers fences
 *       with ++ring->fence_drv.sync_seq on the ring's context (allocated once per ring) and
 *       amdgpu_fence_process() signals every fence up to the seqno the hardware wrote back, so
 *       fences signal in submission order. On GPU reset amdgpu_fence_driver_force_completion()
 *       sets -ECANCELED on the pending fences (amdgpu_fence_driver_set_error) and then signals
 *       them all.</li>
 *   <li>i915: drivers/gpu/drm/i915/i915_request.c / gt/intel_reset.c. Requests on one timeline
 *       complete in order; when the GPU is wedged, pending requests get -EIO
 *       (i915_request_set_error_once) and are signaled.</li>
 *   <li>include/linux/dma-fence.h: fences of one context must signal in seqno order
 *       ([FENCE-ORDER], TLA+ SameContextOrdering).</li>
 * </ol>
 * Reference ownership: the ring holds the reference from dma_fence_init until the job completes;
 * {@link #submit} returns an extra reference for the caller, who must put it. A full ring makes
 * {@code submit} return null (drivers would wait for ring space; returning lets a test observe
 * back-pressure without blocking). Completions are serialised (one "interrupt handler" at a
 * time) and fences are signaled without the ring lock held, so a fence callback may submit.
 */
public class Engine implements AutoCloseable {
  private final Kernel kernel;
  private final DmaFenceOps ops;
  private final String name;
  private final int capacity;
  private final long context;

  /** Guards ring and nextSeqno. */
  private final ReentrantLock ringLock = new ReentrantLock();
  private final Condition ringChanged = ringLock.newCondition();
  /** Serialises completions, as the fence interrupt handler is. */
  private final ReentrantLock irqLock = new ReentrantLock();
  private final List<Job> ring = new ArrayList<>();
  private long nextSeqno = 1;
  private Thread background;
  private volatile boolean stopping;
  /** The job the engine hung on ({@link #hang}), until {@link #hangAndReset}; else null. */
  private Job hung;

  /**
   * An engine of {@code driver} whose fences use names-only ops (they detach at signal and may
   * outlive the driver, as amdgpu does with the 2025 module-lifetime series).
   */
  public Engine(Kernel kernel, FenceModule driver, String name, int capacity) {
    this(kernel, DmaFenceOps.names(driver, driver.name(), name), name, capacity);
  }

  /** An engine whose fences use {@code ops} (the issuing driver is {@code ops.module()}). */
  public Engine(Kernel kernel, DmaFenceOps ops, String name, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.kernel = kernel;
    this.ops = ops;
    this.name = name;
    this.capacity = capacity;
    this.context = kernel.dmaFenceContextAlloc(1);
  }

  /**
   * Starts the engine's u32 seqno counter at {@code first} instead of 1 (before the first
   * submit), so that it wraps after 0xffffffff as a driver's u32 counter does.
   */
  public void startSeqnoAt(long first) {
    ringLock.lock();
    try {
      nextSeqno = first & 0xffffffffL;
    } finally {
      ringLock.unlock();
    }
  }

  /** The engine's fence context. */
  public long context() {
    return context;
  }

  /** The engine's name (its fences' timeline name). */
  public String name() {
    return name;
  }

  /** The driver that issues the engine's fences. */
  public FenceModule driver() {
    return ops.module();
  }

  /** The ring's capacity in jobs. */
  public int capacity() {
    return capacity;
  }

  /**
   * Queues {@code job} with a new fence (seqno 1, 2, ... on this engine's context).
   *
   * @return a new reference to the job's fence (the caller must put it), or null if the ring is
   *     full (the -EBUSY case)
   */
  public DmaFence submit(Job job) {
    ringLock.lock();
    try {
      if (job.fence() != null) {
        throw new IllegalStateException(job + " was already submitted");
      }
      if (ring.size() >= capacity) {
        return null;
      }
      DmaFence f = DmaFence.init(kernel, ops, context, nextSeqno);
      nextSeqno = (nextSeqno + 1) & 0xffffffffL; // a u32 counter, as ring->fence_drv.sync_seq
      job.attach(f);
      ring.add(job);
      ringChanged.signalAll();
      return f.get();
    } finally {
      ringLock.unlock();
    }
  }

  /**
   * Which pending job completes next: an index into {@code ring} (oldest first). A correct
   * engine returns 0; override it to model hardware that completes out of order.
   *
   * @param ring an unmodifiable snapshot of the pending jobs, oldest first, never empty
   */
  protected int nextToComplete(List<Job> ring) {
    return 0;
  }

  /**
   * Completes one pending job: runs it, signals its fence and drops the ring's reference.
   *
   * @return false if the ring was empty
   */
  public boolean executeNext() {
    irqLock.lock();
    try {
      Job job;
      ringLock.lock();
      try {
        if (ring.isEmpty() || hung != null) {
          return false; // a hung engine completes nothing until it is reset
        }
        int i = nextToComplete(Collections.unmodifiableList(new ArrayList<>(ring)));
        if (i < 0 || i >= ring.size()) {
          throw new IllegalStateException("nextToComplete returned " + i + " for " + ring.size() + " jobs");
        }
        job = ring.remove(i);
        ringChanged.signalAll();
      } finally {
        ringLock.unlock();
      }
      job.run();
      DmaFence f = job.fence();
      f.signal();
      f.put();
      return true;
    } finally {
      irqLock.unlock();
    }
  }

  /**
   * Completes pending jobs until the ring is empty.
   *
   * @return how many jobs completed
   */
  public int runAll() {
    int n = 0;
    while (executeNext()) {
      n++;
    }
    return n;
  }

  /**
   * GPU hang recovery: every pending fence gets {@code error} (e.g. -ECANCELED as amdgpu, -EIO
   * as i915, -ETIME for a timed-out job) and is then signaled, in submission order; the jobs
   * do not run and the ring is empty afterwards.
   *
   * @return how many fences were force-completed
   */
  public int hangAndReset(int error) {
    irqLock.lock();
    try {
      List<Job> pending;
      ringLock.lock();
      try {
        pending = new ArrayList<>(ring);
        ring.clear();
        hung = null;
        ringChanged.signalAll();
      } finally {
        ringLock.unlock();
      }
      for (Job j : pending) {
        j.fence().setError(error); // amdgpu_fence_driver_set_error
      }
      for (Job j : pending) {
        j.fence().signal(); // amdgpu_fence_process after the forced seqno write
        j.fence().put();
      }
      return pending.size();
    } finally {
      irqLock.unlock();
    }
  }

  /**
   * The oldest pending job starts and hangs: its work runs (it touches its memory) and its fence
   * never signals by itself; the engine completes nothing more until {@link #hangAndReset}.
   * TLA+ {@code HangJob(f)} (GpuResetNext). Only the oldest job can hang: the engine runs its
   * ring in order (amdgpu_fence_process signals up to the seqno the hardware wrote back).
   *
   * @return the hung job, or null when the ring is empty or already hung
   */
  public Job hang() {
    irqLock.lock();
    try {
      Job job;
      ringLock.lock();
      try {
        if (ring.isEmpty() || hung != null) {
          return null;
        }
        job = ring.get(0);
        hung = job;
      } finally {
        ringLock.unlock();
      }
      job.run();
      return job;
    } finally {
      irqLock.unlock();
    }
  }

  /** The job the engine hung on, or null. */
  public Job hungJob() {
    ringLock.lock();
    try {
      return hung;
    } finally {
      ringLock.unlock();
    }
  }

  /** A snapshot of the pending jobs, oldest first. */
  public List<Job> pending() {
    ringLock.lock();
    try {
      return List.copyOf(ring);
    } finally {
      ringLock.unlock();
    }
  }

  /**
   * Starts a background thread that executes jobs as they arrive, each taking about
   * {@code jobMicros} microseconds.
   */
  public void startBackground(long jobMicros) {
    ringLock.lock();
    try {
      if (background != null) {
        throw new IllegalStateException("already running");
      }
      stopping = false;
      background = new Thread(() -> backgroundLoop(jobMicros), name + "-hw");
      background.setDaemon(true);
      background.start();
    } finally {
      ringLock.unlock();
    }
  }

  private void backgroundLoop(long jobMicros) {
    while (!stopping) {
      ringLock.lock();
      try {
        while ((ring.isEmpty() || hung != null) && !stopping) {
          ringChanged.await(); // a hung engine waits for its reset
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        ringLock.unlock();
      }
      if (stopping) {
        return;
      }
      if (jobMicros > 0) {
        try {
          TimeUnit.MICROSECONDS.sleep(jobMicros);
        } catch (InterruptedException e) {
          return;
        }
      }
      executeNext();
    }
  }

  /** Stops the background thread, if any (pending jobs stay pending). */
  @Override
  public void close() throws InterruptedException {
    Thread t;
    ringLock.lock();
    try {
      stopping = true;
      ringChanged.signalAll();
      t = background;
      background = null;
    } finally {
      ringLock.unlock();
    }
    if (t != null) {
      t.interrupt();
      t.join();
    }
  }

  @Override
  public String toString() {
    return "engine[" + name + " ctx " + context + "]";
  }
}
