package org.syncref.litmus;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.Checkout;

/**
 * Checks litmus files: every interleaving over the TLA+ spec (the verdict), the Java
 * implementation over its schedules (must stay within the spec's outcomes), the {@code # Result:}
 * header and the {@code expect} statements. One JVM for all files.
 */
public final class LitmusCheck {
  /** Options of one run. */
  public record Options(int implMax, boolean impl, String resvMutant, boolean verbose) {
    public static Options defaults() {
      return new Options(300, true, "none", false);
    }
  }

  /** One file's verdict. */
  public enum Status {
    OK,
    FAILED,
    BAD_INPUT
  }

  private PrintStream out;
  private final PrintStream err;
  private final Options opt;
  private Path scratch;
  private org.syncref.kernel.InjectedBug[] implBugs = new org.syncref.kernel.InjectedBug[0];
  /** The one build to judge on (--build), or null: every build for files where it matters. */
  private String onlyBuild;
  /** The Java side's build if set, else the one of the spec's build ({@link #javaBuild}). */
  private org.syncref.kernel.Kernel.Build implBuild;

  /**
   * Judges every file on kernel build {@code build} only (Litmus.BUILDS): the spec explored with
   * that Build, the {@code # Result on BUILD:} header if there is one, the Java side on
   * {@link #javaBuild}.
   */
  public LitmusCheck withBuild(String build) {
    if (!Litmus.BUILDS.contains(build)) {
      throw new IllegalArgumentException("unknown build " + build);
    }
    this.onlyBuild = build;
    return this;
  }

  /** The former option --no-lockdep: {@code withBuild("production")}. */
  public LitmusCheck withoutLockdep() {
    return withBuild("production");
  }

  /**
   * The Java kernel for a spec build: PROVE_LOCKING, DEBUG_LOCK_ALLOC, and for production
   * DEBUG_MUTEXES (the fastpaths with the debug checks whose WARNs the spec records; the build
   * kernel-check runs as production).
   */
  public static org.syncref.kernel.Kernel.Build javaBuild(String build) {
    return switch (build) {
      case "prove-locking" -> org.syncref.kernel.Kernel.Build.PROVE_LOCKING;
      case "debug-lock-alloc" -> org.syncref.kernel.Kernel.Build.DEBUG_LOCK_ALLOC;
      case "production" -> org.syncref.kernel.Kernel.Build.DEBUG_MUTEXES;
      default -> throw new IllegalArgumentException("unknown build " + build);
    };
  }

  /**
   * Runs the Java side on kernels of {@code b} whatever the spec's build (the negative control of
   * the build comparison: a Java build judged against the other build's spec).
   */
  public LitmusCheck withImplBuild(org.syncref.kernel.Kernel.Build b) {
    this.implBuild = b;
    return this;
  }

  /** Runs the Java side with these injected bugs (negative controls of the comparison). */
  public LitmusCheck withImplBugs(org.syncref.kernel.InjectedBug... bugs) {
    this.implBugs = bugs.clone();
    return this;
  }

  public LitmusCheck(PrintStream out, PrintStream err, Options opt) {
    this.out = out;
    this.err = err;
    this.opt = opt;
  }

  /** The .litmus files named by the arguments (folders: every .litmus file below, sorted). */
  public static List<Path> files(List<String> args) throws BadInputException {
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      Path p = Path.of(a);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          List<Path> found = s.filter(f -> f.toString().endsWith(".litmus") && Files.isRegularFile(f))
              .sorted(Comparator.comparing(Path::toString)).toList();
          if (found.isEmpty()) {
            throw new BadInputException(a + ": no .litmus file in this folder");
          }
          files.addAll(found);
        } catch (IOException e) {
          throw new BadInputException(a + ": cannot read the folder (" + e.getMessage() + ")");
        }
      } else {
        files.add(p);
      }
    }
    return files;
  }

  /** Checks the files; returns the exit code (0 all hold, 1 a check failed, 2 bad input). */
  public int run(List<Path> files) {
    int ok = 0;
    int failed = 0;
    int bad = 0;
    long t0 = System.nanoTime();
    try {
      scratch = Files.createTempDirectory("syncref-litmus");
      for (Path f : files) {
        Status st;
        try {
          st = check(f);
        } catch (RuntimeException e) {
          out.println("  INTERNAL ERROR while checking " + f + ": " + e);
          if (System.getenv("SYNCREF_DEBUG") != null) {
            e.printStackTrace(out);
          }
          st = Status.FAILED;
        }
        switch (st) {
          case OK -> ok++;
          case FAILED -> failed++;
          case BAD_INPUT -> bad++;
        }
      }
    } catch (IOException e) {
      err.println("syncref check: cannot create a scratch folder: " + e.getMessage());
      return 2;
    } finally {
      deleteScratch();
    }
    if (files.size() > 1) {
      out.printf("%d files: %d OK, %d failed, %d bad input (%.1f s)%n", files.size(), ok, failed, bad,
          (System.nanoTime() - t0) / 1e9);
    }
    return bad > 0 ? 2 : failed > 0 ? 1 : 0;
  }

  private void deleteScratch() {
    if (scratch == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(scratch)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  /**
   * Checks one file and prints its report: on the --build if one was given, else on every build
   * (Litmus.BUILDS) if the file uses an acquire context, else once on debug-lock-alloc (the
   * builds differ only in ww_mutex calls with a context). A second and third build whose
   * outcomes are those of the first, both OK, is one line.
   */
  public Status check(Path file) {
    if (SystemLitmus.isSystemFile(file)) {
      return checkSystem(file);
    }
    Litmus l;
    try {
      l = LitmusParser.parse(file);
    } catch (BadInputException e) {
      err.println(e.getMessage());
      return Status.BAD_INPUT;
    }
    out.println("Test " + l.name() + " (" + file + ")");
    List<String> builds = onlyBuild != null ? List.of(onlyBuild)
        : l.buildMatters() ? Litmus.BUILDS : List.of(Litmus.BUILDS.get(0));
    PrintStream real = out;
    boolean fail = false;
    java.util.Set<Outcome> first = null;
    String firstBuild = null;
    boolean firstOk = false;
    try {
      for (String b : builds) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        out = new PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        SpecExplorer.Result[] res = new SpecExplorer.Result[1];
        Status st = checkOn(l, file, b, res);
        out.flush();
        out = real;
        boolean ok = st == Status.OK;
        fail |= !ok;
        java.util.Set<Outcome> outs = res[0] == null ? null : res[0].outcomes.keySet();
        if (builds.size() > 1 && first != null && ok && firstOk && outs != null && outs.equals(first)) {
          out.println("  on " + b + ": the outcomes of " + firstBuild + ", OK");
          continue;
        }
        if (builds.size() > 1 || onlyBuild != null) {
          out.println("  on " + b + ":");
        }
        out.print(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
        if (first == null) {
          first = outs;
          firstBuild = b;
          firstOk = ok;
        }
      }
    } finally {
      out = real;
    }
    return fail ? Status.FAILED : Status.OK;
  }

  /** A system-level file (SystemLitmus): the GPU memory system spec only. */
  private Status checkSystem(Path file) {
    SystemLitmus l;
    try {
      l = SystemLitmus.parse(file);
    } catch (BadInputException e) {
      err.println(e.getMessage());
      return Status.BAD_INPUT;
    }
    boolean ok = new SystemCheck(out, scratch.resolve("system"), opt.verbose())
        .check(l, file, Checkout.require().resolve("spec"));
    if (!opt.resvMutant().equals("none")) {
      out.println("  note: --mutant " + opt.resvMutant() + " is not applied to a system-level file (it names its"
          + " GpuMem mutant with 'mutant NAME')");
    }
    return ok ? Status.OK : Status.FAILED;
  }

  private Status checkOn(Litmus l, Path file, String build, SpecExplorer.Result[] res) {
    long t0 = System.nanoTime();
    SpecModel model = SpecModel.load(l, Checkout.require().resolve("spec"), scratch, opt.resvMutant(), build);
    SpecExplorer.Result r = new SpecExplorer(model).explore();
    res[0] = r;
    double secs = (System.nanoTime() - t0) / 1e9;
    boolean fail = false;
    if (r.truncated) {
      out.printf("  the scenario has more than %,d states: simplify it%n", SpecExplorer.MAX_STATES);
      return Status.FAILED;
    }
    String result = null;
    if (l.exists() != null) {
      result = r.positive == 0 ? "Never" : r.negative == 0 ? "Always" : "Sometimes";
      String expected = l.expected(build);
      String cmp = expected == null ? "" : expected.equals(result) ? "   OK" : "   MISMATCH (header: " + expected + ")";
      out.printf("  Result: %s   Positive: %d Negative: %d   (final states; %,d states, %.2f s)%s%n",
          result, r.positive, r.negative, r.states, secs, cmp);
      if (expected != null && !expected.equals(result)) {
        fail = true;
        // a witness against the header
        boolean want = expected.equals("Never") ? true : false;
        if (expected.equals("Sometimes")) {
          want = r.positive == 0;
        }
        for (Map.Entry<Outcome, Boolean> e : r.satisfies.entrySet()) {
          if (e.getValue() == want) {
            out.println("  an execution " + (want ? "that satisfies" : "that does not satisfy") + " the exists clause:");
            printPath(r.outcomes.get(e.getKey()), e.getKey());
            break;
          }
        }
      }
    } else {
      out.printf("  no exists clause   (%d final states; %,d states, %.2f s)%n", r.outcomes.size(), r.states, secs);
      if (l.expected() != null) {
        out.println("  MISMATCH: the header expects " + l.expected() + " but the file has no exists clause");
        fail = true;
      }
    }
    for (Map.Entry<Litmus.Pos, List<String>> e : r.expectFailures.entrySet()) {
      fail = true;
      out.println("  expect at " + file + ":" + e.getKey() + " FAILS in this execution:");
      printPath(e.getValue(), null);
    }
    if (r.stuckStates > 0) {
      out.printf("  note: %,d states cannot reach the end (a loop that never exits)%n", r.stuckStates);
    }
    if (opt.verbose() || r.outcomes.size() <= 6) {
      out.println("  Outcomes (" + r.outcomes.size() + "):");
      for (Outcome o : r.outcomes.keySet()) {
        Boolean sat = r.satisfies.get(o);
        out.println("    " + (l.exists() == null ? "" : sat ? "* " : "  ") + o);
      }
    }
    for (String d : r.details) {
      out.println("  " + d);
    }
    if (opt.impl()) {
      fail |= !compareImpl(l, r, build);
    }
    return fail ? Status.FAILED : Status.OK;
  }

  private boolean compareImpl(Litmus l, SpecExplorer.Result r, String build) {
    ImplRunner.Result j;
    try {
      j = new ImplRunner(l, implBugs)
          .withBuild(implBuild != null ? implBuild : javaBuild(build))
          .run(opt.implMax());
    } catch (RuntimeException e) {
      out.println("  Java: CONFORMANCE FAILURE: the implementation failed: " + e);
      return false;
    }
    // a contract breach that ended the execution leaves Java's later outcomes uncompared
    boolean contract = r.outcomes.keySet().stream().anyMatch(o -> o.contract() && !o.kernel());
    List<Outcome> outside = new ArrayList<>();
    for (Outcome o : j.outcomes.keySet()) {
      // an outcome after a contract breach the kernel goes on from is compared without the flag
      if (Outcome.specOutcomeOf(o, r.outcomes.keySet()) == null) {
        outside.add(o);
      }
    }
    String sched = j.executions + " schedules" + (j.exhaustive ? " (all)" : " (bounded)");
    if (outside.isEmpty()) {
      out.printf("  Java: %s, %d outcomes, all allowed by the spec%n", sched, j.outcomes.size());
      return true;
    }
    if (contract) {
      out.printf("  Java: %s; %d outcomes outside the spec's, not compared: the scenario breaks the API contract%n",
          sched, outside.size());
      return true;
    }
    out.printf("  Java: CONFORMANCE FAILURE: %s, %d outcomes the spec does not allow; the first:%n", sched, outside.size());
    out.println("    " + outside.get(0));
    printPath(j.outcomes.get(outside.get(0)), null);
    return false;
  }

  private void printPath(List<String> steps, Outcome end) {
    for (int i = 0; i < steps.size(); i++) {
      out.printf("    %2d. %s%n", i + 1, steps.get(i));
    }
    if (end != null) {
      out.println("        => " + end);
    }
  }
}
