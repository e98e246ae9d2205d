package org.syncref.litmus.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.litmus.LitmusCheck;
import org.syncref.modelcheck.Checkout;

/**
 * The library's system-level files (spec/litmus/system-*.litmus) on the GPU memory system spec:
 * each verdict, and negative controls: a mainline file run with the mutant that breaks its rule
 * is a MISMATCH with a witness, and so is a file whose header is wrong.
 */
class SystemLibraryExamples {
  private static final Path LIB = Checkout.require().resolve("spec/litmus");

  /** The verdict of each system file (its header says the same; this pins both). */
  private static final Map<String, String> VERDICTS = Map.of(
      "system-evict-reader-never-stale", "Never",
      "system-evict-reader-stale-evict-waits-write", "Sometimes",
      "system-explicit-writer-may-pass-implicit-reader", "Sometimes",
      "system-implicit-writer-waits-for-reader", "Never",
      "system-submit-after-evict-waits-move-fence", "Always",
      "system-submit-after-evict-ignore-kernel", "Sometimes",
      "system-lr-preempted-before-move-rebound-before-resume", "Always",
      "system-lr-resume-without-rebind-stale", "Always",
      "system-lr-evict-skips-bookkeep-never-preempts", "Always");

  private static String run(int expectedExit, List<Path> files) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = new LitmusCheck(ps, ps, new LitmusCheck.Options(10, true, "none", false)).run(files);
    String out = buf.toString(StandardCharsets.UTF_8);
    System.out.println(out);
    assertEquals(expectedExit, code, out);
    return out;
  }

  @Test
  void everySystemFileHasItsVerdict() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(LIB)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("system-")).sorted().toList();
    }
    assertEquals(VERDICTS.keySet(), files.stream().map(p -> p.getFileName().toString().replace(".litmus", ""))
        .collect(java.util.stream.Collectors.toSet()));
    String out = run(0, files);
    for (Map.Entry<String, String> e : VERDICTS.entrySet()) {
      int at = out.indexOf("Test " + e.getKey() + " (");
      assertTrue(at >= 0, e.getKey());
      String part = out.substring(at);
      part = part.substring(0, part.indexOf("\nTest ") < 0 ? part.length() : part.indexOf("\nTest "));
      assertTrue(part.contains("spec only: no Java system model, no kernel oracle"), part);
      assertTrue(part.contains("  Result: " + e.getValue() + " ") && part.contains("   OK\n"), part);
    }
  }

  /** The mainline file with the mutant that breaks its rule: a stale read, shown as an execution. */
  @Test
  void theEvictionRuleBrokenIsAMismatchWithAWitness(@TempDir Path dir) throws Exception {
    String text = Files.readString(LIB.resolve("system-evict-reader-never-stale.litmus"))
        .replace("system GpuMem\n", "system GpuMem\nmutant evict_waits_write\n");
    Path f = dir.resolve("system-evict-reader-never-stale.litmus");
    Files.writeString(f, text);
    String out = run(1, List.of(f));
    assertTrue(out.contains("Result: Sometimes") && out.contains("MISMATCH (header: Never)"), out);
    assertTrue(out.contains("an execution that satisfies the exists clause:")
        && out.contains("=> signaled [c1, c2, g1]; violated {FreeUnreachable, NoStaleAccess, RwOrdered}"), out);
  }

  /**
   * Mutants of the system files through the whole command (parse, generate, explore) end with
   * exit 0, 1 or 2 and clean messages, as LitmusLibraryFuzzExamples checks for every seed.
   */
  @Test
  void mutantsThroughTheWholeCommandEndCleanly(@TempDir Path dir) throws Exception {
    List<Path> seeds;
    try (Stream<Path> s = Files.list(LIB)) {
      seeds = s.filter(p -> p.getFileName().toString().startsWith("system-")).sorted().toList();
    }
    List<String> failures = new java.util.ArrayList<>();
    int[] byExit = new int[3];
    for (int i = 0; i < 18; i++) {
      byte[] seed = Files.readAllBytes(seeds.get(i % seeds.size()));
      org.syncref.litmus.LitmusMutator.Mutant m =
          org.syncref.litmus.LitmusMutator.mutate(seed, new java.util.Random(0x5157_C0DEL + i));
      Path f = dir.resolve("m" + i + ".litmus");
      Files.write(f, m.bytes());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = new LitmusCheck(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), new LitmusCheck.Options(10, true, "none", false))
          .run(List.of(f));
      byExit[Math.max(0, Math.min(2, code))]++;
      String problem = LitmusLibraryFuzzExamples.problem(f, code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8), m.bytes());
      if (problem != null) {
        failures.add("mutant " + i + " (" + m.mutation() + "): " + problem + "\n" + out + err);
      }
    }
    System.out.println("system fuzz: exit 0/1/2: " + java.util.Arrays.toString(byExit));
    assertEquals(List.of(), failures);
    assertTrue(byExit[0] + byExit[1] > 0 && byExit[2] > 0, java.util.Arrays.toString(byExit));
  }

  /**
   * The script's order is what the verdict rests on: the submission moved before the eviction
   * (so the copy waits for the reader) never runs after the copy.
   */
  @Test
  void theScriptOrderDecides(@TempDir Path dir) throws Exception {
    String text = Files.readString(LIB.resolve("system-submit-after-evict-waits-move-fence.litmus"))
        .replace("c1 = evict(b1)\ng1 = submit(gfx, b1, read)\n", "g1 = submit(gfx, b1, read)\nc1 = evict(b1)\n");
    Path f = dir.resolve("t.litmus");
    Files.writeString(f, text);
    String out = run(1, List.of(f));
    assertTrue(out.contains("Result: Never") && out.contains("MISMATCH (header: Always)"), out);
  }

  /** The preemption file on a worker that resumes without rebinding: the context reads stale memory. */
  @Test
  void theRebindRuleBrokenIsAMismatch(@TempDir Path dir) throws Exception {
    String text = Files.readString(LIB.resolve("system-lr-preempted-before-move-rebound-before-resume.litmus"))
        .replace("system GpuMemVm\n", "system GpuMemVm\nmutant resume_no_rebind\n").replace("u1 = rebind", "rebind");
    Path f = dir.resolve("t.litmus");
    Files.writeString(f, text);
    String out = run(1, List.of(f));
    assertTrue(out.contains("Result: Never") && out.contains("MISMATCH (header: Always)"), out);
  }
}
