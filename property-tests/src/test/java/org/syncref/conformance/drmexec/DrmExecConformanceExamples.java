package org.syncref.conformance.drmexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.DrmExecChecks;
import org.syncref.conformance.DrmExecSpecWalker;
import org.syncref.conformance.DrmExecTraceGenerator;
import org.syncref.conformance.DrmExecTraceGenerator.Cmd;
import org.syncref.conformance.DrmExecTraceGenerator.Kind;
import org.syncref.conformance.Weights;
import org.syncref.modelcheck.Checkout;

/**
 * The drm_exec conformance on fixed seeds: seeded programs and walks agree with the spec, and
 * each of them takes every action of the model's ConfNext (as TLC's evaluator splits it, so a new
 * action without a generator command fails by name) at least {@link #FLOOR} times (so no action
 * is left unchecked by a change of the generator or of the world), and each of WwCalls' sleeper
 * steps that a Wake may be (WaitAcquire, WaitSteal, WaitHandoff, WaitDie) at least {@link
 * #WAKE_FLOOR} times: a sleeper that finds its released lock stolen (WaitHandoff) or steals one
 * (WaitSteal) is reached only because sleepers run when the schedule says, not at once; a woken
 * Wait-Die sleeper that must die needs three clients in the right stamp order and stays rare.
 */
class DrmExecConformanceExamples {
  static final int PROGRAMS = 120;
  static final int WALKS = 80;
  static final int FLOOR = 5;
  static final int WAKE_FLOOR = 2;

  @Test
  void seeded_programs_and_walks_conform_and_take_every_action() {
    DrmExecChecks impl = new DrmExecChecks();
    DrmExecChecks spec = new DrmExecChecks();
    DrmExecTraceGenerator gen = new DrmExecTraceGenerator(impl.worlds());
    DrmExecSpecWalker walker = new DrmExecSpecWalker(spec.checker.evaluator(), spec.worlds());
    Random random = new Random(2024);
    for (int i = 0; i < PROGRAMS; i++) {
      List<Cmd> p = DrmExecTraceGenerator.randomProgram(random);
      assertNull(impl.implToSpec(gen, p), "program " + p);
    }
    for (int i = 0; i < WALKS; i++) {
      List<Integer> q = random.ints(150, 0, Integer.MAX_VALUE).boxed().collect(Collectors.toList());
      assertNull(spec.specToImpl(walker, q), "walk " + q);
    }
    System.out.println(impl.summary("impl -> spec (seeded)"));
    System.out.println(spec.summary("spec -> impl (seeded)"));
    Map<String, Integer> lowImpl = impl.below(FLOOR, DrmExecTraceGenerator.NOT_GENERATED);
    Map<String, Integer> lowSpec = spec.below(FLOOR, Map.of());
    assertTrue(lowImpl.isEmpty(), "impl -> spec takes these actions fewer than " + FLOOR + " times: " + lowImpl);
    assertTrue(lowSpec.isEmpty(), "spec -> impl takes these actions fewer than " + FLOOR + " times: " + lowSpec);
    Map<String, Integer> wakeImpl = impl.wakeStepsBelow(WAKE_FLOOR);
    Map<String, Integer> wakeSpec = spec.wakeStepsBelow(WAKE_FLOOR);
    assertTrue(wakeImpl.isEmpty(),
        "impl -> spec takes these sleeper steps fewer than " + WAKE_FLOOR + " times: " + wakeImpl);
    assertTrue(wakeSpec.isEmpty(),
        "spec -> impl takes these sleeper steps fewer than " + WAKE_FLOOR + " times: " + wakeSpec);
  }

  /**
   * Negative control of the sleeper-step floors: the earlier schedule, which ran every woken
   * sleeper at once after each command and never resumed one late, conforms but does not reach
   * WaitSteal nor WaitHandoff often enough; the floors catch it.
   */
  @Test
  void the_floors_catch_a_schedule_that_runs_woken_sleepers_at_once() {
    DrmExecChecks impl = new DrmExecChecks();
    DrmExecTraceGenerator gen = new DrmExecTraceGenerator(impl.worlds(), true);
    Random random = new Random(2024);
    for (int i = 0; i < PROGRAMS; i++) {
      List<Cmd> p = DrmExecTraceGenerator.randomProgram(random);
      assertNull(impl.implToSpec(gen, p), "program " + p);
    }
    Map<String, Integer> low = impl.wakeStepsBelow(WAKE_FLOOR);
    System.out.println(impl.summary("impl -> spec (seeded, woken sleepers run at once)") + "; below: " + low);
    assertTrue(low.containsKey("Wake/WaitSteal") && low.containsKey("Wake/WaitHandoff"), "not caught: " + low);
  }

  /**
   * Negative control of the Next coverage: programs without the sleeper commands
   * (RUN_WOKEN_SLEEPER, RUN_ANY_SLEEPER weight 0) never make a Wake step, and the floor check,
   * whose actions come from ConfNext, names it.
   */
  @Test
  void an_action_no_command_makes_is_named() {
    DrmExecChecks impl = new DrmExecChecks();
    DrmExecTraceGenerator gen = new DrmExecTraceGenerator(impl.worlds());
    Weights<Kind> weights = DrmExecTraceGenerator.WEIGHTS.without(Kind.RUN_WOKEN_SLEEPER)
        .without(Kind.RUN_ANY_SLEEPER);
    Random random = new Random(2024);
    for (int i = 0; i < PROGRAMS; i++) {
      impl.implToSpec(gen, DrmExecTraceGenerator.randomProgram(random, 160, weights));
    }
    Map<String, Integer> low = impl.below(FLOOR, DrmExecTraceGenerator.NOT_GENERATED);
    System.out.println(impl.summary("impl -> spec (seeded, no sleeper commands)") + "; below: " + low);
    assertEquals(Map.of("Wake", 0), low);
  }

  @Test
  void the_manifest_lists_the_conformance_model() throws java.io.IOException {
    String manifest = java.nio.file.Files.readString(Checkout.require().resolve("spec/models.txt"));
    String dir = java.nio.file.Path.of(DrmExecChecks.SPEC_DIR).getFileName().toString();
    assertTrue(manifest.lines().anyMatch(l -> l.matches("\\w+\\s+" + dir + "\\s+" + DrmExecChecks.MODULE + "\\s+"
        + DrmExecChecks.CONFIG + "\\.cfg\\s+conformance\\s.*")), "no conformance row for " + DrmExecChecks.CONFIG);
  }
}
