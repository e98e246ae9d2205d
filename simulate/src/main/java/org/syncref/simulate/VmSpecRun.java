package org.syncref.simulate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.syncref.conformance.gpumem.GpuMemVmChecker;
import org.syncref.hw.ttm.HwBug;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.TlcEvaluator;
import org.syncref.modelcheck.cli.Progress;
import org.syncref.modelcheck.cli.Table;

/**
 * {@code syncref simulate --vm --check spec}: VM workloads checked operation by operation against
 * spec/GpuMem/GpuMemTlb.tla (GpuMemVm.tla with {@code --no-tlb}) through TLC's evaluator. The
 * workloads are the conformance harness's ({@link GpuMemVmChecker#check}: hw's {@code
 * GpuVmSystem} in the sizes of the conformance model MCGpuMemTlbConformance /
 * MCGpuMemVmConformance, each operation a random choice among those the Java system offers, each
 * checked as the spec's sequence of actions, the spec's properties on every step and its
 * invariants on every state), so the sizes options do not apply; workload {@code i} chooses with
 * {@code java.util.Random(seed + i)}.
 */
final class VmSpecRun {
  private static final String NAME = "syncref simulate";
  /** Operations per workload: the conformance tests' length (the model's fences run out before). */
  static final int OPS = 60;
  private final SimulateCommand cmd;

  VmSpecRun(SimulateCommand cmd) {
    this.cmd = cmd;
  }

  private static List<Integer> choices(long seed) {
    Random r = new Random(seed);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < OPS; i++) {
      out.add(r.nextInt(1001));
    }
    return out;
  }

  /**
   * The conformance model, loaded with TlcEvaluator.loadReplacing (SANY's and TLC's announcements
   * kept out of the report).
   */
  private static GpuMemVmChecker load(boolean noTlb) throws BadInputException {
    Path spec = Checkout.spec();
    String module = noTlb ? GpuMemVmChecker.MODULE : GpuMemVmChecker.TLB_MODULE;
    TlcEvaluator ev = TlcEvaluator.loadReplacing(spec.resolve("GpuMem"), module, module,
        List.of(spec.resolve("DmaResv"), spec.resolve("DmaFence"), spec.resolve("WwMutex")));
    return new GpuMemVmChecker(ev, !noTlb);
  }

  int call(List<HwBug> bugs) throws BadInputException {
    String model = cmd.noTlb ? "GpuMemVm" : "GpuMemTlb";
    HwBug[] b = bugs.toArray(new HwBug[0]);
    GpuMemVmChecker checker;
    GpuMemVmChecker.Verdict failed = null;
    long failedSeed = -1;
    long workloads = 0;
    long start = System.nanoTime();
    try (Progress progress = Progress.onStderr(cmd.err)) {
      progress.start("simulate --vm --check spec: loading spec/GpuMem/MC" + model + "Conformance");
      checker = load(cmd.noTlb);
      for (long i = 0; i < cmd.workloads; i++) {
        GpuMemVmChecker.Verdict v = checker.check(choices(cmd.seed + i), OPS, b);
        workloads++;
        if (!v.ok()) {
          failed = v;
          failedSeed = cmd.seed + i;
          break;
        }
        if ((i & 15) == 0) {
          progress.status(String.format("workload %d/%d, %d operations checked against %s", i + 1, cmd.workloads,
              checker.ops, model));
        }
      }
      progress.finish(null);
    }
    double secs = (System.nanoTime() - start) / 1e9;
    if (failed != null) {
      cmd.out.println("VIOLATION [spec " + model + "] " + failed.reason());
      cmd.out.println("workload seed " + failedSeed + "; the operations that led to it:");
      for (int k = 0; k < failed.log().size(); k++) {
        cmd.out.println(String.format("%4d. %s", k + 1, failed.log().get(k)));
      }
      StringBuilder repro = new StringBuilder("reproduce: syncref simulate --vm --check spec --seed " + failedSeed
          + " --workloads 1");
      if (cmd.noTlb) {
        repro.append(" --no-tlb");
      }
      for (HwBug x : bugs) {
        repro.append(" --bug ").append(x.name().toLowerCase(Locale.ROOT));
      }
      cmd.out.println(repro);
      cmd.out.println();
    }
    Table table = new Table().left("measure").right("count");
    table.add("workloads", workloads);
    table.add("operations", checker.ops);
    for (Map.Entry<String, Long> e : checker.opKinds.entrySet()) {
      table.add("  " + e.getKey(), e.getValue());
    }
    table.add("  checked against the spec", checker.ops);
    table.add("spec steps", checker.specSteps);
    table.add("largest spec frontier", checker.maxFrontier);
    table.add("violations", failed == null ? 0 : 1);
    table.print(cmd.out);
    cmd.out.println(String.format(Locale.ROOT, "every operation checked against spec/GpuMem/%s.tla (model"
        + " MC%sConformance: its objects, ranges, engines and fences; --objects, --vram, --system, --jobs and"
        + " --steps do not apply); %.1f s", model, model, secs));
    return failed == null ? 0 : 1;
  }
}
