package org.syncref.litmus.library;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.litmus.LitmusCheck;
import org.syncref.litmus.LitmusMutator;
import org.syncref.litmus.LitmusParserFuzzExamples;

/**
 * The whole {@code syncref check} pipeline (parser, spec exploration over TLC's evaluator, the
 * Java runner, the report) on mutants of the litmus library ({@link LitmusMutator}): every mutant
 * ends with exit code 0, 1 or 2; a rejection is one clean line per error ({@code FILE:LINE:COL:
 * message}); nothing prints a stack trace or an internal error; nothing hangs (each file within
 * {@link #PER_FILE_MS}, the whole run within a preemptive timeout). Reproducible: mutant i uses
 * {@code new Random(SEED + i)}. It runs in the litmus-library surefire execution (a JVM of its
 * own: the generated specs are loaded one after the other).
 */
class LitmusLibraryFuzzExamples {
  static final long SEED = 0xF022_C0DEL;
  static final int MUTANTS = Integer.getInteger("syncref.litmusFuzz", 1000);
  /**
   * A hang detector, not a speed goal: the slowest mutants (of the three-thread ww cycle files,
   * whose prove-locking run alone explores 26,494 states) take about 5 s on a quiet 2-core machine
   * and took 31 to 60 s at load average 7 (2026-12-06); a hang never ends.
   */
  static final long PER_FILE_MS = 120_000;

  @Test
  void every_mutant_ends_with_exit_0_1_or_2_and_clean_messages(@TempDir Path dir) throws Exception {
    List<LitmusParserFuzzExamples.Seed> seeds = LitmusParserFuzzExamples.seeds();
    Map<String, int[]> byExit = new TreeMap<>(); // mutation -> count of exit 0, 1, 2
    List<String> failures = new ArrayList<>();
    long[] slowest = {0, -1};
    long t0 = System.nanoTime();
    assertTimeoutPreemptively(Duration.ofMinutes(15), () -> {
      for (int i = 0; i < MUTANTS; i++) {
        LitmusParserFuzzExamples.Seed seed = seeds.get(i % seeds.size());
        LitmusMutator.Mutant m = LitmusMutator.mutate(seed.bytes(), new Random(SEED + i));
        Path file = dir.resolve("m" + i + ".litmus");
        Files.write(file, m.bytes());
        String where = "mutant " + i + " (" + m.mutation() + " of " + seed.name() + ", new Random(" + (SEED + i) + "))";
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code;
        long s0 = System.nanoTime();
        try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
          code = new LitmusCheck(out, err, new LitmusCheck.Options(20, true, "none", false)).run(List.of(file));
        } catch (Throwable t) {
          failures.add(where + ": threw " + t);
          continue;
        }
        long ms = (System.nanoTime() - s0) / 1_000_000;
        if (ms > slowest[0]) {
          slowest[0] = ms;
          slowest[1] = i;
        }
        if (ms > PER_FILE_MS) {
          failures.add(where + ": took " + ms + " ms");
        }
        byExit.computeIfAbsent(m.mutation(), k -> new int[3])[Math.max(0, Math.min(2, code))]++;
        String out = outBytes.toString(StandardCharsets.UTF_8);
        String err = errBytes.toString(StandardCharsets.UTF_8);
        String problem = problem(file, code, out, err, m.bytes());
        if (problem != null) {
          failures.add(where + ": " + problem + "\n--- stdout\n" + out + "--- stderr\n" + err);
        }
        if ((i + 1) % 250 == 0) {
          System.out.printf("litmus check fuzz: %d/%d mutants, %.0f s%n", i + 1, MUTANTS, (System.nanoTime() - t0) / 1e9);
        }
      }
    });
    int[] total = new int[3];
    StringBuilder sb = new StringBuilder();
    byExit.forEach((k, c) -> {
      sb.append(' ').append(k).append(' ').append(c[0]).append('/').append(c[1]).append('/').append(c[2]);
      for (int e = 0; e < 3; e++) {
        total[e] += c[e];
      }
    });
    System.out.printf("litmus check fuzz: %d mutants of %d seeds in %.0f s: exit 0: %d, exit 1: %d, exit 2: %d; "
            + "slowest %d ms (mutant %d); exit 0/1/2 by mutation:%s%n",
        MUTANTS, seeds.size(), (System.nanoTime() - t0) / 1e9, total[0], total[1], total[2], slowest[0], slowest[1], sb);
    if (!failures.isEmpty()) {
      fail(failures.size() + " bad outcomes, the first: " + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
    }
    // The mutants must exercise all three endings, else the test checks less than it claims.
    assertTrue(total[0] > 0 && total[1] > 0 && total[2] > MUTANTS / 3, "every exit code occurs: " + java.util.Arrays.toString(total));
  }

  /** What is wrong with one run's ending, or null. */
  static String problem(Path file, int code, String out, String err, byte[] bytes) {
    if (code < 0 || code > 2) {
      return "exit code " + code;
    }
    String all = out + err;
    for (String bad : List.of("INTERNAL ERROR", "internal error", "Exception", "\tat ", "Error:")) {
      if (all.contains(bad)) {
        return "output contains '" + bad.strip() + "'";
      }
    }
    if (code == 2) {
      String[] lines = err.split("\n");
      if (err.isBlank()) {
        return "exit 2 without a message";
      }
      for (String line : lines) {
        String p = LitmusParserFuzzExamples.check(file, line, bytes);
        if (p != null) {
          return "exit 2 with a bad message line (" + p + "): " + line;
        }
      }
    } else {
      if (!err.isEmpty()) {
        return "exit " + code + " with stderr output";
      }
      if (!out.startsWith("Test ")) {
        return "exit " + code + " without a report";
      }
      if (code == 0 && (out.contains("MISMATCH") || out.contains("FAILS") || out.contains("CONFORMANCE FAILURE"))) {
        return "exit 0 with a failure in the report";
      }
    }
    return null;
  }

  /** The negative control: the checks above catch each bad ending. */
  @Test
  void the_ending_check_catches_bad_endings() {
    Path f = Path.of("x.litmus");
    byte[] b = "litmus x\ncontext c\n".getBytes(StandardCharsets.UTF_8);
    assertTrue(problem(f, 0, "Test x (x.litmus)\n", "", b) == null, "a clean OK run passes");
    assertTrue(problem(f, 2, "", "x.litmus:2:1: unknown call 'foo'\n", b) == null, "a clean rejection passes");
    assertTrue(problem(f, 3, "Test x\n", "", b) != null, "exit 3");
    assertTrue(problem(f, 1, "Test x\njava.lang.IllegalStateException: boom\n\tat Foo.bar(Foo.java:1)\n", "", b) != null,
        "a stack trace");
    assertTrue(problem(f, 1, "Test x\n  INTERNAL ERROR while checking x.litmus: boom\n", "", b) != null, "internal error");
    assertTrue(problem(f, 2, "", "unknown call 'foo'\n", b) != null, "a rejection without FILE:LINE:COL");
    assertTrue(problem(f, 2, "", "x.litmus:9:1: unknown call\n", b) != null, "a position outside the file");
    assertTrue(problem(f, 2, "", "", b) != null, "exit 2 without a message");
    assertTrue(problem(f, 0, "Test x\n  Result: Never   MISMATCH (header: Always)\n", "", b) != null, "exit 0 on a mismatch");
  }
}
