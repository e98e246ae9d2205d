package org.syncref.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
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

  /**
   * Runs the benchmarks: JMH's command line {@code jmh} overrides the preset {@code o} (see {@link
   * JmhRun}); progress to {@code err}, the table to {@code out}.
   */
  public static int run(Options o, org.openjdk.jmh.runner.options.Options jmh, PrintStream out, PrintStream err)
      throws RunnerException {
    ChainedOptionsBuilder b = JmhRun.builder(jmh, o.forks(), o.warmup(), o.measurement(), o.iterationMillis(),
        ResvTestSignaledBench.class, ResvAddBench.class);
    if (!jmh.getParameter("size").hasValue()) {
      b.param("size", SIZES);
    }
    if (!jmh.getParameter("state").hasValue()) {
      b.param("state", STATES);
    }
    if (!jmh.getThreads().hasValue()) {
      b.threads(1);
    }
    org.openjdk.jmh.runner.options.Options opts = b.build();
    boolean narrowed = JmhRun.narrowed(jmh, "size", "state");
    err.printf("bench resv: %s, %s%s%n",
        narrowed ? "the JMH benchmarks the command line selects" : BENCHMARKS + " JMH benchmarks",
        JmhRun.describe(opts), narrowed ? "" : " (about " + JmhRun.duration(opts, BENCHMARKS) + ")");
    long t0 = System.nanoTime();
    Collection<RunResult> results;
    Table labels = new Table().left("operation").left("size").right("side")
        .fit(0, List.of("test_signaled, all signaled", "test_signaled, last unsignaled", "lock+reserve(1)+add+unlock"))
        .fit(1, List.of("size 64"));
    try (JmhProgress progress = new JmhProgress(err, narrowed ? 0 : BENCHMARKS,
        p -> labels.line(operation(p), "size " + p.getParam("size"), side(p)), "ops/s")) {
      results = new Runner(opts, progress).run();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    printTable(results, out);
    if (!jmh.getProfilers().isEmpty()) {
      out.println();
      JmhRun.printProfiles(results, p -> labels.line(operation(p), "size " + p.getParam("size"), side(p)), List.of(),
          out);
    }
    out.printf(Locale.ROOT, "(JMH %s, %s %s; %s per benchmark; %.0f s wall)%n",
        org.openjdk.jmh.util.Version.getPlainVersion(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), JmhRun.settings(opts), wall);
    return 0;
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
    Table table = new Table().left("operation").right("size").right("DmaResv ops/s").right("baseline ops/s")
        .right("ratio");
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
      table.add(r.operation, r.size, score(r.resv), score(r.baseline), ratio);
    }
    table.print(out);
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
