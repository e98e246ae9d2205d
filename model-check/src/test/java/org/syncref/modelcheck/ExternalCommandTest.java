package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ExternalCommand on real {@code sh -c} processes. */
class ExternalCommandTest {
  private static ExternalCommand sh(String script) {
    return ExternalCommand.of("sh", "-c", script);
  }

  @Test
  void captures_stdout_and_the_exit_code() throws Exception {
    ExternalCommand.Result r = sh("echo one; echo two; exit 3").run();
    assertEquals("one\ntwo\n", r.output());
    assertEquals(List.of("one", "two"), r.lines());
    assertEquals(3, r.exit());
    assertFalse(r.timedOut());
    assertFalse(r.ok());
    assertTrue(sh("true").run().ok());
  }

  @Test
  void stderr_is_discarded_merged_or_written_to_a_file(@TempDir Path tmp) throws Exception {
    String script = "echo out; echo err >&2";
    assertEquals("out\n", sh(script).run().output());
    assertEquals("out\nerr\n", sh("echo out; sleep 0.1; echo err >&2").mergeStderr().run().output());
    Path log = tmp.resolve("stderr.txt");
    assertEquals("out\n", sh(script).stderrTo(log).run().output());
    assertEquals("err\n", Files.readString(log));
  }

  @Test
  void a_program_writing_much_to_stderr_does_not_block() throws Exception {
    // 1 MB on stderr fills any pipe buffer: an undrained stderr pipe would hang the run
    ExternalCommand.Result r = sh("head -c 1000000 /dev/zero >&2; echo done")
        .timeout(Duration.ofSeconds(60)).run();
    assertEquals("done\n", r.output());
    assertFalse(r.timedOut());
  }

  @Test
  void streams_lines_while_the_program_runs() throws Exception {
    List<String> seen = new ArrayList<>();
    List<Long> when = new ArrayList<>();
    long t0 = System.nanoTime();
    ExternalCommand.Result r = sh("echo first; sleep 1; echo second").run(line -> {
      seen.add(line);
      when.add(System.nanoTime() - t0);
    });
    assertEquals(List.of("first", "second"), seen);
    assertEquals("", r.output());
    assertEquals(0, r.exit());
    // the first line arrives before the program ends, not when it ends
    assertTrue(when.get(1) - when.get(0) > 500_000_000L, "lines " + when);
  }

  @Test
  void working_folder_and_environment(@TempDir Path tmp) throws Exception {
    ExternalCommand.Result r = sh("pwd; echo \"$SYNCREF_TEST_VAR\"").in(tmp).env("SYNCREF_TEST_VAR", "v 1").run();
    assertEquals(List.of(tmp.toRealPath().toString(), "v 1"), r.lines());
  }

  @Test
  void a_timeout_kills_the_program_and_what_it_started() throws Exception {
    long t0 = System.nanoTime();
    // the sleep is a child of sh that holds the pipe: it must be killed too for the run to end
    ExternalCommand.Result r = sh("echo started; sleep 30; echo never").timeout(Duration.ofMillis(500)).run();
    double secs = (System.nanoTime() - t0) / 1e9;
    assertTrue(r.timedOut());
    assertFalse(r.ok());
    assertEquals("started\n", r.output());
    assertTrue(secs < 10, "took " + secs + " s");
  }

  @Test
  void a_program_within_its_timeout_is_not_killed() throws Exception {
    ExternalCommand.Result r = sh("sleep 0.2; exit 4").timeout(Duration.ofSeconds(30)).run();
    assertFalse(r.timedOut());
    assertEquals(4, r.exit());
  }

  @Test
  void a_missing_program_is_named_in_one_line() {
    ExternalCommand.NotInstalledException e = assertThrows(ExternalCommand.NotInstalledException.class,
        () -> ExternalCommand.of("syncref-no-such-program", "-x").run());
    assertEquals("syncref-no-such-program: not installed (no such program on the PATH)", e.getMessage());
    assertEquals("syncref-no-such-program", e.program());
    IOException abs = assertThrows(ExternalCommand.NotInstalledException.class,
        () -> ExternalCommand.of("/nonexistent/bin/tool").run());
    assertEquals("/nonexistent/bin/tool: not installed (no such program)", abs.getMessage());
  }

  @Test
  void a_missing_working_folder_is_not_taken_for_a_missing_program(@TempDir Path tmp) {
    IOException e = assertThrows(IOException.class, () -> sh("true").in(tmp.resolve("gone")).run());
    assertFalse(e instanceof ExternalCommand.NotInstalledException, e.toString());
    assertEquals("cannot run sh: no folder " + tmp.resolve("gone"), e.getMessage());
  }

  @Test
  void a_throwing_consumer_kills_the_program() {
    long t0 = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> sh("echo x; sleep 30").run(line -> {
      throw new IllegalStateException("stop at " + line);
    }));
    assertEquals("stop at x", e.getMessage());
    assertTrue((System.nanoTime() - t0) / 1e9 < 10);
  }
}
