package org.syncref.simulate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.syncref.hw.sched.DrmGpuScheduler;
import org.syncref.hw.sched.DrmSchedJob;
import org.syncref.hw.ttm.GpuMemHistory;
import org.syncref.hw.ttm.GpuMemSystem;
import org.syncref.hw.ttm.HwBug;
import org.syncref.hw.ttm.TtmBufferObject;
import org.syncref.hw.ttm.TtmMemType;
import org.syncref.hw.vm.GpuVm;
import org.syncref.hw.vm.GpuVmSystem;
import org.syncref.kernel.Warning;

/**
 * Workloads on hw's {@link GpuVmSystem} ({@code syncref simulate --vm}): the memory system of
 * {@link Simulation} with a VM that maps the BO "vm" for a long-running context, whose
 * preemption fences' enable_signaling preempts it, whose worker rebinds and resumes it, or
 * unmaps the BO, and (by default) a TLB with its flush fences (spec/GpuMem/GpuMemTlb.tla, slice
 * 5; without: GpuMemVm.tla, slice 2). One new system per workload, a random enabled step at a
 * time ({@link GpuVmSystem#enabledSteps}: GpuMemSystem's steps without timeouts, the scheduler's
 * dependency callbacks, the context's start and accesses, the preemption work, the worker's
 * rebind and unmap, the TLB fences' work), until {@code maxJobs} jobs (user submissions, TTM
 * copies and page-table updates) were armed and {@code maxSteps} steps taken; then the GPU
 * drains (no new work, no new worker operation). Deterministic: workload {@code i} is {@code
 * java.util.Random(seed + i)}.
 *
 * <p>Checks after every step (hw's, in Java): {@link org.syncref.hw.vm.VmHistory}'s
 * (MEM-NO-STALE-ACCESS for the context and for jobs, MEM-PT-BOOKKEEP, MEM-TLB-FLUSHED,
 * MEM-KERNEL-FIRST of page-table updates), {@link GpuMemHistory}'s rules, and the kernel's WARNs.
 * The steps are not checked against the spec: the forward checker of the VM slices
 * (org.syncref.conformance.gpumem.GpuMemVmChecker) runs its own world, GpuMemVmWorld, with the
 * conformance model's fixed sizes and fence names (3 user jobs, 4 copies, 3 updates, 3
 * preemption fences) and operations, not a step of a workload of these sizes; the summary says
 * so with the rate (0 of N).
 */
public final class VmSimulation {
  /** hw's VM bugs (GpuMemVm's and GpuMemTlb's negative controls), which only --vm runs. */
  public static final Set<HwBug> VM_BUGS = EnumSet.of(HwBug.EVICT_SKIPS_BOOKKEEP, HwBug.REPLACE_STUB,
      HwBug.RESUME_NO_REBIND, HwBug.NO_TLB_FENCE, HwBug.FLUSH_BEFORE_UPDATE, HwBug.RESUME_BEFORE_FLUSH);

  /**
   * The VM worker's flow whose code {@code b} is in (as VmWalkProperties walks it): the
   * rebind's (EVICT_SKIPS_BOOKKEEP, RESUME_NO_REBIND, RESUME_BEFORE_FLUSH) or the unmap's
   * (REPLACE_STUB, NO_TLB_FENCE, FLUSH_BEFORE_UPDATE); null if not a VM bug.
   */
  public static GpuVm.Flow flowOf(HwBug b) {
    return switch (b) {
      case EVICT_SKIPS_BOOKKEEP, RESUME_NO_REBIND, RESUME_BEFORE_FLUSH -> GpuVm.Flow.REBIND;
      case REPLACE_STUB, NO_TLB_FENCE, FLUSH_BEFORE_UPDATE -> GpuVm.Flow.UNMAP;
      default -> null;
    };
  }

  /** Whether {@code b} is a bug of hw's VMs. */
  public static boolean isVmBug(HwBug b) {
    return VM_BUGS.contains(b);
  }

  /** Running totals of the VM over workloads (the rest in {@link Simulation.Totals}). */
  public static final class VmTotals {
    /** Preemptions completed: enable_signaling suspended the context, the fence's work signalled it. */
    public long preemptions;
    /** Preemption fences whose enable_signaling ran (a dependency callback of a blocked job). */
    public long enableSignaling;
    public long rebinds;
    /** The context resumed by the rebind worker (resume_and_reinstall_preempt_fences). */
    public long resumes;
    /** The context started (xe_vm_add_compute_exec_queue). */
    public long starts;
    public long unmaps;
    /** Page-table update jobs that ran (rebinds' and unmaps' clears). */
    public long ptUpdates;
    public long tlbFlushes;
    /** Steps in which the context touched memory (TlbAccess / LrAccess). */
    public long lrAccesses;
  }

  private final Simulation.Params p;
  private final boolean tlb;
  private final Set<GpuVm.Flow> flows;
  private final boolean javaChecks;
  public final Simulation.Totals totals = new Simulation.Totals();
  public final VmTotals vmTotals = new VmTotals();

  /**
   * Workloads of sizes {@code p} (objects counting the VM's BO, which is placed first, in VRAM;
   * timeouts and contention are not used), with a TLB if {@code tlb}, the VM worker doing {@code
   * flows} (TLA+ {@code VmFlows}), hw's checks after every
   * step if {@code javaChecks} (else none: a baseline).
   */
  public VmSimulation(Simulation.Params p, boolean tlb, Set<GpuVm.Flow> flows, boolean javaChecks) {
    this.p = p;
    this.flows = EnumSet.copyOf(flows);
    this.tlb = tlb;
    this.javaChecks = javaChecks;
  }

  /** Runs workload number {@code i}; adds to the totals; returns its record. */
  public Simulation.Workload run(long i) {
    long seed = p.seed() + i;
    Random rnd = new Random(seed);
    try (GpuVmSystem vs = new GpuVmSystem(p.vram(), p.system(), flows, tlb,
        p.bugs().toArray(new HwBug[0]))) {
      GpuMemSystem sys = vs.sys;
      List<String> calls = new ArrayList<>();
      sys.k.setCallListener((fn, subject, args, result) -> {
        calls.add(result instanceof Integer r && r != 0 ? fn + " = " + r : fn);
        if (fn.equals("ttm_bo_validate") && result instanceof Integer r && r < 0) {
          totals.enospc++;
        }
        if (fn.equals("resume_and_reinstall_preempt_fences")) {
          vmTotals.resumes++;
        }
        if (fn.equals("xe_vm_add_compute_exec_queue")) {
          vmTotals.starts++;
        }
      });
      List<String> objects = new ArrayList<>();
      objects.add("vm in VRAM (mapped by the VM)");
      for (int o = 1; o < p.objects(); o++) {
        TtmMemType where = o < p.vram() ? TtmMemType.VRAM : TtmMemType.SYSTEM;
        vs.bo("b" + (o + 1), where);
        objects.add("b" + (o + 1) + " in " + where);
      }
      calls.clear();
      List<Simulation.StepRecord> steps = new ArrayList<>();
      Map<String, Simulation.JobLife> jobs = new LinkedHashMap<>();
      List<Simulation.Problem> problems = new ArrayList<>();
      int violationsSeen = 0;
      int warningsSeen = 0;
      int memEventsSeen = sys.dev.history().events().size();
      int vmEventsSeen = vs.vm.history().events().size();
      int cap = 4 * p.maxSteps() + 100; // the drain is finite; a cap against a livelock all the same
      for (int n = 1; problems.isEmpty() && n <= cap; n++) {
        List<GpuMemSystem.Step> enabled = new ArrayList<>();
        if (n <= p.maxSteps()) {
          enabled.addAll(vs.enabledSteps(p.maxJobs()));
        } else {
          // the step budget is spent: the GPU, the preemption work, the TLB fences and a rebind
          // begun finish (no new job, no new worker operation, no new start)
          for (GpuMemSystem.Step s : vs.enabledSteps(0)) {
            if (!s.name().equals("LrStart") && !s.name().equals("RebindBegin") && !s.name().equals("Unmap")) {
              enabled.add(s);
            }
          }
        }
        if (enabled.isEmpty()) {
          break;
        }
        GpuMemSystem.Step s = enabled.get(rnd.nextInt(enabled.size()));
        calls.clear();
        int preemptedBefore = vs.vm.lr().preemptions();
        int pendingBefore = vs.vm.lr().pendingPreemptWork().size();
        s.effect().run();
        List<String> newEvents = new ArrayList<>();
        List<String> mem = sys.dev.history().events();
        newEvents.addAll(mem.subList(memEventsSeen, mem.size()));
        memEventsSeen = mem.size();
        List<String> vmEv = vs.vm.history().events();
        for (String e : vmEv.subList(vmEventsSeen, vmEv.size())) {
          newEvents.add("vm " + e);
          vmTotals.ptUpdates += e.startsWith("RunPtJob(") ? 1 : 0;
        }
        vmEventsSeen = vmEv.size();
        Simulation.StepRecord r = new Simulation.StepRecord(n, s.name(), dedup(calls), List.copyOf(newEvents));
        steps.add(r);
        count(s.name(), newEvents);
        vmTotals.preemptions += vs.vm.lr().preemptions() - preemptedBefore;
        int pendingAfter = vs.vm.lr().pendingPreemptWork().size();
        vmTotals.enableSignaling += Math.max(0, pendingAfter - pendingBefore);
        vmTotals.lrAccesses += s.name().equals("LrAccess") ? 1 : 0;
        track(sys, jobs, n);
        if (javaChecks) {
          List<GpuMemHistory.Violation> v = vs.violations();
          for (int k = violationsSeen; k < v.size(); k++) {
            problems.add(new Simulation.Problem(v.get(k).rule(), v.get(k).message(), n));
          }
          violationsSeen = v.size();
          List<Warning> w = sys.k.warnings();
          for (int k = warningsSeen; k < w.size(); k++) {
            String msg = w.get(k).toString();
            for (TtmBufferObject bo : sys.objects()) {
              msg = msg.replace(String.valueOf(bo.resv()), bo.name() + ".resv");
            }
            problems.add(new Simulation.Problem("WARN", msg, n));
          }
          warningsSeen = w.size();
        }
      }
      int[] c = vs.vm.counts();
      vmTotals.rebinds += c[0];
      vmTotals.unmaps += c[1];
      vmTotals.tlbFlushes += c[2];
      for (Simulation.JobLife j : jobs.values()) {
        if (j.done > 0) {
          totals.signalled++;
          totals.signalledWithError += j.result < 0 ? 1 : 0;
        }
        if (j.sched.equals("sdma0")) {
          totals.copies++;
        } else {
          totals.jobs++;
        }
      }
      totals.workloads++;
      totals.violations += problems.size();
      for (Simulation.Problem pr : problems) {
        totals.byRule.merge(pr.rule(), 1L, Long::sum);
      }
      sys.k.setCallListener(null);
      return new Simulation.Workload(seed, steps, jobs, problems, objects);
    }
  }

  private void count(String step, List<String> events) {
    totals.steps++;
    for (String e : events) {
      totals.evictions += e.startsWith("EvictArm(") ? 1 : 0;
      totals.moves += e.startsWith("MoveInArm(") ? 1 : 0;
      totals.ghostsFreed += e.startsWith("GhostFree") ? 1 : 0;
    }
  }

  private static void track(GpuMemSystem sys, Map<String, Simulation.JobLife> jobs, int n) {
    for (DrmGpuScheduler s : sys.schedulers()) {
      for (DrmSchedJob j : s.armedJobs()) {
        Simulation.JobLife l = jobs.computeIfAbsent(j.name(), k -> new Simulation.JobLife(j.name(), s.name()));
        if (l.armed == 0) {
          l.armed = n;
        }
        DrmSchedJob.State st = j.state();
        if (l.running == 0 && (st == DrmSchedJob.State.RUNNING || st == DrmSchedJob.State.DONE)) {
          l.running = n;
        }
        if (l.done == 0 && j.finished().isSignaledFlag()) {
          l.done = n;
          l.result = j.result();
        }
      }
    }
  }

  private static List<String> dedup(List<String> calls) {
    List<String> out = new ArrayList<>();
    for (String c : calls) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(c)) {
        out.add(c);
      }
    }
    return out;
  }
}
