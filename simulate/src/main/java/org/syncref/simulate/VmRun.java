package org.syncref.simulate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.syncref.hw.vm.GpuVm;
import java.util.Locale;
import org.syncref.hw.ttm.HwBug;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.cli.Progress;
import org.syncref.modelcheck.cli.Table;

/**
 * {@code syncref simulate --vm}: runs {@link VmSimulation}'s workloads with the command's
 * options, prints the violation (the numbered steps that led to it) and the summary table with
 * the VM's rows (preemptions, rebinds, resumes, page-table updates, TLB flushes, context
 * accesses) and the rate of steps checked against the spec (0: the VM's steps are checked by
 * hw's checks only).
 */
final class VmRun {
  private static final String NAME = "syncref simulate";
  private final SimulateCommand cmd;

  VmRun(SimulateCommand cmd) {
    this.cmd = cmd;
  }

  private static BadInputException refuse(String what) {
    return new BadInputException(NAME + ": " + what + " (see " + NAME + " --help)");
  }

  /** The options --vm does not take: one line each, exit 2. */
  private void validate(List<HwBug> bugs) throws BadInputException {
    if (!cmd.driver.equals("generic")) {
      throw refuse("--vm runs the generic driver only (hw's GpuVmSystem), not --driver " + cmd.driver);
    }
    if (cmd.faults != null) {
      throw refuse("--faults is not available with --vm (hw's VM walks have no fault steps)");
    }
    if (cmd.cost || cmd.minutes != null) {
      throw refuse((cmd.cost ? "--cost" : "--minutes") + " is not available with --vm");
    }
    for (HwBug b : bugs) {
      if (!VmSimulation.isVmBug(b)) {
        throw refuse("--bug " + b.name().toLowerCase(Locale.ROOT) + " is not a bug of hw's VMs: with --vm, one of "
            + String.join(", ", VmSimulation.VM_BUGS.stream().map(x -> x.name().toLowerCase(Locale.ROOT)).toList()));
      }
    }
    if (cmd.objects < 1 || cmd.vram < 1) {
      throw refuse("--vm needs an object and a VRAM range for the VM's BO");
    }
  }

  /** --vm-flows, or the flows of the VM bugs given, or both. */
  private Set<GpuVm.Flow> flows(List<HwBug> bugs) throws BadInputException {
    if (cmd.vmFlows != null) {
      switch (cmd.vmFlows.toLowerCase(Locale.ROOT)) {
        case "rebind":
          return EnumSet.of(GpuVm.Flow.REBIND);
        case "unmap":
          return EnumSet.of(GpuVm.Flow.UNMAP);
        case "both":
          return EnumSet.allOf(GpuVm.Flow.class);
        default:
          throw refuse("--vm-flows: unknown flow '" + cmd.vmFlows + "': rebind, unmap or both expected");
      }
    }
    Set<GpuVm.Flow> out = EnumSet.noneOf(GpuVm.Flow.class);
    for (HwBug b : bugs) {
      out.add(VmSimulation.flowOf(b));
    }
    return out.isEmpty() ? EnumSet.allOf(GpuVm.Flow.class) : out;
  }

  int call(List<HwBug> bugs) throws BadInputException {
    validate(bugs);
    if (cmd.check == SimulateCommand.Check.spec) {
      if (cmd.html != null || cmd.vmFlows != null) {
        throw refuse((cmd.html != null ? "--html" : "--vm-flows") + " is not available with --vm --check spec"
            + " (the conformance model's workloads)");
      }
      return new VmSpecRun(cmd).call(bugs);
    }
    Simulation.Params p = new Simulation.Params(cmd.objects, cmd.vram, cmd.system, cmd.jobs, cmd.steps, 0, false,
        cmd.seed, bugs, false);
    VmSimulation sim = new VmSimulation(p, !cmd.noTlb, flows(bugs), cmd.check.java());
    Simulation.Workload failed = null;
    Simulation.Workload shown = null;
    int shownScore = -1;
    long start = System.nanoTime();
    try (Progress progress = Progress.onStderr(cmd.err)) {
      progress.start("simulate --vm " + cmd.workloads + " workloads");
      for (long i = 0; i < cmd.workloads; i++) {
        Simulation.Workload w = sim.run(i);
        if (cmd.html != null) {
          int score = eventful(w);
          if (score > shownScore) {
            shown = w;
            shownScore = score;
          }
        }
        if (!w.problems().isEmpty()) {
          failed = w;
          break;
        }
        if ((i & 63) == 0) {
          progress.status(String.format("workload %d/%d, %d steps checked", i + 1, cmd.workloads, sim.totals.steps));
        }
      }
      double secs = (System.nanoTime() - start) / 1e9;
      progress.finish(null);
      if (failed != null) {
        cmd.printViolation(failed);
      }
      printSummary(sim, secs);
    }
    if (cmd.html != null) {
      Simulation.Workload w = failed != null ? failed : shown;
      try {
        Files.writeString(cmd.html, HtmlTimeline.render(w, p), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new BadInputException(NAME + ": --html " + cmd.html + ": cannot write: " + e.getMessage());
      }
      cmd.out.println("timeline of workload seed " + w.seed() + " written to " + cmd.html);
    }
    return failed != null ? 1 : 0;
  }

  /**
   * How much of the VM a workload shows: its preemptions first (the rarest), then its TLB flushes,
   * then its page-table updates and evictions.
   */
  private static int eventful(Simulation.Workload w) {
    int n = 0;
    for (Simulation.StepRecord r : w.steps()) {
      n += r.name().startsWith("PreemptWork(") ? 1000 : r.name().startsWith("TlbFlush(") ? 10 : 0;
      for (String e : r.events()) {
        n += e.startsWith("vm RunPtJob(") || e.startsWith("EvictArm(") ? 1 : 0;
      }
    }
    return n;
  }

  private void printSummary(VmSimulation sim, double secs) {
    Simulation.Totals t = sim.totals;
    VmSimulation.VmTotals v = sim.vmTotals;
    Table table = new Table().left("measure").right("count");
    table.add("workloads", t.workloads);
    table.add("jobs (user submissions)", t.jobs);
    table.add("copy-engine jobs (TTM copies, page-table updates)", t.copies);
    table.add("fences signalled (jobs')", t.signalled);
    table.add("  with an error (-ECANCELED)", t.signalledWithError);
    table.add("evictions", t.evictions);
    table.add("moves", t.moves);
    table.add("ghosts freed", t.ghostsFreed);
    table.add("validations failed (-ENOSPC/-EBUSY)", t.enospc);
    table.add("context starts", v.starts);
    table.add("preemption fences' enable_signaling", v.enableSignaling);
    table.add("preemptions (preemption fences signalled)", v.preemptions);
    table.add("rebinds", v.rebinds);
    table.add("resumes", v.resumes);
    table.add("unmaps", v.unmaps);
    table.add("page-table updates", v.ptUpdates);
    table.add("TLB flushes", v.tlbFlushes);
    table.add("LR-context accesses", v.lrAccesses);
    table.add("steps", t.steps);
    table.add("  checked by hw's checks", cmd.check.java() ? t.steps : 0);
    table.add("  checked against the spec", 0);
    table.add("violations", t.violations);
    for (var e : t.byRule.entrySet()) {
      table.add("  " + e.getKey(), e.getValue());
    }
    table.print(cmd.out);
    String model = cmd.noTlb ? "spec/GpuMem/GpuMemVm.tla" : "spec/GpuMem/GpuMemTlb.tla";
    cmd.out.println(String.format(Locale.ROOT, "steps checked against the spec: 0 of %d (%s)", t.steps,
        cmd.check.java() ? "VM steps are checked by hw's checks only, for " + model + ": VmHistory's and"
            + " GpuMemHistory's rules, kernel WARNs; --check spec checks the conformance model's VM workloads"
            + " against it" : "--check none: no check after the steps"));
    cmd.out.println(String.format(Locale.ROOT, "%.1f s, %.0f jobs/s (user jobs and copy-engine jobs), %.0f steps/s",
        secs, (t.jobs + t.copies) / secs, t.steps / secs));
  }
}
