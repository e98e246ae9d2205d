package org.syncref.kernelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.syncref.modelcheck.ExternalCommand;

/**
 * Builds and boots the UML kernel with tools/testing/kunit/kunit.py (out of tree, build folder in
 * the cache) and keeps the whole console ({@code --raw_output=all}) in a log file; shows the phases
 * with their times on stderr.
 */
final class KunitRunner {
  /** A finished run. */
  static final class Run {
    final Path log;
    final List<String> lines;
    final ConsoleParser parser;
    final int exit;
    final double buildSecs;
    final double runSecs;

    Run(Path log, List<String> lines, ConsoleParser parser, int exit, double buildSecs, double runSecs) {
      this.log = log;
      this.lines = lines;
      this.parser = parser;
      this.exit = exit;
      this.buildSecs = buildSecs;
      this.runSecs = runSecs;
    }

    List<String> tail(int n) {
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
  }

  private final KernelTree tree;
  private final int jobs;
  private final PrintStream err;

  KunitRunner(KernelTree tree, int jobs, PrintStream err) {
    this.tree = tree;
    this.jobs = jobs;
    this.err = err;
  }

  Run run(int kernelTimeoutSec) throws IOException {
    Path log = tree.log();
    List<String> cmd = List.of("python3", "tools/testing/kunit/kunit.py", "run",
        "--kunitconfig=" + tree.kunitconfig, "--build_dir=" + tree.build, "--jobs=" + jobs,
        "--raw_output=all", "--timeout=" + kernelTimeoutSec);
    err.println("kernel-check: building UML (" + String.join(" ", cmd.subList(1, cmd.size())) + ")");
    long t0 = System.nanoTime();
    List<String> lines = new ArrayList<>();
    final long start = t0;
    final java.util.concurrent.atomic.AtomicLong runStart = new java.util.concurrent.atomic.AtomicLong(-1);
    final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
    Thread ticker = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(20_000);
          long now = System.nanoTime();
          long rs = runStart.get();
          err.printf("kernel-check: ... %s, %.0f s%s%n", rs < 0 ? "building" : "running", (now - start) / 1e9,
              rs < 0 ? "" : " (" + started.get() + " cases started)");
        }
      } catch (InterruptedException e) {
        // done
      }
    });
    ticker.setDaemon(true);
    ticker.start();
    int exit;
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
      ExternalCommand.Result r = ExternalCommand.of(cmd).in(tree.overlay).mergeStderr()
          .timeout(Duration.ofSeconds(kernelTimeoutSec + 3600L)).run(line -> {
            lines.add(line);
            w.println(line);
            if (line.contains("Starting KUnit Kernel")) {
              long now = System.nanoTime();
              runStart.set(now);
              err.printf("kernel-check: built in %.1f s; booting the kernel%n", (now - t0) / 1e9);
            } else if (line.contains("SR|C|")) {
              started.incrementAndGet();
            }
          });
      exit = r.timedOut() ? 124 : r.exit();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = 130;
    } finally {
      ticker.interrupt();
    }
    long tRun = runStart.get();
    int srLines = started.get();
    long t1 = System.nanoTime();
    double build = ((tRun < 0 ? t1 : tRun) - t0) / 1e9;
    double runS = tRun < 0 ? 0 : (t1 - tRun) / 1e9;
    err.printf("kernel-check: kernel ran %d cases in %.1f s (console: %s)%n", srLines, runS, log);
    ConsoleParser parser = new ConsoleParser(tree.overlay);
    parser.parse(lines);
    return new Run(log, lines, parser, exit, build, runS);
  }
}
