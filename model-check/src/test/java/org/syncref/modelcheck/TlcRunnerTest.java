package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.modelcheck.cli.Main;

/** The runner and the CLI end to end on the tiny Counter specs of src/test/resources/specs. */
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

  @Test
  void cliRecordsAndReportsBadInput(@TempDir Path tmp) throws Exception {
    Path m = tmp.resolve("models.txt");
    Files.writeString(m, Files.readString(SPECS.resolve("models-test.txt")).replace("45      7", "-       -"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of("model-check", "--record", "--manifest", m.toString(), "--spec-root", SPECS.toString(),
        "counter", "counter_small_bug"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
    assertTrue(Files.readString(m).contains(
        "counter                 Counter  MCCounter  MCCounter.cfg                 ci    success           45      7\n"));

    Files.writeString(m, "a Counter MCCounter MCCounter.cfg sometimes success 1 1\n");
    err.reset();
    code = Main.run(List.of("model-check", "--manifest", m.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertEquals(m + ":1: mode ci, deep or conformance expected, found 'sometimes'\n", err.toString(StandardCharsets.UTF_8));
  }
}
