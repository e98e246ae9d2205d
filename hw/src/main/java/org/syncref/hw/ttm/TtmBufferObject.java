package org.syncref.hw.ttm;

import org.syncref.exec.GemObject;
import org.syncref.resv.DmaResv;

/**
 * A struct ttm_buffer_object: a GEM object ({@code bo->base}, whose {@code resv} guards it), its
 * backing store ({@code bo->resource}) and its pin count. A ghost object
 * (ttm_buffer_object_transfer) holds the old resource of a moved object, with its own
 * reservation object ({@code &fbo->base.base._resv}), until the delayed delete frees it.
 */
public final class TtmBufferObject {
  private final String name;
  private final GemObject base;
  private final boolean ghost;
  private TtmResource resource;
  private int pinCount;
  private boolean discardable;

  TtmBufferObject(GemObject base, String name, boolean ghost) {
    this.base = base;
    this.name = name;
    this.ghost = ghost;
  }

  /** The object's name. */
  public String name() {
    return name;
  }

  /** bo-&gt;base. */
  public GemObject base() {
    return base;
  }

  /** bo-&gt;base.resv. */
  public DmaResv resv() {
    return base.resv();
  }

  /** bo-&gt;resource: its current backing store (TLA+ {@code place[b]}), or null. */
  public TtmResource resource() {
    return resource;
  }

  void setResource(TtmResource res) {
    this.resource = res;
  }

  /** bo-&gt;pin_count. */
  public int pinCount() {
    return pinCount;
  }

  void pinCount(int n) {
    pinCount = n;
  }

  /**
   * Whether its contents may be dropped instead of evicted (amdgpu's
   * AMDGPU_GEM_CREATE_DISCARDABLE: amdgpu_evict_flags gives it no placement).
   */
  public boolean isDiscardable() {
    return discardable;
  }

  void discardable(boolean d) {
    discardable = d;
  }

  /** Whether this is a ghost object (made by a move to hold the old range). */
  public boolean isGhost() {
    return ghost;
  }

  @Override
  public String toString() {
    return name + (resource == null ? "" : "@" + resource);
  }
}
