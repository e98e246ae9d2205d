package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The search of the dma_fence and dma_resv negative controls (NegativeControlExamples,
 * ResvNegativeControlExamples): run generated programs, or spec walks, against a broken Java
 * implementation until one fails, shrink it and return its report; fail the test if none does.
 */
public final class NegativeControls {
  private NegativeControls() {}

  /**
   * Impl to spec: seeded random programs ({@code randomProgram}), each run by {@code run} and its
   * trace checked by {@code checker}.
   */
  public static <C> String implToSpecFinds(String label, TraceChecker checker, int programs,
      Function<Random, List<C>> randomProgram, Function<List<C>, Trace> run) {
    Random random = new Random(42);
    Shrinker.Found<C> f = Shrinker.firstFailure(programs, () -> randomProgram.apply(random), p -> {
      Trace t = run.apply(p);
      TraceChecker.Verdict v = checker.check(t);
      return v.ok() ? null : checker.render(t, v.failedStep()) + "  => " + v.reason();
    });
    if (f == null) {
      return fail("no generated program caught the broken implementation in " + programs + " tries");
    }
    String report = "program " + f.input() + " fails:\n" + f.report();
    System.out.println("negative control caught (" + label + "impl -> spec, after " + f.tries() + " programs):\n"
        + report);
    return report;
  }

  /** Spec to impl: seeded random walks of {@code length} choices through {@code walker}. */
  public static String specToImplFinds(String label, TraceChecker checker, int walks, int length, SpecWalker walker) {
    Random random = new Random(7);
    Shrinker.Found<Integer> f = Shrinker.firstFailure(walks,
        () -> random.ints(length, 0, Integer.MAX_VALUE).boxed().collect(Collectors.toList()), q -> {
          SpecWalker.Walk w = walker.walk(q);
          return w.ok() ? null : checker.render(w.trace(), w.failedStep()) + "  => " + w.reason();
        });
    if (f == null) {
      return fail("no walk of the spec caught the broken implementation in " + walks + " walks");
    }
    String report = "walk fails:\n" + f.report();
    System.out.println("negative control caught (" + label + "spec -> impl, after " + f.tries() + " walks):\n"
        + report);
    return report;
  }
}
