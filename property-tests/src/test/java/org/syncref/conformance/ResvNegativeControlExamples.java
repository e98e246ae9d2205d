package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.FenceTraceGenerator.Cmd;
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
    Random random = new Random(42);
    Shrinker.Found<Cmd> f = Shrinker.firstFailure(PROGRAMS, () -> ResvTraceGenerator.randomProgram(random), p -> {
      Trace t = gen.run(p);
      TraceChecker.Verdict v = CHECKER.check(t);
      return v.ok() ? null : CHECKER.render(t, v.failedStep()) + "  => " + v.reason();
    });
    if (f == null) {
      return fail("no generated program caught the broken implementation in " + PROGRAMS + " tries");
    }
    String report = "program " + f.input() + " fails:\n" + f.report();
    System.out.println("negative control caught (resv impl -> spec, after " + f.tries() + " programs):\n" + report);
    return report;
  }

  static String specToImplFinds(Supplier<ResvWorld> worlds) {
    SpecWalker walker = new SpecWalker(ResvConformance.evaluator(), worlds);
    Random random = new Random(7);
    Shrinker.Found<Integer> f = Shrinker.firstFailure(WALKS,
        () -> random.ints(50, 0, Integer.MAX_VALUE).boxed().collect(Collectors.toList()), q -> {
          SpecWalker.Walk w = walker.walk(q);
          return w.ok() ? null : CHECKER.render(w.trace(), w.failedStep()) + "  => " + w.reason();
        });
    if (f == null) {
      return fail("no walk of the spec caught the broken implementation in " + WALKS + " walks");
    }
    String report = "walk fails:\n" + f.report();
    System.out.println("negative control caught (resv spec -> impl, after " + f.tries() + " walks):\n" + report);
    return report;
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
  void impl_to_spec_catches_a_reader_that_does_not_restart() {
    String r = implToSpecFinds(broken(InjectedBug.RESV_READER_NO_RESTART));
    assertTrue(r.contains("IterNextUnlocked"), r);
  }

  @Test
  void spec_to_impl_catches_a_reader_that_does_not_restart() {
    String r = specToImplFinds(broken(InjectedBug.RESV_READER_NO_RESTART));
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
