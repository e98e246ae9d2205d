package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
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
    return NegativeControls.implToSpecFinds("", CHECKER, PROGRAMS, FenceTraceGenerator::randomProgram, gen::run);
  }

  static String specToImplFinds(Supplier<FenceWorld> worlds) {
    return NegativeControls.specToImplFinds("", CHECKER, WALKS, 40, new SpecWalker(Conformance.evaluator(), worlds));
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
