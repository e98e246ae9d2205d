package org.syncref.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH options of a bench run: JMH's own command line ({@code -f}, {@code -wi}, {@code -i},
 * {@code -w}, {@code -r}, {@code -t}, {@code -p}, {@code -prof}, benchmark regexes, ...) wherever
 * it says something, the benchmark's preset (defaults or --quick) elsewhere. Only the benchmark's
 * own classes run: a regex on the command line narrows them, never adds others.
 */
final class JmhRun {
  private JmhRun() {}

  /**
   * A builder over the command line {@code cl}: with the preset's forks, iterations and their
   * length where {@code cl} has none, a fixed heap for forked JVMs unless {@code cl} gives JVM
   * arguments, failing on a benchmark's error, and the benchmarks of {@code classes}.
   */
  static ChainedOptionsBuilder builder(Options cl, int forks, int warmup, int measurement, long millis,
      Class<?>... classes) {
    TimeValue it = millis % 1000 == 0 ? TimeValue.seconds(millis / 1000) : TimeValue.milliseconds(millis);
    ChainedOptionsBuilder b = new OptionsBuilder();
    if (!cl.getForkCount().hasValue()) {
      b.forks(forks);
    }
    if (!cl.getWarmupIterations().hasValue()) {
      b.warmupIterations(warmup);
    }
    if (!cl.getWarmupTime().hasValue()) {
      b.warmupTime(it);
    }
    if (!cl.getMeasurementIterations().hasValue()) {
      b.measurementIterations(measurement);
    }
    if (!cl.getMeasurementTime().hasValue()) {
      b.measurementTime(it);
    }
    if (!cl.shouldFailOnError().hasValue()) {
      b.shouldFailOnError(true);
    }
    if (cl.getForkCount().orElse(forks) > 0 && !cl.getJvmArgs().hasValue()) {
      // A fixed heap (both sides allocate per operation) and the launcher's collector.
      b.jvmArgs("-XX:+UseParallelGC", "-Xms1g", "-Xmx1g");
    }
    String ours = Stream.of(classes).map(c -> Pattern.quote(c.getName()) + "\\.").collect(Collectors.joining("|"));
    if (cl.getIncludes().isEmpty()) {
      b.include("^(" + ours + ")");
    } else {
      b.exclude("^(?!" + ours + ")");
    }
    return b.parent(cl);
  }

  /** Whether the command line selects benchmarks or parameter values, so that the count is not the preset's. */
  static boolean narrowed(Options cl, String... params) {
    return !cl.getIncludes().isEmpty() || !cl.getExcludes().isEmpty()
        || Stream.of(params).anyMatch(p -> cl.getParameter(p).hasValue());
  }

  /** "1 forked JVM each, 3 warmup + 5 measurement iterations of 1 s". */
  static String describe(Options o) {
    int forks = o.getForkCount().get();
    return (forks == 0 ? "in this JVM (no fork: a smoke run, figures indicative only)"
        : forks + " forked JVM" + (forks > 1 ? "s" : "") + " each") + ", " + iterations(o);
  }

  /** "1 fork, 3 warmup + 5 measurement iterations of 1 s", for the line under the tables. */
  static String settings(Options o) {
    int forks = o.getForkCount().get();
    return (forks == 0 ? "no fork" : forks + " fork" + (forks > 1 ? "s" : "")) + ", " + iterations(o);
  }

  private static String iterations(Options o) {
    TimeValue w = o.getWarmupTime().get();
    TimeValue m = o.getMeasurementTime().get();
    int wi = o.getWarmupIterations().get();
    int mi = o.getMeasurementIterations().get();
    return wi == 0 ? "no warmup, " + mi + " measurement iteration" + (mi == 1 ? "" : "s") + " of " + m
        : w.equals(m) ? wi + " warmup + " + mi + " measurement iterations of " + m
        : wi + " warmup iterations of " + w + " + " + mi + " measurement iterations of " + m;
  }

  /** About how long {@code benchmarks} benchmarks take: "3 min". */
  static String duration(Options o, int benchmarks) {
    int forks = o.getForkCount().get();
    double perBench = (o.getWarmupIterations().get() * seconds(o.getWarmupTime().get())
        + o.getMeasurementIterations().get() * seconds(o.getMeasurementTime().get())) * Math.max(1, forks)
        + (forks > 0 ? 0.7 * forks : 0.1);
    double s = benchmarks * perBench;
    return s < 90 ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.0f min", Math.ceil(s / 60));
  }

  private static double seconds(TimeValue t) {
    return t.convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000.0;
  }

  /**
   * The profilers' secondary results (-prof), per benchmark: numbers one per line, text results
   * such as the stack profile in full; {@code own} names the benchmark's own counters, not shown.
   */
  static void printProfiles(Collection<RunResult> results, Function<BenchmarkParams, String> label,
      List<String> own, PrintStream out) {
    for (RunResult r : results) {
      out.println("profile: " + label.apply(r.getParams()).strip().replaceAll(" {2,}", ", "));
      for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
        if (own.contains(e.getKey())) {
          continue;
        }
        Result<?> v = e.getValue();
        String ext = v.extendedInfo();
        if (Double.isNaN(v.getScore()) && ext != null && !ext.isBlank()) {
          out.println(ext.strip().indent(4).stripTrailing());
        } else {
          out.printf(Locale.ROOT, "    %-36s %,16.3f %s%n", e.getKey(), v.getScore(), v.getScoreUnit());
        }
      }
    }
  }
}
