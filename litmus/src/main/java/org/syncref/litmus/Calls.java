package org.syncref.litmus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.syncref.fence.DmaFence;
import org.syncref.fence.DmaFenceArray;
import org.syncref.fence.DmaFenceCb;
import org.syncref.kernel.Kernel;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvIter;
import org.syncref.resv.DmaResvUsage;
import org.syncref.ww.WwAcquireContext;
import org.syncref.ww.WwClass;
import org.syncref.ww.WwMutex;

/**
 * The kernel calls a litmus file can make, each declared once ({@link Fn}): the kernel's name and
 * argument order, the kinds of the arguments, what the call returns, the component action that
 * models it (the thread is always the action's first argument), the Java call and the C of
 * kernel-check. spec/MAPPING.md's Litmus table is generated from it ({@link #mappingTable()}).
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

  /**
   * The component spec whose action a call runs. A plain call's Litmus.tla action is generated
   * (by {@link SpecModel}, into each file's MCLitmus module): {@code prefix + action}, defined as
   * {@code Ready(t) /\ instance!action(args) /\ frame}. {@link #LITMUS} names an action written
   * by hand in spec/Litmus/Litmus.tla, for a call that is not such a wrapper.
   */
  public enum Component {
    /** spec/DmaFence/DmaFence.tla; resv and ww state unchanged (Litmus.tla's FenceFrame). */
    DMA_FENCE("DmaFence", "Fence", "FenceFrame", "L"),
    /** spec/DmaResv/DmaResv.tla; ww state unchanged (ResvFrame). */
    DMA_RESV("DmaResv", "Resv", "ResvFrame", "L"),
    /** spec/WwMutex/WwCalls.tla; the resv holders follow the ww_mutex owners (WwStep). */
    WW_CALLS("WwCalls", "WW", "WwStep", "LWw"),
    /** An action written by hand in spec/Litmus/Litmus.tla. */
    LITMUS("Litmus", null, null, "");

    private final String module;
    private final String instance;
    private final String frame;
    private final String prefix;

    Component(String module, String instance, String frame, String prefix) {
      this.module = module;
      this.instance = instance;
      this.frame = frame;
      this.prefix = prefix;
    }

    /** The TLA+ module, e.g. DmaResv. */
    public String module() {
      return module;
    }

    /** The name Litmus.tla instances the module under ({@code Resv == INSTANCE DmaResv}). */
    public String instance() {
      return instance;
    }

    /** The Litmus.tla operator that keeps the other components' variables as they are. */
    public String frame() {
      return frame;
    }
  }

  /**
   * What a call runs in the spec: a component action by the component's own name (AddFence of
   * DmaResv), with the call's arguments in the kernel's order, less the ones the action does not
   * take ({@code dropped}, indices into the call's arguments), then {@code extra} TLA+ values.
   */
  public record Spec(Component component, String action, List<Integer> dropped, List<String> extra) {
    /** The Litmus.tla action LitmusNext applies: generated for a plain call. */
    public String litmusAction() {
      return component.prefix + action;
    }

    /** Whether Litmus.tla's action is generated (a wrapper) rather than written by hand. */
    public boolean plain() {
      return component != Component.LITMUS;
    }

    Spec without(int argIndex) {
      List<Integer> d = new ArrayList<>(dropped);
      d.add(argIndex);
      return new Spec(component, action, List.copyOf(d), extra);
    }

    Spec plus(String tlaValue) {
      List<String> e = new ArrayList<>(extra);
      e.add(tlaValue);
      return new Spec(component, action, dropped, List.copyOf(e));
    }
  }

  static Spec plain(Component c, String action) {
    return new Spec(c, action, List.of(), List.of());
  }

  /** A call modelled by an action written by hand in Litmus.tla (it says why there). */
  static Spec litmus(String action) {
    return new Spec(Component.LITMUS, action, List.of(), List.of());
  }

  /** The objects of one Java execution, by their litmus names ({@link ImplRunner} implements it). */
  public interface JavaEnv {
    Kernel kernel();

    DmaFence fence(String name);

    DmaResv resv(String name);

    WwMutex mutex(String name);

    WwClass wwClass(String name);

    /** The acquire context a ww_acquire_init introduced. */
    WwAcquireContext ctx(String name);

    /** Binds an acquire context name (ww_acquire_init). */
    void initCtx(String name, WwAcquireContext ctx);

    /** The dma_fence_cb of this name, created at its first use. */
    DmaFenceCb cb(String name);

    /** The number dma_fence_context_alloc gave the fence context of this name. */
    long context(String name);

    /** hw_complete: the issuer's hardware has passed f (what the litmus ops read). */
    void hwComplete(DmaFence f);
  }

  /** A call's arguments as Java objects of one execution. */
  public static final class JavaArgs {
    private final JavaEnv env;
    private final List<Litmus.Arg> args;

    public JavaArgs(JavaEnv env, List<Litmus.Arg> args) {
      this.env = env;
      this.args = args;
    }

    public JavaEnv env() {
      return env;
    }

    String name(int i) {
      return ((Litmus.Name) args.get(i)).name();
    }

    DmaFence fence(int i) {
      return env.fence(name(i));
    }

    DmaResv resv(int i) {
      return env.resv(name(i));
    }

    WwMutex mutex(int i) {
      return env.mutex(name(i));
    }

    WwClass wwClass(int i) {
      return env.wwClass(name(i));
    }

    /** The acquire context, or null for NULL. */
    WwAcquireContext ctx(int i) {
      return args.get(i) instanceof Litmus.Null ? null : env.ctx(name(i));
    }

    DmaFenceCb cb(int i) {
      return env.cb(name(i));
    }

    long context(int i) {
      return env.context(name(i));
    }

    DmaResvUsage usage(int i) {
      return DmaResvUsage.valueOf(name(i));
    }

    long num(int i) {
      return ((Litmus.Num) args.get(i)).value();
    }

    boolean bool(int i) {
      return ((Litmus.Bool) args.get(i)).value();
    }
  }

  /**
   * The Java call; runs on the litmus thread's worker. Returns null (void), a Boolean, a Number
   * or a List of DmaFence, as the call's {@link Result} says.
   */
  @FunctionalInterface
  public interface JavaCall {
    Object call(JavaArgs a);
  }

  /** A Java call that returns nothing. */
  @FunctionalInterface
  interface JavaVoid {
    void call(JavaArgs a);
  }

  static JavaCall v(JavaVoid f) {
    return a -> {
      f.call(a);
      return null;
    };
  }

  /** The Java side of a call: the method (Markdown, for spec/MAPPING.md) and the call itself. */
  public record Java(String method, JavaCall call) {}

  static Java impl(String method, JavaCall call) {
    return new Java(method, call);
  }

  /** What kernel-check's generator gives a call's C form (CGenerator implements it). */
  public interface CArgs {
    /** The C expression of argument i (&s->f[0], DMA_RESV_USAGE_WRITE, (5L), NULL, ...). */
    String arg(int i);

    /** The scenario's index of the fence that is argument i. */
    int fenceIndex(int i);

    /** The tree declares dma_fence_check_and_signal (KernelApi.checkAndSignal). */
    boolean checkAndSignal();
  }

  /**
   * The C statement of a call in the generated KUnit suite; it stores the result in {@code *v}
   * (an {@code struct sr_val}). {@code declares}: the function the tree's headers must declare
   * for the call to be expressible (KernelApi.missing).
   */
  public record C(String declares, java.util.function.Function<CArgs, String> code) {}

  static String cArgs(CArgs a, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(a.arg(i));
    }
    return sb.toString();
  }

  /** {@code fn(args);} (n arguments). */
  static C cVoid(String fn, int n) {
    return new C(fn, a -> fn + "(" + cArgs(a, n) + ");");
  }

  /** {@code *v = SR_VAL(SR_INT, fn(args));} */
  static C cInt(String fn, int n) {
    return new C(fn, a -> "*v = SR_VAL(SR_INT, " + fn + "(" + cArgs(a, n) + "));");
  }

  /** {@code *v = SR_VAL(SR_BOOL, fn(args));} */
  static C cBool(String fn, int n) {
    return new C(fn, a -> "*v = SR_VAL(SR_BOOL, " + fn + "(" + cArgs(a, n) + "));");
  }

  /** {@code *v = helper(s, args);}: a helper of the generated suite that packs a fence list. */
  static C cHelper(String declares, String helper, int n) {
    return new C(declares, a -> "*v = " + helper + "(s, " + cArgs(a, n) + ");");
  }

  /**
   * The calls: each declared once, with everything the tools derive from it. The parser takes
   * names, arity and kinds from here; SpecModel the spec action (and generates the plain
   * wrappers); ImplRunner the Java call; CGenerator the C; spec/MAPPING.md's Litmus table is
   * generated from it ({@link #mappingTable()}).
   */
  public enum Fn {
    DMA_FENCE_SIGNAL("dma_fence_signal", Result.VOID, plain(Component.DMA_FENCE, "Signal"),
        impl("`DmaFence.signal()`", v(a -> a.fence(0).signal())),
        // 6.1/6.12: int dma_fence_signal(); mainline: void. The value is not a litmus result.
        cVoid("dma_fence_signal", 1), "", Kind.FENCE),
    DMA_FENCE_CHECK_AND_SIGNAL("dma_fence_check_and_signal", Result.BOOL, plain(Component.DMA_FENCE, "CheckAndSignal"),
        impl("`DmaFence.checkAndSignal()`", a -> a.fence(0).checkAndSignal()),
        // mainline: dma_fence_check_and_signal() is "was already signaled"; before it,
        // dma_fence_signal() returned -EINVAL when already signaled (docs/kernel-check.md, "Kernel trees
        // and versions").
        new C("dma_fence_signal", a -> a.checkAndSignal()
            ? "*v = SR_VAL(SR_BOOL, dma_fence_check_and_signal(" + a.arg(0) + ") ? 1 : 0);"
            : "*v = SR_VAL(SR_BOOL, dma_fence_signal(" + a.arg(0) + ") != 0);"),
        "was already signaled; on 6.1 and 6.12, which lack it, kernel-check runs `dma_fence_signal(f) != 0`",
        Kind.FENCE),
    DMA_FENCE_SET_ERROR("dma_fence_set_error", Result.VOID, plain(Component.DMA_FENCE, "SetError"),
        impl("`DmaFence.setError(e)`", v(a -> a.fence(0).setError((int) a.num(1)))),
        cVoid("dma_fence_set_error", 2), "", Kind.FENCE, Kind.ERROR),
    DMA_FENCE_GET_STATUS("dma_fence_get_status", Result.INT, plain(Component.DMA_FENCE, "GetStatus"),
        impl("`DmaFence.getStatus()`", a -> a.fence(0).getStatus()),
        cInt("dma_fence_get_status", 1), "0, 1, or the error", Kind.FENCE),
    DMA_FENCE_IS_SIGNALED("dma_fence_is_signaled", Result.BOOL, plain(Component.DMA_FENCE, "IsSignaled"),
        impl("`DmaFence.isSignaled()`", a -> a.fence(0).isSignaled()),
        cBool("dma_fence_is_signaled", 1), "", Kind.FENCE),
    /**
     * dma_fence_set_deadline(f, deadline): the deadline is a hint with no effect the spec
     * observes, so the litmus call takes only the fence (kernel-check passes ktime_get()). The
     * ops of a fence declared with {@code ops signaled} implement set_deadline.
     */
    DMA_FENCE_SET_DEADLINE("dma_fence_set_deadline", Result.VOID, plain(Component.DMA_FENCE, "SetDeadline"),
        impl("`DmaFence.setDeadline(deadline)`", v(a -> a.fence(0).setDeadline(0))),
        new C("dma_fence_set_deadline", a -> "dma_fence_set_deadline(" + a.arg(0) + ", ktime_get());"),
        "the deadline (`ktime_get()` in kernel-check) is not a litmus argument; the ops of an "
            + "`ops signaled` fence implement set_deadline",
        Kind.FENCE),
    DMA_FENCE_ENABLE_SIGNALING("dma_fence_enable_signaling", Result.VOID, plain(Component.DMA_FENCE, "EnableSignaling"),
        impl("`DmaFence.enableSignaling()`", v(a -> a.fence(0).enableSignaling())),
        cVoid("dma_fence_enable_sw_signaling", 1), "`dma_fence_enable_sw_signaling` on 6.12 and earlier",
        Kind.FENCE),
    DMA_FENCE_ADD_CALLBACK("dma_fence_add_callback", Result.INT, plain(Component.DMA_FENCE, "AddCallback"),
        impl("`DmaFence.addCallback(cb, func)`", a -> a.fence(0).addCallback(a.cb(1), (f, cb) -> { })),
        new C("dma_fence_add_callback",
            a -> "*v = SR_VAL(SR_INT, dma_fence_add_callback(" + a.arg(0) + ", " + a.arg(1) + ", sr_cb_func));"),
        "0 or -ENOENT", Kind.FENCE, Kind.CB),
    DMA_FENCE_REMOVE_CALLBACK("dma_fence_remove_callback", Result.BOOL, plain(Component.DMA_FENCE, "RemoveCallback"),
        impl("`DmaFence.removeCallback(cb)`", a -> a.fence(0).removeCallback(a.cb(1))),
        cBool("dma_fence_remove_callback", 2), "", Kind.FENCE, Kind.CB),
    DMA_FENCE_WAIT_TIMEOUT("dma_fence_wait_timeout", Result.INT, plain(Component.DMA_FENCE, "WaitTimeout"),
        impl("`DmaFence.waitTimeout(intr, to)`", a -> a.fence(0).waitTimeout(a.bool(1), a.num(2))),
        cInt("dma_fence_wait_timeout", 3), "a sleep ended by `LWaitWake` / `LWaitExpire`",
        Kind.FENCE, Kind.BOOL, Kind.INT),
    /**
     * Not a kernel call: the issuer's hardware passes fence f, so the ops->signaled and
     * ops->enable_signaling of a fence declared with {@code ops} report it as completed.
     */
    HW_COMPLETE("hw_complete", Result.VOID, plain(Component.DMA_FENCE, "HwComplete"),
        impl("the flag the litmus ops read (`ImplRunner`)", v(a -> a.env().hwComplete(a.fence(0)))),
        // not a kernel call: the hardware passes the fence (what sr_fence_hw_done reads)
        new C("dma_fence_is_signaled", a -> "WRITE_ONCE(s->hw[" + a.fenceIndex(0) + "], true);"),
        "not a kernel call: the issuer's hardware passes the fence, read by the ops of a "
            + "`fence ... ops signaled/enable_signaling`",
        Kind.FENCE),
    /** dma_fence_wait(f, intr): dma_fence_wait_timeout with MAX_SCHEDULE_TIMEOUT; 0 once signaled. */
    DMA_FENCE_WAIT("dma_fence_wait", Result.INT,
        plain(Component.DMA_FENCE, "WaitTimeout").plus(Integer.toString(SpecModel.WAIT_FOREVER)),
        impl("`DmaFence.wait(intr)`", a -> a.fence(0).wait(a.bool(1))),
        cInt("dma_fence_wait", 2), "0 once signaled; the timeout 1 that only `LWaitWake` ends",
        Kind.FENCE, Kind.BOOL),
    DMA_RESV_LOCK("dma_resv_lock", Result.INT, litmus("LResvLock"),
        impl("`DmaResv.lock()` / `lock(ctx)`", a -> a.ctx(1) == null ? a.resv(0).lock() : a.resv(0).lock(a.ctx(1))),
        cInt("dma_resv_lock", 2), "WwCalls `Lock` on the resv", Kind.RESV, Kind.CTX_OR_NULL),
    DMA_RESV_LOCK_SLOW("dma_resv_lock_slow", Result.VOID, litmus("LResvLockSlow"),
        impl("`DmaResv.lockSlow(ctx)`", v(a -> a.resv(0).lockSlow(a.ctx(1)))),
        cVoid("dma_resv_lock_slow", 2), "WwCalls `LockSlow` on the resv", Kind.RESV, Kind.CTX),
    DMA_RESV_UNLOCK("dma_resv_unlock", Result.VOID, litmus("LResvUnlock"),
        impl("`DmaResv.unlock()`", v(a -> a.resv(0).unlock())),
        cVoid("dma_resv_unlock", 1), "DmaResv `ResvUnlock` + WwCalls `Unlock`", Kind.RESV),
    DMA_RESV_RESERVE_FENCES("dma_resv_reserve_fences", Result.INT, plain(Component.DMA_RESV, "ReserveFences"),
        impl("`DmaResv.reserveFences(n)`", a -> a.resv(0).reserveFences((int) a.num(1))),
        cInt("dma_resv_reserve_fences", 2), "", Kind.RESV, Kind.INT),
    DMA_RESV_ADD_FENCE("dma_resv_add_fence", Result.VOID, plain(Component.DMA_RESV, "AddFence"),
        impl("`DmaResv.addFence(f, usage)`", v(a -> a.resv(0).addFence(a.fence(1), a.usage(2)))),
        cVoid("dma_resv_add_fence", 3), "after a contract breach (no slot reserved) `LAddFenceKernel`",
        Kind.RESV, Kind.FENCE, Kind.USAGE),
    DMA_RESV_REPLACE_FENCES("dma_resv_replace_fences", Result.VOID, plain(Component.DMA_RESV, "ReplaceFences"),
        impl("`DmaResv.replaceFences(context, f, usage)`",
            v(a -> a.resv(0).replaceFences(a.context(1), a.fence(2), a.usage(3)))),
        cVoid("dma_resv_replace_fences", 4), "", Kind.RESV, Kind.CONTEXT, Kind.FENCE, Kind.USAGE),
    DMA_RESV_TEST_SIGNALED("dma_resv_test_signaled", Result.BOOL, plain(Component.DMA_RESV, "TestSignaled"),
        impl("`DmaResv.testSignaled(usage)`", a -> a.resv(0).testSignaled(a.usage(1))),
        cBool("dma_resv_test_signaled", 2), "", Kind.RESV, Kind.USAGE),
    DMA_RESV_GET_FENCES("dma_resv_get_fences", Result.FENCES, plain(Component.DMA_RESV, "GetFences"),
        impl("`DmaResv.getFences(usage)`", a -> a.resv(0).getFences(a.usage(1))),
        cHelper("dma_resv_get_fences", "sr_get_fences", 2), "", Kind.RESV, Kind.USAGE),
    /**
     * r = dma_resv_get_singleton(obj, usage): the fence *fence stands for, as a list: [] for
     * NULL, [f] for the one fence itself, and for two or more the members of the new
     * dma_fence_array (on a context of its own) in get_fences' order.
     */
    DMA_RESV_GET_SINGLETON("dma_resv_get_singleton", Result.FENCES, plain(Component.DMA_RESV, "GetSingleton"),
        impl("`DmaResv.getSingleton(usage)`", a -> {
          // what *fence stands for: nothing, the fence, or the array's members; then put it
          DmaFence f = a.resv(0).getSingleton(a.usage(1));
          DmaFenceArray arr = f == null ? null : DmaFenceArray.toDmaFenceArray(f);
          List<DmaFence> out = f == null ? List.of() : arr != null ? List.copyOf(arr.fences()) : List.of(f);
          if (f != null) {
            f.put();
          }
          return out;
        }),
        cHelper("dma_resv_get_singleton", "sr_get_singleton", 2),
        "NULL, the fence, or the new `dma_fence_array`'s members", Kind.RESV, Kind.USAGE),
    /**
     * The fences the loop dma_resv_for_each_fence(&cursor, obj, usage, fence) visits, lock held:
     * every entry with usage &lt;= usage in table order, signaled ones too (its length for
     * BOOKKEEP is num_fences).
     */
    DMA_RESV_FOR_EACH_FENCE("dma_resv_for_each_fence", Result.FENCES, litmus("LForEachFence"),
        impl("`DmaResvIter.begin(obj, usage)`, `first()`, `next()` ..., `end()`", a -> {
          List<DmaFence> out = new ArrayList<>();
          DmaResvIter it = DmaResvIter.begin(a.resv(0), a.usage(1));
          for (DmaFence f = it.first(); f != null; f = it.next()) {
            out.add(f);
          }
          it.end();
          return out;
        }),
        cHelper("dma_resv_for_each_fence", "sr_for_each_fence", 2),
        "the locked walk `IterFirst`, `IterNext` ..., `IterEnd` in one step; the fences visited",
        Kind.RESV, Kind.USAGE),
    DMA_RESV_WAIT_TIMEOUT("dma_resv_wait_timeout", Result.INT,
        // the wait's intr is not a parameter of ResvWaitTimeout (litmus threads get no signals)
        plain(Component.DMA_RESV, "ResvWaitTimeout").without(2),
        impl("`DmaResv.waitTimeout(usage, intr, timeout)`", a -> a.resv(0).waitTimeout(a.usage(1), a.bool(2), a.num(3))),
        cInt("dma_resv_wait_timeout", 4), "a sleep ended by `LWaitWake` / `LWaitExpire`",
        Kind.RESV, Kind.USAGE, Kind.BOOL, Kind.INT),
    WW_ACQUIRE_INIT("ww_acquire_init", Result.VOID, plain(Component.WW_CALLS, "AcquireInit"),
        impl("`WwAcquireContext.init(kernel, class)`",
            v(a -> a.env().initCtx(a.name(0), WwAcquireContext.init(a.env().kernel(), a.wwClass(1))))),
        cVoid("ww_acquire_init", 2), "", Kind.CTX, Kind.CLASS),
    WW_ACQUIRE_INIT_NOINJECT("ww_acquire_init_noinject", Result.VOID, plain(Component.WW_CALLS, "AcquireInitNoinject"),
        impl("`WwAcquireContext.initNoinject(kernel, class)`",
            v(a -> a.env().initCtx(a.name(0), WwAcquireContext.initNoinject(a.env().kernel(), a.wwClass(1))))),
        // the generated suite defines test-ww_mutex.c's macro on top of ww_acquire_init
        new C("ww_acquire_init", a -> "sr_ww_acquire_init_noinject(" + cArgs(a, 2) + ");"),
        "a macro of kernel/locking/test-ww_mutex.c, not a kernel API", Kind.CTX, Kind.CLASS),
    WW_ACQUIRE_DONE("ww_acquire_done", Result.VOID, plain(Component.WW_CALLS, "AcquireDone"),
        impl("`WwAcquireContext.done()`", v(a -> a.ctx(0).done())),
        cVoid("ww_acquire_done", 1), "", Kind.CTX),
    WW_ACQUIRE_FINI("ww_acquire_fini", Result.VOID, plain(Component.WW_CALLS, "AcquireFini"),
        impl("`WwAcquireContext.fini()`", v(a -> a.ctx(0).fini())),
        cVoid("ww_acquire_fini", 1), "", Kind.CTX),
    WW_MUTEX_LOCK("ww_mutex_lock", Result.INT, plain(Component.WW_CALLS, "Lock"),
        impl("`WwMutex.lock(ctx)`", a -> a.mutex(0).lock(a.ctx(1))),
        cInt("ww_mutex_lock", 2), "", Kind.MUTEX, Kind.CTX_OR_NULL),
    WW_MUTEX_LOCK_SLOW("ww_mutex_lock_slow", Result.VOID, plain(Component.WW_CALLS, "LockSlow"),
        impl("`WwMutex.lockSlow(ctx)`", v(a -> a.mutex(0).lockSlow(a.ctx(1)))),
        cVoid("ww_mutex_lock_slow", 2), "", Kind.MUTEX, Kind.CTX),
    WW_MUTEX_TRYLOCK("ww_mutex_trylock", Result.INT, plain(Component.WW_CALLS, "Trylock"),
        impl("`WwMutex.trylock(ctx)`", a -> a.mutex(0).trylock(a.ctx(1))),
        cInt("ww_mutex_trylock", 2), "1 taken, 0 not", Kind.MUTEX, Kind.CTX_OR_NULL),
    WW_MUTEX_UNLOCK("ww_mutex_unlock", Result.VOID, plain(Component.WW_CALLS, "Unlock"),
        impl("`WwMutex.unlock()`", v(a -> a.mutex(0).unlock())),
        cVoid("ww_mutex_unlock", 1), "", Kind.MUTEX);

    private final String kernelName;
    private final Result result;
    private final Spec spec;
    private final Java java;
    private final C c;
    private final String note;
    private final List<Kind> params;

    Fn(String kernelName, Result result, Spec spec, Java java, C c, String note, Kind... params) {
      this.kernelName = kernelName;
      this.result = result;
      this.spec = spec;
      this.java = java;
      this.c = c;
      this.note = note;
      this.params = List.of(params);
    }

    public String kernelName() {
      return kernelName;
    }

    public Result result() {
      return result;
    }

    /** The spec action the call runs, by its component's name. */
    public Spec spec() {
      return spec;
    }

    /** The action of LitmusNext (or of the generated model's calls) that models the call. */
    public String action() {
      return spec.litmusAction();
    }

    public Java java() {
      return java;
    }

    public C c() {
      return c;
    }

    /** What spec/MAPPING.md's table says beside the call ("" if nothing). */
    public String note() {
      return note;
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

  /** The TLA+ parameter name of argument i of fn in its action (f, r, u, ctx, ...). */
  public static String paramName(Fn fn, int i) {
    return switch (fn.params().get(i)) {
      case FENCE -> "f";
      case RESV -> "r";
      case MUTEX -> "l";
      case CLASS -> "k";
      case CTX, CTX_OR_NULL -> "ctx";
      case CONTEXT -> "c";
      case USAGE -> "u";
      case INT -> isTimeout(fn, i) ? "to" : "n";
      case ERROR -> "e";
      case BOOL -> "intr";
      case CB -> "cb";
    };
  }

  /**
   * The indices of fn's arguments its spec action takes, in order (the extra values of
   * {@link Spec#extra()} follow them).
   */
  public static List<Integer> specArgs(Fn fn) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < fn.params().size(); i++) {
      if (!fn.spec().dropped().contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /** The action as spec/MAPPING.md writes it: {@code LAddFence(t, r, f, u)}. */
  public static String actionText(Fn fn) {
    StringBuilder sb = new StringBuilder(fn.action()).append("(t");
    for (int i : specArgs(fn)) {
      sb.append(", ").append(paramName(fn, i));
    }
    for (String x : fn.spec().extra()) {
      sb.append(", ").append(x);
    }
    return sb.append(')').toString();
  }

  private static String kindText(Fn fn, int i) {
    return switch (fn.params().get(i)) {
      case FENCE -> "fence";
      case RESV -> "resv";
      case MUTEX -> "ww_mutex";
      case CLASS -> "class";
      case CTX -> "ctx";
      case CTX_OR_NULL -> "ctx or `NULL`";
      case CONTEXT -> "fence context";
      case USAGE -> "usage";
      case INT -> isTimeout(fn, i) ? "timeout" : "int";
      case ERROR -> "error";
      case BOOL -> "bool intr";
      case CB -> "callback";
    };
  }

  /** The first line of spec/MAPPING.md's generated Litmus table. */
  public static final String TABLE_BEGIN =
      "<!-- litmus-calls: generated from org.syncref.litmus.Calls.Fn; do not edit by hand -->";
  /** The line after it. */
  public static final String TABLE_END = "<!-- litmus-calls: end -->";

  /**
   * spec/MAPPING.md's Litmus table, between {@link #TABLE_BEGIN} and {@link #TABLE_END}: one row
   * per call, in {@link Fn}'s order.
   */
  public static String mappingTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| kernel function | arguments | returns | TLA+ action | component action | Java method | notes |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    for (Fn fn : Fn.values()) {
      StringBuilder args = new StringBuilder();
      for (int i = 0; i < fn.params().size(); i++) {
        args.append(i == 0 ? "" : ", ").append(kindText(fn, i));
      }
      String result = switch (fn.result()) {
        case VOID -> "void";
        case INT -> "int";
        case BOOL -> "bool";
        case FENCES -> "fence list";
      };
      String component = fn.spec().plain()
          ? fn.spec().component().module() + " `" + fn.spec().action() + "`"
          : "written in Litmus.tla";
      sb.append("| `").append(fn.kernelName()).append("` | ").append(args).append(" | ").append(result)
          .append(" | `").append(actionText(fn)).append("` | ").append(component).append(" | ")
          .append(fn.java().method()).append(" | ").append(fn.note()).append(" |\n");
    }
    return sb.toString();
  }

  /** The calls by kernel name (a holder: Fn's constants call Calls' helpers while Fn initialises). */
  private static final class ByName {
    static final Map<String, Fn> MAP = new LinkedHashMap<>();

    static {
      for (Fn f : Fn.values()) {
        MAP.put(f.kernelName, f);
      }
      assert MAP.size() == Fn.values().length;
    }
  }

  /** The call with this kernel name. */
  public static Optional<Fn> byName(String kernelName) {
    return Optional.ofNullable(ByName.MAP.get(kernelName));
  }

  /** Every kernel name, for "expected one of" messages. */
  public static List<String> names() {
    return List.copyOf(ByName.MAP.keySet());
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

}
