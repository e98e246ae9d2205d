package org.syncref.resv;

import org.syncref.fence.DmaFence;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv.Entry;
import org.syncref.resv.DmaResv.ReadPoint;
import org.syncref.resv.DmaResv.ResvList;

/**
 * A struct dma_resv_iter: a cursor over the fences of a {@link DmaResv} with usage &lt;= a
 * filter, either unlocked (lock-free, restarting when the object's list is replaced, holding a
 * reference on the fence it hands out) or locked (lock held, no references).
 *
 * <p>Algorithm notes. References: (1) drivers/dma-buf/dma-resv.c, dma_resv_iter_restart_unlocked,
 * dma_resv_iter_walk_unlocked, dma_resv_iter_first_unlocked, dma_resv_iter_next_unlocked,
 * dma_resv_iter_first, dma_resv_iter_next (mainline); (2) include/linux/dma-resv.h,
 * dma_resv_iter_begin / _end / _usage / _is_restarted, dma_resv_for_each_fence(_unlocked).
 * <ul>
 *   <li>Unlocked: a (re)start loads the object's list, its num_fences (appends after that are not
 *       seen) and sets index 0 and is_restarted. The walk puts the previous fence, reads
 *       table[index++], takes a reference with dma_fence_get_rcu (a fence whose refcount already
 *       reached 0 restarts the walk) and skips it if it is signaled or its usage is above the
 *       filter. After each walk the object's list pointer is compared with the cursor's; a
 *       difference (a reallocating reserve, copy_fences) restarts. In-place replacements and
 *       appends within capacity keep the list and are seen, or not, depending on the index.</li>
 *   <li>Locked: does not skip signaled fences, takes no references, filters by usage only;
 *       is_restarted is true for the first fence.</li>
 *   <li>Kernel quirk kept: dma_resv_iter_walk_unlocked returns at once when the cursor's list is
 *       NULL without touching cursor-&gt;fence, so after a restart onto a NULL list (only
 *       possible when copy_fences gave the object no list mid-walk) next_unlocked hands out the
 *       previous fence again, until a new list is published.</li>
 * </ul>
 */
public final class DmaResvIter {
  /** A list pointer no object ever has: the st-dma-resv test's {@code cursor.fences = (void*)~0}. */
  private static final ResvList POISON = new ResvList(0);

  private final DmaResv obj;
  private final Kernel kernel;
  /** cursor-&gt;usage: the filter. */
  private final DmaResvUsage usage;
  /** cursor-&gt;fence: the fence handed out by the unlocked walk (a reference is held). */
  private DmaFence fence;
  /** cursor-&gt;fence_usage. */
  private DmaResvUsage fenceUsage;
  /** cursor-&gt;index. */
  private int index;
  /** cursor-&gt;fences: the list walked; private, never dereferenced outside the walk. */
  private ResvList fences;
  /** cursor-&gt;num_fences. */
  private int numFences;
  /** cursor-&gt;is_restarted. */
  private boolean isRestarted;
  /** Debugging: what the last step returned (also for the locked iteration). */
  private DmaFence current;
  /** Debugging: how many times dma_resv_iter_restart_unlocked ran. */
  private int restarts;

  private DmaResvIter(DmaResv obj, DmaResvUsage usage) {
    this.obj = obj;
    this.kernel = obj.kernel;
    this.usage = usage;
  }

  /**
   * A cursor over the fences of {@code obj} with usage &lt;= {@code usage}.
   *
   * <p>Kernel dma_resv_iter_begin(cursor, obj, usage); the start of TLA+ IterFirstUnlocked /
   * IterFirst (the spec folds begin into the first step).
   */
  public static DmaResvIter begin(DmaResv obj, DmaResvUsage usage) {
    if (obj == null || usage == null) {
      throw new NullPointerException(obj == null ? "obj" : "usage");
    }
    return new DmaResvIter(obj, usage);
  }

  private void hook(ReadPoint point) {
    DmaResv.ReadHook h = obj.readHook;
    if (h != null) {
      h.at(point, this);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Unlocked iteration

  /** dma_resv_iter_restart_unlocked. */
  private void restartUnlocked() {
    restarts++;
    index = 0;
    numFences = 0;
    hook(ReadPoint.RESTART_LIST);
    fences = obj.list();
    if (fences != null) {
      hook(ReadPoint.RESTART_NUM);
      numFences = fences.numFences;
    }
    isRestarted = true;
  }

  /**
   * InjectedBug.RESV_READER_NO_RESTART: take the new list and its count, keep the index (and
   * is_restarted); a fence the walk already holds is handed out, not read again.
   */
  private void switchListKeepingIndex() {
    fences = obj.list();
    numFences = 0;
    if (fences != null) {
      hook(ReadPoint.RESTART_NUM);
      numFences = fences.numFences;
    }
  }

  /** The re-check {@code dma_resv_fences_list(cursor->obj) != cursor->fences}. */
  private boolean listChanged() {
    hook(ReadPoint.LIST_CHECK);
    return obj.list() != fences;
  }

  /** dma_resv_iter_walk_unlocked: walk to the next unsignaled matching fence and hold it. */
  private void walkUnlocked() {
    if (fences == null) {
      return;
    }
    while (true) {
      // Drop the reference from the previous round.
      if (fence != null) {
        fence.put();
      }
      if (index >= numFences) {
        fence = null;
        break;
      }
      hook(ReadPoint.ENTRY);
      Entry e = fences.entry(index++);
      fenceUsage = e.usage();
      hook(ReadPoint.FENCE_GET);
      fence = e.fence().getRcu();
      if (fence == null) {
        // The refcount already hit 0: the entry was replaced and the fence put meanwhile.
        // The (synchronized) query for the injected bug only here, where it can matter.
        if (!kernel.injected(InjectedBug.RESV_READER_SKIPS_DEAD_FENCE)) {
          restartUnlocked();
        }
        continue;
      }
      hook(ReadPoint.FENCE_SIGNALED);
      // The injected-bug query (a synchronized read) only where it can matter: an unsignaled
      // KERNEL entry the filter covers.
      if (!fence.isSignaled() && usage.ordinal() >= fenceUsage.ordinal()
          && !(fenceUsage == DmaResvUsage.KERNEL
              && kernel.injected(InjectedBug.RESV_TEST_SIGNALED_IGNORES_KERNEL))) {
        break;
      }
    }
  }

  /**
   * The first unsignaled fence with usage &lt;= the filter, read without the lock; the cursor
   * holds a reference on it until the next step or {@link #end()}.
   *
   * <p>TLA+ IterFirstUnlocked(t, r, u); kernel dma_resv_iter_first_unlocked():
   * {@code do { restart; walk; } while (list changed)}.
   *
   * @return the fence, or null when there is none
   */
  public DmaFence firstUnlocked() {
    return kernel.call("dma_resv_iter_first_unlocked", this, new Object[] {usage}, this::firstUnlockedBody);
  }

  DmaFence firstUnlockedBody() {
    // do { restart; walk; } while (list changed). The kernel's loop and the injected
    // RESV_READER_NO_RESTART reader differ only once the list changed, so the (synchronized)
    // query for the bug is made only then.
    restartUnlocked();
    walkUnlocked();
    while (listChanged()) {
      if (kernel.injected(InjectedBug.RESV_READER_NO_RESTART)) {
        switchListKeepingIndex();
        break;
      }
      restartUnlocked();
      walkUnlocked();
    }
    current = fence;
    return fence;
  }

  /**
   * The next unsignaled fence with usage &lt;= the filter, read without the lock: if the
   * object's list is no longer the cursor's, the iteration restarts at index 0 (and {@link
   * #isRestarted()} is true: callers that accumulate must discard what they collected).
   *
   * <p>TLA+ IterNextUnlocked(t); kernel dma_resv_iter_next_unlocked(): {@code is_restarted =
   * false; restart = list changed; do { if (restart) restart; walk; restart = true; } while
   * (list changed)}.
   *
   * @return the fence, or null at the end
   */
  public DmaFence nextUnlocked() {
    return kernel.call("dma_resv_iter_next_unlocked", this, new Object[0], this::nextUnlockedBody);
  }

  DmaFence nextUnlockedBody() {
    // restart = list changed; do { if (restart) restart; walk; restart = true; } while (list
    // changed). The injected RESV_READER_NO_RESTART reader instead switches to the new list
    // keeping its index, before and after its one walk; as both differ only once the list
    // changed, the (synchronized) query for the bug is made only then.
    isRestarted = false;
    if (listChanged()) {
      if (kernel.injected(InjectedBug.RESV_READER_NO_RESTART)) {
        switchListKeepingIndex();
      } else {
        restartUnlocked();
      }
    }
    walkUnlocked();
    while (listChanged()) {
      if (kernel.injected(InjectedBug.RESV_READER_NO_RESTART)) {
        switchListKeepingIndex();
        break;
      }
      restartUnlocked();
      walkUnlocked();
    }
    current = fence;
    return fence;
  }

  /**
   * Ends the iteration: drops the reference on the fence the unlocked walk handed out, if any.
   *
   * <p>TLA+ IterEnd(t); kernel dma_resv_iter_end() (dma_fence_put(cursor-&gt;fence)).
   */
  public void end() {
    kernel.callVoid("dma_resv_iter_end", this, new Object[0], this::endBody);
  }

  void endBody() {
    if (fence != null) {
      fence.put();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Locked iteration

  /**
   * The first fence with usage &lt;= the filter, lock held; signaled fences are not skipped
   * and no reference is taken (the fence stays valid while the lock is held).
   *
   * <p>TLA+ IterFirst(t, r, u); kernel dma_resv_iter_first() (dma_resv_assert_held, index 0,
   * the current list, dma_resv_iter_next, is_restarted = true).
   *
   * @return the fence, or null when there is none
   */
  public DmaFence first() {
    return kernel.call("dma_resv_iter_first", this, new Object[] {usage}, () -> {
      obj.assertHeld("dma_resv_iter_first");
      index = 0;
      fences = obj.list();
      DmaFence f = nextLockedBody();
      isRestarted = true;
      current = f;
      return f;
    });
  }

  /**
   * The next fence with usage &lt;= the filter, lock held.
   *
   * <p>TLA+ IterNext(t); kernel dma_resv_iter_next() (dma_resv_assert_held).
   *
   * @return the fence, or null at the end
   */
  public DmaFence next() {
    return kernel.call("dma_resv_iter_next", this, new Object[0], () -> {
      DmaFence f = nextLockedBody();
      current = f;
      return f;
    });
  }

  private DmaFence nextLockedBody() {
    obj.assertHeld("dma_resv_iter_next");
    isRestarted = false;
    Entry e;
    do {
      if (fences == null || index >= fences.numFences) {
        return null;
      }
      e = fences.entry(index++);
      fenceUsage = e.usage();
    } while (fenceUsage.ordinal() > usage.ordinal());
    return e.fence();
  }

  // ---------------------------------------------------------------------------------------
  // Accessors

  /**
   * Whether the fence last handed out is the first after the start or a restart.
   *
   * <p>Kernel dma_resv_iter_is_restarted().
   */
  public boolean isRestarted() {
    return isRestarted;
  }

  /**
   * The usage of the fence last handed out.
   *
   * <p>Kernel dma_resv_iter_usage() (cursor-&gt;fence_usage).
   */
  public DmaResvUsage usage() {
    return fenceUsage;
  }

  /**
   * The cursor's num_fences: the list's count at the last (re)start, which kernel callers use
   * to size their buffers (get_fences, copy_fences).
   */
  public int numFences() {
    return numFences;
  }

  /** Read-only debugging view: the fence the last step returned (null at the end). */
  public DmaFence fence() {
    return current;
  }

  /** Read-only debugging view: the filter (cursor-&gt;usage). */
  public DmaResvUsage queryUsage() {
    return usage;
  }

  /** Read-only debugging view: the object iterated over. */
  public DmaResv obj() {
    return obj;
  }

  /** Read-only debugging view: cursor-&gt;index, the next table index to read. */
  public int index() {
    return index;
  }

  /**
   * Read-only debugging view: the {@link DmaResv#generation()} of the list the cursor walks
   * (0 for none, -1 for the poisoned pointer).
   */
  public int listGeneration() {
    if (fences == POISON) {
      return -1;
    }
    return fences == null ? 0 : fences.generation;
  }

  /** Read-only debugging view: how many times the unlocked iteration (re)started. */
  public int restarts() {
    return restarts;
  }

  /**
   * Test seam: overwrites the cursor's list pointer with one no object has, as st-dma-resv.c's
   * test_for_each_unlocked does with {@code cursor.fences = (void*)~0}, to force a restart.
   */
  void poisonFencesForTest() {
    fences = POISON;
  }

  /** Test seam: cursor-&gt;fence itself (the fence the unlocked walk has loaded and holds). */
  DmaFence heldFenceForTest() {
    return fence;
  }

  @Override
  public String toString() {
    return "dma_resv_iter[" + obj + "," + usage + ",index=" + index + "/" + numFences
        + ",list#" + listGeneration() + "]";
  }
}
