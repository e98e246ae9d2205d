package org.syncref.exec;

import java.util.concurrent.atomic.AtomicInteger;

import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;

/**
 * A minimal struct drm_gem_object: a reservation object ({@code obj->resv}, here always the
 * object's own {@code _resv}) and a reference count.
 *
 * <p>Follows include/drm/drm_gem.h and drivers/gpu/drm/drm_gem.c: drm_gem_private_object_init
 * (kref_init: one reference; dma_resv_init of the embedded {@code _resv}),
 * drm_gem_object_get (kref_get), drm_gem_object_put (kref_put; NULL is a no-op; the last put
 * frees: here it runs dma_resv_fini). A put below zero WARNs as refcount_t does
 * ("refcount_t: underflow; use-after-free.") and leaves the count at zero. Not modelled: the
 * drm_device, size, handles, mmap offsets, the free callback of the driver.
 */
public final class GemObject {
  private final Kernel kernel;
  private final DmaResv resv;
  private final AtomicInteger refcount = new AtomicInteger(1);
  private final String name;

  /**
   * A new object with one reference and its own unlocked reservation object.
   *
   * <p>Kernel drm_gem_private_object_init().
   */
  public GemObject(Kernel kernel) {
    this(kernel, null);
  }

  /** {@link #GemObject(Kernel)} with a name for messages. */
  public GemObject(Kernel kernel, String name) {
    if (kernel == null) {
      throw new NullPointerException("kernel");
    }
    this.kernel = kernel;
    this.resv = new DmaResv(kernel);
    this.name = name != null ? name : "gem@" + Integer.toHexString(System.identityHashCode(this));
  }

  /** The kernel the object belongs to. */
  public Kernel kernel() {
    return kernel;
  }

  /** obj-&gt;resv. */
  public DmaResv resv() {
    return resv;
  }

  /**
   * Takes a reference.
   *
   * <p>Kernel drm_gem_object_get().
   *
   * @return this object
   */
  public GemObject get() {
    kernel.callVoid("drm_gem_object_get", this, new Object[0], () -> {
      int old = refcount.getAndUpdate(v -> v == 0 ? 0 : v + 1);
      kernel.warnOn(old == 0, "drm_gem_object_get", "refcount_t: addition on 0; use-after-free.", this);
    });
    return this;
  }

  /**
   * Drops a reference; the last one frees the object (dma_resv_fini of its reservation
   * object). A put of a freed object WARNs (refcount_t underflow).
   *
   * <p>Kernel drm_gem_object_put() (a null object is the caller's no-op: {@link #put(GemObject)}).
   */
  public void put() {
    kernel.callVoid("drm_gem_object_put", this, new Object[0], () -> {
      int old = refcount.getAndUpdate(v -> v == 0 ? 0 : v - 1);
      if (kernel.warnOn(old == 0, "drm_gem_object_put", "refcount_t: underflow; use-after-free.", this)) {
        return;
      }
      if (old == 1) {
        resv.fini(); // drm_gem_object_free -> ... -> drm_gem_object_release -> dma_resv_fini
      }
    });
  }

  /** drm_gem_object_put(obj) for a possibly null {@code obj}. */
  public static void put(GemObject obj) {
    if (obj != null) {
      obj.put();
    }
  }

  /** A debugging view: the reference count (0 once freed). */
  public int refcount() {
    return refcount.get();
  }

  @Override
  public String toString() {
    return name;
  }
}
