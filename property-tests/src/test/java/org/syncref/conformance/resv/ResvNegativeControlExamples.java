package org.syncref.conformance.resv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.NegativeControls;
import org.syncref.conformance.ResvConformance;
import org.syncref.conformance.ResvTraceGenerator;
import org.syncref.conformance.ResvWorld;
import org.syncref.conformance.SpecWalker;
import org.syncref.conformance.TraceChecker;
import org.syncref.kernel.InjectedBug;

/**
 * Negative controls for the dma_resv conformance: both directions run against a deliberately
 * broken Java dma_resv and must fail; the failing program (or walk) is shrunk and its trace
 * printed as numbered steps.
 */
class ResvNegativeControlExamples {
  static final TraceChecker CHECKER = ResvConformance.checker();
  static final int PROGRAMS = 600;
  static final int WALKS = 600;

  static Supplier<ResvWorld> broken(InjectedBug bug) {
    return () -> new ResvWorld(bug);
  }

  static String implToSpecFinds(Supplier<ResvWorld> worlds) {
    ResvTraceGenerator gen = new ResvTraceGenerator(worlds);
    return NegativeControls.implToSpecFinds("resv ", CHECKER, PROGRAMS, ResvTraceGenerator::randomProgram, gen::run);
  }

  static String specToImplFinds(Supplier<ResvWorld> worlds) {
    return NegativeControls.specToImplFinds("resv ", CHECKER, WALKS, 50, new SpecWalker(ResvConformance.evaluator(), worlds));
  }

  @Test
  void impl_to_spec_catches_an_add_that_appends_instead_of_replacing() {
    String r = implToSpecFinds(broken(InjectedBug.RESV_ADD_APPENDS));
    assertTrue(r.contains("AddFence"), r);
  }

  @Test
  void spec_to_impl_catches_an_add_that_appends_instead_of_replacing() {
    String r = specToImplFinds(broken(InjectedBug.RESV_ADD_APPENDS));
    assertTrue(r.contains("AddFence"), r);
  }

  @Test
  void impl_to_spec_catches_an_add_that_ignores_the_usage() {
    String r = implToSpecFinds(broken(InjectedBug.RESV_ADD_IGNORES_USAGE));
    assertTrue(r.contains("AddFence"), r);
  }

  @Test
  void spec_to_impl_catches_an_add_that_ignores_the_usage() {
    String r = specToImplFinds(broken(InjectedBug.RESV_ADD_IGNORES_USAGE));
    assertTrue(r.contains("AddFence"), r);
  }

  @Test
  void impl_to_spec_catches_a_replacement_that_moves_to_the_end() {
    String r = implToSpecFinds(broken(InjectedBug.RESV_ADD_REPLACE_MOVES_TO_END));
    assertTrue(r.contains("AddFence"), r);
  }

  @Test
  void spec_to_impl_catches_a_replacement_that_moves_to_the_end() {
    String r = specToImplFinds(broken(InjectedBug.RESV_ADD_REPLACE_MOVES_TO_END));
    assertTrue(r.contains("AddFence"), r);
  }

  @Test
  void impl_to_spec_catches_a_reader_that_does_not_restart() {
    String r = implToSpecFinds(broken(InjectedBug.RESV_READER_NO_RESTART));
    assertTrue(r.contains("IterNextUnlocked"), r);
  }

  @Test
  void spec_to_impl_catches_a_reader_that_does_not_restart() {
    String r = specToImplFinds(broken(InjectedBug.RESV_READER_NO_RESTART));
    assertTrue(r.contains("IterNextUnlocked"), r);
  }

  /**
   * A walk that treats a fence whose dma_fence_get_rcu failed as signaled. Found by the racing
   * programs (a writer replaces the loaded entry and puts the fence's last reference); the spec
   * walks replay each call atomically, so no get fails there and only this direction applies.
   */
  @Test
  void impl_to_spec_catches_a_reader_that_skips_a_dead_fence() {
    ResvTraceGenerator gen = new ResvTraceGenerator(broken(InjectedBug.RESV_READER_SKIPS_DEAD_FENCE));
    String r = NegativeControls.implToSpecFinds("resv ", CHECKER, PROGRAMS,
        ResvTraceGenerator::randomRacingProgram, gen::run);
    assertTrue(r.contains("IterNextUnlocked"), r);
  }

  @Test
  void impl_to_spec_catches_test_signaled_ignoring_kernel_fences() {
    String r = implToSpecFinds(broken(InjectedBug.RESV_TEST_SIGNALED_IGNORES_KERNEL));
    // every unlocked walk shares the filter: whichever reader ran first shows it
    assertTrue(r.matches("(?s).*=> (TestSignaled|IterFirstUnlocked|IterNextUnlocked|GetFences|GetSingleton|ResvWaitTimeout|CopyFences)\\(.*"), r);
  }

  @Test
  void spec_to_impl_catches_test_signaled_ignoring_kernel_fences() {
    specToImplFinds(broken(InjectedBug.RESV_TEST_SIGNALED_IGNORES_KERNEL));
  }
}
