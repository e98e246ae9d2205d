package org.syncref.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The jqwik programs the conformance properties feed to the trace generators: lists of each
 * generator's {@code Cmd}, whose command ({@code Kind}) is drawn with the generator's {@link
 * Weights} and whose choices are integers 0..1000. Kept with the tests so that the product
 * modules (the harness, the benchmarks, the syncref command) do not need jqwik; each generator's
 * {@code randomProgram} draws programs of the same distribution without it.
 */
public final class Programs {
  private Programs() {}

  /** A command drawn with {@code weights} (jqwik shrinks towards the first declared command). */
  static <K extends Enum<K>> Arbitrary<K> kinds(Weights<K> weights) {
    List<net.jqwik.api.Tuple.Tuple2<Integer, K>> f = new ArrayList<>();
    for (Map.Entry<K, Integer> e : weights.nonZero().entrySet()) {
      f.add(Tuple.of(e.getValue(), e.getKey()));
    }
    @SuppressWarnings("unchecked")
    net.jqwik.api.Tuple.Tuple2<Integer, K>[] a = f.toArray(new net.jqwik.api.Tuple.Tuple2[0]);
    return Arbitraries.frequency(a);
  }

  private static Arbitrary<Integer> small() {
    return Arbitraries.integers().between(0, 1000);
  }

  /**
   * DmaFence: programs of 10 to 60 commands; engine creation and job submission are weighted up so
   * that most programs get past the set-up (a command whose precondition fails is skipped).
   */
  public static Arbitrary<List<FenceTraceGenerator.Cmd>> fence() {
    return Combinators.combine(kinds(FenceTraceGenerator.WEIGHTS), small(), small(), small())
        .as(FenceTraceGenerator.Cmd::new).list().ofMinSize(10).ofMaxSize(60);
  }

  /** DmaResv: programs of 10 to 70 commands; set-up commands (contexts, fences, lock) weighted up. */
  public static Arbitrary<List<ResvTraceGenerator.Cmd>> resv() {
    return Combinators.combine(kinds(ResvTraceGenerator.WEIGHTS), small(), small(), small())
        .as(ResvTraceGenerator.Cmd::new).list().ofMinSize(10).ofMaxSize(70);
  }

  /**
   * DmaResv: programs of 20 to 60 commands, two thirds of them RACING_GET_RCU: an unlocked reader
   * raced by a writer at its dma_fence_get_rcu, and the calls that lead there.
   */
  public static Arbitrary<List<ResvTraceGenerator.Cmd>> resvRacing() {
    return Combinators.combine(kinds(ResvTraceGenerator.RACING_WEIGHTS), small(), small(), small())
        .as(ResvTraceGenerator.Cmd::new).list().ofMinSize(20).ofMaxSize(60);
  }

  /** drm_exec: programs of 30 to 160 commands. */
  public static Arbitrary<List<DrmExecTraceGenerator.Cmd>> drmExec() {
    return Combinators.combine(kinds(DrmExecTraceGenerator.WEIGHTS), small(), small(), small())
        .as(DrmExecTraceGenerator.Cmd::new).list().ofMinSize(30).ofMaxSize(160);
  }

  /** ww_mutex: programs of 20 to 120 commands. */
  public static Arbitrary<List<WwTraceGenerator.Cmd>> ww() {
    return Combinators.combine(kinds(WwTraceGenerator.WEIGHTS), small(), small(), small())
        .as(WwTraceGenerator.Cmd::new).list().ofMinSize(20).ofMaxSize(120);
  }
}
