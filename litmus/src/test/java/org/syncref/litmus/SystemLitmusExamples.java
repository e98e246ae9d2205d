package org.syncref.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.kernelcheck.KernelCheckCommand;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.Checkout;

/**
 * System-level litmus files (SystemLitmus): the parser's messages (one line FILE:LINE:COL, exit
 * 2), what the generated model scripts, and kernel-check's refusal. The library's verdicts are
 * checked by the litmus-library execution (library.SystemLibraryExamples).
 */
class SystemLitmusExamples {
  static final String HEAD = String.join("\n",
      "litmus t",
      "system GpuMem",
      "vram v1",
      "sysmem s1 s2",
      "bo b1 at v1",
      "bo b2 at s1",
      "ghost h1",
      "engine gfx user g1 g2",
      "engine sdma copy c1 c2",
      "");

  static String error(String text) {
    BadInputException e = assertThrows(BadInputException.class, () -> SystemLitmus.parse("t.litmus", text));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void a_file_parses_into_its_script_and_question() throws Exception {
    SystemLitmus l = SystemLitmus.parse("t.litmus", "# Result: Never\n" + HEAD
        + "g1 = submit(gfx, b1, read)\nevict(b1); c2 = move_in(b2)\nexists violated(NoStaleAccess) || order(c1 < g1)\n");
    assertEquals("GpuMem", l.system());
    assertEquals("Never", l.expected());
    assertEquals(List.of("g1 = submit(gfx, b1, read)", "c1 = evict(b1)", "c2 = move_in(b2)"),
        l.script().stream().map(Object::toString).toList());
    assertEquals(new SystemLitmus.Or(new SystemLitmus.Atom("violated", List.of("NoStaleAccess")),
        new SystemLitmus.Atom("order", List.of("c1", "g1"))), l.exists());
  }

  /** A stable ID stands for every property of the system that checks it. */
  @Test
  void a_property_id_is_each_property_that_checks_it() throws Exception {
    assertEquals(new SystemLitmus.Atom("violated", List.of("NoStaleAccess")),
        SystemLitmus.parse("t.litmus", HEAD + "exists violated(MEM-NO-STALE-ACCESS)\n").exists());
    String vm = HEAD.replace("system GpuMem\n", "system GpuMemVm\n") + "vm b1\nengine pte pt u1\nengine lrq lr p1\n";
    assertEquals(new SystemLitmus.Or(new SystemLitmus.Atom("violated", List.of("NoStaleAccess")),
        new SystemLitmus.Atom("violated", List.of("LrNoStaleAccess"))),
        SystemLitmus.parse("t.litmus", vm + "exists violated(MEM-NO-STALE-ACCESS)\n").exists());
  }

  @Test
  void bad_input_is_one_line_with_its_position() {
    assertEquals("t.litmus:2:8: expected a system after 'system': one of GpuMem, GpuMemVm, found 'GpuMemX'",
        error("litmus t\nsystem GpuMemX\n"));
    assertEquals("t.litmus:10:1: unknown statement 'sumbit' (expected a declaration: mutant vram sysmem bo ghost"
        + " engine vm; an operation: submit evict move_in lr_start rebind unmap; or exists)",
        error(HEAD + "sumbit(gfx, b1, read)\n"));
    assertEquals("t.litmus:10:1: 'submit' takes 3 arguments (engine, bo, mode), found 2",
        error(HEAD + "submit(gfx, b1)\n"));
    assertEquals("t.litmus:10:7: unknown bo 'b9' (declare it first)", error(HEAD + "evict(b9)\n"));
    assertEquals("t.litmus:10:9: expected a bo, found 'v1' (a range)", error(HEAD + "move_in(v1)\n"));
    assertEquals("t.litmus:10:17: expected a mode (read, write, explicit), found 'rw'",
        error(HEAD + "submit(gfx, b1, rw)\n"));
    assertEquals("t.litmus:10:8: engine 'sdma' is a copy engine; submit needs a user engine",
        error(HEAD + "submit(sdma, b1, read)\n"));
    assertEquals("t.litmus:10:1: expected 'c1': this operation arms the next fence of its engine, c1, not 'c2'",
        error(HEAD + "c2 = evict(b1)\n"));
    assertEquals("t.litmus:12:1: engine 'sdma' has no fence left for 'evict' (declare one more: 'engine sdma copy"
        + " F...')", error(HEAD + "evict(b1)\nmove_in(b2)\nevict(b2)\n"));
    assertEquals("t.litmus:10:1: 'rebind' needs 'system GpuMemVm'", error(HEAD + "rebind\n"));
    assertEquals("t.litmus:10:17: unknown property 'NoStale' of GpuMem (expected one of NoStaleAccess, KernelFirst,"
        + " FreeUnreachable, RwOrdered, NoKernelBug, ImplicitSync, or an ID: MEM-FREE-UNREACHABLE, MEM-KERNEL-FIRST,"
        + " MEM-NO-STALE-ACCESS, MEM-PT-BOOKKEEP, MEM-RW-ORDERED)", error(HEAD + "exists violated(NoStale)\n"));
    assertEquals("t.litmus:10:17: MEM-PT-BOOKKEEP is checked in GpuMemVm only ('system GpuMemVm')",
        error(HEAD + "exists violated(MEM-PT-BOOKKEEP)\n"));
    assertEquals("t.litmus:10:16: expected '<' in order(...), found ','", error(HEAD + "exists order(g1, c1)\n"));
    assertEquals("t.litmus:3:8: unknown mutant 'nope' (expected one of GpuMem.tla's GpuMutants: "
        + String.join(", ", SystemLitmus.gpuMutants()) + ")", error("litmus t\nsystem GpuMem\nmutant nope\n"));
    assertEquals("t.litmus:1:3: a system-level file has one verdict, '# Result: V' (no kernel builds)",
        error("# Result on production: Never\n" + HEAD));
    assertEquals("t.litmus:1:11: expected Always, Sometimes or Never after 'Result:', found 'Maybe'",
        error("# Result: Maybe\n" + HEAD));
    assertEquals("t.litmus:1:1: the header expects Never but the file has no exists clause",
        error("# Result: Never\n" + HEAD + "evict(b1)\n"));
    assertEquals("t.litmus:10:1: 'lr_start' needs 'system GpuMemVm'", error(HEAD + "lr_start\n"));
    assertEquals("t.litmus:10:8: 'gfx' is already declared (an engine)", error(HEAD + "engine gfx user g3\n"));
  }

  @Test
  void a_bad_file_exits_2_with_one_line_on_stderr(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.litmus");
    Files.writeString(f, HEAD + "evict(b1, b2)\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new LitmusCheck(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), LitmusCheck.Options.defaults()).run(List.of(f));
    assertEquals(2, code);
    assertEquals(f + ":10:1: 'evict' takes 1 argument (bo), found 2", err.toString(StandardCharsets.UTF_8).strip());
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  /** The generated module scripts the file's operations and names its objects with prefixes. */
  @Test
  void the_generated_module_extends_the_spec_and_scripts_the_operations() throws Exception {
    SystemLitmus l = SystemLitmus.parse("t.litmus", HEAD + "g1 = submit(gfx, b1, read)\nc1 = evict(b1)\n");
    String m = SystemCheck.module(l);
    assertTrue(m.contains("EXTENDS MCGpuMem, TLC\n"), m);
    assertTrue(m.contains("Script == <<[k |-> \"submit\", e |-> En_gfx, o |-> Bo_b1, m |-> \"read\"],\n"
        + "           [k |-> \"evict\", e |-> None, o |-> Bo_b1, m |-> \"none\"]>>"), m);
    assertTrue(m.contains("/\\ IF OpStarts THEN CpuIdle /\\ pc <= Len(Script) /\\ OpMatches(Script[pc]) /\\ pc' = pc + 1"), m);
    String cfg = SystemCheck.config(l);
    assertTrue(cfg.contains("  GpuMutant = \"none\"\n") && cfg.contains("PROPERTIES\n  NoStaleAccess\n"), cfg);
    // the MC module's other constants come from its cfg, once each; the file's own win
    assertTrue(cfg.contains("\n  cpu = cpu\n") && cfg.contains("\n  comp = comp\n"), cfg);
    assertEquals(1, cfg.split("\n  Fences = ", -1).length - 1, cfg);
    assertTrue(cfg.contains("\n  MaxLists = 8\n") && !cfg.contains("MaxLists = 4"), cfg);
  }

  @Test
  void kernel_check_refuses_a_system_file_and_leaves_them_out_of_a_folder(@TempDir Path dir) throws Exception {
    Path sys = dir.resolve("s.litmus");
    Files.writeString(sys, "# a comment\nlitmus s\n\n  system GpuMem\n");
    Path plain = dir.resolve("p.litmus");
    Files.writeString(plain, "litmus p\ncontext c1\n");
    assertEquals("4:3", SystemLitmus.systemAt(sys));
    assertNull(SystemLitmus.systemAt(plain));
    BadInputException e = assertThrows(BadInputException.class,
        () -> KernelCheckCommand.systemFilesLeftOut(List.of(sys.toString()), List.of(sys), System.err));
    assertEquals(sys + ":4:3: a system-level file (spec/GpuMem) runs on the spec only: there is no kernel oracle for"
        + " it; judge it with syncref check", e.getMessage());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(List.of(plain), KernelCheckCommand.systemFilesLeftOut(List.of(dir.toString()), List.of(plain, sys),
        new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertEquals("syncref kernel-check: left out 1 system-level files (spec only: no kernel oracle; syncref check"
        + " judges them)", err.toString(StandardCharsets.UTF_8).strip());
  }

  /** Mutants of the library's system files parse or are rejected with one positioned line. */
  @Test
  void mutants_of_system_files_parse_or_are_rejected_with_one_positioned_line(@TempDir Path dir) throws Exception {
    List<Path> seeds = systemFiles();
    assertTrue(seeds.size() >= 5, seeds.toString());
    int parsed = 0;
    int rejected = 0;
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      byte[] seed = Files.readAllBytes(seeds.get(i % seeds.size()));
      LitmusMutator.Mutant m = LitmusMutator.mutate(seed, new Random(0x5157_E11L + i));
      Path f = dir.resolve("m" + i + ".litmus");
      Files.write(f, m.bytes());
      try {
        SystemLitmus.parse(f);
        parsed++;
      } catch (BadInputException e) {
        rejected++;
        String p = LitmusParserFuzzExamples.check(f, e.getMessage(), m.bytes());
        if (p != null) {
          bad.add("mutant " + i + " (" + m.mutation() + "): " + p + ": " + e.getMessage());
        }
      } catch (RuntimeException e) {
        bad.add("mutant " + i + " (" + m.mutation() + "): threw " + e);
      }
    }
    assertEquals(List.of(), bad);
    assertTrue(parsed > 0 && rejected > 0, parsed + " parsed, " + rejected + " rejected");
  }

  static List<Path> systemFiles() throws Exception {
    try (Stream<Path> s = Files.list(Checkout.require().resolve("spec/litmus"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("system-")).sorted().toList();
    }
  }
}
