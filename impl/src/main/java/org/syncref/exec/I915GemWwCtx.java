package org.syncref.exec;

import java.util.ArrayList;
import java.util.List;

import org.syncref.kernel.Errno;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;

/**
 * A struct i915_gem_ww_ctx: i915's own multi-object locking transaction, a ww acquire context of
 * reservation_ww_class plus the list of objects it locked and the object it must slow-lock after
 * -EDEADLK.
 *
 * <p>Algorithm notes. Follows drivers/gpu/drm/i915/i915_gem_ww.c and i915_gem_ww.h and
 * __i915_gem_object_lock of gem/i915_gem_object.h (mainline, torvalds/linux 25fed6b324ac, as
 * 6.12); TLA+ spec/DrmExec/DrmExec.tla (client "i915"), checked both ways by the conformance
 * tests (execution drm-exec-conformance):
 * <ul>
 *   <li>{@link #objectLock}: dma_resv_lock(_interruptible) with the context; on success a
 *       reference goes onto obj_list; -EALREADY is success (0); -EDEADLK takes a reference and
 *       records the object as {@code contended}.</li>
 *   <li>{@link #backoff}: WARN and -EINVAL without a contended object; otherwise unlock and put
 *       everything on obj_list, slow-lock the contended object (interruptible if {@code intr}),
 *       put it on obj_list (its reference moves there) or put it on failure, clear
 *       {@code contended}. The next pass's lock of that object then returns -EALREADY, i.e. 0.</li>
 *   <li>{@link #forI915GemWw}: the for_i915_gem_ww loop: init, then after each pass
 *       __i915_gem_ww_fini: -EDEADLK backs off and, if that worked (err becomes 0), runs the
 *       body again; anything else, or a failed backoff, finishes the context
 *       (i915_gem_ww_ctx_fini) and ends the loop.</li>
 * </ul>
 * i915 links an object into obj_list through {@code obj->obj_link}; here the list is the
 * context's own.
 */
public final class I915GemWwCtx {
  /** The body of {@link #forI915GemWw}. */
  @FunctionalInterface
  public interface Body {
    /**
     * One pass, entered with nothing locked but (after a backoff) the contended object.
     *
     * @param ww the context
     * @return err: -EDEADLK to back off and run again, anything else to finish
     */
    int run(I915GemWwCtx ww);
  }

  private final Kernel kernel;
  /** ww-&gt;ctx. */
  private final WwAcquireContext ctx;
  /** ww-&gt;obj_list. */
  private final List<GemObject> objList = new ArrayList<>();
  /** ww-&gt;contended. */
  private GemObject contended;
  /** ww-&gt;intr. */
  private final boolean intr;
  /** ww-&gt;loop. */
  private boolean loop;
  /** Statistics: successful backoffs (debugging view). */
  private int backoffs;
  /** The debugging hook (see {@link DrmExec.Tracepoint}), or null. */
  private DrmExec.Tracepoint tracepoint;

  private I915GemWwCtx(Kernel kernel, boolean intr) {
    this.kernel = kernel;
    this.intr = intr;
    this.ctx = WwAcquireContext.init(kernel, WwClass.reservationWwClass(kernel));
  }

  /**
   * A new context: ww_acquire_init on reservation_ww_class, an empty obj_list, no contended
   * object.
   *
   * <p>Kernel i915_gem_ww_ctx_init().
   */
  public static I915GemWwCtx init(Kernel kernel, boolean intr) {
    if (kernel == null) {
      throw new NullPointerException("kernel");
    }
    return kernel.call("i915_gem_ww_ctx_init", null, new Object[] {intr}, () -> new I915GemWwCtx(kernel, intr));
  }

  /**
   * for_i915_gem_ww(&amp;ww, err, intr) { err = body; }: runs passes of {@code body} until one
   * returns something other than -EDEADLK or a backoff fails; the context is finished
   * (i915_gem_ww_ctx_fini) before returning.
   *
   * <p>Kernel for_i915_gem_ww() (a macro) with __i915_gem_ww_fini().
   *
   * @return the last err (0 on success; the backoff's error if it failed)
   */
  public static int forI915GemWw(Kernel kernel, boolean intr, Body body) {
    I915GemWwCtx ww = init(kernel, intr);
    int err = 0;
    for (ww.loop = true; ww.loop; err = ww.wwFini(err)) {
      err = body.run(ww);
    }
    return err;
  }

  /** __i915_gem_ww_fini(ww, err): loop again only after a successful backoff. */
  private int wwFini(int err) {
    loop = false;
    if (err == -Errno.EDEADLK) {
      err = backoff();
      if (err == 0) {
        loop = true;
      }
    }
    if (!loop) {
      fini();
    }
    return err;
  }

  /**
   * Locks {@code obj} in this transaction.
   *
   * <p>Kernel i915_gem_object_lock(obj, ww) (__i915_gem_object_lock with intr = ww-&gt;intr).
   *
   * @return 0 (also when the context already holds it); -EDEADLK (the object is now
   *     {@link #contended()}); -EINTR if interruptible
   */
  public int objectLock(GemObject obj) {
    return kernel.call("i915_gem_object_lock", obj, new Object[] {this}, () -> {
      trace("dma_resv_lock:enter", obj, 0);
      int ret = intr ? obj.resv().lockInterruptible(ctx) : obj.resv().lock(ctx);
      trace("dma_resv_lock", obj, ret);
      if (ret == 0) {
        obj.get();
        objList.add(obj);
      }
      if (ret == -Errno.EALREADY) {
        ret = 0;
      }
      if (ret == -Errno.EDEADLK) {
        obj.get();
        contended = obj;
      }
      return ret;
    });
  }

  /**
   * Unlocks one object of this context, removing it from obj_list and dropping its reference.
   *
   * <p>Kernel i915_gem_ww_unlock_single().
   */
  public void unlockSingle(GemObject obj) {
    kernel.callVoid("i915_gem_ww_unlock_single", obj, new Object[0], () -> {
      objList.remove(obj);
      obj.resv().unlock();
      obj.put();
    });
  }

  /**
   * i915_gem_ww_ctx_unlock_all: unlock and put the objects from the head of obj_list
   * ({@code while ((obj = list_first_entry_or_null(&ww->obj_list, ...))) { list_del(...);
   * i915_gem_object_unlock(obj); i915_gem_object_put(obj); }}).
   */
  private void unlockAll() {
    while (!objList.isEmpty()) {
      GemObject obj = objList.remove(0);
      obj.resv().unlock(); // i915_gem_object_unlock
      trace("dma_resv_unlock", obj, 0);
      obj.put();
    }
    trace("i915_gem_ww_ctx_unlock_all", null, 0);
  }

  /**
   * Backs off after -EDEADLK: unlocks everything and slow-locks the contended object.
   *
   * <p>Kernel i915_gem_ww_ctx_backoff().
   *
   * @return 0; -EINVAL (with a WARN) if there is no contended object; -EINTR if interrupted
   */
  public int backoff() {
    return kernel.call("i915_gem_ww_ctx_backoff", null, new Object[] {this}, () -> {
      if (kernel.warnOn(contended == null, "i915_gem_ww_ctx_backoff", "WARN_ON(!ww->contended)", this)) {
        return -Errno.EINVAL;
      }
      if (!kernel.injected(InjectedBug.DRM_EXEC_RETRY_KEEPS_LOCKS)) {
        unlockAll();
      }
      int ret = 0;
      trace("dma_resv_lock_slow:enter", contended, 0);
      if (intr) {
        ret = contended.resv().lockSlowInterruptible(ctx);
      } else {
        contended.resv().lockSlow(ctx);
      }
      trace("dma_resv_lock_slow", contended, ret);
      if (ret == 0) {
        objList.add(contended);
        backoffs++;
      } else {
        contended.put();
      }
      contended = null;
      return ret;
    });
  }

  /**
   * Unlocks and puts everything, WARNs if an object is still contended, and finishes the
   * acquire context.
   *
   * <p>Kernel i915_gem_ww_ctx_fini().
   */
  public void fini() {
    kernel.callVoid("i915_gem_ww_ctx_fini", null, new Object[] {this}, () -> {
      unlockAll();
      kernel.warnOn(contended != null, "i915_gem_ww_ctx_fini", "WARN_ON(ww->contended)", this);
      ctx.fini();
    });
  }

  // ---------------------------------------------------------------------------------------
  // Debugging views

  /** ww-&gt;ctx. */
  public WwAcquireContext ctx() {
    return ctx;
  }

  /** ww-&gt;obj_list, head first (a snapshot). */
  public List<GemObject> objects() {
    return new ArrayList<>(objList);
  }

  /** ww-&gt;contended. */
  public GemObject contended() {
    return contended;
  }

  /** ww-&gt;intr. */
  public boolean isInterruptible() {
    return intr;
  }

  /** Sets (or clears, with null) the debugging hook {@link DrmExec.Tracepoint}. */
  public void setTracepoint(DrmExec.Tracepoint tp) {
    this.tracepoint = tp;
  }

  private void trace(String point, GemObject obj, int ret) {
    DrmExec.Tracepoint tp = tracepoint;
    if (tp != null) {
      tp.hit(point, obj, ret);
    }
  }

  /** Statistics: how many backoffs succeeded. */
  public int backoffs() {
    return backoffs;
  }

  @Override
  public String toString() {
    return "i915_gem_ww_ctx(" + objList.size() + " locked, " + ctx + ")";
  }
}
