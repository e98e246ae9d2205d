package org.syncref.bench;

import java.util.List;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.cli.Subcommand;

/** {@code syncref bench}: performance measurements, each reported against a baseline of the same run. */
public final class BenchCommand implements Subcommand {
  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "benchmarks (trace-check: in-process conformance vs one TLC process per trace;"
        + " resv: JMH, Java dma_resv vs a CopyOnWriteArrayList;"
        + " ww: JMH, Java ww_mutex vs ReentrantLock)";
  }

  @Override
  public String usage() {
    return String.join("\n",
        "usage: syncref bench trace-check [--traces N] [--tlc-traces K] [--seed S] [--seconds X]",
        "       syncref bench resv [--quick] [--forks F] [--warmup W] [--iterations I] [--millis M]",
        "       syncref bench ww [--quick] [--forks F] [--warmup W] [--iterations I] [--millis M]"
            + " [--threads T] [--prof P]",
        "",
        "trace-check  Generates N traces of the Java dma_fence implementation and hardware model",
        "             (default 200) and checks them two ways in one run: in-process with TLC's",
        "             evaluator (spec parsed once; rounds over the whole set for at least X seconds,",
        "             default 3), and with one separate TLC process per trace running a",
        "             trace-constrained spec, for the first K traces (default 10; about 1.5 s each).",
        "             Last line:",
        "             trace-check: <S> steps/s in-process, <T> s per trace via separate TLC, ratio <R>x per trace",
        "             where R = T / (in-process seconds per trace).",
        "",
        "resv         JMH microbenchmarks of the Java dma_resv (org.syncref.resv.DmaResv), each",
        "             against a baseline measured in the same run: the same operation on a",
        "             CopyOnWriteArrayList of the same (fence, usage) pairs. For tables of 1, 8 and",
        "             64 fences: unlocked test_signaled(BOOKKEEP) with every fence signaled (the",
        "             full walk) and with only the last one unsignaled, and a writer round",
        "             lock + reserve_fences(1) + add_fence + unlock that replaces the last entry in",
        "             place (the table keeps its size). Default: 1 forked JVM per benchmark, 3",
        "             warmup + 5 measurement iterations of 1 s (18 benchmarks, about 3 minutes).",
        "             --quick: a smoke run of a few seconds in this JVM (1 + 1 iterations of",
        "             100 ms; figures indicative only). --forks (0: in this JVM), --warmup,",
        "             --iterations and --millis (per iteration) override either setting.",
        "             Progress goes to stderr; the table (operation, size, DmaResv ops/s,",
        "             baseline ops/s, ratio) to stdout.",
        "",
        "ww           JMH benchmarks of the Java ww_mutex (org.syncref.ww; Kernel with RealSched), each",
        "             against a baseline of the same run, on two kernel builds: production (the",
        "             mutex fastpaths, no debug checks) and lockdep (every call through",
        "             __mutex_lock_common with the DEBUG_MUTEXES checks and lockdep); the goals are",
        "             judged on production. Uncontended (1 thread, one mutex): lock +",
        "             unlock with a context kept across calls, init + lock + unlock + fini, and",
        "             lock(NULL) + unlock, for Wait-Die and Wound-Wait classes, against ReentrantLock",
        "             lock + unlock (goal: ratio >= 0.67, i.e. within 1.5x). Contended (T threads,",
        "             default 4; 16 locks): transactions of 4 random distinct locks in random order",
        "             with the ww backoff loop (-EDEADLK: unlock all, lock_slow, retry), a tiny",
        "             critical section, unlock all, fini, against sorting the 4 locks and taking",
        "             ReentrantLocks in order (goal: ratio >= 0.8); with backoffs (-EDEADLK) and",
        "             sleeps per transaction, and the kernel's 2018 rollback counts as reference",
        "             lines. Settings as for resv (default: 16 benchmarks, about 2.5 min; --quick: a",
        "             few seconds). --threads T sets the contended threads; --prof P adds a JMH",
        "             profiler (gc, stack, ...) and prints its results after the tables.");
  }

  @Override
  public int run(List<String> args) throws Exception {
    if (!args.isEmpty() && args.get(0).equals("resv")) {
      return runResv(args.subList(1, args.size()));
    }
    if (!args.isEmpty() && args.get(0).equals("ww")) {
      return runWw(args.subList(1, args.size()));
    }
    if (args.isEmpty() || !args.get(0).equals("trace-check")) {
      throw new BadInputException("syncref bench: expected a benchmark name (trace-check, resv, ww), got "
          + (args.isEmpty() ? "nothing" : "'" + args.get(0) + "'"));
    }
    TraceCheckBench.Options d = TraceCheckBench.Options.defaults();
    int traces = d.traces();
    int tlc = d.tlcTraces();
    long seed = d.seed();
    double seconds = d.minSeconds();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      String v = i + 1 < args.size() ? args.get(i + 1) : null;
      try {
        switch (a) {
          case "--traces" -> traces = positive(a, v);
          case "--tlc-traces" -> tlc = positive(a, v);
          case "--seed" -> seed = Long.parseLong(require(a, v));
          case "--seconds" -> seconds = Double.parseDouble(require(a, v));
          default -> throw new BadInputException("syncref bench trace-check: unknown option '" + a + "'");
        }
      } catch (NumberFormatException e) {
        throw new BadInputException("syncref bench trace-check: " + a + " expects a number, got '" + v + "'");
      }
      i++;
    }
    return TraceCheckBench.run(new TraceCheckBench.Options(traces, tlc, seed, seconds), System.out);
  }

  private static int runResv(List<String> args) throws Exception {
    ResvBench.Options o = args.contains("--quick") ? ResvBench.Options.quick() : ResvBench.Options.defaults();
    int forks = o.forks();
    int warmup = o.warmup();
    int iterations = o.measurement();
    long millis = o.iterationMillis();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--quick")) {
        continue;
      }
      String v = i + 1 < args.size() ? args.get(i + 1) : null;
      try {
        switch (a) {
          case "--forks" -> forks = Integer.parseInt(require(a, v));
          case "--warmup" -> warmup = Integer.parseInt(require(a, v));
          case "--iterations" -> iterations = positive(a, v);
          case "--millis" -> millis = positive(a, v);
          default -> throw new BadInputException("syncref bench resv: unknown option '" + a + "'");
        }
      } catch (NumberFormatException e) {
        throw new BadInputException("syncref bench resv: " + a + " expects a number, got '" + v + "'");
      }
      if (forks < 0 || warmup < 0) {
        throw new BadInputException("syncref bench resv: " + a + " expects a number >= 0, got '" + v + "'");
      }
      i++;
    }
    return ResvBench.run(new ResvBench.Options(forks, warmup, iterations, millis), System.out, System.err);
  }

  private static int runWw(List<String> args) throws Exception {
    WwBench.Options o = args.contains("--quick") ? WwBench.Options.quick() : WwBench.Options.defaults();
    int forks = o.forks();
    int warmup = o.warmup();
    int iterations = o.measurement();
    long millis = o.iterationMillis();
    int threads = o.threads();
    String profiler = o.profiler();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--quick")) {
        continue;
      }
      String v = i + 1 < args.size() ? args.get(i + 1) : null;
      try {
        switch (a) {
          case "--forks" -> forks = Integer.parseInt(require(a, v));
          case "--warmup" -> warmup = Integer.parseInt(require(a, v));
          case "--iterations" -> iterations = positive(a, v);
          case "--millis" -> millis = positive(a, v);
          case "--threads" -> threads = positive(a, v);
          case "--prof" -> profiler = require(a, v);
          default -> throw new BadInputException("syncref bench ww: unknown option '" + a + "'");
        }
      } catch (NumberFormatException e) {
        throw new BadInputException("syncref bench ww: " + a + " expects a number, got '" + v + "'");
      }
      if (forks < 0 || warmup < 0) {
        throw new BadInputException("syncref bench ww: " + a + " expects a number >= 0, got '" + v + "'");
      }
      i++;
    }
    return WwBench.run(new WwBench.Options(forks, warmup, iterations, millis, threads, profiler), System.out,
        System.err);
  }

  private static String require(String opt, String v) throws BadInputException {
    if (v == null) {
      throw new BadInputException("syncref bench: " + opt + " expects a value");
    }
    return v;
  }

  private static int positive(String opt, String v) throws BadInputException {
    int n = Integer.parseInt(require(opt, v));
    if (n <= 0) {
      throw new BadInputException("syncref bench: " + opt + " expects a positive number, got " + n);
    }
    return n;
  }
}
