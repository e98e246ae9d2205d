package org.syncref.hw.vm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.syncref.fence.DmaFence;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedEntity;
import org.syncref.hw.ttm.GpuMemHistory;
import org.syncref.hw.ttm.GpuMemSystem;
import org.syncref.hw.ttm.GpuMemSystem.Step;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.TtmBufferObject;
import org.syncref.hw.ttm.TtmMemType;

/**
 * The GPU memory system with a VM: {@link GpuMemSystem} (engines, schedulers, the TTM device)
 * and a {@link GpuVm} that maps one of its BOs for a long-running context. The Java counterpart
 * of spec/GpuMem/GpuMemTlb.tla's world (which extends GpuMemVm.tla's), or of GpuMemVm.tla's
 * without the TLB. Nothing runs by itself:
 * {@link #enabledSteps} lists the steps possible now (TLA+ {@code TlbNext}'s disjuncts, a worker
 * operation being one or two steps here), each of which runs the VM's checks ({@link VmHistory})
 * after it.
 *
 * <p>Steps beyond GpuMemSystem's: the scheduler's dependency callback of a blocked entity
 * ({@code drm_sched_entity_add_dependency_cb}, which enables signaling on the fence it waits
 * for: this is how a TTM copy that depends on the preemption fence as BOOKKEEP preempts the
 * context, with no special case in TTM), the preemption fence's work, the context's access, the
 * VM worker's operations, the TLB fence's work. While the VM worker holds the VM's resv (the
 * rebind between its two calls), GpuMemSystem's steps that would lock the VM's BO (its moves and
 * submissions) are not offered: they would sleep on the lock (the spec's trylocks that must
 * succeed); TTM's eviction walk only trylocks it and passes over it.
 */
public final class GpuVmSystem implements AutoCloseable {
  /** The memory system. */
  public final GpuMemSystem sys;
  /** The VM. */
  public final GpuVm vm;

  /**
   * A system of {@code vram} VRAM and {@code system} SYSTEM ranges whose kernel has {@code bugs},
   * with a VM whose worker does {@code flows} and that maps a BO called "vm" placed in VRAM; with
   * {@code tlb}, GpuMemTlb.tla's VM (a TLB and flush fences), else GpuMemVm.tla's.
   */
  public GpuVmSystem(int vram, int system, Set<GpuVm.Flow> flows, boolean tlb, HwBug... bugs) {
    this(vram, system, flows, tlb, "vm", bugs);
  }

  /** As above, the VM's BO being called {@code vmBo}. */
  public GpuVmSystem(int vram, int system, Set<GpuVm.Flow> flows, boolean tlb, String vmBo, HwBug... bugs) {
    sys = new GpuMemSystem(vram, system, bugs);
    vm = new GpuVm(sys, sys.bo(vmBo, TtmMemType.VRAM), flows, tlb);
  }

  /** A new object placed in {@code where}, that the VM does not map. */
  public TtmBufferObject bo(String name, TtmMemType where) {
    return sys.bo(name, where);
  }

  /** Whether GpuMemSystem step {@code s} names the VM's BO (a move or submission locking it). */
  private boolean locksVmBo(Step s) {
    String n = s.name();
    if (!n.startsWith("Submit(") && !n.startsWith("Move(")) {
      return false;
    }
    return Arrays.asList(n.split("[(),+ ]+")).contains(vm.bo().name());
  }

  /** {@code effect}, with the VM's checks after it. */
  private Step checked(String name, Runnable effect) {
    return new Step(name, () -> {
      VmHistory.Snapshot pre = vm.history().snapshot();
      effect.run();
      vm.history().check(pre, name);
    });
  }

  /**
   * The steps possible now: GpuMemSystem's ({@link GpuMemSystem#enabledSteps}, without
   * timeouts; with fewer than {@code maxJobs} jobs armed, page-table updates included), then
   * {@code DependencyCb(entity)} of each entity of each scheduler whose first job waits for a
   * fence with no callback yet, {@code LrStart}, {@code LrAccess}, {@code PreemptWork(p)} of
   * each queued preemption work, {@code RebindBegin}, {@code RebindFinish}, {@code Unmap},
   * {@code TlbFlush(t)} of each TLB fence whose work can run; every one checked.
   */
  public List<Step> enabledSteps(int maxJobs) {
    List<Step> out = new ArrayList<>();
    boolean vmLocked = vm.bo().resv().isLocked();
    for (Step s : sys.enabledSteps(maxJobs, false)) {
      if (!(vmLocked && locksVmBo(s))) {
        out.add(checked(s.name(), s.effect()));
      }
    }
    for (DrmGpuScheduler s : sys.schedulers()) {
      for (DrmSchedEntity e : s.entitiesToWaitOn()) {
        out.add(checked("DependencyCb(" + e.name() + ")", () -> s.addDependencyCb(e)));
      }
    }
    if (vm.lrStartEnabled()) {
      out.add(checked("LrStart", vm::lrStart));
    }
    if (vm.lrAccessEnabled()) {
      out.add(checked("LrAccess", vm::lrAccess));
    }
    for (DmaFence p : vm.lr().pendingPreemptWork()) {
      out.add(checked("PreemptWork(" + p.seqno() + ")", () -> vm.lr().preemptFenceWork(p)));
    }
    if (vm.rebindEnabled()) {
      out.add(checked("RebindBegin", vm::rebindBegin));
    }
    if (vm.rebindFinishEnabled()) {
      out.add(checked("RebindFinish", vm::rebindFinish));
    }
    if (vm.unmapEnabled()) {
      out.add(checked("Unmap", vm::unmap));
    }
    for (TlbFence t : vm.pendingTlbWork()) {
      if (vm.tlbWorkReady(t)) {
        out.add(checked("TlbFlush(" + t + ")", () -> vm.tlbFenceWork(t)));
      }
    }
    return out;
  }

  /** Runs {@code effect} as a checked step called {@code name} (for examples that drive by hand). */
  public void step(String name, Runnable effect) {
    checked(name, effect).effect().run();
  }

  /** The failed checks so far: GpuMemSystem's and the VM's. */
  public List<GpuMemHistory.Violation> violations() {
    List<GpuMemHistory.Violation> out = new ArrayList<>(sys.violations());
    out.addAll(vm.history().violations());
    return out;
  }

  /** The failed checks of rule {@code rule}. */
  public List<GpuMemHistory.Violation> violations(String rule) {
    return violations().stream().filter(v -> v.rule().equals(rule)).toList();
  }

  /** The histories' events and the violations, for failure messages. */
  public String log() {
    return sys.log() + "\nvm: " + String.join("\n", vm.history().events()) + "\n" + vm
        + "\nall violations: " + violations();
  }

  @Override
  public void close() {
    vm.close();
  }
}
