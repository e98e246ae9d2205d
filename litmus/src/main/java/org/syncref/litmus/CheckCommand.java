package org.syncref.litmus;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.syncref.kernel.InjectedBug;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code syncref check FILE.litmus... | DIR/}: litmus scenarios against the spec and the Java code. */
@Command(name = "check",
    header = "litmus scenarios: every interleaving over the TLA+ spec, and the Java implementation",
    description = {
        "Explores every interleaving of each litmus file's threads over the TLA+ spec (spec/Litmus, TLC's"
            + " evaluator) and prints the final condition's result (Always / Sometimes / Never) with the number"
            + " of final states that satisfy it and that do not; compares it with the file's '# Result:' header"
            + " (OK / MISMATCH); checks every 'expect'; then runs the file on the Java implementation over its"
            + " schedules, whose outcomes must be among the spec's. A folder means every .litmus file below it,"
            + " in one JVM. The language: docs/litmus.md.",
        "",
        "System-level files (second statement 'system GpuMem' or 'system GpuMemVm': spec/litmus/system-*) script"
            + " operations of the GPU memory system spec (spec/GpuMem) and are judged on that spec only: there is no"
            + " Java system model and no kernel oracle for them. They name their mutant themselves ('mutant NAME');"
            + " see docs/litmus.md, System-level questions.",
        "",
        "Kernel builds: production (no CONFIG_DEBUG_LOCK_ALLOC: the ww_mutex fast path keeps a stale Wound-Wait"
            + " wound), debug-lock-alloc (every lock by __mutex_lock_common), prove-locking (CONFIG_PROVE_LOCKING"
            + " with DEBUG_WW_MUTEX_SLOWPATH's deadlock injection: a lock that succeeds while the context holds"
            + " another may return -EDEADLK). Without --build a file that uses an acquire context is judged on"
            + " all three (the report shows each build, one line for a build whose outcomes are those of the"
            + " first), any other file once, on debug-lock-alloc (the builds differ only in ww_mutex calls with"
            + " a context). '# Result:' is the verdict on every build, unless a line '# Result on BUILD: V'"
            + " overrides it for BUILD. The Java side runs on Kernel.Build PROVE_LOCKING, DEBUG_LOCK_ALLOC and,"
            + " for production, DEBUG_MUTEXES (the fastpaths with the debug checks)."},
    footer = {"", "Exit codes: 0 every header and expect holds; 1 one does not, or Java disagrees; 2 bad input."})
public final class CheckCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--impl-max", paramLabel = "N", defaultValue = "300",
      description = "at most N Java schedules per file (default ${DEFAULT-VALUE})")
  int implMax;

  @Option(names = "--no-impl", description = "skip the Java implementation")
  boolean noImpl;

  @Option(names = "--mutant", paramLabel = "NAME", description = "run the spec with a DmaResv mutant (ResvMutant:"
      + " is_later, shared_5_4, ...) or the DmaFence mutant ignore_peek (ops->signaled never called)")
  String mutant;

  @Option(names = "--build", paramLabel = "NAME", description = "judge on this build only: production,"
      + " debug-lock-alloc, prove-locking")
  String build;

  @Option(names = "--impl-bug", paramLabel = "NAME", description = "run the Java side with this injected bug"
      + " (org.syncref.kernel.InjectedBug, e.g. RESV_ADD_APPENDS; may be repeated): a negative control of the"
      + " comparison, which should then report a Java CONFORMANCE FAILURE")
  List<InjectedBug> implBugs = new ArrayList<>();

  @Option(names = "--no-lockdep", description = "the former name of --build production")
  boolean noLockdep;

  @Option(names = {"-v", "--verbose"}, description = "list every final outcome")
  boolean verbose;

  @Parameters(paramLabel = "FILE.litmus|DIR", arity = "1..*", description = "litmus files, or folders of them")
  List<String> paths = new ArrayList<>();

  public CheckCommand() {
    this(System.out, System.err);
  }

  public CheckCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws BadInputException {
    if (implMax < 1) {
      throw new BadInputException("syncref check: --impl-max needs a positive number, got '" + implMax + "'");
    }
    String m = "none";
    if (mutant != null) {
      List<String> known = SpecModel.resvMutants(Checkout.require().resolve("spec"));
      if (!known.contains(mutant) && !SpecModel.FENCE_MUTANTS.contains(mutant)) {
        throw new BadInputException("syncref check: unknown mutant '" + mutant + "' (expected one of DmaResv.tla's"
            + " ResvMutants: " + String.join(", ", known) + ", or DmaFence.tla's "
            + String.join(", ", SpecModel.FENCE_MUTANTS) + ")");
      }
      m = mutant;
    }
    if (build != null && !Litmus.BUILDS.contains(build)) {
      throw new BadInputException("syncref check: unknown build '" + build + "' (expected one of "
          + String.join(", ", Litmus.BUILDS) + ")");
    }
    String b = build != null ? build : noLockdep ? "production" : null;
    LitmusCheck check = new LitmusCheck(out, err, new LitmusCheck.Options(implMax, !noImpl, m, verbose));
    if (b != null) {
      check.withBuild(b);
    }
    if (!implBugs.isEmpty()) {
      check.withImplBugs(implBugs.toArray(new InjectedBug[0]));
    }
    return check.run(LitmusCheck.files(paths));
  }
}
