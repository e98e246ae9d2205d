package org.syncref.conformance;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.syncref.conformance.DrmExecTraceGenerator.Cmd;
import org.syncref.kernel.InjectedBug;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * The drm_exec conformance checks against spec/DrmExec/MCDrmExecConformance.cfg, loaded once per
 * JVM (surefire execution drm-exec-conformance, test classes DrmExec*): impl to spec (a
 * program's trace is checked by {@link TraceChecker}, plus no lost wake-up after any command
 * and no WARN), spec to impl ({@link DrmExecSpecWalker}), the steps taken per action, and the
 * negative controls (a broken Java DrmExec must be caught, shrunk, printed).
 */
public final class DrmExecChecks {
  public static final String SPEC_DIR = "spec/DrmExec";
  public static final String MODULE = "MCDrmExecConformance";
  public static final String CONFIG = "MCDrmExecConformance";
  /** WwCalls' sleeper steps that a Wake step may be, counted as "Wake/WaitSteal" etc. */
  public static final List<String> WAKE_STEPS = List.of("WaitAcquire", "WaitSteal", "WaitHandoff", "WaitDie");

  /** The longest program, and the walk length, of the negative controls (shorter: quicker to shrink). */
  static final int CONTROL_LENGTH = 80;

  public final TraceChecker checker;
  public long traces;
  public long steps;
  public final Map<String, Integer> actions = new TreeMap<>();

  public DrmExecChecks() {
    this.checker = new TraceChecker(evaluator(), List.of());
  }

  public static TlcEvaluator evaluator() {
    return TlcEvaluator.load(Checkout.require().resolve(SPEC_DIR), MODULE, CONFIG);
  }

  public Supplier<DrmExecWorld> worlds(InjectedBug... bugs) {
    return () -> new DrmExecWorld(bugs);
  }

  /** Null if the program's Java trace conforms, else the rendered failure. */
  public String implToSpec(DrmExecTraceGenerator gen, List<Cmd> program) {
    Trace trace;
    try {
      trace = gen.run(program);
    } catch (RuntimeException e) {
      return "the Java world failed: " + causes(e);
    }
    traces++;
    steps += trace.steps().size();
    count(trace);
    TraceChecker.Verdict v = checker.check(trace);
    if (!v.ok()) {
      return "the Java trace is not a behaviour of the spec at step " + v.failedStep() + ":\n"
          + checker.render(trace, v.failedStep()) + "  => " + v.reason()
          + (gen.lastFailure == null ? "" : "\n  (then a Java client failed: " + gen.lastFailure + ")");
    }
    if (gen.lastFailure != null) {
      return "a Java client failed after step " + trace.steps().size() + ": " + gen.lastFailure + "\n"
          + checker.render(trace, -1);
    }
    TlcEvaluator ev = checker.evaluator();
    for (int k = 0; k < gen.lastSettled.size(); k++) {
      int i = gen.lastSettled.get(k);
      boolean[] woken = gen.lastWoken.get(k);
      String lost = DrmExecSpecWalker.lostWakeUp(ev, ev.state(trace.stateAfter(i)), t -> woken[t]);
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
  public String specToImpl(DrmExecSpecWalker walker, List<Integer> choices) {
    SpecWalker.Walk w;
    try {
      w = walker.walk(choices);
    } catch (RuntimeException e) {
      return "the Java world failed: " + causes(e);
    }
    traces++;
    steps += w.trace().steps().size();
    count(w.trace());
    if (!w.ok()) {
      return "Java disagrees with the spec at step " + w.failedStep() + ":\n"
          + checker.render(w.trace(), w.failedStep()) + "  => " + w.reason();
    }
    return null;
  }

  /** Counts the steps per action, and the Wake steps per WwCalls sleeper step. */
  private void count(Trace trace) {
    TlcEvaluator ev = checker.evaluator();
    for (int i = 0; i < trace.steps().size(); i++) {
      Step st = trace.steps().get(i);
      actions.merge(st.action(), 1, Integer::sum);
      if (st.action().equals("Wake")) {
        String kind = DrmExecSpecWalker.wakeKind(ev.state(trace.stateAfter(i)), ev.state(st.state()),
            st.args().get(0));
        actions.merge("Wake/" + kind, 1, Integer::sum);
      }
    }
  }

  private static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e));
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      sb.append(" <- ").append(c);
    }
    return sb.toString();
  }

  /**
   * The actions of the model's ConfNext (as TLC's evaluator splits it) taken fewer than {@code
   * floor} times so far, with their counts (empty: none), except those {@code excused} names (an
   * action the direction cannot produce, with the reason: {@link
   * DrmExecTraceGenerator#NOT_GENERATED} for impl to spec).
   */
  public Map<String, Integer> below(int floor, Map<String, String> excused) {
    Map<String, Long> floors = NextCoverage.floors(checker.evaluator(), floor, Map.of(), excused);
    return below(List.copyOf(floors.keySet()), floor);
  }

  /** The WwCalls sleeper steps ("Wake/WaitSteal" etc.) taken fewer than {@code floor} times so far. */
  public Map<String, Integer> wakeStepsBelow(int floor) {
    return below(WAKE_STEPS.stream().map(k -> "Wake/" + k).collect(Collectors.toList()), floor);
  }

  private Map<String, Integer> below(List<String> names, int floor) {
    Map<String, Integer> out = new TreeMap<>();
    for (String a : names) {
      int n = actions.getOrDefault(a, 0);
      if (n < floor) {
        out.put(a, n);
      }
    }
    return out;
  }

  public String summary(String direction) {
    return String.format("drm_exec %s: %d traces, %d steps%n  steps per action: %s", direction, traces, steps,
        actions);
  }

  /** A negative control's catch: after how many programs or walks, and the shrunk report. */
  public record Caught(int tries, String report) {}

  /** Impl to spec against a broken Java: the shrunk failing program, or null. */
  public Caught implToSpecCatches(InjectedBug bug, int programs, long seed) {
    DrmExecTraceGenerator gen = new DrmExecTraceGenerator(worlds(bug));
    Random random = new Random(seed);
    Shrinker.Found<Cmd> f = Shrinker.firstFailure(programs, () -> DrmExecTraceGenerator.randomProgram(random, CONTROL_LENGTH),
        p -> implToSpec(gen, p));
    if (f == null) {
      return null;
    }
    String report = "program " + f.input() + " fails: " + f.report();
    System.out.println("negative control " + bug + " caught (drm_exec impl -> spec, after " + f.tries()
        + " programs):\n" + report);
    return new Caught(f.tries(), report);
  }

  /** Spec to impl against a broken Java: the shrunk failing walk, or null. */
  public Caught specToImplCatches(InjectedBug bug, int walks, long seed) {
    DrmExecSpecWalker walker = new DrmExecSpecWalker(checker.evaluator(), worlds(bug));
    Random random = new Random(seed);
    Shrinker.Found<Integer> f = Shrinker.firstFailure(walks,
        () -> random.ints(CONTROL_LENGTH, 0, Integer.MAX_VALUE).boxed().collect(Collectors.toList()),
        q -> specToImpl(walker, q));
    if (f == null) {
      return null;
    }
    System.out.println("negative control " + bug + " caught (drm_exec spec -> impl, after " + f.tries()
        + " walks):\n" + f.report());
    return new Caught(f.tries(), f.report());
  }
}
