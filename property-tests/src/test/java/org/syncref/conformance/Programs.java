package org.syncref.conformance;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.syncref.conformance.FenceTraceGenerator.Cmd;

/**
 * The jqwik programs the conformance properties feed to the trace generators: lists of {@link Cmd}
 * with each generator's distribution of command kinds. Kept with the tests so that the product
 * modules (the harness, the benchmarks, the syncref command) do not need jqwik; each generator's
 * {@code randomProgram} draws programs of about the same distribution without it.
 */
public final class Programs {
  private Programs() {}

  /**
   * DmaFence: programs of 10 to 60 commands; engine creation and job submission are weighted up so
   * that most programs get past the set-up (a command whose precondition fails is skipped).
   */
  public static Arbitrary<List<Cmd>> fence() {
    final int KINDS = FenceTraceGenerator.KINDS;
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 1000);
    Arbitrary<Integer> kind =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(0)),
            Tuple.of(6, Arbitraries.just(1)),
            Tuple.of(KINDS - 2, Arbitraries.integers().between(2, KINDS - 1)));
    return Combinators.combine(kind, small, small, small).as(Cmd::new).list().ofMinSize(10).ofMaxSize(60);
  }

  /** DmaResv: programs of 10 to 70 commands; set-up commands (contexts, fences, lock) weighted up. */
  public static Arbitrary<List<Cmd>> resv() {
    final int KINDS = ResvTraceGenerator.KINDS;
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 1000);
    Arbitrary<Integer> kind =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(0)),
            Tuple.of(5, Arbitraries.just(1)),
            Tuple.of(4, Arbitraries.just(2)),
            Tuple.of(4, Arbitraries.just(3)),
            Tuple.of(5, Arbitraries.just(5)),
            Tuple.of(10, Arbitraries.just(6)),
            Tuple.of(8, Arbitraries.just(10)),
            Tuple.of(3, Arbitraries.just(12)),
            Tuple.of(3, Arbitraries.just(18)),
            Tuple.of(4, Arbitraries.just(19)),
            Tuple.of(KINDS, Arbitraries.integers().between(0, KINDS - 1)));
    return Combinators.combine(kind, small, small, small).as(Cmd::new).list().ofMinSize(10).ofMaxSize(70);
  }

  /**
   * DmaResv: programs of 20 to 60 commands, two thirds of them kind 19: an unlocked reader raced by
   * a writer at its dma_fence_get_rcu, and the calls that lead there.
   */
  public static Arbitrary<List<Cmd>> resvRacing() {
    final int KINDS = ResvTraceGenerator.KINDS;
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 1000);
    Arbitrary<Integer> kind =
        Arbitraries.frequencyOf(
            Tuple.of(2 * KINDS, Arbitraries.just(19)),
            Tuple.of(KINDS, Arbitraries.integers().between(0, KINDS - 1)));
    return Combinators.combine(kind, small, small, small).as(Cmd::new).list().ofMinSize(20).ofMaxSize(60);
  }

  /** drm_exec: programs of 30 to 160 commands, all kinds alike. */
  public static Arbitrary<List<Cmd>> drmExec() {
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 1000);
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, DrmExecTraceGenerator.KINDS - 1);
    return Combinators.combine(kind, small, small, small).as(Cmd::new).list().ofMinSize(30).ofMaxSize(160);
  }

  /** ww_mutex: programs of 20 to 120 commands, all kinds alike. */
  public static Arbitrary<List<Cmd>> ww() {
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 1000);
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, WwTraceGenerator.KINDS - 1);
    return Combinators.combine(kind, small, small, small).as(Cmd::new).list().ofMinSize(20).ofMaxSize(120);
  }
}
