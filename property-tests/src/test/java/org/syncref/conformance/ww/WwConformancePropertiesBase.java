package org.syncref.conformance.ww;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.syncref.conformance.WwTraceGenerator.Cmd;
import org.syncref.conformance.Programs;
import org.syncref.conformance.WwChecks;
import org.syncref.conformance.WwSpecWalker;
import org.syncref.conformance.WwTraceGenerator;
import org.syncref.conformance.WwWorld;

/**
 * ww_mutex conformance, both directions, for one algorithm (subclasses: one per algorithm, each
 * in its own surefire execution, since TLC holds one spec per JVM). Impl to spec: jqwik
 * generates client programs for three threads (WwTraceGenerator), the Java ww_mutex runs them,
 * its sleepers running when the program's schedule says (WwWorld), and TLC's evaluator checks the
 * trace, that every parked thread the spec lets acquire or die has been woken (no lost
 * wake-up), and that the kernel did not WARN. Spec to impl: walks through TLC's successors, replayed on Java (WwSpecWalker).
 */
public abstract class WwConformancePropertiesBase {
  /** One algorithm's checkers, generator and walker, shared by every try. */
  public static final class Shared {
    final WwChecks impl;
    final WwChecks spec;
    final WwTraceGenerator generator;
    final WwSpecWalker walker;

    public Shared(boolean waitDie) {
      this(waitDie, org.syncref.kernel.Kernel.Build.DEBUG_LOCK_ALLOC);
    }

    /** For a kernel of {@code build}: the spec's Build and the Java worlds' build. */
    public Shared(boolean waitDie, org.syncref.kernel.Kernel.Build build) {
      impl = new WwChecks(waitDie, build);
      spec = new WwChecks(waitDie, build);
      generator = new WwTraceGenerator(impl.worlds());
      walker = new WwSpecWalker(spec.checker.evaluator(), spec.worlds());
    }

    public void printSummary() {
      System.out.println(impl.summary("impl -> spec"));
      System.out.println(spec.summary("spec -> impl"));
    }
  }

  private final Shared shared;

  protected WwConformancePropertiesBase(Shared shared) {
    this.shared = shared;
  }

  @Provide
  public static Arbitrary<List<Cmd>> programs() {
    return Programs.ww();
  }

  @Provide
  public static Arbitrary<List<Integer>> choices() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE - 1).list().ofMinSize(40).ofMaxSize(120);
  }

  // 700 each: six executions (three builds x two algorithms) in the time of the former four
  @Property(tries = 700)
  public void javaWwTracesAreBehavioursOfTheSpec(@ForAll("programs") List<Cmd> program) {
    String failure = shared.impl.implToSpec(shared.generator, program);
    if (failure != null) {
      fail(failure);
    }
  }

  @Property(tries = 700)
  public void javaWwFollowsEveryWalkOfTheSpec(@ForAll("choices") List<Integer> choices) {
    String failure = shared.spec.specToImpl(shared.walker, choices);
    if (failure != null) {
      fail(failure);
    }
  }
}
