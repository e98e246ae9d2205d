package org.syncref.litmus;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.cli.Subcommand;

/** {@code syncref check FILE.litmus... | DIR/}: litmus scenarios against the spec and the Java code. */
public final class CheckCommand implements Subcommand {
  private final PrintStream out;
  private final PrintStream err;

  public CheckCommand() {
    this(System.out, System.err);
  }

  public CheckCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "check";
  }

  @Override
  public String summary() {
    return "litmus scenarios: every interleaving over the TLA+ spec, and the Java implementation";
  }

  @Override
  public String usage() {
    return String.join("\n",
        "usage: syncref check [options] FILE.litmus... | DIR/...",
        "",
        "Explores every interleaving of each litmus file's threads over the TLA+ spec (spec/Litmus,",
        "TLC's evaluator) and prints the final condition's result (Always / Sometimes / Never) with",
        "the number of final states that satisfy it and that do not; compares it with the file's",
        "'# Result:' header (OK / MISMATCH); checks every 'expect'; then runs the file on the Java",
        "implementation over its schedules, whose outcomes must be among the spec's. A folder means",
        "every .litmus file below it, in one JVM. The syntax: README.md, section Litmus scenarios.",
        "",
        "Kernel builds: production (no CONFIG_DEBUG_LOCK_ALLOC: the ww_mutex fast path keeps a stale",
        "Wound-Wait wound), debug-lock-alloc (every lock by __mutex_lock_common), prove-locking",
        "(CONFIG_PROVE_LOCKING with DEBUG_WW_MUTEX_SLOWPATH's deadlock injection: a lock that",
        "succeeds while the context holds another may return -EDEADLK). Without --build a file that",
        "uses an acquire context is judged on all three (the report shows each build, one line",
        "for a build whose outcomes are those of the first), any other file once, on",
        "debug-lock-alloc (the builds differ only in ww_mutex calls with a context). '# Result:' is",
        "the verdict on every build, unless a line '# Result on BUILD: V' overrides it for BUILD.",
        "The Java side runs on Kernel.Build PROVE_LOCKING, DEBUG_LOCK_ALLOC and, for production,",
        "DEBUG_MUTEXES (the fastpaths with the debug checks).",
        "",
        "options:",
        "  --impl-max N      at most N Java schedules per file (default 300)",
        "  --no-impl         skip the Java implementation",
        "  --mutant NAME     run the spec with a DmaResv mutant (ResvMutant: is_later, shared_5_4, ...)",
        "                    or the DmaFence mutant ignore_peek (ops->signaled never called)",
        "  --build NAME      judge on this build only: production, debug-lock-alloc, prove-locking",
        "  --impl-bug NAME   run the Java side with this injected bug (org.syncref.kernel.InjectedBug,",
        "                    e.g. RESV_ADD_APPENDS; may be repeated): a negative control of the comparison,",
        "                    which should then report a Java CONFORMANCE FAILURE",
        "  --no-lockdep      the former name of --build production",
        "  -v, --verbose     list every final outcome",
        "",
        "Exit codes: 0 every header and expect holds; 1 one does not, or Java disagrees; 2 bad input.");
  }

  @Override
  public int run(List<String> args) throws BadInputException {
    LitmusCheck.Options o = LitmusCheck.Options.defaults();
    String build = null;
    List<org.syncref.kernel.InjectedBug> bugs = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--impl-max" -> {
          if (i + 1 >= args.size()) {
            throw new BadInputException("syncref check: --impl-max needs a number");
          }
          try {
            int n = Integer.parseInt(args.get(++i));
            if (n < 1) {
              throw new NumberFormatException();
            }
            o = new LitmusCheck.Options(n, o.impl(), o.resvMutant(), o.verbose());
          } catch (NumberFormatException e) {
            throw new BadInputException("syncref check: --impl-max needs a positive number, got '" + args.get(i) + "'");
          }
        }
        case "--no-impl" -> o = new LitmusCheck.Options(o.implMax(), false, o.resvMutant(), o.verbose());
        case "--mutant" -> {
          if (i + 1 >= args.size()) {
            throw new BadInputException("syncref check: --mutant needs a name");
          }
          String m = args.get(++i);
          List<String> known = SpecModel.resvMutants(Checkout.spec());
          if (!known.contains(m) && !SpecModel.FENCE_MUTANTS.contains(m)) {
            throw new BadInputException("syncref check: unknown mutant '" + m + "' (expected one of DmaResv.tla's"
                + " ResvMutants: " + String.join(", ", known) + ", or DmaFence.tla's "
                + String.join(", ", SpecModel.FENCE_MUTANTS) + ")");
          }
          o = new LitmusCheck.Options(o.implMax(), o.impl(), m, o.verbose());
        }
        case "-v", "--verbose" -> o = new LitmusCheck.Options(o.implMax(), o.impl(), o.resvMutant(), true);
        case "--no-lockdep" -> build = "production";
        case "--impl-bug" -> {
          List<String> names = java.util.Arrays.stream(org.syncref.kernel.InjectedBug.values())
              .map(Enum::name).toList();
          if (i + 1 >= args.size()) {
            throw new BadInputException("syncref check: --impl-bug needs a name (" + String.join(", ", names) + ")");
          }
          String b = args.get(++i);
          if (!names.contains(b)) {
            throw new BadInputException("syncref check: unknown injected bug '" + b + "' (expected one of "
                + String.join(", ", names) + ")");
          }
          bugs.add(org.syncref.kernel.InjectedBug.valueOf(b));
        }
        case "--build" -> {
          if (i + 1 >= args.size()) {
            throw new BadInputException("syncref check: --build needs a name (" + String.join(", ", Litmus.BUILDS) + ")");
          }
          build = args.get(++i);
          if (!Litmus.BUILDS.contains(build)) {
            throw new BadInputException("syncref check: unknown build '" + build + "' (expected one of "
                + String.join(", ", Litmus.BUILDS) + ")");
          }
        }
        default -> {
          if (a.startsWith("-")) {
            throw new BadInputException("syncref check: unknown option '" + a + "' (see syncref check --help)");
          }
          paths.add(a);
        }
      }
    }
    if (paths.isEmpty()) {
      throw new BadInputException("syncref check: no litmus file or folder given (see syncref check --help)");
    }
    LitmusCheck check = new LitmusCheck(out, err, o);
    if (build != null) {
      check.withBuild(build);
    }
    if (!bugs.isEmpty()) {
      check.withImplBugs(bugs.toArray(new org.syncref.kernel.InjectedBug[0]));
    }
    return check.run(LitmusCheck.files(paths));
  }
}
