package org.syncref.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.syncref.modelcheck.cli.Table;

/**
 * {@code syncref bench ww}: runs the JMH benchmarks {@link WwUncontendedBench} (one thread) and
 * {@link WwContendedBench} ({@value WwContendedBench#THREADS} threads) through JMH's Runner API
 * and prints two tables: uncontended lock + unlock against ReentrantLock, and contended
 * transactions against sorted ReentrantLocks, each with the ratio to its baseline of the same
 * run, and the backoffs per transaction next to the kernel's 2018 figures.
 */
public final class WwBench {
  private WwBench() {}

  /** Benchmark goal: uncontended ww_mutex within 1.5x of ReentrantLock. */
  static final double UNCONTENDED_GOAL = 1 / 1.5;
  /** Benchmark goal: contended throughput at least 0.8x the sorted baseline. */
  static final double CONTENDED_GOAL = 0.8;

  static final String[] ALGORITHMS = {WwBenchFixtures.WAIT_DIE, WwBenchFixtures.WOUND_WAIT};
  /** The kernel builds measured: production first (the goals are judged on it), then lockdep. */
  static final String[] BUILDS = {WwBenchFixtures.PRODUCTION, WwBenchFixtures.LOCKDEP};

  /**
   * The preset JMH settings, which JMH's own command line overrides.
   *
   * @param forks            forked JVMs per benchmark (0: in this JVM)
   * @param warmup           warmup iterations
   * @param measurement      measurement iterations
   * @param iterationMillis  length of each iteration
   * @param threads          threads of the contended benchmarks
   */
  public record Options(int forks, int warmup, int measurement, long iterationMillis, int threads) {
    /** 1 fork, 3 warmup and 5 measurement iterations of 1 s, 4 threads: about 9 s per benchmark. */
    public static Options defaults() {
      return new Options(1, 3, 5, 1000, WwContendedBench.THREADS);
    }

    /** A smoke run of a few seconds: in this JVM, 1 warmup and 1 measurement iteration of 100 ms. */
    public static Options quick() {
      return new Options(0, 1, 1, 100, WwContendedBench.THREADS);
    }
  }

  /** ctxReused and ctxPerLock per algorithm and build, noCtx per build, baseline. */
  private static final int UNCONTENDED = (2 * ALGORITHMS.length + 1) * BUILDS.length + 1;
  /** ww per algorithm and build, baseline. */
  private static final int CONTENDED = ALGORITHMS.length * BUILDS.length + 1;

  /**
   * Runs the benchmarks: JMH's command line {@code jmh} overrides the preset {@code o} (see {@link
   * JmhRun}; its -t sets the contended threads); progress to {@code err}, the tables to {@code out}.
   */
  public static int run(Options o, org.openjdk.jmh.runner.options.Options jmh, PrintStream out, PrintStream err)
      throws RunnerException {
    int threads = jmh.getThreads().orElse(o.threads());
    org.openjdk.jmh.runner.options.Options uncontendedOptions = options(o, jmh, WwUncontendedBench.class, 1);
    org.openjdk.jmh.runner.options.Options contendedOptions = options(o, jmh, WwContendedBench.class, threads);
    int total = UNCONTENDED + CONTENDED;
    boolean narrowed = JmhRun.narrowed(jmh, "algorithm", "build");
    int cores = Runtime.getRuntime().availableProcessors();
    err.printf(Locale.ROOT, "bench ww: %s, %s%s; %d cores, load average %s%n",
        narrowed ? "the JMH benchmarks the command line selects" : total + " JMH benchmarks",
        JmhRun.describe(uncontendedOptions), narrowed ? "" : " (about " + JmhRun.duration(uncontendedOptions, total)
        + ")", cores, loadAverage());
    Collection<RunResult> uncontended;
    Collection<RunResult> contended;
    long t0 = System.nanoTime();
    try (JmhProgress progress = new JmhProgress(err, narrowed ? 0 : total, WwBench::label, "ops/s")) {
      err.println(" uncontended, 1 thread:");
      uncontended = new Runner(uncontendedOptions, progress).run();
      err.printf(" contended, %d threads:%n", threads);
      contended = new Runner(contendedOptions, progress).run();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    printUncontended(uncontended, out);
    out.println();
    printContended(contended, threads, cores, out);
    if (!jmh.getProfilers().isEmpty()) {
      out.println();
      List<RunResult> all = new ArrayList<>(uncontended);
      all.addAll(contended);
      JmhRun.printProfiles(all, WwBench::label, List.of("backoffs", "transactions", "sleeps"), out);
    }
    out.printf(Locale.ROOT, "(JMH %s, %s %s; %s per benchmark; %d cores, load average %s at the end; %.0f s wall)%n",
        org.openjdk.jmh.util.Version.getPlainVersion(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), JmhRun.settings(uncontendedOptions), cores, loadAverage(), wall);
    return 0;
  }

  private static org.openjdk.jmh.runner.options.Options options(Options o, org.openjdk.jmh.runner.options.Options jmh,
      Class<?> bench, int threads) {
    ChainedOptionsBuilder b = JmhRun.builder(jmh, o.forks(), o.warmup(), o.measurement(), o.iterationMillis(), bench)
        .threads(threads);
    if (!jmh.getParameter("algorithm").hasValue()) {
      b.param("algorithm", ALGORITHMS);
    }
    if (!jmh.getParameter("build").hasValue()) {
      b.param("build", BUILDS);
    }
    return b.build();
  }

  private static String loadAverage() {
    double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return l < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", l);
  }

  /** The benchmark method's name. */
  static String method(BenchmarkParams p) {
    String b = p.getBenchmark();
    return b.substring(b.lastIndexOf('.') + 1);
  }

  static boolean contended(BenchmarkParams p) {
    return p.getBenchmark().startsWith(WwContendedBench.class.getName() + ".");
  }

  /** "Wait-Die", "Wound-Wait", or "-" for the benchmarks without the parameter. */
  static String algorithm(BenchmarkParams p) {
    String a = p.getParam("algorithm");
    return a == null ? "-" : WwBenchFixtures.display(a);
  }

  /** What a benchmark measures, as the tables say it. */
  static String operation(BenchmarkParams p) {
    String m = method(p);
    if (contended(p)) {
      return m.equals("baseline") ? "sorted ReentrantLocks" : "ww transaction";
    }
    return switch (m) {
      case "ctxReused" -> "lock+unlock, ctx reused";
      case "ctxPerLock" -> "init+lock+unlock+fini";
      case "noCtx" -> "lock(NULL)+unlock, no ctx";
      case "baseline" -> "ReentrantLock lock+unlock";
      default -> m;
    };
  }

  /** The progress lines' columns: operation, algorithm, build. */
  private static final Table LABELS = new Table().left("operation").left("algorithm").right("build")
      .fit(0, List.of("lock(NULL)+unlock, no ctx", "ReentrantLock lock+unlock", "sorted ReentrantLocks"))
      .fit(1, List.of("Wound-Wait")).fit(2, List.of(BUILDS));

  private static String label(BenchmarkParams p) {
    return LABELS.line(operation(p), algorithm(p), build(p));
  }

  /** "production", "lockdep", or "-" for the baselines. */
  static String build(BenchmarkParams p) {
    String b = p.getParam("build");
    return b == null ? "-" : b;
  }

  private static RunResult find(Collection<RunResult> results, String method, String algorithm) {
    return find(results, method, algorithm, null);
  }

  private static RunResult find(Collection<RunResult> results, String method, String algorithm, String build) {
    for (RunResult r : results) {
      BenchmarkParams p = r.getParams();
      if (method(p).equals(method) && (algorithm == null || algorithm.equals(p.getParam("algorithm")))
          && (build == null || build.equals(p.getParam("build")))) {
        return r;
      }
    }
    return null;
  }

  private static Result<?> primary(RunResult r) {
    return r == null ? null : r.getPrimaryResult();
  }

  private static double ratio(Result<?> x, Result<?> base) {
    return x == null || base == null || base.getScore() <= 0 ? Double.NaN : x.getScore() / base.getScore();
  }

  private static String fmtRatio(double q) {
    return Double.isNaN(q) ? "-" : String.format(Locale.ROOT, "%.3f", q);
  }

  static void printUncontended(Collection<RunResult> results, PrintStream out) {
    out.println("uncontended: 1 thread, 1 ww_mutex (Kernel + RealSched) of each kernel build: production"
        + " (no lock debugging: __mutex_trylock_fast / __mutex_unlock_fast) and lockdep (CONFIG_PROVE_LOCKING:"
        + " __mutex_lock_common, the DEBUG_MUTEXES checks and lockdep in every call); baseline ReentrantLock"
        + " lock+unlock, same run");
    Result<?> base = primary(find(results, "baseline", null));
    Table table = new Table().left("operation").left("algorithm").left("build").right("ww_mutex ops/s")
        .right("ReentrantLock ops/s").right("ratio");
    List<Double> goal = new ArrayList<>();
    List<Double> perLock = new ArrayList<>();
    List<Double> debugBuild = new ArrayList<>();
    for (String build : BUILDS) {
      for (String method : new String[] {"ctxReused", "ctxPerLock", "noCtx"}) {
        for (String a : method.equals("noCtx") ? new String[] {null} : ALGORITHMS) {
          RunResult r = find(results, method, a, build);
          if (r == null) {
            continue;
          }
          double q = ratio(primary(r), base);
          if (method.equals("ctxReused")) {
            (build.equals(WwBenchFixtures.PRODUCTION) ? goal : debugBuild).add(q);
          } else if (method.equals("ctxPerLock") && build.equals(WwBenchFixtures.PRODUCTION)) {
            perLock.add(q);
          }
          table.add(operation(r.getParams()), algorithm(r.getParams()), build,
              ResvBench.score(primary(r)), ResvBench.score(base), fmtRatio(q));
        }
      }
    }
    table.print(out);
    out.println("ratio = ww_mutex / ReentrantLock (above 1: ww_mutex faster); ± is JMH's 99.9% confidence"
        + " interval (none with one iteration); the baseline is one benchmark, repeated on each row");
    if (!goal.isEmpty()) {
      boolean met = goal.stream().allMatch(q -> q >= UNCONTENDED_GOAL);
      out.printf(Locale.ROOT, "goal (uncontended lock+unlock within 1.5x of ReentrantLock, ratio >= %.2f;"
          + " judged on the production ctx-reused rows, the same work as the baseline): %s (ratios %s;"
          + " with init+fini per lock: %s; the lockdep build, for reference: %s)%n", UNCONTENDED_GOAL,
          met ? "met" : "NOT met", fmtList(goal), fmtList(perLock), fmtList(debugBuild));
    }
  }

  static void printContended(Collection<RunResult> results, int threads, int cores, PrintStream out) {
    out.printf(Locale.ROOT, "contended: %d threads, %d locks, %d random distinct locks per transaction (random"
        + " order), tiny critical section; ww: init, backoff loop (on -EDEADLK unlock all, lock_slow,"
        + " retry), unlock all, fini; baseline: sort the 4, ReentrantLocks in order%n", threads,
        WwContendedBench.LOCKS, WwContendedBench.PER_TXN);
    Result<?> base = primary(find(results, "baseline", null));
    Table table = new Table().left("side").left("build").right("transactions/s").right("ratio")
        .right("backoffs/txn").right("sleeps/txn").right("backoffs/s");
    List<Double> goal = new ArrayList<>();
    List<Double> debugBuild = new ArrayList<>();
    for (String build : BUILDS) {
      for (String a : ALGORITHMS) {
        RunResult r = find(results, "ww", a, build);
        if (r == null) {
          continue;
        }
        double q = ratio(primary(r), base);
        (build.equals(WwBenchFixtures.PRODUCTION) ? goal : debugBuild).add(q);
        double backoffs = perTransaction(r, "backoffs");
        table.add("ww_mutex, " + WwBenchFixtures.display(a), build, ResvBench.score(primary(r)), fmtRatio(q),
            fmt(backoffs, "%.4f"), fmt(perTransaction(r, "sleeps"), "%.4f"),
            fmt(backoffs * primary(r).getScore(), "%,.0f"));
      }
    }
    if (base != null) {
      table.add("sorted ReentrantLocks (baseline)", "-", ResvBench.score(base), "1.000", "0", "-", "0");
    }
    table.print(out);
    out.println("ratio = ww_mutex / baseline; backoffs = -EDEADLK returns (rollbacks), sleeps = schedule_timeout"
        + " calls of the ww_mutex (parks), both over the measured iterations of all threads");
    if (!goal.isEmpty()) {
      boolean met = goal.stream().allMatch(q -> q >= CONTENDED_GOAL);
      out.printf(Locale.ROOT, "goal (contended throughput at least %.1fx the sorted baseline; judged on the"
          + " production build): %s (ratios %s; the lockdep build, for reference: %s)%n",
          CONTENDED_GOAL, met ? "met" : "NOT met", fmtList(goal), fmtList(debugBuild));
    }
    out.println("reference, not measured here: Linux commit 08295b3b5bee (\"locking: Implement an algorithm choice"
        + " for Wound-Wait mutexes\", 2018) reports");
    out.println("  for Thomas Hellstrom's ww_mutex_test (each thread 100000 batches, each locking 800 ww_mutexes"
        + " chosen at random out of 100000; four-core Intel x86_64):");
    out.println("  4 threads:  Wound-Wait ~100 rollbacks (~17 s), Wait-Die ~150000 rollbacks (~19 s);"
        + "  16 threads: Wound-Wait ~360000 (~109 s), Wait-Die ~450000 (~82 s)");
    out.println("  a different workload (800 of 100000 locks per batch, not 4 of 16), so only the direction"
        + " compares: Wound-Wait should back off far less often than Wait-Die");
    for (String build : BUILDS) {
      RunResult wd = find(results, "ww", WwBenchFixtures.WAIT_DIE, build);
      RunResult ww = find(results, "ww", WwBenchFixtures.WOUND_WAIT, build);
      if (wd != null && ww != null) {
        double bWd = perTransaction(wd, "backoffs");
        double bWw = perTransaction(ww, "backoffs");
        if (!Double.isNaN(bWd) && !Double.isNaN(bWw)) {
          out.printf(Locale.ROOT, "  here (%s): Wound-Wait %.4f vs Wait-Die %.4f backoffs per transaction"
              + " (ratio %s): %s%n", build, bWw, bWd,
              bWd > 0 ? String.format(Locale.ROOT, "%.2f", bWw / bWd) : "-",
              bWw < bWd ? "the 2018 direction" : "not the 2018 direction");
        }
      }
    }
    out.printf(Locale.ROOT, "machine: %d cores for %d threads%s%n", cores, threads, cores < threads
        ? ": the threads time-share the cores, and a thread descheduled while it holds locks stalls the"
            + " others (both sides)" : "");
  }

  /** A Txn auxiliary counter divided by the transactions; NaN if absent. */
  static double perTransaction(RunResult r, String counter) {
    Map<String, Result> s = r.getSecondaryResults();
    Result<?> c = s.get(counter);
    Result<?> t = s.get("transactions");
    if (c == null || t == null || t.getScore() <= 0) {
      return Double.NaN;
    }
    return c.getScore() / t.getScore();
  }

  private static String fmt(double v, String format) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
  }

  private static String fmtList(List<Double> qs) {
    return qs.stream().map(WwBench::fmtRatio).toList().toString();
  }
}
