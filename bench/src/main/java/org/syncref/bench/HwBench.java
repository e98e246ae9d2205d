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
 * {@code syncref bench hw}: runs the JMH benchmarks of hw's hot paths, {@link TtmEvictWalkBench}
 * (TTM's eviction walk) and {@link SchedDepsBench} (drm_sched's implicit-sync dependencies),
 * through JMH's Runner API and prints, per operation and size, hw's throughput, the baseline's
 * (a plain loop over the same objects, same run) and their ratio.
 */
public final class HwBench {
  private HwBench() {}

  /** The sizes measured (the benchmarks' @Param default, passed explicitly). */
  static final String[] SIZES = {"16", "256"};

  static final String[] STATES = {"locked", "pinned"};

  static final String[] FENCES = {"contexts", "engines"};

  /** JMH settings, as {@link ResvBench.Options}. */
  public record Options(int forks, int warmup, int measurement, long iterationMillis) {
    /** 1 fork, 3 warmup and 5 measurement iterations of 1 s: about 9 s per benchmark, 2.5 min in all. */
    public static Options defaults() {
      return new Options(1, 3, 5, 1000);
    }

    /** A smoke run of a few seconds: in this JVM, 1 warmup and 1 measurement iteration of 100 ms. */
    public static Options quick() {
      return new Options(0, 1, 1, 100);
    }
  }

  private static final int BENCHMARKS = SIZES.length * (STATES.length + FENCES.length) * 2;

  /**
   * Runs the benchmarks: JMH's command line {@code jmh} overrides the preset {@code o} (see {@link
   * JmhRun}); progress to {@code err}, the table to {@code out}.
   */
  public static int run(Options o, org.openjdk.jmh.runner.options.Options jmh, PrintStream out, PrintStream err)
      throws RunnerException {
    ChainedOptionsBuilder b = JmhRun.builder(jmh, o.forks(), o.warmup(), o.measurement(), o.iterationMillis(),
        TtmEvictWalkBench.class, SchedDepsBench.class);
    if (!jmh.getParameter("size").hasValue()) {
      b.param("size", SIZES);
    }
    if (!jmh.getParameter("state").hasValue()) {
      b.param("state", STATES);
    }
    if (!jmh.getParameter("fences").hasValue()) {
      b.param("fences", FENCES);
    }
    if (!jmh.getThreads().hasValue()) {
      b.threads(1);
    }
    org.openjdk.jmh.runner.options.Options opts = b.build();
    boolean narrowed = JmhRun.narrowed(jmh, "size", "state", "fences");
    err.printf("bench hw: %s, %s%s%n",
        narrowed ? "the JMH benchmarks the command line selects" : BENCHMARKS + " JMH benchmarks",
        JmhRun.describe(opts), narrowed ? "" : " (about " + JmhRun.duration(opts, BENCHMARKS) + ")");
    long t0 = System.nanoTime();
    Collection<RunResult> results;
    Table labels = new Table().left("operation").left("size").right("side")
        .fit(0, List.of(operation(TtmEvictWalkBench.class, "pinned"), operation(SchedDepsBench.class, "contexts")))
        .fit(1, List.of("N 256"));
    try (JmhProgress progress = new JmhProgress(err, narrowed ? 0 : BENCHMARKS,
        p -> labels.line(operation(p), "N " + p.getParam("size"), side(p)), "ops/s")) {
      results = new Runner(opts, progress).run();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    printTable(results, out);
    if (!jmh.getProfilers().isEmpty()) {
      out.println();
      JmhRun.printProfiles(results, p -> labels.line(operation(p), "N " + p.getParam("size"), side(p)), List.of(),
          out);
    }
    out.printf(Locale.ROOT, "(JMH %s, %s %s; %s per benchmark; %.0f s wall)%n",
        org.openjdk.jmh.util.Version.getPlainVersion(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), JmhRun.settings(opts), wall);
    return 0;
  }

  private static String operation(Class<?> bench, String variant) {
    if (bench == TtmEvictWalkBench.class) {
      return "TTM eviction walk, all " + variant;
    }
    return "drm_sched implicit deps, " + ("engines".equals(variant) ? SchedDepsBench.ENGINES + " engines"
        : "N contexts");
  }

  /** The operation a benchmark run measures: its class and variant parameter. */
  static String operation(BenchmarkParams p) {
    String bench = p.getBenchmark();
    if (bench.startsWith(TtmEvictWalkBench.class.getName() + ".")) {
      return operation(TtmEvictWalkBench.class, p.getParam("state"));
    }
    if (bench.startsWith(SchedDepsBench.class.getName() + ".")) {
      return operation(SchedDepsBench.class, p.getParam("fences"));
    }
    return bench;
  }

  /** "hw" or "baseline", from the benchmark method's name. */
  static String side(BenchmarkParams p) {
    return p.getBenchmark().endsWith(".baseline") ? "baseline" : "hw";
  }

  /** One row of the table: an operation on one size, both sides. */
  private static final class Row {
    final String operation;
    final int size;
    Result<?> hw;
    Result<?> baseline;

    Row(String operation, int size) {
      this.operation = operation;
      this.size = size;
    }
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
        row.hw = r.getPrimaryResult();
      }
    }
    List<Row> sorted = new ArrayList<>(rows.values());
    sorted.sort((x, y) -> x.operation.equals(y.operation) ? Integer.compare(x.size, y.size)
        : x.operation.compareTo(y.operation));
    Table table = new Table().left("operation").right("N").right("hw ops/s").right("baseline ops/s")
        .right("ratio");
    for (Row r : sorted) {
      String ratio = "-";
      if (r.hw != null && r.baseline != null && r.baseline.getScore() > 0) {
        ratio = String.format(Locale.ROOT, "%.4f", r.hw.getScore() / r.baseline.getScore());
      }
      table.add(r.operation, r.size, ResvBench.score(r.hw), ResvBench.score(r.baseline), ratio);
    }
    table.print(out);
    out.println("ratio = hw / baseline (below 1: hw slower; 0.05 = the baseline does 20 operations in the time of"
        + " one); ± is JMH's 99.9% confidence interval (none with one iteration)");
  }
}
