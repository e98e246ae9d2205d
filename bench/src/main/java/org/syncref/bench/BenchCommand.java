package org.syncref.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.syncref.modelcheck.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code syncref bench}: performance measurements, each reported against a baseline of the same run. */
@Command(name = "bench",
    header = "benchmarks, each against a baseline of the same run: trace-check, resv (JMH), ww (JMH), hw (JMH)",
    description = {"Each benchmark reports its figures against a baseline measured in the same run."
        + " 'syncref bench BENCHMARK --help' explains one; resv, ww and hw also take JMH's own options"
        + " (-f, -wi, -i, -w, -r, -t, -p, -prof, a benchmark regex, ...), listed there after ours."},
    subcommands = {BenchCommand.TraceCheck.class, BenchCommand.Resv.class, BenchCommand.Ww.class,
        BenchCommand.Hw.class},
    synopsisSubcommandLabel = "BENCHMARK",
    footer = {"", "Progress goes to stderr, the tables to stdout.",
        "Exit codes: 0 the run completed; 2 bad input."})
public final class BenchCommand implements Callable<Integer> {
  final PrintStream out;
  final PrintStream err;

  public BenchCommand() {
    this(System.out, System.err);
  }

  public BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Without a benchmark name: bad input. */
  @Override
  public Integer call() throws BadInputException {
    throw new BadInputException("syncref bench: expected a benchmark name (trace-check, resv, ww, hw), got nothing"
        + " (see syncref bench --help)");
  }

  /** {@code syncref bench trace-check}. */
  @Command(name = "trace-check",
      header = "in-process conformance checking vs one TLC process per trace",
      description = {"Generates N traces of the Java dma_fence implementation and hardware model and checks them"
          + " two ways in one run: in-process with TLC's evaluator (spec parsed once; rounds over the whole set"
          + " for at least X seconds), and with one separate TLC process per trace running a trace-constrained"
          + " spec, for the first K traces (about 1.5 s each). Last line:",
          "  trace-check: <S> steps/s in-process, <T> s per trace via separate TLC, ratio <R>x per trace",
          "where R = T / (in-process seconds per trace)."})
  static final class TraceCheck implements Callable<Integer> {
    private static final TraceCheckBench.Options DEFAULTS = TraceCheckBench.Options.defaults();

    @ParentCommand
    BenchCommand bench;

    @Option(names = "--traces", paramLabel = "N", description = "traces generated (default ${DEFAULT-VALUE})")
    int traces = DEFAULTS.traces();

    @Option(names = "--tlc-traces", paramLabel = "K", description = "traces also checked by a TLC process each"
        + " (default ${DEFAULT-VALUE})")
    int tlcTraces = DEFAULTS.tlcTraces();

    @Option(names = "--seed", paramLabel = "S", description = "the generator's seed (default ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed();

    @Option(names = "--seconds", paramLabel = "X", description = "the in-process rounds last at least X seconds"
        + " (default ${DEFAULT-VALUE})")
    double seconds = DEFAULTS.minSeconds();

    @Override
    public Integer call() throws Exception {
      positive("trace-check", "--traces", traces);
      positive("trace-check", "--tlc-traces", tlcTraces);
      return TraceCheckBench.run(new TraceCheckBench.Options(traces, tlcTraces, seed, seconds), bench.out);
    }
  }

  /**
   * A JMH benchmark: our preset (the defaults, or --quick), the former long option names, and JMH's
   * own command line (parsed by JMH's CommandLineOptions), which overrides the preset.
   */
  abstract static class JmhBench implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Option(names = "--quick", description = "a smoke run of a few seconds in this JVM (1 + 1 iterations of 100 ms;"
        + " figures indicative only)")
    boolean quick;

    @Option(names = "--forks", paramLabel = "F", description = "JMH's -f: forked JVMs per benchmark (0: in this JVM)")
    String forks;

    @Option(names = "--warmup", paramLabel = "W", description = "JMH's -wi: warmup iterations")
    String warmup;

    @Option(names = "--iterations", paramLabel = "I", description = "JMH's -i: measurement iterations")
    String iterations;

    @Option(names = "--millis", paramLabel = "M", description = "JMH's -w Mms -r Mms: the length of each iteration")
    String millis;

    @Option(names = "--prof", paramLabel = "P", description = "JMH's -prof: add a profiler (gc, stack, ...) and print"
        + " its results after the tables")
    String profiler;

    @Parameters(paramLabel = "JMH-ARG", arity = "0..*", description = "JMH's own options and benchmark regexes,"
        + " listed below; a regex selects among this command's benchmarks")
    List<String> jmhArgs = new ArrayList<>();

    /** Hands options picocli does not know to JMH, and adds JMH's own help after ours. */
    @Spec
    void jmhOptions(CommandSpec spec) {
      spec.parser().unmatchedOptionsArePositionalParams(true);
      UsageMessageSpec u = spec.usageMessage();
      Map<String, picocli.CommandLine.IHelpSectionRenderer> map = new LinkedHashMap<>(u.sectionMap());
      map.put("jmh", help -> "\nJMH's options (after ours; they override the preset):\n" + jmhHelp());
      u.sectionMap(map);
      List<String> keys = new ArrayList<>(u.sectionKeys());
      keys.add("jmh");
      u.sectionKeys(keys);
    }

    /** The benchmark's name on the command line. */
    abstract String name();

    /** Runs the benchmarks with these JMH options. */
    abstract int run(CommandLineOptions jmh) throws RunnerException, BadInputException;

    @Override
    public Integer call() throws Exception {
      List<String> args = new ArrayList<>();
      alias(args, "-f", forks);
      alias(args, "-wi", warmup);
      alias(args, "-i", iterations);
      if (millis != null) {
        alias(args, "-w", millis + "ms");
        alias(args, "-r", millis + "ms");
      }
      alias(args, "-prof", profiler);
      args.addAll(jmhArgs);
      CommandLineOptions jmh;
      try {
        jmh = new CommandLineOptions(args.toArray(new String[0]));
      } catch (CommandLineOptionException e) {
        throw new BadInputException("syncref bench " + name() + ": JMH: " + oneLine(e.getMessage())
            + " (see syncref bench " + name() + " --help)");
      }
      if (jmh.shouldHelp()) {
        bench.out.print(jmhHelp());
        return 0;
      }
      if (jmh.shouldListProfilers()) {
        jmh.listProfilers();
        return 0;
      }
      if (jmh.shouldListResultFormats()) {
        jmh.listResultFormats();
        return 0;
      }
      if (jmh.shouldList() || jmh.shouldListWithParams()) {
        new Runner(jmh).list();
        return 0;
      }
      return run(jmh);
    }

    private static void alias(List<String> args, String jmhOption, String value) {
      if (value != null) {
        args.add(jmhOption);
        args.add(value);
      }
    }
  }

  /** {@code syncref bench resv}. */
  @Command(name = "resv",
      header = "JMH: the Java dma_resv vs a CopyOnWriteArrayList",
      description = {"JMH microbenchmarks of the Java dma_resv (org.syncref.resv.DmaResv), each against a baseline"
          + " measured in the same run: the same operation on a CopyOnWriteArrayList of the same (fence, usage)"
          + " pairs. For tables of 1, 8 and 64 fences: unlocked test_signaled(BOOKKEEP) with every fence signaled"
          + " (the full walk) and with only the last one unsignaled, and a writer round lock + reserve_fences(1)"
          + " + add_fence + unlock that replaces the last entry in place (the table keeps its size). Default: 1"
          + " forked JVM per benchmark, 3 warmup + 5 measurement iterations of 1 s (18 benchmarks, about 3"
          + " minutes). The table: operation, size, DmaResv ops/s, baseline ops/s, ratio."})
  static final class Resv extends JmhBench {
    @Override
    String name() {
      return "resv";
    }

    @Override
    int run(CommandLineOptions jmh) throws RunnerException {
      return ResvBench.run(quick ? ResvBench.Options.quick() : ResvBench.Options.defaults(), jmh, bench.out,
          bench.err);
    }
  }

  /** {@code syncref bench ww}. */
  @Command(name = "ww",
      header = "JMH: the Java ww_mutex vs ReentrantLock",
      description = {"JMH benchmarks of the Java ww_mutex (org.syncref.ww; Kernel with RealSched), each against a"
          + " baseline of the same run, on two kernel builds: production (the mutex fastpaths, no debug checks)"
          + " and lockdep (every call through __mutex_lock_common with the DEBUG_MUTEXES checks and lockdep);"
          + " the goals are judged on production. Uncontended (1 thread, one mutex): lock + unlock with a"
          + " context kept across calls, init + lock + unlock + fini, and lock(NULL) + unlock, for Wait-Die and"
          + " Wound-Wait classes, against ReentrantLock lock + unlock (goal: ratio >= 0.67, i.e. within 1.5x)."
          + " Contended (T threads; 16 locks): transactions of 4 random distinct locks in random order with the"
          + " ww backoff loop (-EDEADLK: unlock all, lock_slow, retry), a tiny critical section, unlock all,"
          + " fini, against sorting the 4 locks and taking ReentrantLocks in order (goal: ratio >= 0.8); with"
          + " backoffs (-EDEADLK) and sleeps per transaction, and the kernel's 2018 rollback counts as"
          + " reference lines. Settings as for resv (default: 16 benchmarks, about 2.5 min; --quick: a few"
          + " seconds)."})
  static final class Ww extends JmhBench {
    @Option(names = "--threads", paramLabel = "T", description = "threads of the contended benchmarks (default"
        + " ${DEFAULT-VALUE}; JMH's -t overrides it; the uncontended ones always run 1)")
    int threads = WwContendedBench.THREADS;

    @Override
    String name() {
      return "ww";
    }

    @Override
    int run(CommandLineOptions jmh) throws RunnerException, BadInputException {
      positive("ww", "--threads", threads);
      WwBench.Options o = quick ? WwBench.Options.quick() : WwBench.Options.defaults();
      return WwBench.run(new WwBench.Options(o.forks(), o.warmup(), o.measurement(), o.iterationMillis(), threads),
          jmh, bench.out, bench.err);
    }
  }

  /** {@code syncref bench hw}. */
  @Command(name = "hw",
      header = "JMH: hw's TTM eviction walk and drm_sched implicit deps vs plain loops",
      description = {"JMH microbenchmarks of the hot paths of hw's GPU memory system (org.syncref.hw), each against"
          + " a baseline measured in the same run, for N = 16 and 256 objects or fences (kernel build production)."
          + " TTM eviction walk: ttm_bo_validate of an object into a VRAM manager full of N objects none of which"
          + " can be evicted (all locked by another thread, or all pinned), so ttm_bo_evict_alloc's trylock"
          + " pass walks the whole LRU and fails with -ENOSPC, against a plain walk of the same objects in a"
          + " list. drm_sched implicit deps: drm_sched_job_init and drm_sched_job_add_resv_dependencies(BOOKKEEP)"
          + " over N fences (one object with N fence contexts, or N objects whose fences come from 4 engines),"
          + " each dependency deduplicated per context, then their puts, against a plain loop collecting the"
          + " same fences. Settings as for resv (default: 16 benchmarks, about 2.5 min; --quick: a few"
          + " seconds). The table: operation, N, hw ops/s, baseline ops/s, ratio."})
  static final class Hw extends JmhBench {
    @Override
    String name() {
      return "hw";
    }

    @Override
    int run(CommandLineOptions jmh) throws RunnerException {
      return HwBench.run(quick ? HwBench.Options.quick() : HwBench.Options.defaults(), jmh, bench.out, bench.err);
    }
  }

  private static void positive(String benchmark, String option, long n) throws BadInputException {
    if (n <= 0) {
      throw new BadInputException("syncref bench " + benchmark + ": " + option + " expects a positive number, got "
          + n);
    }
  }

  private static String oneLine(String s) {
    return String.valueOf(s).strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /** JMH's own help text (CommandLineOptions prints it to System.out only). */
  static synchronized String jmhHelp() {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      new CommandLineOptions().showHelp();
    } catch (CommandLineOptionException | IOException e) {
      return "(JMH's help is not available: " + e.getMessage() + ")\n";
    } finally {
      System.setOut(saved);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
