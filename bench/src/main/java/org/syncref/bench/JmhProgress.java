package org.syncref.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.syncref.modelcheck.cli.Progress;

/**
 * JMH output reduced to the command's {@link Progress}: one step per benchmark, its number and a
 * label, the current iteration on a terminal, and one line that stays with its score. JMH's other
 * messages (warnings, a forked VM's output, failures) are passed through. One instance may serve
 * several Runner runs: the numbering goes on.
 */
final class JmhProgress implements OutputFormat, AutoCloseable {
  private final Progress progress;
  private final int total;
  private final Function<BenchmarkParams, String> label;
  private final String unit;
  private int started;
  private String current;

  /**
   * @param err   where the lines go
   * @param total benchmarks in all the runs this instance reports (0: not known in advance)
   * @param label the text after the number
   * @param unit  the score's unit, e.g. "ops/s"
   */
  JmhProgress(PrintStream err, int total, Function<BenchmarkParams, String> label, String unit) {
    this.progress = Progress.onStderr(err);
    this.total = total;
    this.label = label;
    this.unit = unit;
  }

  @Override
  public void startBenchmark(BenchmarkParams p) {
    started++;
    current = String.format(Locale.ROOT, total > 0 ? "  [%2d/%d] %s" : "  [%2d] %3$s", started, total,
        label.apply(p));
    progress.start(current);
  }

  @Override
  public void iteration(BenchmarkParams p, IterationParams ip, int iteration) {
    progress.status((ip.getType() == IterationType.WARMUP ? "warmup " : "measurement ") + iteration + "/"
        + ip.getCount());
  }

  @Override
  public void iterationResult(BenchmarkParams p, IterationParams ip, int iteration, IterationResult r) {}

  @Override
  public void endBenchmark(BenchmarkResult r) {
    String secs = String.format(Locale.ROOT, "(%.1f s)", progress.seconds());
    progress.finish(current + "  " + (r == null ? "(no result) " + secs
        : ResvBench.score(r.getPrimaryResult()).strip() + " " + unit + " " + secs));
  }

  @Override
  public void startRun() {}

  @Override
  public void endRun(Collection<RunResult> results) {
    progress.finish(null);
  }

  @Override
  public void print(String s) {
    if (s != null && !s.isBlank()) {
      progress.println("    " + s.stripTrailing());
    }
  }

  /** Runner lines the progress line already says (or, for the no-fork warning, the header). */
  private static final Pattern QUIET = Pattern.compile(
      "# (Run progress|Fork:|Run complete|\\*\\*\\* WARNING: (Non-forked|Use non-forked)).*");

  @Override
  public void println(String s) {
    if (s == null || s.isBlank() || QUIET.matcher(s).matches()) {
      return;
    }
    progress.println("    " + s);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    progress.close();
  }

  @Override
  public void verbosePrintln(String s) {}

  @Override
  public void write(int b) {
    progress.raw(String.valueOf((char) b));
  }

  @Override
  public void write(byte[] b) {
    progress.raw(new String(b, java.nio.charset.StandardCharsets.UTF_8));
  }
}
