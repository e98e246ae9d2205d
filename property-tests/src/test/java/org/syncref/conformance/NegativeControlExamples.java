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
    return NegativeControls.implToSpecFinds(label(worlds), CHECKER, PROGRAMS, FenceTraceGenerator::randomProgram,
        gen::run);
  }

  static String specToImplFinds(Supplier<FenceWorld> worlds) {
    return NegativeControls.specToImplFinds(label(worlds), CHECKER, WALKS, 40,
        new SpecWalker(Conformance.evaluator(), worlds));
  }

  /** "PEEK_IGNORED: " for a world made by {@link #broken}, for the printed count. */
  static String label(Supplier<FenceWorld> worlds) {
    try (FenceWorld w = worlds.get()) {
      return w.kernel.injectedBugs().isEmpty() ? "" : w.kernel.injectedBugs() + ": ";
    }
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
  void impl_to_spec_catches_a_peek_that_is_ignored() {
    String r = implToSpecFinds(broken(InjectedBug.PEEK_IGNORED));
    assertTrue(r.contains("HwComplete") && r.contains("signaled"), r);
  }

  @Test
  void spec_to_impl_catches_a_peek_that_is_ignored() {
    String r = specToImplFinds(broken(InjectedBug.PEEK_IGNORED));
    assertTrue(r.contains("HwComplete"), r);
  }

  @Test
  void impl_to_spec_catches_a_set_deadline_without_peek() {
    String r = implToSpecFinds(broken(InjectedBug.DEADLINE_NO_PEEK));
    assertTrue(r.contains("SetDeadline") && r.contains("HwComplete"), r);
  }

  @Test
  void spec_to_impl_catches_a_set_deadline_without_peek() {
    String r = specToImplFinds(broken(InjectedBug.DEADLINE_NO_PEEK));
    assertTrue(r.contains("SetDeadline"), r);
  }

  @Test
  void impl_to_spec_catches_a_seqno_compare_without_wrap_around() {
    String r = implToSpecFinds(broken(InjectedBug.SEQNO_NO_WRAP));
    assertTrue(r.contains("IsLater"), r);
  }

  @Test
  void spec_to_impl_catches_a_seqno_compare_without_wrap_around() {
    String r = specToImplFinds(broken(InjectedBug.SEQNO_NO_WRAP));
    assertTrue(r.contains("IsLater"), r);
  }

  @Test
  void impl_to_spec_catches_a_release_that_leaves_callbacks_queued() {
    String r = implToSpecFinds(broken(InjectedBug.RELEASE_NO_SIGNAL));
    assertTrue(r.contains("Put"), r);
  }

  @Test
  void spec_to_impl_catches_a_release_that_leaves_callbacks_queued() {
    String r = specToImplFinds(broken(InjectedBug.RELEASE_NO_SIGNAL));
    assertTrue(r.contains("Put"), r);
  }

  @Test
  void impl_to_spec_catches_an_engine_that_signals_out_of_order() {
    String r = implToSpecFinds(() -> new FenceWorld(new InjectedBug[0], OutOfOrderEngine::new));
    assertTrue(r.contains("SameContextOrdering"), r);
  }
}
