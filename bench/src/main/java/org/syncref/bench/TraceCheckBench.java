package org.syncref.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.syncref.conformance.Conformance;
import org.syncref.conformance.FenceTraceGenerator;
import org.syncref.conformance.FenceWorld;
import org.syncref.conformance.OutOfOrderEngine;
import org.syncref.conformance.Trace;
import org.syncref.conformance.TraceChecker;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.ExternalCommand;

/**
 * {@code syncref bench trace-check}: generates one set of Java traces (impl + hw) and checks it
 * two ways in one run: in-process with TLC's evaluator (the conformance tests' way), and with one
 * separate TLC process per trace running a trace-constrained spec (the usual approach of published
 * trace-validation work). Reports steps per second in-process, seconds per trace via TLC, and
 * their ratio per trace.
 */
public final class TraceCheckBench {
  /** Options: number of traces, how many of them go through separate TLC processes, seed, time. */
  public record Options(int traces, int tlcTraces, long seed, double minSeconds) {
    public static Options defaults() {
      return new Options(200, 10, 1, 3.0);
    }
  }

  public static int run(Options o, PrintStream out) throws IOException, InterruptedException {
    TraceChecker checker = Conformance.checker();
    Random random = new Random(o.seed());
    FenceTraceGenerator gen = new FenceTraceGenerator();
    out.printf("generating %d traces (seed %d) from the Java implementation and hardware model...%n",
        o.traces(), o.seed());
    List<Trace> traces = new ArrayList<>();
    long steps = 0;
    while (traces.size() < o.traces()) {
      Trace t = gen.run(FenceTraceGenerator.randomProgram(random));
      if (t.steps().isEmpty()) {
        continue;
      }
      traces.add(t);
      steps += t.steps().size();
    }
    out.printf("  %d traces, %d steps (%.1f steps per trace)%n", traces.size(), steps,
        (double) steps / traces.size());

    // 1. In-process: warm up (JIT) for a second, then repeat whole rounds until minSeconds pass.
    long w0 = System.nanoTime();
    do {
      for (Trace t : traces) {
        require(checker.check(t), t, checker);
      }
    } while (System.nanoTime() - w0 < 1e9);
    long checked = 0;
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    int rounds = 0;
    do {
      for (Trace t : traces) {
        require(checker.check(t), t, checker);
      }
      checked += steps;
      rounds++;
    } while (System.nanoTime() - t0 < o.minSeconds() * 1e9);
    double inSeconds = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
    double stepsPerSecond = checked / inSeconds;
    double inPerTrace = inSeconds / (rounds * (double) traces.size());
    out.printf("in-process (TLC evaluator, spec loaded once): %d rounds, %d steps in %.2f s"
        + " (%.2f s CPU of this thread: %.0f steps per CPU second)%n",
        rounds, checked, inSeconds, cpuSeconds, checked / cpuSeconds);

    // 2. One TLC process per trace, on the first tlcTraces traces of the same set.
    Path specDir = Checkout.require().resolve(Conformance.SPEC_DIR);
    Path work = Checkout.require().resolve("target/bench/trace-check");
    String jar = Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .toString();
    int n = Math.min(o.tlcTraces(), traces.size());
    double tlcTotal = 0;
    for (int i = 0; i < n; i++) {
      Path dir = work.resolve("trace-" + i);
      TraceSpecWriter.write(dir, traces.get(i), checker.evaluator().variables(), specDir);
      long s0 = System.nanoTime();
      String verdict = runTlc(jar, dir, specDir);
      double secs = (System.nanoTime() - s0) / 1e9;
      tlcTotal += secs;
      out.printf("  separate TLC %2d/%d: %3d steps, %.2f s, %s%n", i + 1, n,
          traces.get(i).steps().size(), secs, verdict);
      if (!verdict.equals("accepted")) {
        out.println("trace-check: the separate TLC run rejected a trace the in-process check accepted");
        return 1;
      }
    }
    // Negative control for both paths: a trace of an engine that completes out of order.
    FenceTraceGenerator bad = new FenceTraceGenerator(
        () -> new FenceWorld(new org.syncref.kernel.InjectedBug[0], OutOfOrderEngine::new));
    Trace badTrace = null;
    for (int i = 0; i < 1000 && badTrace == null; i++) {
      Trace t = bad.run(FenceTraceGenerator.randomProgram(random));
      if (!checker.check(t).ok()) {
        badTrace = t;
      }
    }
    if (badTrace == null) {
      out.println("trace-check: no trace of the out-of-order engine was rejected in-process");
      return 1;
    }
    Path badDir = work.resolve("negative-control");
    TraceSpecWriter.write(badDir, badTrace, checker.evaluator().variables(), specDir);
    String badVerdict = runTlc(jar, badDir, specDir);
    out.printf("  negative control (out-of-order engine, %d steps): in-process rejected (%s); separate TLC %s%n",
        badTrace.steps().size(), checker.check(badTrace).reason(), badVerdict.replaceAll(" \\(see .*", ""));
    if (badVerdict.equals("accepted")) {
      out.println("trace-check: the separate TLC run accepted a trace that breaks SameContextOrdering");
      return 1;
    }
    double tlcPerTrace = tlcTotal / n;
    double ratio = tlcPerTrace / inPerTrace;
    out.printf("trace-check: %.0f steps/s in-process, %.2f s per trace via separate TLC, ratio %.0fx per trace%n",
        stepsPerSecond, tlcPerTrace, ratio);
    return 0;
  }

  private static void require(TraceChecker.Verdict v, Trace t, TraceChecker checker) {
    if (!v.ok()) {
      throw new IllegalStateException("a generated trace does not conform at step " + v.failedStep()
          + ":\n" + checker.render(t, v.failedStep()) + v.reason());
    }
  }

  /** Runs TLC on TraceCheck in dir; "accepted" when the whole trace matched. */
  private static String runTlc(String jar, Path dir, Path specDir) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ExternalCommand.Result r = ExternalCommand.of(java, "-XX:+UseParallelGC", "-cp", jar,
        "-DTLA-Library=" + specDir, "tlc2.TLC", "-tool", "-workers", "1",
        "-metadir", dir.resolve("meta").toString(), "-config", "TraceCheck.cfg", "TraceCheck")
        .in(dir).mergeStderr().timeout(Duration.ofSeconds(600)).run();
    if (r.timedOut()) {
      return "timeout";
    }
    String text = r.output();
    Files.writeString(dir.resolve("tlc.out"), text);
    // EC.TLC_INVARIANT_VIOLATED_BEHAVIOR = 2110: our "done" invariant is the only acceptance.
    if (text.contains("@!@!@STARTMSG 2110:") && text.contains("Invariant " + TraceSpecWriter.DONE_INVARIANT + " is violated")) {
      return "accepted";
    }
    Matcher m = Pattern.compile("Invariant (\\w+) is violated").matcher(text);
    return "rejected" + (m.find() ? ": " + m.group(1) + " violated" : "") + " (see " + dir.resolve("tlc.out") + ")";
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(Options.defaults(), System.out));
  }
}
