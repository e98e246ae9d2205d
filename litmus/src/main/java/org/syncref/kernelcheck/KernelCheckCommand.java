package org.syncref.kernelcheck;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.syncref.litmus.SpecModel;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.cli.Subcommand;

/** {@code syncref kernel-check [--kernel-src PATH | --kernel 6.12|6.1] FILE.litmus... | DIR/}. */
public final class KernelCheckCommand implements Subcommand {
  private final PrintStream out;
  private final PrintStream err;

  public KernelCheckCommand() {
    this(System.out, System.err);
  }

  public KernelCheckCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "kernel-check";
  }

  @Override
  public String summary() {
    return "litmus scenarios on the real kernel (UML + KUnit), compared with the spec's verdict";
  }

  @Override
  public String usage() {
    return String.join("\n",
        "usage: syncref kernel-check [options] FILE.litmus... | DIR/...",
        "",
        "Runs each litmus file on the kernel's own dma-fence.c, dma-resv.c and ww_mutex code, built as",
        "user-mode Linux with KUnit (one generated suite, one case per file), and compares with the",
        "TLA+ spec: one-thread files step by step (every value, expect, WARN, BUG, blocking call);",
        "multi-thread files as kthreads over many trials with random yields and sleeps at call",
        "boundaries, every observed outcome must be one the spec allows (histogram as klitmus7).",
        "The kernel tree is never edited: an overlay and the build folder live in the cache",
        "($SYNCREF_CACHE, else $XDG_CACHE_HOME/syncref, else ~/.cache/syncref).",
        "",
        "options:",
        "  --kernel V        Debian's linux-source-V (6.12 default, 6.1); apt-get installs it if missing",
        "  --kernel-src PATH a kernel tree of yours (built out of tree from an overlay; not modified)",
        "  --trials N        trials per multi-thread file (default 200)",
        "  --jobs N          make jobs (default 2)",
        "  --mutant NAME     explore a DmaResv mutant of the spec, or the DmaFence mutant ignore_peek",
        "                    (negative control: the kernel exposes it)",
        "  --build NAME|all  the kernel build (default production): production (no",
        "                    CONFIG_DEBUG_LOCK_ALLOC: mutex fastpaths), debug-lock-alloc, prove-locking",
        "                    (CONFIG_PROVE_LOCKING, so DEBUG_WW_MUTEX_SLOWPATH's deadlock injection), or",
        "                    all three one after the other; the spec is explored with the same Build and",
        "                    each build has its own build folder in the cache (kunitconfig[-NAME])",
        "  -v, --verbose     the kernel's steps of one-thread files, the generated file's path",
        "",
        "Every build keeps CONFIG_DEBUG_MUTEXES (the ww_mutex debug checks whose WARNs the spec records).",
        "",
        "Output: per file 'kernel 6.12 BUILD: OK' or 'DIVERGES' (with the step, the kernel's value and the",
        "spec's), or 'skipped' with the reason; the last line counts the files.",
        "Exit codes: 0 no divergence; 1 a file diverges (or did not run); 2 bad input.");
  }

  @Override
  public int run(List<String> args) throws Exception {
    String kernel = "6.12";
    Path src = null;
    int trials = 200;
    int jobs = 2;
    boolean verbose = false;
    String mutant = "none";
    List<String> builds = List.of(KernelTree.DEFAULT_BUILD);
    boolean kernelGiven = false;
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--kernel" -> {
          kernel = value(args, ++i, "--kernel", "a version (6.12 or 6.1)");
          if (!kernel.matches("\\d+\\.\\d+")) {
            throw new BadInputException("syncref kernel-check: --kernel needs a version like 6.12 or 6.1, got '"
                + kernel + "'");
          }
          kernelGiven = true;
        }
        case "--kernel-src" -> src = Path.of(value(args, ++i, "--kernel-src", "a kernel tree"));
        case "--trials" -> trials = number(value(args, ++i, "--trials", "a number"), "--trials", 1, 100_000);
        case "--jobs" -> jobs = number(value(args, ++i, "--jobs", "a number"), "--jobs", 1, 64);
        case "--mutant" -> {
          mutant = value(args, ++i, "--mutant", "a name");
          List<String> known = SpecModel.resvMutants(Checkout.spec());
          if (!known.contains(mutant) && !SpecModel.FENCE_MUTANTS.contains(mutant)) {
            throw new BadInputException("syncref kernel-check: unknown mutant '" + mutant + "' (expected one of"
                + " DmaResv.tla's ResvMutants: " + String.join(", ", known) + ", or DmaFence.tla's "
                + String.join(", ", SpecModel.FENCE_MUTANTS) + ")");
          }
        }
        case "-v", "--verbose" -> verbose = true;
        case "--build" -> {
          String b = value(args, ++i, "--build", "a build (production, debug-lock-alloc, prove-locking or all)");
          if (b.equals("all")) {
            builds = List.of("production", "debug-lock-alloc", "prove-locking");
          } else if (org.syncref.litmus.Litmus.BUILDS.contains(b)) {
            builds = List.of(b);
          } else {
            throw new BadInputException("syncref kernel-check: unknown build '" + b
                + "' (expected production, debug-lock-alloc, prove-locking or all)");
          }
        }
        default -> {
          if (a.startsWith("-")) {
            throw new BadInputException("syncref kernel-check: unknown option '" + a
                + "' (see syncref kernel-check --help)");
          }
          paths.add(a);
        }
      }
    }
    if (src != null && kernelGiven) {
      throw new BadInputException("syncref kernel-check: give --kernel or --kernel-src, not both");
    }
    if (paths.isEmpty()) {
      throw new BadInputException("syncref kernel-check: no litmus file or folder given (see syncref kernel-check --help)");
    }
    List<Path> files = org.syncref.litmus.LitmusCheck.files(paths);
    return new KernelCheck(out, err, new KernelCheck.Options(kernel, src, trials, jobs, mutant, verbose, builds)).run(files);
  }

  private static String value(List<String> args, int i, String opt, String what) throws BadInputException {
    if (i >= args.size()) {
      throw new BadInputException("syncref kernel-check: " + opt + " needs " + what);
    }
    return args.get(i);
  }

  private static int number(String s, String opt, int min, int max) throws BadInputException {
    try {
      int n = Integer.parseInt(s);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadInputException("syncref kernel-check: " + opt + " needs a number from " + min + " to " + max
          + ", got '" + s + "'");
    }
  }
}
