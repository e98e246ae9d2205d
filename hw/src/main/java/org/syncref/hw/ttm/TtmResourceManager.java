package org.syncref.hw.ttm;

import java.util.ArrayList;
import java.util.List;

import org.syncref.fence.DmaFence;

/**
 * A struct ttm_resource_manager of one memory type: a few ranges, the LRU of the resources
 * allocated from it, and the fences of its pipelined evictions.
 *
 * <p><b>Eviction fences.</b> A pipelined eviction frees its range before the copy that reads it
 * has run, and records the copy's fence here; every later allocation from this manager adds the
 * recorded fences to the new owner's reservation object as KERNEL (ttm_bo_add_move_fence), so
 * the new tenant's jobs wait for the copy. drivers/gpu/drm/ttm/ttm_bo_util.c (6.12.118)
 * ttm_bo_move_pipeline_evict keeps one fence:
 * <pre>
 *   if (!from-&gt;move || dma_fence_is_later(fence, from-&gt;move)) {
 *           dma_fence_put(from-&gt;move);
 *           from-&gt;move = dma_fence_get(fence);
 *   }
 * </pre>
 * Mainline after "drm/ttm: rework pipelined eviction fence handling" (Pierre-Eric
 * Pelloux-Prayer, dri-devel, v3 21 Nov 2025) keeps one slot per fence context
 * (TTM_NUM_MOVE_FENCES), a later fence of a context replacing the earlier one. This class keeps
 * the per-context rule (TLA+ {@code RecordMove}); with one copy engine both readings agree.
 * Recorded fences stay (signaled ones are harmless: they answer no query).
 *
 * <p><b>LRU.</b> Resources in allocation order, least recently used first;
 * ttm_bo_move_to_lru_tail moves a resource to the end. The eviction walk goes from the head.
 */
public final class TtmResourceManager {
  private final TtmMemType memType;
  private final TtmResource[] owner;
  private final long[] tenure;
  private final List<DmaFence> evictionFences = new ArrayList<>();
  private final List<TtmResource> lru = new ArrayList<>();
  /** Every resource ever allocated here, in allocation order (the fault ledger). */
  private final List<TtmResource> allocated = new ArrayList<>();
  /** An injected failure of the next ttm_resource_alloc (a negative errno), or 0. */
  private int failNext;
  /** The error of the last failed ttm_resource_alloc (-ENOSPC, or the injected one). */
  private int allocError;

  TtmResourceManager(TtmMemType memType, int ranges) {
    this.memType = memType;
    this.owner = new TtmResource[ranges];
    this.tenure = new long[ranges];
  }

  /** The memory type. */
  public TtmMemType memType() {
    return memType;
  }

  /** The ranges, in index order. */
  public List<TtmRange> ranges() {
    List<TtmRange> out = new ArrayList<>();
    for (int i = 0; i < owner.length; i++) {
      out.add(new TtmRange(memType, i + 1));
    }
    return out;
  }

  /** The resource that occupies {@code r} now, or null when it is free. */
  public TtmResource resourceAt(TtmRange r) {
    return owner[r.index() - 1];
  }

  /** How many times {@code r} was allocated (TLA+ {@code tenure[r]}). */
  public long tenure(TtmRange r) {
    return tenure[r.index() - 1];
  }

  /** Whether a range is free. */
  public boolean hasFree() {
    for (TtmResource o : owner) {
      if (o == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * ttm_resource_alloc: the lowest free range, for {@code bo}, at the LRU's tail.
   *
   * @return the resource, or null (-ENOSPC) when every range is taken
   */
  TtmResource alloc(TtmBufferObject bo) {
    if (failNext != 0) {
      allocError = failNext; // man->func->alloc failed: ttm_resource_alloc returns its error
      failNext = 0;
      return null;
    }
    allocError = -TtmDevice.ENOSPC;
    for (int i = 0; i < owner.length; i++) {
      if (owner[i] == null) {
        tenure[i]++;
        TtmResource res = new TtmResource(new TtmRange(memType, i + 1), tenure[i], bo);
        owner[i] = res;
        lru.add(res);
        allocated.add(res);
        return res;
      }
    }
    return null;
  }

  /** ttm_resource_free: the range is free again; the resource leaves the LRU. */
  void free(TtmResource res) {
    res.countFree();
    int i = res.range().index() - 1;
    if (owner[i] != res) {
      throw new IllegalStateException(res + " does not occupy " + res.range());
    }
    owner[i] = null;
    lru.remove(res);
    res.markFreed();
  }

  /**
   * Fault injection: the next ttm_resource_alloc from this manager fails with {@code err}: the
   * range manager's alloc (ttm_range_man_alloc, drm_mm_insert_node_in_range) returns -ENOSPC
   * although a range is free, or its kzalloc fails with -ENOMEM. ttm_resource_alloc (ttm_resource.c,
   * 6.12.118) passes the error on: {@code ret = man->func->alloc(man, bo, place, res_ptr); if
   * (ret) return ret;}. 0 disarms.
   */
  public void failNextAlloc(int err) {
    if (err > 0) {
      throw new IllegalArgumentException("not a negative errno (0 disarms): " + err);
    }
    failNext = err;
  }

  /** Whether an injected failure is still armed. */
  public boolean allocFailureArmed() {
    return failNext != 0;
  }

  /** The error of the last ttm_resource_alloc that returned null. */
  int lastAllocError() {
    return allocError;
  }

  /** Every resource ever allocated from this manager, oldest first (the alloc/free ledger). */
  public List<TtmResource> allocated() {
    return List.copyOf(allocated);
  }

  /** ttm_bo_move_to_lru_tail for a resource of this manager. */
  void moveToLruTail(TtmResource res) {
    if (lru.remove(res)) {
      lru.add(res);
    }
  }

  /** The LRU, least recently used first (a snapshot). */
  public List<TtmResource> lru() {
    return List.copyOf(lru);
  }

  /**
   * Records {@code fence} as a pipelined eviction's fence (ttm_bo_move_pipeline_evict, the
   * per-context rule): an earlier fence of its context is replaced; a fence not later than the
   * recorded one of its context changes nothing. Takes a reference.
   */
  void recordEviction(DmaFence fence) {
    for (int i = 0; i < evictionFences.size(); i++) {
      DmaFence tmp = evictionFences.get(i);
      if (tmp.context() != fence.context()) {
        continue;
      }
      if (fence.isLater(tmp)) {
        tmp.put();
        evictionFences.set(i, fence.get());
      }
      return;
    }
    evictionFences.add(fence.get());
  }

  /** The recorded eviction fences (TLA+ {@code manFences[d]}), a snapshot. */
  public List<DmaFence> evictionFences() {
    return List.copyOf(evictionFences);
  }

  @Override
  public String toString() {
    return "man[" + memType + "]";
  }
}
