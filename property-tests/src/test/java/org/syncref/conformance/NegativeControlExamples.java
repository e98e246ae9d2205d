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
    for (int i = 0; i < PROGRAMS; i++) {
      List<Cmd> p = FenceTraceGenerator.randomProgram(random);
      if (!CHECKER.check(gen.run(p)).ok()) {
        List<Cmd> small = Shrinker.shrink(p, q -> !CHECKER.check(gen.run(q)).ok());
        Trace t = gen.run(small);
        TraceChecker.Verdict v = CHECKER.check(t);
        String report = "program " + small + " fails at step " + v.failedStep() + ":\n"
            + CHECKER.render(t, v.failedStep()) + "  => " + v.reason();
        System.out.println("negative control caught (impl -> spec, after " + (i + 1) + " programs):\n" + report);
        return report;
      }
    }
    return fail("no generated program caught the broken implementation in " + PROGRAMS + " tries");
  }

  static String specToImplFinds(Supplier<FenceWorld> worlds) {
    SpecWalker walker = new SpecWalker(Conformance.evaluator(), worlds);
    Random random = new Random(7);
    for (int i = 0; i < WALKS; i++) {
      List<Integer> choices = random.ints(40, 0, Integer.MAX_VALUE).boxed().collect(Collectors.toList());
      SpecWalker.Walk w = walker.walk(choices);
      if (!w.ok()) {
        List<Integer> small = Shrinker.shrink(choices, q -> !walker.walk(q).ok());
        SpecWalker.Walk ws = walker.walk(small);
        String report = "walk fails at step " + ws.failedStep() + ":\n"
            + CHECKER.render(ws.trace(), ws.failedStep()) + "  => " + ws.reason();
        System.out.println("negative control caught (spec -> impl, after " + (i + 1) + " walks):\n" + report);
        return report;
      }
    }
    return fail("no walk of the spec caught the broken implementation in " + WALKS + " walks");
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
