package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * The fence world reads its constants from the loaded conformance model (MCDmaFenceConformance.cfg,
 * {@link ModelConstants}); what stays in Java must agree with the model: the kernel's u32 seqnos
 * ({@code FenceWorld.SEQNO}) are the model's FenceSeqno modulo SeqnoMod, and each engine's fences
 * share a context and follow its seqno counter.
 */
class FenceModelConstantsExamples {
  static final TlcEvaluator EV = Conformance.evaluator();

  /** The fences whose Java seqno is not the model's FenceSeqno modulo SeqnoMod, as "f: java vs model". */
  static List<String> seqnoMismatches(long[] seqnos) {
    int mod = ModelConstants.integer(EV, "SeqnoMod");
    List<String> out = new ArrayList<>();
    for (int f = 0; f < FenceWorld.FENCES.size(); f++) {
      String name = FenceWorld.FENCES.get(f);
      int model = ModelConstants.intAt(EV, "FenceSeqno", name);
      if (seqnos[f] % mod != model) {
        out.add(name + ": " + seqnos[f] + " vs " + model);
      }
    }
    return out;
  }

  @Test
  void the_java_seqnos_are_the_models_modulo_seqno_mod() {
    assertEquals(List.of(), seqnoMismatches(FenceWorld.SEQNO));
  }

  /** Negative control: a seqno off by one is named. */
  @Test
  void a_java_seqno_that_differs_from_the_model_is_named() {
    long[] wrong = FenceWorld.SEQNO.clone();
    wrong[2]++;
    List<String> m = seqnoMismatches(wrong);
    assertEquals(1, m.size(), m.toString());
    assertTrue(m.get(0).startsWith(FenceWorld.FENCES.get(2) + ": "), m.toString());
  }

  @Test
  void each_engine_issues_fences_of_one_context_from_its_counter() {
    for (int e = 0; e < FenceWorld.ENGINE_FENCES.length; e++) {
      int[] fs = FenceWorld.ENGINE_FENCES[e];
      assertEquals(FenceWorld.ENGINE_FIRST_SEQNO[e], FenceWorld.SEQNO[fs[0]], "engine " + e);
      for (int i = 0; i < fs.length; i++) {
        assertEquals(FenceWorld.CTX[fs[0]], FenceWorld.CTX[fs[i]], "engine " + e + " fence " + i);
        assertEquals(i, FenceWorld.ORDER[fs[i]], "engine " + e + " fence " + i);
        assertEquals((FenceWorld.ENGINE_FIRST_SEQNO[e] + i) & 0xffffffffL, FenceWorld.SEQNO[fs[i]]);
      }
    }
    for (int[] fs : FenceWorld.ENGINE_FENCES) {
      assertTrue(FenceWorld.CTX[FenceWorld.SOFT_FENCE] != FenceWorld.CTX[fs[0]], "the software fence has its own context");
    }
  }

  @Test
  void the_world_reads_the_models_constants() {
    assertEquals(ModelConstants.names(EV, "Fences"), FenceWorld.FENCES);
    assertEquals(ModelConstants.integer(EV, "MaxRefs"), FenceWorld.MAX_REFS);
    assertEquals(FenceWorld.FENCES.size(), FenceWorld.CTX.length);
    assertTrue(FenceWorld.ERROR_ARGS[0] < 0 && FenceWorld.ERROR_ARGS[1] < 0 && FenceWorld.ERROR_ARGS[2] < 0,
        "an engine reset sets one of the first three ErrorArgs: they must be errnos");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EV.constant("NoSuchConstant"));
    assertTrue(e.getMessage().contains("NoSuchConstant"), e.getMessage());
  }
}
