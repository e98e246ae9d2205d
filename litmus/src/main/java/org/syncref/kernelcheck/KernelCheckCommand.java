package org.syncref.kernelcheck;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.syncref.litmus.LitmusCheck;
import org.syncref.litmus.SpecModel;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code syncref kernel-check [--kernel-src PATH | --kernel 6.12|6.1] FILE.litmus... | DIR/}. */
@Command(name = "kernel-check",
    header = "litmus scenarios on the real kernel (UML + KUnit), compared with the spec's verdict",
    description = {
        "Runs each litmus file on the kernel's own dma-fence.c, dma-resv.c and ww_mutex code, built as user-mode"
            + " Linux with KUnit (one generated suite, one case per file), and compares with the TLA+ spec:"
            + " one-thread files step by step (every value, expect, WARN, BUG, blocking call); multi-thread files"
            + " as kthreads over many trials with random yields and sleeps at call boundaries, every observed"
            + " outcome must be one the spec allows (histogram as klitmus7). The kernel tree is never edited: an"
            + " overlay and the build folder live in the cache ($SYNCREF_CACHE, else $XDG_CACHE_HOME/syncref,"
            + " else ~/.cache/syncref). Every build keeps CONFIG_DEBUG_MUTEXES (the ww_mutex debug checks whose"
            + " WARNs the spec records). The guide: docs/kernel-check.md."},
    footer = {"",
        "Output: per file 'kernel 6.12 BUILD: OK' or 'DIVERGES' (with the step, the kernel's value and the spec's),"
            + " or 'skipped' with the reason; the last line counts the files.",
        "Exit codes: 0 no divergence; 1 a file diverges (or did not run); 2 bad input."})
public final class KernelCheckCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--kernel", paramLabel = "V", description = "Debian's linux-source-V (6.12 default, 6.1);"
      + " apt-get installs it if missing")
  String kernel;

  @Option(names = "--kernel-src", paramLabel = "PATH", description = "a kernel tree of yours (built out of tree"
      + " from an overlay; not modified)")
  Path src;

  @Option(names = "--trials", paramLabel = "N", defaultValue = "200",
      description = "trials per multi-thread file (default ${DEFAULT-VALUE})")
  int trials;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "2", description = "make jobs (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--mutant", paramLabel = "NAME", description = "explore a DmaResv mutant of the spec, or the"
      + " DmaFence mutant ignore_peek (negative control: the kernel exposes it)")
  String mutant;

  @Option(names = "--build", paramLabel = "NAME|all", defaultValue = KernelTree.DEFAULT_BUILD,
      description = "the kernel build (default ${DEFAULT-VALUE}): production (no CONFIG_DEBUG_LOCK_ALLOC: mutex"
          + " fastpaths), debug-lock-alloc, prove-locking (CONFIG_PROVE_LOCKING, so DEBUG_WW_MUTEX_SLOWPATH's"
          + " deadlock injection), or all three one after the other; the spec is explored with the same Build and"
          + " each build has its own build folder in the cache (kunitconfig[-NAME])")
  String build;

  @Option(names = {"-v", "--verbose"}, description = "the kernel's steps of one-thread files, the generated file's"
      + " path")
  boolean verbose;

  @Parameters(paramLabel = "FILE.litmus|DIR", arity = "1..*", description = "litmus files, or folders of them")
  List<String> paths = new ArrayList<>();

  public KernelCheckCommand() {
    this(System.out, System.err);
  }

  public KernelCheckCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    if (kernel != null && !kernel.matches("\\d+\\.\\d+")) {
      throw new BadInputException("syncref kernel-check: --kernel needs a version like 6.12 or 6.1, got '"
          + kernel + "'");
    }
    if (src != null && kernel != null) {
      throw new BadInputException("syncref kernel-check: give --kernel or --kernel-src, not both");
    }
    number(trials, "--trials", 1, 100_000);
    number(jobs, "--jobs", 1, 64);
    String m = "none";
    if (mutant != null) {
      List<String> known = SpecModel.resvMutants(Checkout.require().resolve("spec"));
      if (!known.contains(mutant) && !SpecModel.FENCE_MUTANTS.contains(mutant)) {
        throw new BadInputException("syncref kernel-check: unknown mutant '" + mutant + "' (expected one of"
            + " DmaResv.tla's ResvMutants: " + String.join(", ", known) + ", or DmaFence.tla's "
            + String.join(", ", SpecModel.FENCE_MUTANTS) + ")");
      }
      m = mutant;
    }
    List<String> builds;
    if (build.equals("all")) {
      builds = List.of("production", "debug-lock-alloc", "prove-locking");
    } else if (org.syncref.litmus.Litmus.BUILDS.contains(build)) {
      builds = List.of(build);
    } else {
      throw new BadInputException("syncref kernel-check: unknown build '" + build
          + "' (expected production, debug-lock-alloc, prove-locking or all)");
    }
    List<Path> files = systemFilesLeftOut(paths, LitmusCheck.files(paths), err);
    return new KernelCheck(out, err, new KernelCheck.Options(kernel == null ? "6.12" : kernel, src, trials, jobs, m,
        verbose, builds)).run(files);
  }

  /**
   * System-level files (spec/GpuMem scenarios, {@link org.syncref.litmus.SystemLitmus}) have no
   * kernel oracle: one named on the command line is bad input (one line, exit 2); those found in
   * a folder are left out with one line saying so.
   */
  public static List<Path> systemFilesLeftOut(List<String> args, List<Path> files, PrintStream err) throws BadInputException {
    for (String a : args) {
      Path p = Path.of(a);
      String at = java.nio.file.Files.isDirectory(p) ? null : org.syncref.litmus.SystemLitmus.systemAt(p);
      if (at != null) {
        throw new BadInputException(a + ":" + at + ": a system-level file (spec/GpuMem) runs on the spec only: there is no"
            + " kernel oracle for it; judge it with syncref check");
      }
    }
    List<Path> kept = files.stream().filter(f -> !org.syncref.litmus.SystemLitmus.isSystemFile(f)).toList();
    if (kept.size() < files.size()) {
      err.println("syncref kernel-check: left out " + (files.size() - kept.size()) + " system-level files (spec only:"
          + " no kernel oracle; syncref check judges them)");
    }
    if (kept.isEmpty()) {
      throw new BadInputException("syncref kernel-check: no file to run on the kernel (only system-level files)");
    }
    return kept;
  }

  private static void number(int n, String opt, int min, int max) throws BadInputException {
    if (n < min || n > max) {
      throw new BadInputException("syncref kernel-check: " + opt + " needs a number from " + min + " to " + max
          + ", got '" + n + "'");
    }
  }
}
