package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner end to end on the tiny Counter specs of src/test/resources/specs (the command line
 * on them: MainTest of module cli).
 */
class TlcRunnerTest {
  private static final Path SPECS = Path.of("src/test/resources/specs").toAbsolutePath();
  private static Manifest manifest;
  private static TlcRunner runner;

  @BeforeAll
  static void load() throws Exception {
    manifest = Manifest.load(SPECS.resolve("models-test.txt"));
    runner = new TlcRunner(SPECS, Path.of("target/tlc-test"), "1", true, "./syncref model-check --record");
  }

  private static ModelEntry entry(String name) {
    return manifest.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void passingModelCountsAreCompared() throws Exception {
    ModelResult r = runner.run(entry("counter"), TlcRunner.Listener.NONE);
    assertEquals("success", r.report().outcomeText());
    assertEquals(45L, r.report().distinct());
    assertEquals(7, r.report().depth());
    assertTrue(r.ok(), r.problems().toString());
    ModelEntry wrong = new ModelEntry("counter_wrong", "Counter", "MCCounter", "MCCounter.cfg", Mode.CI,
        new Expected.Success(), 40L, 7, 1);
    ModelResult w = runner.run(wrong, TlcRunner.Listener.NONE);
    assertEquals(List.of("states 40 recorded, 45 found: re-record with ./syncref model-check --record counter_wrong"
        + " if the spec change is deliberate"), w.problems());
  }

  @Test
  void invariantCounterexampleWithParameters() throws Exception {
    ModelResult r = runner.run(entry("counter_small_bug"), TlcRunner.Listener.NONE);
    assertTrue(r.ok(), r.problems().toString());
    assertEquals(3, r.report().trace().size());
    assertEquals("""
          1. Initial predicate
               by = (p1 :> 0 @@ p2 :> 0)
               x = 0
          2. Inc(p = p1, k = 1)
               by[p1]: 0 -> 1
               x: 0 -> 1
          3. Inc(p = p1, k = 2)
               by[p1]: 1 -> 3
               x: 1 -> 3
        """, CounterexamplePrinter.format(r.report().trace(), r.labels(), false, "  "));
  }

  @Test
  void actionPropertyAndDeadlock() throws Exception {
    ModelResult p = runner.run(entry("counter_mono_bug"), TlcRunner.Listener.NONE);
    assertTrue(p.ok(), p.problems().toString());
    assertEquals("Dec(p = p1)", p.labels().get(2));
    ModelResult d = runner.run(entry("counter_deadlock_bug"), TlcRunner.Listener.NONE);
    assertTrue(d.ok(), d.problems().toString());
    assertEquals("deadlock", d.report().outcomeText());
  }

  @Test
  void configErrorIsReported() throws Exception {
    ModelResult r = runner.run(entry("counter_error"), TlcRunner.Listener.NONE);
    assertFalse(r.ok());
    assertEquals("error", r.report().outcomeText());
    assertTrue(r.problems().get(0).startsWith("expected success, TLC reported an error: The invariant NoSuchInvariant"),
        r.problems().toString());
  }
}
