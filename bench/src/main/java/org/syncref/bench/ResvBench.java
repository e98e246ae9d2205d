package org.syncref.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code syncref bench resv}: runs the JMH benchmarks {@link ResvTestSignaledBench} and {@link
 * ResvAddBench} through JMH's Runner API and prints, per operation and table size, the DmaResv
 * throughput, the baseline's (the same operation on a CopyOnWriteArrayList, same run) and their
 * ratio.
 */
public final class ResvBench {
  private ResvBench() {}

  /** The table sizes measured (the benchmarks' @Param default, passed explicitly). */
  static final String[] SIZES = {"1", "8", "64"};

  static final String[] STATES = {"allSignaled", "lastUnsignaled"};

  /**
   * JMH settings.
   *
   * @param forks            forked JVMs per benchmark (0: in this JVM)
   * @param warmup           warmup iterations
   * @param measurement      measurement iterations
   * @param iterationMillis  length of each iteration
   */
  public record Options(int forks, int warmup, int measurement, long iterationMillis) {
    /** 1 fork, 3 warmup and 5 measurement iterations of 1 s: about 9 s per benchmark, 3 min in all. */
    public static Options defaults() {
      return new Options(1, 3, 5, 1000);
    }

    /** A smoke run of a few seconds: in this JVM, 1 warmup and 1 measurement iteration of 100 ms. */
    public static Options quick() {
      return new Options(0, 1, 1, 100);
    }
  }

  private static final int BENCHMARKS = SIZES.length * (STATES.length * 2 + 2);

  public static int run(Options o, PrintStream out, PrintStream err) throws RunnerException {
    TimeValue it = o.iterationMillis() % 1000 == 0 ? TimeValue.seconds(o.iterationMillis() / 1000)
        : TimeValue.milliseconds(o.iterationMillis());
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include("^" + Pattern.quote(ResvTestSignaledBench.class.getName()) + "\\.")
        .include("^" + Pattern.quote(ResvAddBench.class.getName()) + "\\.")
        .param("size", SIZES)
        .param("state", STATES)
        .forks(o.forks())
        .warmupIterations(o.warmup())
        .warmupTime(it)
        .measurementIterations(o.measurement())
        .measurementTime(it)
        .threads(1)
        .shouldFailOnError(true);
    if (o.forks() > 0) {
      // A fixed heap (both sides allocate per operation) and the launcher's collector.
      b.jvmArgs("-XX:+UseParallelGC", "-Xms1g", "-Xmx1g");
    }
    double perBench = (o.warmup() + o.measurement()) * o.iterationMillis() / 1000.0 * Math.max(1, o.forks())
        + (o.forks() > 0 ? 0.7 * o.forks() : 0.1);
    err.printf("bench resv: %d JMH benchmarks, %s, %d warmup + %d measurement iterations of %s"
        + " (about %s)%n", BENCHMARKS,
        o.forks() == 0 ? "in this JVM (no fork: a smoke run, figures indicative only)"
            : o.forks() + " forked JVM" + (o.forks() > 1 ? "s" : "") + " each",
        o.warmup(), o.measurement(), it, duration(BENCHMARKS * perBench));
    long t0 = System.nanoTime();
    Collection<RunResult> results = new Runner(b.build(), new JmhProgress(err, BENCHMARKS,
        p -> String.format(Locale.ROOT, "%-31s size %2s  %-8s", operation(p), p.getParam("size"), side(p)),
        "ops/s")).run();
    double wall = (System.nanoTime() - t0) / 1e9;
    printTable(results, out);
    out.printf(Locale.ROOT, "(JMH %s, %s %s; %s, %d warmup + %d measurement iterations of %s per benchmark;"
        + " %.0f s wall)%n", org.openjdk.jmh.util.Version.getPlainVersion(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        o.forks() == 0 ? "no fork" : o.forks() + " fork" + (o.forks() > 1 ? "s" : ""),
        o.warmup(), o.measurement(), it, wall);
    return 0;
  }

  private static String duration(double seconds) {
    return seconds < 90 ? String.format(Locale.ROOT, "%.0f s", seconds)
        : String.format(Locale.ROOT, "%.0f min", Math.ceil(seconds / 60));
  }

  /** One row of the table: an operation on one table size, both sides. */
  private static final class Row {
    final String operation;
    final int size;
    Result<?> resv;
    Result<?> baseline;

    Row(String operation, int size) {
      this.operation = operation;
      this.size = size;
    }
  }

  /** The operation a benchmark run measures: its class and state parameter. */
  static String operation(BenchmarkParams p) {
    String bench = p.getBenchmark();
    if (bench.startsWith(ResvTestSignaledBench.class.getName() + ".")) {
      return "test_signaled, " + ("allSignaled".equals(p.getParam("state")) ? "all signaled"
          : "last unsignaled");
    }
    if (bench.startsWith(ResvAddBench.class.getName() + ".")) {
      return "lock+reserve(1)+add+unlock";
    }
    return bench;
  }

  /** "DmaResv" or "baseline", from the benchmark method's name. */
  static String side(BenchmarkParams p) {
    return p.getBenchmark().endsWith(".baseline") ? "baseline" : "DmaResv";
  }

  static void printTable(Collection<RunResult> results, PrintStream out) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (RunResult r : results) {
      BenchmarkParams p = r.getParams();
      int size = Integer.parseInt(p.getParam("size"));
      String op = operation(p);
      Row row = rows.computeIfAbsent(op + "/" + size, k -> new Row(op, size));
      if (side(p).equals("baseline")) {
        row.baseline = r.getPrimaryResult();
      } else {
        row.resv = r.getPrimaryResult();
      }
    }
    List<Row> sorted = new ArrayList<>(rows.values());
    sorted.sort((x, y) -> x.operation.equals(y.operation) ? Integer.compare(x.size, y.size)
        : Integer.compare(order(x.operation), order(y.operation)));
    int w = Math.max("operation".length(), sorted.stream().mapToInt(r -> r.operation.length()).max().orElse(0));
    String fmt = "%-" + w + "s  %4s  %21s  %21s  %6s%n";
    out.printf(fmt, "operation", "size", "DmaResv ops/s", "baseline ops/s", "ratio");
    List<Double> mainRatios = new ArrayList<>();
    for (Row r : sorted) {
      String ratio = "-";
      if (r.resv != null && r.baseline != null && r.baseline.getScore() > 0) {
        double q = r.resv.getScore() / r.baseline.getScore();
        ratio = String.format(Locale.ROOT, "%.3f", q);
        if (r.operation.endsWith("all signaled")) {
          mainRatios.add(q);
        }
      }
      out.printf(fmt, r.operation, r.size, score(r.resv), score(r.baseline), ratio);
    }
    out.println("ratio = DmaResv / baseline (above 1: DmaResv faster); ± is JMH's 99.9% confidence"
        + " interval (none with one iteration)");
    if (!mainRatios.isEmpty()) {
      boolean met = mainRatios.stream().allMatch(q -> q >= 1.0);
      out.printf(Locale.ROOT, "goal (unlocked test_signaled at least as fast as the baseline at every size): %s"
          + " (all-signaled ratios %s)%n", met ? "met" : "not met",
          mainRatios.stream().map(q -> String.format(Locale.ROOT, "%.3f", q)).toList());
    }
  }

  private static int order(String operation) {
    if (operation.startsWith("test_signaled, all")) {
      return 0;
    }
    return operation.startsWith("test_signaled") ? 1 : 2;
  }

  /** "12,345,678 ± 1.2%". */
  static String score(Result<?> r) {
    if (r == null) {
      return "-";
    }
    double s = r.getScore();
    double e = r.getScoreError();
    String err = Double.isNaN(e) || s == 0 ? "     " : String.format(Locale.ROOT, "± %4.1f%%", 100 * e / s);
    return String.format(Locale.ROOT, "%,.0f %s", s, err);
  }
}
