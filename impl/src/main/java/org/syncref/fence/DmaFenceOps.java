package org.syncref.fence;

import java.util.Objects;

/**
 * The ops table of an issuing module (struct dma_fence_ops): two mandatory name callbacks and the
 * optional enable_signaling, signaled, wait and release, each null when not implemented.
 *
 * <p>ops->set_deadline is not modelled (see the package comment). The table
 * lives in its {@link #module()}: reading it after the module unloaded oopses.
 */
public final class DmaFenceOps {
  /** get_driver_name / get_timeline_name. */
  @FunctionalInterface
  public interface NameOp {
    /** Returns the name for {@code fence}. */
    String name(DmaFence fence);
  }

  /** enable_signaling: called at most once, with the fence lock held. */
  @FunctionalInterface
  public interface EnableSignalingOp {
    /** Returns false if the fence has already passed or enabling failed; the core then signals it. */
    boolean enableSignaling(DmaFence fence);
  }

  /**
   * signaled: the peek of dma_fence_is_signaled and dma_fence_get_status (TLA+ PeekSignaled).
   * Once it returned true it must keep returning true (include/linux/dma-fence.h @signaled).
   * <p>TLA+ HwComplete(t, f) is what this op reads: the issuer's hardware passing the fence
   * (an engine's completed seqno, a test's flag); it is no kernel call and no method here.
   */
  @FunctionalInterface
  public interface SignaledOp {
    /** Whether the hardware has passed {@code fence}; the core then signals it. */
    boolean signaled(DmaFence fence);
  }

  /** wait (deprecated): replaces dma_fence_default_wait. */
  @FunctionalInterface
  public interface WaitOp {
    /** Same contract as {@link DmaFence#waitTimeout(boolean, long)}. */
    long wait(DmaFence fence, boolean intr, long timeout);
  }

  /** release: called on the last put instead of dma_fence_free; must free the fence RCU-safely. */
  @FunctionalInterface
  public interface ReleaseOp {
    /** Releases {@code fence}; the core marks it freed when this returns. */
    void release(DmaFence fence);
  }

  private final FenceModule module;
  private final NameOp getDriverName;
  private final NameOp getTimelineName;
  private final EnableSignalingOp enableSignaling;
  private final SignaledOp signaled;
  private final WaitOp waitOp;
  private final ReleaseOp release;

  private DmaFenceOps(Builder b) {
    this.module = Objects.requireNonNull(b.module, "module");
    this.getDriverName = b.getDriverName;
    this.getTimelineName = b.getTimelineName;
    this.enableSignaling = b.enableSignaling;
    this.signaled = b.signaled;
    this.waitOp = b.wait;
    this.release = b.release;
  }

  /** A builder for ops of {@code module} with fixed driver and timeline names. */
  public static Builder builder(FenceModule module, String driverName, String timelineName) {
    return builder(module, f -> driverName, f -> timelineName);
  }

  /** A builder for ops of {@code module} with the given name callbacks (null is allowed and BUGs in init). */
  public static Builder builder(FenceModule module, NameOp getDriverName, NameOp getTimelineName) {
    Builder b = new Builder(module);
    b.getDriverName = getDriverName;
    b.getTimelineName = getTimelineName;
    return b;
  }

  /** Ops of {@code module} with only the two mandatory names (like the self-tests' mock_ops). */
  public static DmaFenceOps names(FenceModule module, String driverName, String timelineName) {
    return builder(module, driverName, timelineName).build();
  }

  /** The module the table (and every op) belongs to. */
  public FenceModule module() {
    return module;
  }

  /** ops->get_driver_name (mandatory). */
  public NameOp getDriverName() {
    return getDriverName;
  }

  /** ops->get_timeline_name (mandatory). */
  public NameOp getTimelineName() {
    return getTimelineName;
  }

  /** ops->enable_signaling, or null when not implemented. */
  public EnableSignalingOp enableSignaling() {
    return enableSignaling;
  }

  /** ops->signaled, or null when not implemented. */
  public SignaledOp signaled() {
    return signaled;
  }

  /** ops->wait, or null when not implemented. */
  public WaitOp waitOp() {
    return waitOp;
  }

  /** ops->release, or null when not implemented (dma_fence_free is used). */
  public ReleaseOp release() {
    return release;
  }

  /** Whether the core keeps the ops at signal time: release or wait is implemented (M-RCU). */
  public boolean pinsModule() {
    return release != null || waitOp != null;
  }

  @Override
  public String toString() {
    return "dma_fence_ops[" + module + (enableSignaling != null ? ",enable_signaling" : "")
        + (signaled != null ? ",signaled" : "")
        + (waitOp != null ? ",wait" : "") + (release != null ? ",release" : "") + "]";
  }

  /** Builds a {@link DmaFenceOps}; optional ops left unset are "not implemented". */
  public static final class Builder {
    private final FenceModule module;
    private NameOp getDriverName;
    private NameOp getTimelineName;
    private EnableSignalingOp enableSignaling;
    private SignaledOp signaled;
    private WaitOp wait;
    private ReleaseOp release;

    private Builder(FenceModule module) {
      this.module = module;
    }

    /** Implements ops->enable_signaling. */
    public Builder enableSignaling(EnableSignalingOp op) {
      this.enableSignaling = op;
      return this;
    }

    /** Implements ops->signaled. */
    public Builder signaled(SignaledOp op) {
      this.signaled = op;
      return this;
    }

    /** Implements the deprecated ops->wait. */
    public Builder waitOp(WaitOp op) {
      this.wait = op;
      return this;
    }

    /** Implements ops->release. */
    public Builder release(ReleaseOp op) {
      this.release = op;
      return this;
    }

    /** The immutable ops table. */
    public DmaFenceOps build() {
      return new DmaFenceOps(this);
    }
  }
}
