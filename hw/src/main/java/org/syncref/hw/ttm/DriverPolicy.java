package org.syncref.hw.ttm;

import java.util.List;

import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.resv.DmaResv;
import org.syncref.resv.DmaResvUsage;

/**
 * The rules the kernel leaves to the GPU driver in this memory system, as spec/GpuMem/GpuMem.tla
 * has them under its constant {@code Driver} (README "Driver policies"): which submissions the
 * driver's exec ioctl makes ({@code DriverModes[Driver]}), what such a job waits for ({@code
 * SubmitDeps}: {@code LockedDeps(o, QueryOf(m))}, or amdgpu's {@code AmdgpuDeps}), the usage its
 * fence is added with ({@code UsageOf}), and what a TTM move's copy job waits for ({@code
 * EvictQuery[Driver]}). One small class per driver: {@link GenericPolicy}, {@link AmdgpuPolicy},
 * {@link XePolicy}, {@link I915Policy}; {@link TtmDevice} and {@link ExecSubmit} ask the device's
 * policy and do the rest (locks, arm, add, push; moves, ghosts, eviction) the same for all.
 *
 * <p>Kernel tree: Debian linux-source-6.12 (6.12.118); each class cites its driver's code.
 */
public interface DriverPolicy {
  /** The value of the spec's {@code Driver}: "generic", "amdgpu", "xe", "i915". */
  String name();

  /**
   * The submissions the driver's exec ioctl makes, in a fixed order (TLA+ {@code
   * DriverModes[Driver]}); {@link ExecSubmit#submit} refuses any other with -EINVAL.
   */
  List<SubmitMode> modes();

  /** The mode of a submission that writes several objects ({@link GpuMemSystem#enabledSteps}). */
  SubmitMode writer();

  /**
   * Adds to {@code job} the dependencies a submission in {@code mode} takes on {@code resv},
   * whose lock is held (TLA+ {@code SubmitDeps(o, m, f)} in {@code SubmitArm}).
   */
  void addSubmitDependencies(TtmDevice dev, DrmSchedJob job, DmaResv resv, SubmitMode mode);

  /** The usage the job's fence is added with (TLA+ {@code UsageOf(m)}). */
  default DmaResvUsage fenceUsage(SubmitMode mode) {
    return mode.usage();
  }

  /**
   * What a TTM move's copy job waits for on the moved object: every fence with a usage up to
   * this one (TLA+ {@code EvictQuery[Driver]} in {@code MoveDeps}).
   */
  DmaResvUsage evictQuery();

  /** A new policy of the driver named {@code driver} (the spec's value of {@code Driver}). */
  static DriverPolicy of(String driver) {
    return switch (driver) {
      case "generic" -> new GenericPolicy();
      case "amdgpu" -> new AmdgpuPolicy();
      case "xe" -> new XePolicy();
      case "i915" -> new I915Policy();
      default -> throw new IllegalArgumentException("no driver policy " + driver
          + " (expected generic, amdgpu, xe or i915)");
    };
  }

  /** The drivers, as the spec names them. */
  List<String> DRIVERS = List.of("generic", "amdgpu", "xe", "i915");
}
