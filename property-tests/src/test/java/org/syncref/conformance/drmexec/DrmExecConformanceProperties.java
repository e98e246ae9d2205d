package org.syncref.conformance.drmexec;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.syncref.conformance.DrmExecChecks;
import org.syncref.conformance.DrmExecSpecWalker;
import org.syncref.conformance.DrmExecTraceGenerator;
import org.syncref.conformance.DrmExecWorld;
import org.syncref.conformance.DrmExecTraceGenerator.Cmd;
import org.syncref.conformance.Programs;

/**
 * drm_exec conformance, both directions (spec/DrmExec/MCDrmExecConformance.cfg; surefire
 * execution drm-exec-conformance). Impl to spec: jqwik generates programs of two or three of
 * the five drm_exec and i915 clients (DrmExecTraceGenerator), the Java DrmExec and I915GemWwCtx
 * run them step by step, a sleeping client when the schedule says (DrmExecWorld), and TLC's
 * evaluator checks the trace, that no sleeping client was owed a wake-up, and that the kernel
 * did not WARN. Spec to impl: walks through TLC's successors, replayed on Java
 * (DrmExecSpecWalker).
 */
class DrmExecConformanceProperties {
  static final DrmExecChecks IMPL = new DrmExecChecks();
  static final DrmExecChecks SPEC = new DrmExecChecks();
  static final DrmExecTraceGenerator GENERATOR = new DrmExecTraceGenerator(IMPL.worlds());
  static final DrmExecSpecWalker WALKER = new DrmExecSpecWalker(SPEC.checker.evaluator(), SPEC.worlds());

  @Provide
  static Arbitrary<List<Cmd>> programs() {
    return Programs.drmExec();
  }

  @Provide
  static Arbitrary<List<Integer>> choices() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE - 1).list().ofMinSize(40).ofMaxSize(150);
  }

  @Property(tries = 60)
  void javaDrmExecTracesAreBehavioursOfTheSpec(@ForAll("programs") List<Cmd> program) {
    String failure = IMPL.implToSpec(GENERATOR, program);
    if (failure != null) {
      fail(failure);
    }
  }

  @Property(tries = 60)
  void javaDrmExecFollowsEveryWalkOfTheSpec(@ForAll("choices") List<Integer> choices) {
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
