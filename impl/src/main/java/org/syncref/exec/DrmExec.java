package org.syncref.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.syncref.kernel.Errno;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;

/**
 * A struct drm_exec: locks a set of GEM objects in one ww acquire context of
 * reservation_ww_class, backing off and retrying on contention until all of them are locked.
 *
 * <p>Algorithm notes. Follows mainline drivers/gpu/drm/drm_exec.c and include/drm/drm_exec.h
 * (torvalds/linux 1fc5a74b108fc90951890ec513ac81869f5eaff1); TLA+ spec/DrmExec/DrmExec.tla
 * (client "drm_exec"), checked both ways by the conformance tests (execution drm-exec-conformance):
 * <ul>
 *   <li>{@code contended} starts as DRM_EXEC_DUMMY ("ticket not initialised"); the loop
 *       condition {@link #cleanup()} turns it into NULL plus ww_acquire_init on the first pass,
 *       unlocks everything (in reverse) on a pass after contention, and ends the loop with
 *       ww_acquire_done when the last pass saw no contention.</li>
 *   <li>{@link #lockObj} first slow-locks a pending contended object (its reference moves to
 *       the objects array and to {@code prelocked}), then locks the object asked for; asking for
 *       the prelocked object returns 0 and clears {@code prelocked}.</li>
 *   <li>-EDEADLK records the object as contended (with a reference) for the next pass;
 *       -EALREADY is 0 with {@link #IGNORE_DUPLICATES}.</li>
 * </ul>
 * The objects array starts with {@code nr} slots (PAGE_SIZE / sizeof(void *) = 512 for 0) and
 * grows by 512; allocation never fails here, so -ENOMEM comes only from
 * dma_resv_reserve_fences.
 *
 * <p>The loop. C:
 * <pre>
 * drm_exec_until_all_locked(&amp;exec) {
 *     ret = drm_exec_prepare_obj(&amp;exec, obj, 1);
 *     drm_exec_retry_on_contention(&amp;exec);
 *     if (ret) goto error;
 * }
 * </pre>
 * Java, either {@code exec.untilAllLocked(e -> { int ret = e.prepareObj(obj, 1);
 * e.retryOnContention(); ...; return true; })} (retryOnContention jumps to the loop head by
 * throwing; returning false is C's {@code break}), or a plain loop
 * {@code while (exec.cleanup()) { int ret = exec.prepareObj(obj, 1); if (exec.retryOnContention())
 * continue; ... }}.
 */
public final class DrmExec {
  /** DRM_EXEC_INTERRUPTIBLE_WAIT: lock with the _interruptible variants. */
  public static final int INTERRUPTIBLE_WAIT = 1 << 0;
  /** DRM_EXEC_IGNORE_DUPLICATES: locking an object twice returns 0 instead of -EALREADY. */
  public static final int IGNORE_DUPLICATES = 1 << 1;

  /** PAGE_SIZE / sizeof(void *). */
  private static final int PTRS_PER_PAGE = 4096 / 8;

  /**
   * The body of {@link #untilAllLocked}.
   */
  @FunctionalInterface
  public interface Body {
    /**
     * One pass of the loop body, entered with no object locked.
     *
     * @param exec the drm_exec
     * @return true to reach the end of the body (the loop then ends if there was no
     *     contention), false to leave the loop at once (C {@code break}: no ww_acquire_done)
     */
    boolean run(DrmExec exec);
  }

  /**
   * A debugging hook, like a kernel tracepoint: told about the inner steps of the composite
   * calls (each lock and unlock of an object), so that conformance tests can follow them one
   * step at a time. It runs in the calling thread and may block it.
   */
  @FunctionalInterface
  public interface Tracepoint {
    /**
     * @param point where: {@code "dma_resv_lock:enter"}, {@code "dma_resv_lock"} (returned),
     *     {@code "dma_resv_lock_slow:enter"}, {@code "dma_resv_lock_slow"},
     *     {@code "drm_exec_lock_contended"} (the slow-locked object is tracked and
     *     prelocked), {@code "drm_exec_lock_obj"} (drm_exec_lock_obj in
     *     drm_exec_prepare_obj returned), {@code "drm_exec_cleanup:contended"} (before the
     *     unlock_all of a retry), {@code "dma_resv_unlock"} (one object of unlock_all);
     *     I915GemWwCtx adds {@code "i915_gem_ww_ctx_unlock_all"} (its loop ended)
     * @param obj the object, or null
     * @param ret the return value where there is one, else 0
     */
    void hit(String point, GemObject obj, int ret);
  }

  /** The jump of drm_exec_retry_on_contention to the loop head (no stack trace). */
  private static final class Retry extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Retry() {
      super("drm_exec_retry_on_contention", null, false, false);
    }
  }

  private static final Retry RETRY = new Retry();

  private final Kernel kernel;
  /** exec-&gt;flags. */
  private int flags;
  /** exec-&gt;ticket. */
  private WwAcquireContext ticket;
  /** exec-&gt;objects[0 .. num_objects). */
  private GemObject[] objects;
  /** exec-&gt;num_objects. */
  private int numObjects;
  /** exec-&gt;max_objects. */
  private int maxObjects;
  /** exec-&gt;contended: null, an object, or {@link #dummy} meaning DRM_EXEC_DUMMY. */
  private GemObject contended;
  /** contended == DRM_EXEC_DUMMY. */
  private boolean dummy;
  /** exec-&gt;prelocked. */
  private GemObject prelocked;
  /** How many untilAllLocked bodies of this exec are running (retryOnContention throws). */
  private int bodyDepth;
  /** Statistics: how many passes ran after contention (debugging view). */
  private int backoffs;
  /** The debugging hook, or null. */
  private Tracepoint tracepoint;

  private DrmExec(Kernel kernel) {
    this.kernel = kernel;
  }

  /**
   * A new drm_exec, initialised: {@code flags}, room for {@code nr} objects (0: 512),
   * contended = DRM_EXEC_DUMMY, nothing prelocked. The ticket is initialised by the first
   * {@link #cleanup()}.
   *
   * <p>Kernel drm_exec_init().
   */
  public static DrmExec init(Kernel kernel, int flags, int nr) {
    if (kernel == null) {
      throw new NullPointerException("kernel");
    }
    DrmExec exec = new DrmExec(kernel);
    exec.init(flags, nr);
    return exec;
  }

  /**
   * Initialises this drm_exec again (the kernel's struct reused after {@link #fini()}).
   *
   * <p>Kernel drm_exec_init().
   */
  public void init(int flags, int nr) {
    kernel.callVoid("drm_exec_init", this, new Object[] {flags, nr}, () -> {
      int n = nr == 0 ? PTRS_PER_PAGE : nr;
      this.flags = flags;
      this.objects = new GemObject[n];
      this.maxObjects = n;
      this.numObjects = 0;
      this.contended = null;
      this.dummy = true;
      this.prelocked = null;
      this.backoffs = 0;
    });
  }

  /**
   * Unlocks every locked object and drops the references; if the ticket was initialised, drops
   * the contended object's reference and finishes the ticket.
   *
   * <p>Kernel drm_exec_fini().
   */
  public void fini() {
    kernel.callVoid("drm_exec_fini", this, new Object[0], () -> {
      unlockAll();
      objects = new GemObject[0]; // kvfree(exec->objects)
      numObjects = 0;
      maxObjects = 0;
      if (!dummy) {
        GemObject.put(contended);
        ticket.fini();
      }
    });
  }

  /**
   * The condition of drm_exec_until_all_locked: false (after ww_acquire_done) when the last
   * pass saw no contention; true to run the body (again): on the first call after
   * ww_acquire_init of the ticket, after contention once every object is unlocked (in reverse
   * order) and its reference dropped.
   *
   * <p>Kernel drm_exec_cleanup().
   *
   * @return whether to run the body
   */
  public boolean cleanup() {
    return kernel.call("drm_exec_cleanup", this, new Object[0], () -> {
      if (!dummy && contended == null) {
        ticket.done();
        return false;
      }
      if (dummy) {
        dummy = false;
        contended = null;
        ticket = WwAcquireContext.init(kernel, WwClass.reservationWwClass(kernel));
        return true;
      }
      trace("drm_exec_cleanup:contended", null, 0);
      if (!kernel.injected(InjectedBug.DRM_EXEC_RETRY_KEEPS_LOCKS)) {
        unlockAll();
        numObjects = 0;
      }
      backoffs++;
      return true;
    });
  }

  /**
   * drm_exec_until_all_locked(exec) { body }: runs {@code body} while {@link #cleanup()} says
   * so. Inside the body {@link #retryOnContention()} jumps back to the loop head when there is
   * contention (it throws an unchecked signal that this method catches: do not catch it in the
   * body).
   *
   * <p>Kernel drm_exec_until_all_locked() (a macro).
   *
   * @return how many times the body ran
   */
  public int untilAllLocked(Body body) {
    int passes = 0;
    while (cleanup()) {
      passes++;
      boolean reachedEnd;
      bodyDepth++;
      try {
        reachedEnd = body.run(this);
      } catch (Retry r) {
        reachedEnd = true; // goto __drm_exec_retry_ptr: back to the loop condition
      } finally {
        bodyDepth--;
      }
      if (!reachedEnd) {
        break;
      }
    }
    return passes;
  }

  /**
   * drm_exec_retry_on_contention: if an object is contended, go back to the loop head. In a
   * body run by {@link #untilAllLocked} this jumps (throws); elsewhere it returns true and the
   * caller's {@code while (exec.cleanup())} loop must {@code continue}.
   *
   * <p>Kernel drm_exec_retry_on_contention() (a macro).
   *
   * @return whether there is contention (only returned outside untilAllLocked)
   */
  public boolean retryOnContention() {
    if (isContended()) {
      if (bodyDepth > 0) {
        throw RETRY;
      }
      return true;
    }
    return false;
  }

  /**
   * Whether an object is contended (-EDEADLK seen in this pass).
   *
   * <p>Kernel drm_exec_is_contended().
   */
  public boolean isContended() {
    return contended != null || dummy;
  }

  /** exec-&gt;objects_locked: the object tracked at {@code index}, or null past the end (drm_exec_obj). */
  public GemObject obj(int index) {
    return index < numObjects ? objects[index] : null;
  }

  /** Track a locked object, taking a reference (drm_exec_obj_locked). */
  private int objLocked(GemObject obj) {
    if (numObjects == maxObjects) {
      objects = Arrays.copyOf(objects, maxObjects + PTRS_PER_PAGE); // kvrealloc, never fails here
      maxObjects += PTRS_PER_PAGE;
    }
    obj.get();
    objects[numObjects++] = obj;
    return 0;
  }

  /** drm_exec_unlock_all: unlock and put every object in reverse, then put prelocked. */
  private void unlockAll() {
    for (int i = numObjects - 1; i >= 0; i--) {
      GemObject obj = objects[i];
      obj.resv().unlock();
      trace("dma_resv_unlock", obj, 0);
      obj.put();
    }
    GemObject.put(prelocked);
    prelocked = null;
  }

  /** drm_exec_lock_contended: slow-lock the contended object first. */
  private int lockContended() {
    GemObject obj = contended;
    if (obj == null) {
      return 0;
    }
    // Always cleanup the contention so that error handling can kick in
    contended = null;
    if (kernel.injected(InjectedBug.DRM_EXEC_CONTENDED_NOT_SLOW_LOCKED)) {
      obj.put(); // forgotten: the body locks its objects in its own order again
      return 0;
    }
    int ret;
    trace("dma_resv_lock_slow:enter", obj, 0);
    if ((flags & INTERRUPTIBLE_WAIT) != 0) {
      ret = obj.resv().lockSlowInterruptible(ticket);
      trace("dma_resv_lock_slow", obj, ret);
      if (ret != 0) {
        obj.put();
        return ret;
      }
    } else {
      obj.resv().lockSlow(ticket);
      trace("dma_resv_lock_slow", obj, 0);
    }
    ret = objLocked(obj);
    if (ret != 0) {
      obj.resv().unlock();
      obj.put();
      return ret;
    }
    prelocked = obj;
    trace("drm_exec_lock_contended", obj, 0);
    return 0;
  }

  /**
   * Locks {@code obj} in this transaction and takes a reference to it. A pending contended
   * object is slow-locked first.
   *
   * <p>Kernel drm_exec_lock_obj().
   *
   * @return 0; -EDEADLK on contention (call {@link #retryOnContention()}); -EALREADY if this
   *     exec already holds it and {@link #IGNORE_DUPLICATES} is not set; -EINTR with
   *     {@link #INTERRUPTIBLE_WAIT}
   */
  public int lockObj(GemObject obj) {
    return kernel.call("drm_exec_lock_obj", this, new Object[] {obj}, () -> lockObjBody(obj));
  }

  private int lockObjBody(GemObject obj) {
    int ret = lockContended();
    if (ret != 0) {
      return ret;
    }
    if (prelocked == obj) {
      prelocked.put();
      prelocked = null;
      return 0;
    }
    trace("dma_resv_lock:enter", obj, 0);
    if ((flags & INTERRUPTIBLE_WAIT) != 0) {
      ret = obj.resv().lockInterruptible(ticket);
    } else {
      ret = obj.resv().lock(ticket);
    }
    trace("dma_resv_lock", obj, ret);
    if (ret == -Errno.EDEADLK) {
      obj.get();
      contended = obj;
      return -Errno.EDEADLK;
    }
    if (ret == -Errno.EALREADY && ((flags & IGNORE_DUPLICATES) != 0
        || kernel.injected(InjectedBug.DRM_EXEC_DUPLICATE_WITHOUT_FLAG))) {
      return 0;
    }
    if (ret != 0) {
      return ret;
    }
    ret = objLocked(obj);
    if (ret != 0) {
      obj.resv().unlock();
      return ret;
    }
    return 0;
  }

  /**
   * Unlocks one tracked object (searching from the most recently locked), removes it from the
   * array and drops its reference; does nothing for an object that is not tracked.
   *
   * <p>Kernel drm_exec_unlock_obj().
   */
  public void unlockObj(GemObject obj) {
    kernel.callVoid("drm_exec_unlock_obj", this, new Object[] {obj}, () -> unlockObjBody(obj));
  }

  private void unlockObjBody(GemObject obj) {
    for (int i = numObjects - 1; i >= 0; i--) {
      if (objects[i] == obj) {
        obj.resv().unlock();
        System.arraycopy(objects, i + 1, objects, i, numObjects - i - 1);
        objects[--numObjects] = null;
        obj.put();
        return;
      }
    }
  }

  /**
   * Locks {@code obj} ({@link #lockObj}) and reserves {@code numFences} fence slots on its
   * reservation object; if reserving fails the object is unlocked again.
   *
   * <p>Kernel drm_exec_prepare_obj().
   *
   * @return 0, or the error of drm_exec_lock_obj or of dma_resv_reserve_fences (-ENOMEM)
   */
  public int prepareObj(GemObject obj, int numFences) {
    return kernel.call("drm_exec_prepare_obj", this, new Object[] {obj, numFences},
        () -> prepareObjBody(obj, numFences));
  }

  private int prepareObjBody(GemObject obj, int numFences) {
    int ret = lockObjBody(obj);
    trace("drm_exec_lock_obj", obj, ret);
    if (ret != 0) {
      return ret;
    }
    if (backoffs > 0 && kernel.injected(InjectedBug.DRM_EXEC_RESERVE_FIRST_PASS_ONLY)) {
      return 0; // as if the slots reserved before the backoff were still there
    }
    ret = obj.resv().reserveFences(numFences);
    if (ret != 0) {
      unlockObjBody(obj);
      return ret;
    }
    return 0;
  }

  /**
   * {@link #prepareObj} for each object in order, stopping at the first error.
   *
   * <p>Kernel drm_exec_prepare_array().
   *
   * @return 0 or the first error
   */
  public int prepareArray(List<GemObject> objs, int numFences) {
    return kernel.call("drm_exec_prepare_array", this, new Object[] {objs, numFences}, () -> {
      for (GemObject obj : objs) {
        int ret = prepareObjBody(obj, numFences);
        if (ret != 0) {
          return ret;
        }
      }
      return 0;
    });
  }

  /** {@link #prepareArray(List, int)} for an array. */
  public int prepareArray(GemObject[] objs, int numFences) {
    return prepareArray(Arrays.asList(objs), numFences);
  }

  // ---------------------------------------------------------------------------------------
  // Accessors and debugging views

  /**
   * The locked objects in locking order (a snapshot).
   *
   * <p>Kernel drm_exec_for_each_locked_object() (reverse the list for
   * drm_exec_for_each_locked_object_reverse()).
   */
  public List<GemObject> lockedObjects() {
    return new ArrayList<>(Arrays.asList(objects).subList(0, numObjects));
  }

  /** exec-&gt;ticket: the acquire context (null before the first {@link #cleanup()}). Kernel drm_exec_ticket(). */
  public WwAcquireContext ticket() {
    return ticket;
  }

  /** exec-&gt;flags. */
  public int flags() {
    return flags;
  }

  /** exec-&gt;num_objects. */
  public int numObjects() {
    return numObjects;
  }

  /** exec-&gt;max_objects. */
  public int maxObjects() {
    return maxObjects;
  }

  /** exec-&gt;contended: the object to slow-lock next pass, or null (also before the first pass). */
  public GemObject contended() {
    return dummy ? null : contended;
  }

  /** exec-&gt;prelocked: the slow-locked object not yet asked for again in this pass, or null. */
  public GemObject prelocked() {
    return prelocked;
  }

  /** Whether exec-&gt;contended is DRM_EXEC_DUMMY (the ticket is not initialised yet). */
  public boolean isTicketPending() {
    return dummy;
  }

  /** Sets (or clears, with null) the debugging hook {@link Tracepoint}. */
  public void setTracepoint(Tracepoint tp) {
    this.tracepoint = tp;
  }

  private void trace(String point, GemObject obj, int ret) {
    Tracepoint tp = tracepoint;
    if (tp != null) {
      tp.hit(point, obj, ret);
    }
  }

  /** Statistics: how many times {@link #cleanup()} backed off after contention since init. */
  public int backoffs() {
    return backoffs;
  }

  @Override
  public String toString() {
    return "drm_exec(" + numObjects + " locked" + (ticket != null ? ", " + ticket : "") + ")";
  }
}
