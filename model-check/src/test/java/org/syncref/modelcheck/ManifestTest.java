package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest parser: good rows, and one-line {@code FILE:LINE: what was expected} messages for bad ones. */
class ManifestTest {
  private static final Path FILE = Path.of("spec/models.txt");
  private static final String HEADER = "# model dir module config mode expected states depth\n";

  private static Manifest parse(String text) throws BadInputException {
    return Manifest.parse(FILE, Path.of("spec"), text.lines().toList(), false);
  }

  private static String error(String text) {
    BadInputException e = assertThrows(BadInputException.class, () -> parse(text));
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void parsesRows() throws Exception {
    Manifest m = parse(HEADER
        + "DmaFence   DmaFence MCDmaFence MCDmaFence.cfg ci   success 67606 19\n"
        + "\n"
        + "  # a comment\n"
        + "X_bug      DmaFence MCDmaFence X_bug.cfg      deep invariant:TypeOK - 5  # trailing\n"
        + "Y_bug      DmaFence MCDmaFence Y_bug.cfg      ci   property:Stable - -\n"
        + "Z_bug      DmaFence MCDmaFence Z_bug.cfg      ci   deadlock - 3\n");
    assertEquals(4, m.entries().size());
    ModelEntry a = m.entries().get(0);
    assertEquals(new ModelEntry("DmaFence", "DmaFence", "MCDmaFence", "MCDmaFence.cfg", Mode.CI,
        new Expected.Success(), 67606L, 19, 2), a);
    ModelEntry b = m.entries().get(1);
    assertEquals(Mode.DEEP, b.mode());
    assertEquals(new Expected.Invariant("TypeOK"), b.expected());
    assertNull(b.states());
    assertEquals(5, b.depth());
    assertEquals(5, b.line());
    assertEquals(new Expected.Property("Stable"), m.entries().get(2).expected());
    assertNull(m.entries().get(2).depth());
    assertEquals(new Expected.Deadlock(), m.entries().get(3).expected());
  }

  @Test
  void parsesAConformanceRow() throws Exception {
    Manifest m = parse(HEADER + "C DmaFence MCDmaFence MCDmaFence.cfg conformance success - -\n");
    assertEquals(Mode.CONFORMANCE, m.entries().get(0).mode());
    assertNull(m.entries().get(0).states());
  }

  @Test
  void wrongColumnCount() {
    assertEquals("spec/models.txt:2: 8 columns expected (model dir module config mode expected states depth), found 7",
        error(HEADER + "A DmaFence MCDmaFence A.cfg ci success 12\n"));
  }

  @Test
  void unknownMode() {
    assertEquals("spec/models.txt:3: mode ci, deep or conformance expected, found 'fast'",
        error(HEADER + "\nA DmaFence MCDmaFence A.cfg fast success 1 1\n"));
  }

  @Test
  void badExpected() {
    assertEquals("spec/models.txt:2: expected outcome success, deadlock, invariant:<Name> or property:<Name> expected, found 'invariant'",
        error(HEADER + "A DmaFence MCDmaFence A.cfg ci invariant 1 1\n"));
    assertEquals("spec/models.txt:2: expected outcome success, deadlock, invariant:<Name> or property:<Name> expected, found 'liveness:X'",
        error(HEADER + "A DmaFence MCDmaFence A.cfg ci liveness:X 1 1\n"));
  }

  @Test
  void badNumbers() {
    assertEquals("spec/models.txt:2: states: a non-negative number or '-' expected, found '1,000'",
        error(HEADER + "A DmaFence MCDmaFence A.cfg ci success 1,000 1\n"));
    assertEquals("spec/models.txt:2: depth: a non-negative number or '-' expected, found 'x'",
        error(HEADER + "A DmaFence MCDmaFence A.cfg ci success 1 x\n"));
    assertEquals("spec/models.txt:2: states '-' expected for a failing model, found '12'",
        error(HEADER + "A_bug DmaFence MCDmaFence A.cfg ci deadlock 12 3\n"));
  }

  @Test
  void bugModelMustFail() {
    assertEquals("spec/models.txt:2: a failing outcome expected for _bug model 'A_bug', found success",
        error(HEADER + "A_bug DmaFence MCDmaFence A.cfg ci success 1 1\n"));
  }

  @Test
  void duplicateName() {
    assertEquals("spec/models.txt:3: a unique model name expected, 'A' is already on line 2",
        error(HEADER + "A DmaFence MCDmaFence A.cfg ci success 1 1\nA DmaFence MCDmaFence B.cfg ci success 1 1\n"));
  }

  @Test
  void missingFiles() throws Exception {
    Path specs = Path.of("src/test/resources/specs").toAbsolutePath();
    Path file = Path.of("models.txt");
    BadInputException e = assertThrows(BadInputException.class, () -> Manifest.parse(file, specs,
        List.of("ok Counter MCCounter MCCounter.cfg ci success 1 1", "bad Counter MCCounter Nope.cfg ci success 1 1"), true));
    assertEquals("models.txt:2: config: a config file expected, " + specs.resolve("Counter/Nope.cfg") + " does not exist",
        e.getMessage());
    e = assertThrows(BadInputException.class, () -> Manifest.parse(file, specs,
        List.of("bad Counter MCNope MCCounter.cfg ci success 1 1"), true));
    assertEquals("models.txt:1: module: a module file expected, " + specs.resolve("Counter/MCNope.tla") + " does not exist",
        e.getMessage());
    e = assertThrows(BadInputException.class, () -> Manifest.parse(file, specs,
        List.of("bad Nowhere MCCounter MCCounter.cfg ci success 1 1"), true));
    assertEquals("models.txt:1: dir: a folder under " + specs + " expected, " + specs.resolve("Nowhere") + " does not exist",
        e.getMessage());
  }

  @Test
  void recordKeepsAlignmentAndComments() throws Exception {
    String text = "# header\n"
        + "# model  dir      module      config          mode  expected          states  depth\n"
        + "A        DmaFence MCDmaFence  A.cfg           ci    success           -       -\n"
        + "B_bug    DmaFence MCDmaFence  B.cfg           ci    invariant:TypeOK  -       9   # note\n"
        + "C        DmaFence MCDmaFence  C.cfg           ci    success           1       1\n";
    Manifest m = parse(text);
    String out = m.rewrite(Map.of("A", new Long[] {1234567890123L, 19L}, "B_bug", new Long[] {null, 5L}));
    assertEquals("# header\n"
        + "# model  dir      module      config          mode  expected          states  depth\n"
        + "A        DmaFence MCDmaFence  A.cfg           ci    success           1234567890123 19\n"
        + "B_bug    DmaFence MCDmaFence  B.cfg           ci    invariant:TypeOK  -       5   # note\n"
        + "C        DmaFence MCDmaFence  C.cfg           ci    success           1       1\n", out);
  }

  @Test
  void everyCfgUnderSpecIsInTheManifest() throws Exception {
    Path root = ModelManifestTest.root();
    Manifest m = Manifest.load(root.resolve("spec/models.txt"));
    List<String> unlisted = m.unlistedConfigs();
    assertEquals(List.of(), unlisted, "cfg files under spec/ that spec/models.txt does not list (add a row:"
        + " ci, deep, or conformance for a model TLC's evaluator loads)");
  }

  @Test
  void anUnlistedCfgIsNamed(@TempDir Path dir) throws Exception {
    Path specs = dir.resolve("spec");
    Path counter = specs.resolve("Counter");
    Files.createDirectories(counter.resolve("sub"));
    Files.writeString(counter.resolve("MCCounter.tla"), "");
    Files.writeString(counter.resolve("MCCounter.cfg"), "");
    Files.writeString(counter.resolve("MCCounter_extra.cfg"), "");
    Files.writeString(counter.resolve("sub/Other.cfg"), "");
    Files.writeString(counter.resolve("README.md"), "");
    Manifest m = Manifest.parse(specs.resolve("models.txt"), specs,
        List.of("Counter Counter MCCounter MCCounter.cfg ci success 1 1"), true);
    assertEquals(List.of("Counter/MCCounter_extra.cfg", "Counter/sub/Other.cfg"), m.unlistedConfigs());
    Manifest all = Manifest.parse(specs.resolve("models.txt"), specs, List.of(
        "Counter Counter MCCounter MCCounter.cfg ci success 1 1",
        "Extra Counter MCCounter MCCounter_extra.cfg conformance success - -"), true);
    assertEquals(List.of("Counter/sub/Other.cfg"), all.unlistedConfigs());
  }
}
