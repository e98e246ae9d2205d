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

/**
 * JMH output reduced to one progress line per benchmark: its number, a label, a comma per warmup
 * and a dot per measurement iteration, and its score. JMH's other messages (warnings, a forked
 * VM's output, failures) are passed through. One instance may serve several Runner runs: the
 * numbering goes on.
 */
final class JmhProgress implements OutputFormat {
  private final PrintStream err;
  private final int total;
  private final Function<BenchmarkParams, String> label;
  private final String unit;
  private int started;
  private boolean midLine;
  private long start;

  /**
   * @param err   where the lines go
   * @param total benchmarks in all the runs this instance reports
   * @param label the text after the number
   * @param unit  the score's unit, e.g. "ops/s"
   */
  JmhProgress(PrintStream err, int total, Function<BenchmarkParams, String> label, String unit) {
    this.err = err;
    this.total = total;
    this.label = label;
    this.unit = unit;
  }

  private void newLine() {
    if (midLine) {
      err.println();
      midLine = false;
    }
  }

  @Override
  public void startBenchmark(BenchmarkParams p) {
    newLine();
    started++;
    start = System.nanoTime();
    err.printf("  [%2d/%d] %s ", started, total, label.apply(p));
    err.flush();
    midLine = true;
  }

  @Override
  public void iteration(BenchmarkParams p, IterationParams ip, int iteration) {}

  @Override
  public void iterationResult(BenchmarkParams p, IterationParams ip, int iteration, IterationResult r) {
    if (midLine) {
      err.print(ip.getType() == IterationType.WARMUP ? "," : ".");
      err.flush();
    }
  }

  @Override
  public void endBenchmark(BenchmarkResult r) {
    if (r == null) {
      newLine();
      err.println("    (no result)");
      return;
    }
    String line = String.format(Locale.ROOT, " %s %s (%.1f s)", ResvBench.score(r.getPrimaryResult()).strip(),
        unit, (System.nanoTime() - start) / 1e9);
    if (!midLine) {
      err.print("    ");
    }
    err.println(line);
    midLine = false;
  }

  @Override
  public void startRun() {}

  @Override
  public void endRun(Collection<RunResult> results) {
    newLine();
  }

  @Override
  public void print(String s) {
    newLine();
    err.print(s);
  }

  /** Runner lines the progress line already says (or, for the no-fork warning, the header). */
  private static final Pattern QUIET = Pattern.compile(
      "# (Run progress|Fork:|Run complete|\\*\\*\\* WARNING: (Non-forked|Use non-forked)).*");

  @Override
  public void println(String s) {
    if (s == null || s.isBlank() || QUIET.matcher(s).matches()) {
      return;
    }
    newLine();
    err.println("    " + s);
  }

  @Override
  public void flush() {
    err.flush();
  }

  @Override
  public void close() {
    err.flush();
  }

  @Override
  public void verbosePrintln(String s) {}

  @Override
  public void write(int b) {
    err.write(b);
  }

  @Override
  public void write(byte[] b) {
    err.write(b, 0, b.length);
  }
}
