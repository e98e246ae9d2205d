package org.syncref.litmus;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel calls a litmus file can make: the kernel's name and argument order, the kinds of the
 * arguments, what the call returns, and the action of spec/Litmus/Litmus.tla that models it (the
 * thread is always the action's first argument). This table is the litmus column of the
 * vocabulary in spec/MAPPING.md (section Litmus).
 */
public final class Calls {
  private Calls() {}

  /** What an argument position accepts. */
  public enum Kind {
    FENCE("a fence"),
    RESV("a resv"),
    MUTEX("a ww_mutex"),
    CLASS("a ww_class"),
    /** An acquire context; introduced by its first use as ww_acquire_init's first argument. */
    CTX("an acquire context"),
    CTX_OR_NULL("an acquire context or NULL"),
    /** A fence context declared with {@code context}. */
    CONTEXT("a fence context"),
    USAGE("a usage (KERNEL, WRITE, READ, BOOKKEEP)"),
    INT("an integer"),
    /** A negative error value such as -EIO. */
    ERROR("an error such as -EIO"),
    BOOL("true or false"),
    /** A dma_fence_cb; introduced by its first use. */
    CB("a callback name");

    private final String what;

    Kind(String what) {
      this.what = what;
    }

    /** For messages: "a fence". */
    public String what() {
      return what;
    }
  }

  /** What a call returns. */
  public enum Result {
    VOID,
    INT,
    BOOL,
    FENCES
  }

  /** The calls. */
  public enum Fn {
    DMA_FENCE_SIGNAL("dma_fence_signal", Result.VOID, "LSignal", Kind.FENCE),
    DMA_FENCE_CHECK_AND_SIGNAL("dma_fence_check_and_signal", Result.BOOL, "LCheckAndSignal", Kind.FENCE),
    DMA_FENCE_SET_ERROR("dma_fence_set_error", Result.VOID, "LSetError", Kind.FENCE, Kind.ERROR),
    DMA_FENCE_GET_STATUS("dma_fence_get_status", Result.INT, "LGetStatus", Kind.FENCE),
    DMA_FENCE_IS_SIGNALED("dma_fence_is_signaled", Result.BOOL, "LIsSignaled", Kind.FENCE),
    DMA_FENCE_ENABLE_SIGNALING("dma_fence_enable_signaling", Result.VOID, "LEnableSignaling", Kind.FENCE),
    DMA_FENCE_ADD_CALLBACK("dma_fence_add_callback", Result.INT, "LAddCallback", Kind.FENCE, Kind.CB),
    DMA_FENCE_REMOVE_CALLBACK("dma_fence_remove_callback", Result.BOOL, "LRemoveCallback", Kind.FENCE, Kind.CB),
    DMA_FENCE_WAIT_TIMEOUT("dma_fence_wait_timeout", Result.INT, "LWaitTimeout", Kind.FENCE, Kind.BOOL, Kind.INT),
    /**
     * Not a kernel call: the issuer's hardware passes fence f, so the ops->signaled and
     * ops->enable_signaling of a fence declared with {@code ops} report it as completed.
     */
    HW_COMPLETE("hw_complete", Result.VOID, "LHwComplete", Kind.FENCE),
    /** dma_fence_wait(f, intr): dma_fence_wait_timeout with MAX_SCHEDULE_TIMEOUT; 0 once signaled. */
    DMA_FENCE_WAIT("dma_fence_wait", Result.INT, "LWaitTimeout", Kind.FENCE, Kind.BOOL),
    DMA_RESV_LOCK("dma_resv_lock", Result.INT, "LResvLock", Kind.RESV, Kind.CTX_OR_NULL),
    DMA_RESV_LOCK_SLOW("dma_resv_lock_slow", Result.VOID, "LResvLockSlow", Kind.RESV, Kind.CTX),
    DMA_RESV_UNLOCK("dma_resv_unlock", Result.VOID, "LResvUnlock", Kind.RESV),
    DMA_RESV_RESERVE_FENCES("dma_resv_reserve_fences", Result.INT, "LReserveFences", Kind.RESV, Kind.INT),
    DMA_RESV_ADD_FENCE("dma_resv_add_fence", Result.VOID, "LAddFence", Kind.RESV, Kind.FENCE, Kind.USAGE),
    DMA_RESV_REPLACE_FENCES("dma_resv_replace_fences", Result.VOID, "LReplaceFences",
        Kind.RESV, Kind.CONTEXT, Kind.FENCE, Kind.USAGE),
    DMA_RESV_TEST_SIGNALED("dma_resv_test_signaled", Result.BOOL, "LTestSignaled", Kind.RESV, Kind.USAGE),
    DMA_RESV_GET_FENCES("dma_resv_get_fences", Result.FENCES, "LGetFences", Kind.RESV, Kind.USAGE),
    /**
     * r = dma_resv_get_singleton(obj, usage): the fence *fence stands for, as a list: [] for
     * NULL, [f] for the one fence itself, and for two or more the members of the new
     * dma_fence_array (on a context of its own) in get_fences' order.
     */
    DMA_RESV_GET_SINGLETON("dma_resv_get_singleton", Result.FENCES, "LGetSingleton", Kind.RESV, Kind.USAGE),
    /**
     * The fences the loop dma_resv_for_each_fence(&cursor, obj, usage, fence) visits, lock held:
     * every entry with usage &lt;= usage in table order, signaled ones too (its length for
     * BOOKKEEP is num_fences).
     */
    DMA_RESV_FOR_EACH_FENCE("dma_resv_for_each_fence", Result.FENCES, "LForEachFence", Kind.RESV, Kind.USAGE),
    DMA_RESV_WAIT_TIMEOUT("dma_resv_wait_timeout", Result.INT, "LResvWaitTimeout",
        Kind.RESV, Kind.USAGE, Kind.BOOL, Kind.INT),
    WW_ACQUIRE_INIT("ww_acquire_init", Result.VOID, "LAcquireInit", Kind.CTX, Kind.CLASS),
    WW_ACQUIRE_INIT_NOINJECT("ww_acquire_init_noinject", Result.VOID, "LAcquireInitNoinject", Kind.CTX, Kind.CLASS),
    WW_ACQUIRE_DONE("ww_acquire_done", Result.VOID, "LAcquireDone", Kind.CTX),
    WW_ACQUIRE_FINI("ww_acquire_fini", Result.VOID, "LAcquireFini", Kind.CTX),
    WW_MUTEX_LOCK("ww_mutex_lock", Result.INT, "LWwLock", Kind.MUTEX, Kind.CTX_OR_NULL),
    WW_MUTEX_LOCK_SLOW("ww_mutex_lock_slow", Result.VOID, "LWwLockSlow", Kind.MUTEX, Kind.CTX),
    WW_MUTEX_TRYLOCK("ww_mutex_trylock", Result.INT, "LWwTrylock", Kind.MUTEX, Kind.CTX_OR_NULL),
    WW_MUTEX_UNLOCK("ww_mutex_unlock", Result.VOID, "LWwUnlock", Kind.MUTEX);

    private final String kernelName;
    private final Result result;
    private final String action;
    private final List<Kind> params;

    Fn(String kernelName, Result result, String action, Kind... params) {
      this.kernelName = kernelName;
      this.result = result;
      this.action = action;
      this.params = List.of(params);
    }

    public String kernelName() {
      return kernelName;
    }

    public Result result() {
      return result;
    }

    /** The Litmus.tla action. */
    public String action() {
      return action;
    }

    public List<Kind> params() {
      return params;
    }

    /** {@code dma_resv_add_fence(resv, fence, usage)}, for messages. */
    public String signature() {
      StringBuilder sb = new StringBuilder(kernelName).append('(');
      for (int i = 0; i < params.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(params.get(i).name().toLowerCase());
      }
      return sb.append(')').toString();
    }
  }

  private static final Map<String, Fn> BY_NAME = new LinkedHashMap<>();

  static {
    for (Fn f : Fn.values()) {
      BY_NAME.put(f.kernelName, f);
    }
  }

  /** The call with this kernel name. */
  public static Optional<Fn> byName(String kernelName) {
    return Optional.ofNullable(BY_NAME.get(kernelName));
  }

  /** Every kernel name, for "expected one of" messages. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** enum dma_resv_usage: a lower value is stronger. */
  public static final List<String> USAGES = List.of("KERNEL", "WRITE", "READ", "BOOKKEEP");

  /** Error names a file may use, with their (positive) values (include/uapi/asm-generic/errno*.h). */
  public static final Map<String, Integer> ERRNO = new LinkedHashMap<>();

  static {
    Object[][] e = {
      {"EPERM", 1}, {"ENOENT", 2}, {"EINTR", 4}, {"EIO", 5}, {"EAGAIN", 11}, {"ENOMEM", 12},
      {"EBUSY", 16}, {"EINVAL", 22}, {"EDEADLK", 35}, {"ETIME", 62}, {"ETIMEDOUT", 110},
      {"EALREADY", 114}, {"ECANCELED", 125}, {"ERESTARTSYS", 512}
    };
    for (Object[] x : e) {
      ERRNO.put((String) x[0], (Integer) x[1]);
    }
  }

  /** "-EIO" for -5, or null if v is not a known negative error. */
  public static String errnoName(long v) {
    if (v >= 0) {
      return null;
    }
    for (Map.Entry<String, Integer> e : ERRNO.entrySet()) {
      if (e.getValue() == -v) {
        return "-" + e.getKey();
      }
    }
    return null;
  }

  /** Largest integer literal a file may use (TLC's integers are 32-bit). */
  public static final long MAX_INT = 1_000_000L;

  /**
   * MAX_SCHEDULE_TIMEOUT (LONG_MAX, include/linux/sched.h): a timeout that never runs out. A
   * file writes it by name as the timeout of dma_fence_wait_timeout and dma_resv_wait_timeout and
   * in conditions; it is the value such a wait returns once woken.
   */
  public static final long MAX_SCHEDULE_TIMEOUT = Long.MAX_VALUE;
  /** The word a file writes for {@link #MAX_SCHEDULE_TIMEOUT}. */
  public static final String MAX_SCHEDULE_TIMEOUT_WORD = "MAX_SCHEDULE_TIMEOUT";

  /** Whether argument i of fn is a timeout in jiffies (MAX_SCHEDULE_TIMEOUT allowed). */
  public static boolean isTimeout(Fn fn, int i) {
    return fn == Fn.DMA_FENCE_WAIT_TIMEOUT && i == 2 || fn == Fn.DMA_RESV_WAIT_TIMEOUT && i == 3;
  }

  /** Whether the call sleeps without a timeout: dma_fence_wait, or a MAX_SCHEDULE_TIMEOUT wait. */
  public static boolean waitsForever(Litmus.Call c) {
    if (c.fn() == Fn.DMA_FENCE_WAIT) {
      return true;
    }
    for (int i = 0; i < c.args().size(); i++) {
      if (isTimeout(c.fn(), i) && c.args().get(i) instanceof Litmus.Num n && n.value() == MAX_SCHEDULE_TIMEOUT) {
        return true;
      }
    }
    return false;
  }

  static {
    assert Arrays.stream(Fn.values()).map(Fn::kernelName).distinct().count() == Fn.values().length;
  }
}
