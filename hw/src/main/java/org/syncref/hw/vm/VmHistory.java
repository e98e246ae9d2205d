package org.syncref.hw.vm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.syncref.fence.DmaFence;
import org.syncref.hw.sched.DrmSchedFence;
import org.syncref.hw.ttm.GpuMemHistory;
import org.syncref.hw.ttm.GpuMemHistory.Bind;
import org.syncref.hw.ttm.GpuMemHistory.Violation;
import org.syncref.hw.ttm.TtmMemType;
import org.syncref.hw.ttm.TtmRange;
import org.syncref.hw.ttm.TtmResource;
import org.syncref.hw.ttm.TtmResourceManager;

/**
 * The VM's history and its checks, as spec/GpuMem/GpuMemVm.tla and GpuMemTlb.tla define them,
 * on top of {@link GpuMemHistory} (the jobs' binds and accesses, whose checks keep running):
 * the long-running context's access events ({@link #lrAccess}) and four checks. {@link
 * GpuVmSystem} calls {@link #check} after every step with a {@link Snapshot} taken before it
 * (the spec's state invariants are checked in every state, its action properties on the steps
 * that free a range). A failed check is recorded as a {@link Violation}; nothing throws.
 *
 * <ul>
 *   <li>MEM-NO-STALE-ACCESS, for the context ({@code LrNoStaleAccess}, and through a stale TLB
 *       entry {@code LrTlbNoStaleAccess}): in every state in which the context runs, no range
 *       it can reach (TLB entries and page tables) has been touched, by a job or by the
 *       context, in a later tenure. And for the jobs ({@code NoStaleAccess}, whose {@code
 *       accesses} include the context's): a job that runs touches no range the context touched
 *       in a later tenure (GpuMemHistory checks the jobs against each other).</li>
 *   <li>MEM-PT-BOOKKEEP ({@code PtBookkeep}): a range the running context can reach through its
 *       page tables goes back to its manager only when its preemption fence or a pending update
 *       that unmaps the BO is, or is ordered before, a fence the manager records.</li>
 *   <li>MEM-TLB-FLUSHED ({@code TlbFlushed}): a range the running context can reach through a
 *       TLB entry of the range's current tenure goes back to its manager only when a pending
 *       TLB flush fence or its preemption fence is, or is ordered before, a fence the manager
 *       records.</li>
 *   <li>MEM-KERNEL-FIRST for page-table updates that map the BO ({@code ArmPtJob}'s {@code
 *       jobKernel}): when the update executes, the KERNEL fences pending on the BO when it was
 *       armed have signaled (the context must not reach the BO's new range before the move
 *       into it completed).</li>
 * </ul>
 * {@code OrderedBefore(g, m)} is GpuMem's: g is a dependency of m's job (a TLB fence's job
 * dependency being its page-table update), or an earlier fence of m's context, transitively.
 */
public final class VmHistory {
  /** The state before a step that the action properties read (TLA+ unprimed variables). */
  public record Snapshot(boolean lrRunning, Bind ptes, Set<Bind> tlb, Set<DmaFence> reachGuards,
      Set<DmaFence> tlbGuards, List<TtmResource> live, int jobAccesses) {
  }

  private final GpuVm vm;
  /** One access event of the context: TLA+ {@code [j |-> lrFence, o, r, ten]}. */
  public record LrAccess(DmaFence fence, Bind bind) {
    @Override
    public String toString() {
      return "p" + fence.seqno() + "->" + bind;
    }
  }

  private final Set<LrAccess> lrAccessed = new LinkedHashSet<>();
  private final List<String> events = new ArrayList<>();
  private final List<Violation> violations = new ArrayList<>();
  private final Set<String> reported = new HashSet<>();
  private int jobAccessesChecked;

  VmHistory(GpuVm vm) {
    this.vm = vm;
  }

  /** The context's access events so far (TLA+ {@code accesses} with {@code j = lrFence}). */
  public synchronized Set<LrAccess> lrAccessed() {
    return new LinkedHashSet<>(lrAccessed);
  }

  /** Whether the context touched {@code b} with preemption fence {@code f} current. */
  synchronized boolean touched(DmaFence f, Bind b) {
    return lrAccessed.contains(new LrAccess(f, b));
  }

  /** TLA+ {@code TlbAccess}: the context, its preemption fence being {@code f}, touched {@code reach}. */
  synchronized void lrAccess(DmaFence f, Set<Bind> reach) {
    for (Bind b : reach) {
      lrAccessed.add(new LrAccess(f, b));
    }
    events.add("LrAccess(p" + f.seqno() + ") touches " + reach);
  }

  /** TLA+ {@code RunPtJob(f)}: MEM-KERNEL-FIRST for an update that maps the BO. */
  synchronized void ptJobRan(GpuVm.PtUpdate u) {
    for (DmaFence f : u.kernelAtArm()) {
      if (!f.isSignaled()) {
        violate("MEM-KERNEL-FIRST", u.job().name() + " maps " + u.target() + " before KERNEL fence " + f
            + " pending on the BO when it was armed");
      }
    }
    events.add("RunPtJob(" + u.job().name() + ") ptes := " + (u.target() == null ? "{}" : u.target()));
  }

  private void violate(String rule, String message) {
    if (reported.add(rule + message)) {
      violations.add(new Violation(rule, message));
    }
  }

  /** The state before a step. */
  Snapshot snapshot() {
    Set<DmaFence> reachGuards = new LinkedHashSet<>();
    Set<DmaFence> tlbGuards = new LinkedHashSet<>();
    DmaFence p = vm.lr().preemptFence();
    if (p != null) {
      reachGuards.add(p);
      tlbGuards.add(p);
    }
    for (Map.Entry<DmaFence, GpuVm.PtUpdate> e : vm.updates().entrySet()) {
      if (e.getValue().target() == null && !e.getKey().isSignaled()) {
        reachGuards.add(e.getKey());
      }
    }
    for (TlbFence t : vm.tlbFences()) {
      if (!t.fence().isSignaled()) {
        tlbGuards.add(t.fence());
      }
    }
    List<TtmResource> live = new ArrayList<>();
    for (TtmMemType mt : TtmMemType.values()) {
      TtmResourceManager man = vm.system().dev.manager(mt);
      for (TtmRange r : man.ranges()) {
        TtmResource res = man.resourceAt(r);
        if (res != null) {
          live.add(res);
        }
      }
    }
    return new Snapshot(vm.lr().onHardware(), vm.ptes(), vm.tlb(), reachGuards, tlbGuards, live,
        vm.system().dev.history().accesses().size());
  }

  /** The checks on the step from {@code pre} to now; {@code step} names it in the messages. */
  synchronized void check(Snapshot pre, String step) {
    // MEM-PT-BOOKKEEP, MEM-TLB-FLUSHED: on the steps that free a range
    for (TtmResource res : pre.live()) {
      if (!res.isFreed()) {
        continue;
      }
      TtmResourceManager man = vm.system().dev.manager(res.range().memType());
      List<DmaFence> recorded = man.evictionFences();
      if (pre.lrRunning() && pre.ptes() != null && pre.ptes().range().equals(res.range())
          && pre.ptes().tenure() == res.tenure() && !covered(pre.reachGuards(), recorded)) {
        violate("MEM-PT-BOOKKEEP", step + " frees " + res + " while the running context maps it ("
            + pre.ptes() + ") and none of " + pre.reachGuards() + " is ordered before a fence " + man
            + " records " + recorded);
      }
      for (Bind b : pre.tlb()) {
        if (pre.lrRunning() && b.range().equals(res.range()) && b.tenure() == res.tenure()
            && !covered(pre.tlbGuards(), recorded)) {
          violate("MEM-TLB-FLUSHED", step + " frees " + res + " while the running context's TLB holds " + b
              + " and none of " + pre.tlbGuards() + " is ordered before a fence " + man + " records " + recorded);
        }
      }
    }
    List<GpuMemHistory.Access> jobAccesses = vm.system().dev.history().accesses();
    // MEM-NO-STALE-ACCESS for the jobs that ran in the step, against the context's accesses
    for (int i = jobAccessesChecked; i < jobAccesses.size(); i++) {
      GpuMemHistory.Access a = jobAccesses.get(i);
      for (LrAccess la : lrAccessed) {
        Bind l = la.bind();
        if (l.range().equals(a.range()) && l.tenure() > a.tenure()) {
          violate("MEM-NO-STALE-ACCESS", step + ": " + a + " after the context touched " + l);
        }
      }
    }
    jobAccessesChecked = jobAccesses.size();
    // MEM-NO-STALE-ACCESS for the context (LrNoStaleAccess, LrTlbNoStaleAccess): a state invariant
    if (vm.lr().onHardware()) {
      for (Bind b : vm.reach()) {
        for (GpuMemHistory.Access a : jobAccesses) {
          if (a.range().equals(b.range()) && a.tenure() > b.tenure()) {
            violate("MEM-NO-STALE-ACCESS", "after " + step + " the running context reaches " + b
                + (vm.tlb().contains(b) && !b.equals(vm.ptes()) ? " through a stale TLB entry" : "")
                + " but " + a + " touched it in a later tenure");
          }
        }
        for (LrAccess la : lrAccessed) {
          Bind l = la.bind();
          if (l.range().equals(b.range()) && l.tenure() > b.tenure()) {
            violate("MEM-NO-STALE-ACCESS", "after " + step + " the running context reaches " + b
                + " but it touched " + l + " in a later tenure");
          }
        }
      }
    }
  }

  /** Whether some guard is, or is ordered before, some recorded fence. */
  private boolean covered(Set<DmaFence> guards, List<DmaFence> recorded) {
    for (DmaFence g : guards) {
      for (DmaFence m : recorded) {
        if (g == m || orderedBefore(g, m, new HashSet<>())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * TLA+ {@code OrderedBefore(g, m)}: g is an earlier fence of m's context, or a dependency of
   * m's job (a scheduler job's dependencies; a TLB fence's page-table update), or ordered
   * before one of them.
   */
  private boolean orderedBefore(DmaFence g, DmaFence m, Set<DmaFence> seen) {
    if (g.context() == m.context() && m.isLater(g)) {
      return true;
    }
    if (!seen.add(m)) {
      return false;
    }
    List<DmaFence> deps = new ArrayList<>();
    DrmSchedFence sf = DrmSchedFence.of(m);
    if (sf != null) {
      deps.addAll(sf.job().dependencies());
    }
    TlbFence t = vm.tlbFence(m);
    if (t != null && t.dependency() != null) {
      deps.add(t.dependency());
    }
    for (DmaFence d : deps) {
      if (d == g || orderedBefore(g, d, seen)) {
        return true;
      }
    }
    return false;
  }

  /** Every failed check so far, in order. */
  public synchronized List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** The failed checks of rule {@code rule}. */
  public synchronized List<Violation> violations(String rule) {
    return violations.stream().filter(v -> v.rule().equals(rule)).toList();
  }

  /** The VM's events: the context's accesses, the page-table updates that ran. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }
}
