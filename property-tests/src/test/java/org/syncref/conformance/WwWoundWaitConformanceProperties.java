package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.FenceTraceGenerator.Cmd;

/**
 * ww_mutex conformance, both directions, for the WoundWait class (spec/WwMutex,
 * MCWwMutexConformanceWW.cfg; surefire execution ww-wound-wait-conformance). Impl to spec: jqwik
 * generates client programs for three threads (WwTraceGenerator), the Java ww_mutex runs them
 * with every woken sleeper run at once (WwWorld), and TLC's evaluator checks the trace, that no
 * parked thread could proceed at a settled state (no lost wake-up), and that the kernel did not
 * WARN. Spec to impl: walks through TLC's successors, replayed on Java (WwSpecWalker).
 */
class WwWoundWaitConformanceProperties {
  static final WwChecks IMPL = new WwChecks(false);
  static final WwChecks SPEC = new WwChecks(false);
  static final WwTraceGenerator GENERATOR = new WwTraceGenerator(IMPL.worlds());
  static final WwSpecWalker WALKER = new WwSpecWalker(SPEC.checker.evaluator(), SPEC.worlds());

  @Provide
  static Arbitrary<List<Cmd>> programs() {
    return WwTraceGenerator.programs();
  }

  @Provide
  static Arbitrary<List<Integer>> choices() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE - 1).list().ofMinSize(40).ofMaxSize(120);
  }

  @Property(tries = 1000)
  void javaWwTracesAreBehavioursOfTheSpec(@ForAll("programs") List<Cmd> program) {
    String failure = IMPL.implToSpec(GENERATOR, program);
    if (failure != null) {
      fail(failure);
    }
  }

  @Property(tries = 1000)
  void javaWwFollowsEveryWalkOfTheSpec(@ForAll("choices") List<Integer> choices) {
    String failure = SPEC.specToImpl(WALKER, choices);
    if (failure != null) {
      fail(failure);
    }
  }

  @AfterContainer
  static void summary() {
    System.out.println(IMPL.summary("impl -> spec"));
    System.out.println(SPEC.summary("spec -> impl"));
  }
}
