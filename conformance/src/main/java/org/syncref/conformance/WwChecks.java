package org.syncref.conformance;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.syncref.conformance.WwTraceGenerator.Cmd;
import org.syncref.kernel.InjectedBug;
import org.syncref.kernel.Kernel;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * The ww_mutex conformance checks of one algorithm, shared by the test classes of the two
 * surefire executions (packages ...conformance.ww.*): impl to spec (a program's trace is checked by
 * {@link TraceChecker}, plus no lost wake-up after any command and no WARN), spec to impl
 * ({@link WwSpecWalker}), and negative controls (a broken kernel must be caught, shrunk, printed).
 */
public final class WwChecks {
  public final boolean waitDie;
  public final TraceChecker checker;
  public final String name;
  public long traces;
  public long steps;
  public final Map<String, Integer> actions = new TreeMap<>();

  /** The Java kernel's build; the spec runs with its {@link Kernel.Build#specName()}. */
  public final Kernel.Build build;

  public WwChecks(boolean waitDie) {
    this(waitDie, Kernel.Build.DEBUG_LOCK_ALLOC);
  }

  /**
   * The checks of one algorithm for a kernel of {@code build}: the spec with Build =
   * build.specName(), the Java worlds on kernels of that build.
   */
  public WwChecks(boolean waitDie, Kernel.Build build) {
    this.waitDie = waitDie;
    this.build = build;
    this.name = (waitDie ? "ww wait-die" : "ww wound-wait") + " (" + build.specName() + ")";
    this.checker = WwConformance.checker(waitDie, build.specName());
  }

  public Supplier<WwWorld> worlds(InjectedBug... bugs) {
    return worlds(build, bugs);
  }

  /** Java worlds on kernels of {@code javaBuild} (a control may differ from the spec's build). */
  public Supplier<WwWorld> worlds(Kernel.Build javaBuild, InjectedBug... bugs) {
    return () -> new WwWorld(waitDie, javaBuild, bugs);
  }

  /** Null if the program's Java trace conforms, else the rendered failure. */
  public String implToSpec(WwTraceGenerator gen, List<Cmd> program) {
    Trace trace;
    try {
      trace = gen.run(program);
    } catch (RuntimeException e) {
      return "the Java world failed: " + e;
    }
    traces++;
    steps += trace.steps().size();
    trace.steps().forEach(st -> actions.merge(st.action(), 1, Integer::sum));
    TraceChecker.Verdict v = checker.check(trace);
    if (!v.ok()) {
      return "the Java trace is not a behaviour of the spec at step " + v.failedStep() + ":\n"
          + checker.render(trace, v.failedStep()) + "  => " + v.reason();
    }
    TlcEvaluator ev = checker.evaluator();
    for (int k = 0; k < gen.lastSettled.size(); k++) {
      int i = gen.lastSettled.get(k);
      boolean[] woken = gen.lastWoken.get(k);
      String lost = WwSpecWalker.lostWakeUp(ev, ev.state(trace.stateAfter(i)), t -> woken[t]);
      if (lost != null) {
        return "at the state after step " + i + ":\n" + checker.render(trace, i) + "  => " + lost;
      }
    }
    if (!gen.lastWarnings.isEmpty()) {
      return "the kernel WARNed: " + gen.lastWarnings + "\n" + checker.render(trace, -1);
    }
    return null;
  }

  /** Null if Java follows the walk, else the rendered failure. */
  public String specToImpl(WwSpecWalker walker, List<Integer> choices) {
    SpecWalker.Walk w;
    try {
      w = walker.walk(choices);
    } catch (RuntimeException e) {
      return "the Java world failed: " + e;
    }
    traces++;
    steps += w.trace().steps().size();
    w.trace().steps().forEach(st -> actions.merge(st.action(), 1, Integer::sum));
    if (!w.ok()) {
      return "Java disagrees with the spec at step " + w.failedStep() + ":\n"
          + checker.render(w.trace(), w.failedStep()) + "  => " + w.reason();
    }
    return null;
  }

  public String summary(String direction) {
    return String.format("%s %s: %d traces, %d steps%n  steps per action: %s", name, direction, traces, steps, actions);
  }

  /** Impl to spec against a broken kernel: the shrunk failing program's report, or null. */
  public String implToSpecCatches(InjectedBug bug, int programs, long seed) {
    return implToSpecCatches(worlds(bug), bug.toString(), programs, seed);
  }

  /**
   * Impl to spec with Java worlds of another build than the spec's (the build's control): the
   * shrunk failing program's report, or null.
   */
  public String implToSpecCatches(Kernel.Build javaBuild, int programs, long seed) {
    return implToSpecCatches(worlds(javaBuild), "Java " + javaBuild + " build", programs, seed);
  }

  private String implToSpecCatches(Supplier<WwWorld> worlds, String bug, int programs, long seed) {
    WwTraceGenerator gen = new WwTraceGenerator(worlds);
    Random random = new Random(seed);
    Shrinker.Found<Cmd> f = Shrinker.firstFailure(programs, () -> WwTraceGenerator.randomProgram(random),
        p -> implToSpec(gen, p));
    if (f == null) {
      return null;
    }
    String report = "program " + f.input() + " fails: " + f.report();
    System.out.println("negative control " + bug + " caught (" + name + " impl -> spec, after " + f.tries()
        + " programs):\n" + report);
    return report;
  }

  /** Spec to impl against a broken kernel: the shrunk failing walk's report, or null. */
  public String specToImplCatches(InjectedBug bug, int walks, long seed) {
    WwSpecWalker walker = new WwSpecWalker(checker.evaluator(), worlds(bug));
    Random random = new Random(seed);
    Shrinker.Found<Integer> f = Shrinker.firstFailure(walks,
        () -> random.ints(100, 0, Integer.MAX_VALUE).boxed().collect(Collectors.toList()),
        q -> specToImpl(walker, q));
    if (f == null) {
      return null;
    }
    System.out.println("negative control " + bug + " caught (" + name + " spec -> impl, after " + f.tries()
        + " walks):\n" + f.report());
    return f.report();
  }
}
