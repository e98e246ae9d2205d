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
import org.syncref.conformance.Conformance;
import org.syncref.modelcheck.BadInputException;

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

  private final PrintStream out;
  private final PrintStream err;
  private final Options opt;
  private Path scratch;
  private org.syncref.kernel.InjectedBug[] implBugs = new org.syncref.kernel.InjectedBug[0];
  private boolean lockdep = true;
  /** The Java side's build if set, else the spec's: LOCKDEP, or DEBUG_MUTEXES without lockdep. */
  private org.syncref.kernel.Kernel.Build implBuild;

  /**
   * Explores the spec for a kernel built without CONFIG_DEBUG_LOCK_ALLOC (the ww_mutex fast path
   * keeps a stale wound) and compares with the {@code # Result without lockdep:} header; the
   * Java side then runs on kernels of {@link org.syncref.kernel.Kernel.Build#DEBUG_MUTEXES}, the
   * build syncref kernel-check runs.
   */
  public LitmusCheck withoutLockdep() {
    this.lockdep = false;
    return this;
  }

  /**
   * Runs the Java side on kernels of {@code b} whatever the spec's build (the negative control of
   * the build comparison: a Java build judged against the other build's spec).
   */
  LitmusCheck withImplBuild(org.syncref.kernel.Kernel.Build b) {
    this.implBuild = b;
    return this;
  }

  /** Runs the Java side with these injected bugs (negative controls of the comparison). */
  LitmusCheck withImplBugs(org.syncref.kernel.InjectedBug... bugs) {
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

  /** Checks one file and prints its report. */
  public Status check(Path file) {
    Litmus l;
    try {
      l = LitmusParser.parse(file);
    } catch (BadInputException e) {
      err.println(e.getMessage());
      return Status.BAD_INPUT;
    }
    long t0 = System.nanoTime();
    SpecModel model = SpecModel.load(l, Conformance.root().resolve("spec"), scratch, opt.resvMutant(), lockdep);
    SpecExplorer.Result r = new SpecExplorer(model).explore();
    double secs = (System.nanoTime() - t0) / 1e9;
    boolean fail = false;
    out.println("Test " + l.name() + " (" + file + ")");
    if (r.truncated) {
      out.printf("  the scenario has more than %,d states: simplify it%n", SpecExplorer.MAX_STATES);
      return Status.FAILED;
    }
    String result = null;
    if (l.exists() != null) {
      result = r.positive == 0 ? "Never" : r.negative == 0 ? "Always" : "Sometimes";
      String expected = l.expected(lockdep);
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
      fail |= !compareImpl(l, r);
    }
    return fail ? Status.FAILED : Status.OK;
  }

  private boolean compareImpl(Litmus l, SpecExplorer.Result r) {
    ImplRunner.Result j;
    try {
      j = new ImplRunner(l, implBugs)
          .withBuild(implBuild != null ? implBuild
              : lockdep ? org.syncref.kernel.Kernel.Build.LOCKDEP : org.syncref.kernel.Kernel.Build.DEBUG_MUTEXES)
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
