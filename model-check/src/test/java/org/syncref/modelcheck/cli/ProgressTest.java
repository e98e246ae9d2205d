package org.syncref.modelcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Progress for people: plain lines off a terminal, one redrawn and cleared line on it. */
class ProgressTest {
  @Test
  void offATerminalOnlyReportsChangesAndFinalLinesArePrinted() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false)) {
      p.start("MCDmaFence");
      p.status("warmup 1/3");                 // terminal only
      p.report("1,000 distinct states, depth 4");
      p.report("1,000 distinct states, depth 4"); // unchanged: not repeated
      p.println("    a warning");
      p.finish("  [ 1/2] done");
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(3, out.lines().count(), out);
    assertTrue(out.startsWith("  MCDmaFence: 1,000 distinct states, depth 4, 0:00 elapsed\n"), out);
    assertTrue(out.endsWith("    a warning\n  [ 1/2] done\n"), out);
    assertTrue(!out.contains("\r") && !out.contains("\033"), out);
  }

  @Test
  void onATerminalTheLineIsRedrawnAndCleared() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), true)) {
      p.start("bench");
      p.status("measurement 2/5");
      p.finish("  [ 1/1] bench  12 ops/s");
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("\r\033[Kbench: starting, 0:00 elapsed"), out);
    assertTrue(out.contains("\r\033[Kbench: measurement 2/5, 0:00 elapsed"), out);
    assertTrue(out.endsWith("\r\033[K  [ 1/1] bench  12 ops/s\n"), out);
  }
}
