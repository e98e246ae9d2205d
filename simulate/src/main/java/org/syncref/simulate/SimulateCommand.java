package org.syncref.simulate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.syncref.hw.ttm.GpuFaults;
import org.syncref.hw.ttm.HwBug;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.cli.Progress;
import org.syncref.modelcheck.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code syncref simulate}: random workloads on the hardware model, every step checked. */
@Command(name = "simulate",
    header = "random GPU workloads on the hardware model (hw/), every step checked",
    description = {"Runs workloads on hw's GpuMemSystem: engines gfx and comp, each with one user client"
        + " (a drm_sched entity), and the copy engine sdma0 that TTM's moves and evictions use, each behind a"
        + " drm_sched-like scheduler; a TTM-like memory manager with VRAM and SYSTEM ranges; one generic"
        + " driver by default (implicit sync, or xe-like explicit sync per submission), or with --driver the"
        + " amdgpu, xe or i915 policy of spec/GpuMem (hw's DriverPolicy: what a submission waits for, its"
        + " fence's usage, what the eviction copy waits for). The engines and clients are fixed by the model.",
        "",
        "Each workload is a new system with --objects buffer objects (VRAM filled first) and random enabled"
        + " steps (submissions in READ, WRITE and EXPLICIT mode, two-object writers, moves with the"
        + " evictions they need, run_job, engine completions, ghost frees, hangs and the timeouts that reset them,"
        + " validations contended by a rival ww ticket holding one or every VRAM object) until --jobs jobs"
        + " were armed and --steps steps taken; then the GPU drains. Workload i uses seed S+i, so a run is"
        + " reproducible.",
        "",
        "Checking (--check, default both). hw's checks (java): MEM-NO-STALE-ACCESS, MEM-KERNEL-FIRST,"
        + " MEM-FREE-UNREACHABLE, MEM-RW-ORDERED over hw's own history, and the kernel's WARNs for"
        + " MEM-EVICT-TICKET. The spec check (spec): every step against spec/GpuMem/GpuMem.tla through TLC's"
        + " evaluator, with the conformance harness's frontier checker (org.syncref.conformance.gpumem) on a"
        + " model made from the run's sizes (objects, ranges; --jobs fences per user engine, --jobs + 1 on the"
        + " copy engine; loaded once per run): a step is the spec's actions for it (a submission SubmitBegin"
        + " ... SubmitUnlock, a validation its evictions EvictBegin ... EvictUnlock and MoveInBegin ..."
        + " MoveInUnlock, a completion RunJob, a ghost free GhostFree, a hang HangJob, a timeout GpuResetNext's"
        + " ResetStop, ResetCancel of each pending job behind the hung one, ResetSetError and ResetSignal of"
        + " each), the Java state must agree with a spec"
        + " state reached so in the spec's variables (place, owner, tenure, manFences, jobState, jobDeps,"
        + " jobBinds, jobKernel, jobMode, accesses, signaled, error), and GpuMem's properties (the same four rules)"
        + " and invariants (with HungQuiet, MEM-RESET-QUIET) are evaluated by TLC on every spec step. With the spec check the workloads take"
        + " only steps the spec models (no two-object writers, no moves out of VRAM; --all-steps keeps them)."
        + " A validation contended by a rival ticket is checked as the spec's uncontended one, or as no spec"
        + " step when it backed off (the rival's lock is left to the WARNs, so edeadlk_retry is found by hw's"
        + " checks only). A timeout fires only on an engine that has hung (as the spec's ResetStop): hw's"
        + " timeout of an engine that has not hung (its pending jobs cancelled without having run) has no"
        + " spec step, is not offered, and would be counted as not spec-checked. The errors are mainline's"
        + " (the hung job -ETIME, the others -ECANCELED; amdgpu 6.12's drm_sched_start ends the hung one"
        + " -ECANCELED too). A step the spec does not model (--all-steps, --faults) ends its workload's"
        + " spec check, and the steps left unchecked are counted by reason in the summary, with the rate of"
        + " steps checked. The default (500 workloads, both checks) is chosen to stay under a minute on"
        + " 2 cores: about 35 s (39 s with the JVM's start) on a 2-core machine under a load average of 7,"
        + " far less on a quiet one; --check java alone runs 500 workloads in about a second.",
        "",
        "With --vm (implied by a --bug of hw's VMs), the workloads run on hw's GpuVmSystem: the same system with a VM"
        + " that maps the BO \"vm\" (the first of --objects, in VRAM) for a long-running context. Its preemption"
        + " fence (BOOKKEEP on the BO) is enabled by the scheduler's dependency callback of a TTM copy that waits for"
        + " it, which suspends the context; the fence's work signals it; the VM worker rebinds (a page-table update"
        + " on sdma0, a TLB flush fence), waits, resumes; or it unmaps the BO (dma_resv_replace_fences). The TLB"
        + " and its flush fences are on (spec/GpuMem/GpuMemTlb.tla, slice 5; --no-tlb: GpuMemVm.tla, slice 2)."
        + " The summary adds preemptions, rebinds, resumes, unmaps, page-table updates, TLB flushes and context"
        + " accesses. Every step is checked by hw's checks (VmHistory's MEM-NO-STALE-ACCESS, MEM-PT-BOOKKEEP,"
        + " MEM-TLB-FLUSHED, MEM-KERNEL-FIRST of updates; GpuMemHistory's rules; WARNs); these workloads of the"
        + " sizes given are checked by hw's checks only, not against the spec, and the summary says so with the"
        + " rate: \"steps checked against the spec: 0 of N\". --vm --check spec runs instead the VM workloads of"
        + " the conformance model (spec/GpuMem/MCGpuMemTlbConformance, or MCGpuMemVmConformance with --no-tlb:"
        + " its fixed objects, ranges and fences; the size options do not apply), every operation checked"
        + " against GpuMemTlb.tla (GpuMemVm.tla) through TLC's evaluator. A bug of a worker flow runs that flow"
        + " alone unless --vm-flows is given.",
        "",
        "The first violation stops the run and is printed as the numbered steps that led to it, with the"
        + " kernel calls each made, and a command that reproduces it."},
    footer = {"", "Examples:", "  syncref simulate", "  syncref simulate --vram 1 --system 3 --objects 3 --workloads 5000",
        "  syncref simulate --bug no_move_fence --html timeline.html", "  syncref simulate --minutes 30",
        "  syncref simulate --bug evict_waits_write --check spec", "  syncref simulate --cost",
        "  syncref simulate --vm", "  syncref simulate --bug flush_before_update --jobs 32",
        "  syncref simulate --vm --check spec --bug resume_before_flush",
        "", "Progress and heap figures go to stderr, the summary and violations to stdout.",
        "Exit codes: 0 no violation; 1 a check failed; 2 bad input."})
public final class SimulateCommand implements Callable<Integer> {
  final PrintStream out;
  final PrintStream err;

  @Option(names = "--workloads", paramLabel = "N", description = "workloads run (default ${DEFAULT-VALUE}; ignored with"
      + " --minutes)")
  int workloads = 500;

  @Option(names = "--objects", paramLabel = "N", description = "buffer objects per workload (default ${DEFAULT-VALUE})")
  int objects = 3;

  @Option(names = "--vram", paramLabel = "N", description = "VRAM ranges, each holds one object; fewer than"
      + " --objects means memory pressure: evictions (default ${DEFAULT-VALUE})")
  int vram = 2;

  @Option(names = "--system", paramLabel = "N", description = "SYSTEM ranges; when full, moves and evictions fail with"
      + " -ENOSPC (default ${DEFAULT-VALUE})")
  int system = 4;

  @Option(names = "--jobs", paramLabel = "N", description = "jobs armed per workload, user submissions and TTM"
      + " copies together (default ${DEFAULT-VALUE})")
  int jobs = 8;

  @Option(names = "--steps", paramLabel = "N", description = "steps per workload before it drains (default"
      + " ${DEFAULT-VALUE})")
  int steps = 200;

  @Option(names = "--seed", paramLabel = "S", description = "workload i uses java.util.Random(S + i) (default"
      + " ${DEFAULT-VALUE})")
  long seed = 0;

  @Option(names = "--timeouts", paramLabel = "P", description = "percentage of workloads in which an engine may"
      + " hang (its oldest job runs and never completes) and its scheduler's timeout then resets it: the hung"
      + " job's fence signals -ETIME, the other pending jobs' -ECANCELED (default ${DEFAULT-VALUE})")
  int timeouts = 50;

  @Option(names = "--no-contention", negatable = false, description = "no validations contended by a rival ww ticket"
      + " (so no -EDEADLK backoffs)")
  boolean noContention;

  @Option(names = "--driver", paramLabel = "NAME", description = "the driver policy (spec/GpuMem's Driver):"
      + " generic, amdgpu, xe or i915 (default ${DEFAULT-VALUE})")
  String driver = "generic";

  /**
   * hw's bugs that are not in this system's code paths, with where they are checked instead:
   * the userptr's (org.syncref.hw.userptr has its own walks and conformance). The VMs' run with
   * --vm (a --bug of a VM implies it: {@link VmSimulation#VM_BUGS}).
   */
  public static final java.util.Map<HwBug, String> NOT_SIMULATED = notSimulated();

  private static java.util.Map<HwBug, String> notSimulated() {
    java.util.Map<HwBug, String> m = new java.util.EnumMap<>(HwBug.class);
    for (HwBug b : List.of(HwBug.CHECK_UNLOCKED, HwBug.NO_RECHECK, HwBug.INVAL_WAITS_READ)) {
      m.put(b, "a bug of hw's userptr (org.syncref.hw.userptr: UserptrWalkProperties, the userptr conformance),"
          + " which this system has none of");
    }
    return m;
  }

  /** The driver policy a bug lives in, if not every driver's (AMDGPU_SKIP_MOVES: amdgpu's). */
  public static String driverOf(HwBug bug) {
    return bug == HwBug.AMDGPU_SKIP_MOVES ? "amdgpu" : null;
  }

  @Option(names = "--bug", paramLabel = "NAME", completionCandidates = BugNames.class, description = "inject one of hw's bugs (negative controls) to see a"
      + " violation: ${COMPLETION-CANDIDATES}; repeatable")
  List<String> bugs = new ArrayList<>();

  /** Which checks run after every step. */
  enum Check {
    java, spec, both, none;

    boolean java() {
      return this == java || this == both;
    }

    boolean spec() {
      return this == spec || this == both;
    }
  }

  @Option(names = "--check", paramLabel = "WHICH", description = "the checks after every step: java (hw's checks),"
      + " spec (against spec/GpuMem/GpuMem.tla through TLC's evaluator), both, none (default ${DEFAULT-VALUE})")
  Check check = Check.both;

  @Option(names = "--spec-every", paramLabel = "N", description = "check only every N-th workload against the spec"
      + " (a sample; the summary shows the rate of steps checked; default ${DEFAULT-VALUE}: all)")
  int specEvery = 1;

  @Option(names = "--all-steps", negatable = false, description = "with the spec check: also the steps the spec"
      + " does not model (two-object submissions, moves out of VRAM), which end their workload's spec check;"
      + " without the spec check they are always on")
  boolean allSteps;

  @Option(names = "--minutes", paramLabel = "M", description = "soak: run workloads back to back for M minutes"
      + " (a fraction is allowed) and print the heap in use every half minute")
  Double minutes;

  @Option(names = "--cost", negatable = false, description = "also measure what the per-step checks cost: the"
      + " same workloads run with no check, hw's checks, the spec check and both, in blocks of 50 in rotating"
      + " order after a warm-up of 100 each, reported as jobs/s of each and their time per job against the"
      + " baseline's (measured in the same run)")
  boolean cost;

  @Option(names = "--faults", paramLabel = "P", description = "percentage of steps that are faults: engine hangs"
      + " and resets, killed clients, interrupted submissions, allocation and move failures on the eviction path,"
      + " fence callbacks, the driver's unload; each workload then drains and is checked for nothing lost (rule"
      + " NOTHING-LOST; default 0, or 10 with a --bug of a fault path); resets then follow hangs, --timeouts is"
      + " not used")
  Integer faults;

  @Option(names = "--vm", negatable = false, description = "workloads on hw's GpuVmSystem: the system above with a VM"
      + " mapping the BO \"vm\" (the first of --objects, in VRAM) for a long-running context, preemption fences,"
      + " rebinds, resumes, unmaps and TLB flush fences; checked by hw's checks only (VmHistory's and"
      + " GpuMemHistory's rules, WARNs), not against the spec: the summary says so (0 of N); with --check spec,"
      + " the conformance model's VM workloads, every operation checked against the spec. Implied by a --bug"
      + " of hw's VMs. --timeouts and contention are not used; not with --driver, --faults, --cost, --minutes")
  boolean vm;

  @Option(names = "--no-tlb", negatable = false, description = "with --vm: the VM without a TLB"
      + " (spec/GpuMem/GpuMemVm.tla, slice 2); default: with its TLB and flush fences (GpuMemTlb.tla, slice 5)")
  boolean noTlb;

  @Option(names = "--vm-flows", paramLabel = "WHICH", description = "with --vm: what the VM worker does (TLA+"
      + " VmFlows): rebind (after a preemption: rebind, wait, resume), unmap (clear the page tables, replace the"
      + " context's fences) or both (default: both, or the flow of the --bug of hw's VMs given)")
  String vmFlows;

  @Option(names = "--html", paramLabel = "FILE", description = "write a self-contained HTML timeline (engines"
      + " against steps) of the violating workload, or else of the one with the most evictions, moves, ghost frees"
      + " and timeouts (the first of those)")
  Path html;

  /** hw's bugs in lower case, for the help. */
  static final class BugNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      for (HwBug h : HwBug.values()) {
        names.add(h.name().toLowerCase(Locale.ROOT));
      }
      return names.iterator();
    }
  }

  public SimulateCommand() {
    this(System.out, System.err);
  }

  public SimulateCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  private static final String NAME = "syncref simulate";

  private static void atLeast(String option, long v, long min) throws BadInputException {
    if (v < min) {
      throw new BadInputException(NAME + ": " + option + " must be at least " + min + ", got " + v
          + " (see " + NAME + " --help)");
    }
  }

  List<HwBug> parseBugs() throws BadInputException {
    List<HwBug> out = new ArrayList<>();
    for (String b : bugs) {
      try {
        out.add(HwBug.valueOf(b.toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        List<String> names = new ArrayList<>();
        new BugNames().forEach(names::add);
        throw new BadInputException(NAME + ": --bug: unknown bug '" + b + "': one of " + String.join(", ", names)
            + " expected (see " + NAME + " --help)");
      }
    }
    for (HwBug h : out) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (NOT_SIMULATED.containsKey(h)) {
        throw new BadInputException(NAME + ": --bug " + name + ": " + NOT_SIMULATED.get(h));
      }
      if (driverOf(h) != null && !driverOf(h).equals(driver)) {
        throw new BadInputException(NAME + ": --bug " + name + " is in the " + driverOf(h) + " policy's code: add"
            + " --driver " + driverOf(h) + " (see " + NAME + " --help)");
      }
    }
    return out;
  }

  @Override
  public Integer call() throws BadInputException, IOException {
    atLeast("--workloads", workloads, 1);
    atLeast("--objects", objects, 1);
    atLeast("--vram", vram, 1);
    atLeast("--system", system, 1);
    atLeast("--jobs", jobs, 1);
    atLeast("--steps", steps, 1);
    if (timeouts < 0 || timeouts > 100) {
      throw new BadInputException(NAME + ": --timeouts must be a percentage 0..100, got " + timeouts
          + " (see " + NAME + " --help)");
    }
    if (objects > vram + system) {
      throw new BadInputException(NAME + ": --objects " + objects + " do not fit in --vram " + vram + " + --system "
          + system + " ranges (see " + NAME + " --help)");
    }
    if (minutes != null && !(minutes > 0)) {
      throw new BadInputException(NAME + ": --minutes must be positive, got " + minutes + " (see " + NAME + " --help)");
    }
    if (!org.syncref.hw.ttm.DriverPolicy.DRIVERS.contains(driver)) {
      throw new BadInputException(NAME + ": --driver: unknown driver '" + driver + "': one of "
          + String.join(", ", org.syncref.hw.ttm.DriverPolicy.DRIVERS) + " expected (see " + NAME + " --help)");
    }
    atLeast("--spec-every", specEvery, 1);
    if (faults != null && (faults < 0 || faults > 100)) {
      throw new BadInputException(NAME + ": --faults must be a percentage 0..100, got " + faults
          + " (see " + NAME + " --help)");
    }
    List<HwBug> hwBugs = parseBugs();
    vmMode = vm || hwBugs.stream().anyMatch(VmSimulation::isVmBug);
    if (vmMode) {
      return new VmRun(this).call(hwBugs);
    }
    if (noTlb || vmFlows != null) {
      throw new BadInputException(NAME + ": " + (noTlb ? "--no-tlb" : "--vm-flows") + " needs --vm (see " + NAME
          + " --help)");
    }
    int faultPercent = faults != null ? faults : hwBugs.stream().anyMatch(GpuFaults::isFaultBug) ? 10 : 0;
    Simulation.Params p = new Simulation.Params(objects, vram, system, jobs, steps, timeouts, !noContention, seed,
        hwBugs, check.spec() && !allSteps);
    List<Simulation.StepCheck> checks = new ArrayList<>();
    if (check.java()) {
      checks.add(new Simulation.JavaChecks());
    }
    SpecCheck spec = null;
    if (check.spec()) {
      spec = new SpecCheck(p, driver, Checkout.spec(), specEvery);
      checks.add(spec);
    }
    Simulation sim = new Simulation(p, checks, driver);
    sim.faults(faultPercent);
    effectiveFaults = faultPercent;
    Simulation.Workload shown = null;
    Simulation.Workload failed = null;
    int shownScore = 0;
    long start = System.nanoTime();
    long deadline = minutes == null ? Long.MAX_VALUE : start + (long) (minutes * 60e9);
    long nextHeap = start + 30_000_000_000L;
    Runtime rt = Runtime.getRuntime();
    String label = minutes == null ? "simulate " + workloads + " workloads" : "simulate soak " + minutes + " min";
    try (Progress progress = Progress.onStderr(err)) {
      progress.start(label);
      for (long i = 0; minutes != null ? System.nanoTime() < deadline : i < workloads; i++) {
        Simulation.Workload w = sim.run(i);
        int score = html == null ? 0 : eventful(w);
        if (html != null && (shown == null || score > shownScore)) {
          shown = w;
          shownScore = score;
        }
        if (!w.problems().isEmpty()) {
          failed = w;
          break;
        }
        if ((i & 63) == 0) {
          progress.status(minutes == null
              ? String.format("workload %d/%d, %d steps checked", i + 1, workloads, sim.totals.steps)
              : String.format("workload %d, %d steps checked", i + 1, sim.totals.steps));
        }
        long now = System.nanoTime();
        if (minutes != null && now >= nextHeap) {
          progress.println(heapLine(rt, now - start, sim.totals.workloads));
          nextHeap += 30_000_000_000L;
        }
      }
      double secs = (System.nanoTime() - start) / 1e9;
      progress.finish(null);
      if (minutes != null) {
        err.println(heapLine(rt, System.nanoTime() - start, sim.totals.workloads));
      }
      if (failed != null) {
        printViolation(failed);
      }
      printSummary(sim.totals, spec, secs);
      if (faultPercent > 0) {
        printFaults(sim.faultTotals);
      }
      if (cost && failed == null && minutes == null) {
        printCost(p, spec, progress);
      }
    }
    if (html != null) {
      Simulation.Workload w = failed != null ? failed : shown;
      try {
        Files.writeString(html, HtmlTimeline.render(w, p), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new BadInputException(NAME + ": --html " + html + ": cannot write: " + e.getMessage());
      }
      out.println("timeline of workload seed " + w.seed() + " written to " + html);
    }
    return failed != null ? 1 : 0;
  }

  /**
   * The cost of checking: the same workloads (seeds S ..) with no check, hw's Java checks, the
   * spec check and both after every step, in blocks run in rotating order so that all see the
   * same JIT state and machine load. The workloads are the spec's steps (see --all-steps) unless
   * --all-steps is given, for all four alike.
   */
  private void printCost(Simulation.Params run, SpecCheck loaded, Progress progress) throws BadInputException {
    Simulation.Params p = new Simulation.Params(run.objects(), run.vram(), run.system(), run.maxJobs(),
        run.maxSteps(), run.timeoutPercent(), run.contention(), run.seed(), run.bugs(), !allSteps);
    SpecCheck specOnly = loaded != null ? loaded.sibling(1) : new SpecCheck(p, driver, Checkout.spec(), 1);
    SpecCheck specBoth = specOnly.sibling(1);
    List<String> labels = List.of("no checks (baseline)", "hw's checks after every step",
        "spec check after every step", "both after every step");
    List<Simulation> sims = List.of(new Simulation(p, List.of(), driver),
        new Simulation(p, List.of(new Simulation.JavaChecks()), driver),
        new Simulation(p, List.of(specOnly), driver),
        new Simulation(p, List.of(new Simulation.JavaChecks(), specBoth), driver));
    int block = 50;
    int blocks = Math.max(2, (int) Math.min(40, workloads / block));
    progress.start("cost of checking: warm-up");
    for (long i = 0; i < 2 * block; i++) {
      for (Simulation sim : sims) {
        sim.run(seed + i);
      }
    }
    int n = sims.size();
    long[] nanos = new long[n];
    long[] jobs = new long[n];
    for (int b = 0; b < blocks; b++) {
      progress.status(String.format("cost of checking: block %d/%d", b + 1, blocks));
      for (int k = 0; k < n; k++) {
        int which = (b + k) % n;
        Simulation sim = sims.get(which);
        long before = sim.totals.jobs + sim.totals.copies;
        long t0 = System.nanoTime();
        for (long i = 0; i < block; i++) {
          sim.run(seed + (long) b * block + i);
        }
        nanos[which] += System.nanoTime() - t0;
        jobs[which] += sim.totals.jobs + sim.totals.copies - before;
      }
    }
    progress.finish(null);
    double base = jobs[0] / (nanos[0] / 1e9);
    Table table = new Table().left("cost of checking").right("jobs").right("seconds").right("jobs/s")
        .right("time per job");
    for (int k = 0; k < n; k++) {
      double rate = jobs[k] / (nanos[k] / 1e9);
      table.add(labels.get(k), jobs[k], String.format(Locale.ROOT, "%.2f", nanos[k] / 1e9),
          String.format(Locale.ROOT, "%.0f", rate), String.format(Locale.ROOT, "%.2fx", base / rate));
    }
    table.print(out);
    out.println(String.format(Locale.ROOT, "time per job against the baseline's (%d blocks of %d workloads each way,"
        + " %s; the spec check's sample: every workload)", blocks, block,
        p.specSteps() ? "the spec's steps" : "all steps"));
  }

  /** How much a workload shows on a timeline: its evictions, moves, ghost frees and timeouts. */
  static int eventful(Simulation.Workload w) {
    int n = 0;
    for (Simulation.StepRecord r : w.steps()) {
      n += r.name().startsWith("Timeout(") ? 1 : 0;
      for (String e : r.events()) {
        n += e.startsWith("EvictArm(") || e.startsWith("MoveInArm(") || e.startsWith("GhostFree") ? 1 : 0;
      }
    }
    return n;
  }

  private static String heapLine(Runtime rt, long nanos, long workloads) {
    System.gc();
    long used = rt.totalMemory() - rt.freeMemory();
    long s = nanos / 1_000_000_000L;
    return String.format("heap after gc: %.1f MiB used (%d:%02d elapsed, %d workloads)", used / 1048576.0, s / 60,
        s % 60, workloads);
  }

  void printViolation(Simulation.Workload w) {
    Simulation.Problem first = w.problems().get(0);
    out.println("VIOLATION " + first + " at step " + first.step() + " of workload seed " + w.seed()
        + " (objects: " + String.join(", ", w.objects()) + ")");
    out.println("steps that led to it:");
    for (Simulation.StepRecord r : w.steps()) {
      out.println(String.format("%4d. %s", r.index(), r.name()));
      if (!r.calls().isEmpty()) {
        out.println("        kernel: " + String.join(", ", r.calls()));
      }
      for (String e : r.events()) {
        out.println("        history: " + e);
      }
    }
    for (Simulation.Problem pr : w.problems()) {
      out.println("violated at step " + pr.step() + ": " + pr);
    }
    out.println("reproduce: " + NAME + " --seed " + w.seed() + " --workloads 1" + reproduceOptions());
    out.println();
  }

  private String reproduceOptions() {
    StringBuilder sb = new StringBuilder();
    sb.append(" --objects ").append(objects).append(" --vram ").append(vram).append(" --system ").append(system)
        .append(" --jobs ").append(jobs).append(" --steps ").append(steps).append(" --timeouts ").append(timeouts);
    if (noContention) {
      sb.append(" --no-contention");
    }
    if (check != Check.both) {
      sb.append(" --check ").append(check);
    }
    if (allSteps) {
      sb.append(" --all-steps");
    }
    if (!driver.equals("generic")) {
      sb.append(" --driver ").append(driver);
    }
    if (effectiveFaults > 0 || faults != null) { // --faults 0 with a fault path's --bug: kept
      sb.append(" --faults ").append(effectiveFaults);
    }
    if (vmMode) {
      sb.append(noTlb ? " --vm --no-tlb" : " --vm");
      if (vmFlows != null) {
        sb.append(" --vm-flows ").append(vmFlows);
      }
    }
    for (String b : bugs) {
      sb.append(" --bug ").append(b);
    }
    return sb.toString();
  }

  private void printSummary(Simulation.Totals t, SpecCheck spec, double secs) {
    Table table = new Table().left("measure").right("count");
    table.add("workloads", t.workloads);
    table.add("jobs (user submissions)", t.jobs);
    table.add("TTM copy jobs", t.copies);
    table.add("fences signalled", t.signalled);
    table.add("  with an error (-ETIME, -ECANCELED, ...)", t.signalledWithError);
    table.add("evictions", t.evictions);
    table.add("moves", t.moves);
    table.add("ghosts freed", t.ghostsFreed);
    table.add("validations failed (-ENOSPC/-EBUSY)", t.enospc);
    table.add("contended validations", t.contended);
    table.add("  backed off (-EDEADLK -> -ENOSPC)", t.backoffs);
    table.add("engine hangs", t.hangs);
    table.add("timeouts (engine resets)", t.timeouts);
    table.add("  jobs they ended (hung -ETIME, others -ECANCELED)", t.cancelled);
    table.add("steps", t.steps);
    table.add("  checked by hw's checks", check.java() ? t.steps : 0);
    if (spec != null) {
      table.add("  checked against spec/GpuMem", spec.checked);
      table.add("    contended validations, as the spec's uncontended", spec.contendedAsUncontended);
      for (var e : spec.notChecked.entrySet()) {
        table.add("  not spec-checked: " + e.getKey(), e.getValue());
      }
      table.add("workloads spec-checked to the end", spec.workloadsChecked);
      table.add("spec states explored", spec.specStates());
      table.add("largest spec frontier", spec.maxFrontier());
    }
    table.add("violations", t.violations);
    for (var e : t.byRule.entrySet()) {
      table.add("  " + e.getKey(), e.getValue());
    }
    table.print(out);
    if (spec != null) {
      out.println(String.format(Locale.ROOT, "spec check: %.1f%% of the steps checked against spec/GpuMem/GpuMem.tla"
          + " (model: %s)", t.steps == 0 ? 0.0 : 100.0 * spec.checked / t.steps, spec.bounds()));
    }
    out.println(String.format(Locale.ROOT, "%.1f s, %.0f jobs/s (user jobs and copies), %.0f steps/s", secs,
        (t.jobs + t.copies) / secs,
        t.steps / secs));
  }

  /** Whether the run is --vm's (given, or implied by a --bug of hw's VMs). */
  private boolean vmMode;

  /** The --faults percentage in effect (explicit, or implied by a --bug of a fault path). */
  private int effectiveFaults;

  private void printFaults(java.util.Map<String, Long> totals) {
    Table table = new Table().left("faults (--faults " + effectiveFaults + ")").right("count");
    totals.forEach(table::add);
    table.print(out);
  }
}
