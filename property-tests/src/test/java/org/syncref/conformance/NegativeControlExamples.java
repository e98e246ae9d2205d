package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.FenceTraceGenerator.Cmd;
import org.syncref.hw.Engine;
import org.syncref.kernel.InjectedBug;

/**
 * Negative controls: both conformance directions run against deliberately broken Java code and
 * must fail; the failing program is shrunk and its trace printed as numbered steps.
 */
class NegativeControlExamples {
  static final TraceChecker CHECKER = Conformance.checker();
  static final int PROGRAMS = 400;
  static final int WALKS = 400;

  static Supplier<FenceWorld> broken(InjectedBug bug) {
    return () -> new FenceWorld(new InjectedBug[] {bug}, Engine::new);
  }

  /** Runs generated programs until one fails; shrinks it; returns the report. */
  static String implToSpecFinds(Supplier<FenceWorld> worlds) {
    FenceTraceGenerator gen = new FenceTraceGenerator(worlds);
    Random random = new Random(42);
    Shrinker.Found<Cmd> f = Shrinker.firstFailure(PROGRAMS, () -> FenceTraceGenerator.randomProgram(random), p -> {
      Trace t = gen.run(p);
      TraceChecker.Verdict v = CHECKER.check(t);
      return v.ok() ? null : CHECKER.render(t, v.failedStep()) + "  => " + v.reason();
    });
    if (f == null) {
      return fail("no generated program caught the broken implementation in " + PROGRAMS + " tries");
    }
    String report = "program " + f.input() + " fails:\n" + f.report();
    System.out.println("negative control caught (impl -> spec, after " + f.tries() + " programs):\n" + report);
    return report;
  }

  static String specToImplFinds(Supplier<FenceWorld> worlds) {
    SpecWalker walker = new SpecWalker(Conformance.evaluator(), worlds);
    Random random = new Random(7);
    Shrinker.Found<Integer> f = Shrinker.firstFailure(WALKS,
        () -> random.ints(40, 0, Integer.MAX_VALUE).boxed().collect(Collectors.toList()), q -> {
          SpecWalker.Walk w = walker.walk(q);
          return w.ok() ? null : CHECKER.render(w.trace(), w.failedStep()) + "  => " + w.reason();
        });
    if (f == null) {
      return fail("no walk of the spec caught the broken implementation in " + WALKS + " walks");
    }
    String report = "walk fails:\n" + f.report();
    System.out.println("negative control caught (spec -> impl, after " + f.tries() + " walks):\n" + report);
    return report;
  }

  @Test
  void impl_to_spec_catches_a_callback_run_twice() {
    String r = implToSpecFinds(broken(InjectedBug.CALLBACK_RUNS_TWICE));
    assertTrue(r.contains("cbRan") || r.contains("cbq"), r);
  }

  @Test
  void spec_to_impl_catches_a_callback_run_twice() {
    specToImplFinds(broken(InjectedBug.CALLBACK_RUNS_TWICE));
  }

  @Test
  void impl_to_spec_catches_an_error_set_after_signal_accepted_silently() {
    String r = implToSpecFinds(broken(InjectedBug.SET_ERROR_AFTER_SIGNAL_SILENT));
    assertTrue(r.contains("warnings"), r);
  }

  @Test
  void spec_to_impl_catches_an_error_set_after_signal_accepted_silently() {
    String r = specToImplFinds(broken(InjectedBug.SET_ERROR_AFTER_SIGNAL_SILENT));
    assertTrue(r.contains("warnings"), r);
  }

  @Test
  void impl_to_spec_catches_callbacks_run_in_reverse_order() {
    implToSpecFinds(broken(InjectedBug.CALLBACKS_LIFO));
  }

  @Test
  void spec_to_impl_catches_callbacks_run_in_reverse_order() {
    specToImplFinds(broken(InjectedBug.CALLBACKS_LIFO));
  }

  @Test
  void impl_to_spec_catches_an_engine_that_signals_out_of_order() {
    String r = implToSpecFinds(() -> new FenceWorld(new InjectedBug[0], OutOfOrderEngine::new));
    assertTrue(r.contains("SameContextOrdering"), r);
  }
}
