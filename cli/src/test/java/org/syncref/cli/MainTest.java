package org.syncref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The syncref command line: its subcommands, and model-check end to end on model-check's Counter specs. */
class MainTest {
  private static final Path SPECS =
      Path.of(System.getProperty("syncref.root", ".."), "model-check/src/test/resources/specs").toAbsolutePath();

  @Test
  void helpListsTheSubcommandsOfEveryModule() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of("help"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String sub : List.of("model-check", "check", "kernel-check", "bench")) {
      assertTrue(help.contains("\n  " + sub + " "), "syncref help lists " + sub + ":\n" + help);
    }
    assertEquals(List.of("bench", "check", "kernel-check", "model-check"),
        List.copyOf(Main.subcommands(System.out, System.err).keySet()));
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
