package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** One test per {@code ci} model of spec/models.txt: TLC must report what the manifest records, state counts included (one TLC worker, so the depth is exact). */
class ModelManifestTest {

  /** The checkout: -Dsyncref.root (set by the parent pom), else the nearest folder above user.dir with spec/models.txt. */
  static Path root() {
    String prop = System.getProperty("syncref.root");
    if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop, "spec", "models.txt"))) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("spec/models.txt"))) {
        return p;
      }
    }
    throw new IllegalStateException("no spec/models.txt above " + System.getProperty("user.dir"));
  }

  /**
   * The ci models, then the action coverage: the models of {@link ActionCoverageTest#MODELS} run
   * with TLC's {@code -coverage}, and a last test checks that they take every action of each
   * component ({@link ActionCoverageTest#check}).
   */
  @TestFactory
  Stream<DynamicTest> ciModels() throws BadInputException {
    Path root = root();
    Manifest manifest = Manifest.load(root.resolve("spec/models.txt"));
    TlcRunner runner = new TlcRunner(manifest.specRoot(), root.resolve("target/tlc"), "1", false,
        "./syncref model-check --record");
    TlcRunner withCoverage = new TlcRunner(manifest.specRoot(), root.resolve("target/tlc"), "1", false,
        "./syncref model-check --record").withCoverage();
    Map<String, List<TlcReport.ActionCoverage>> coverage = new TreeMap<>();
    Stream<DynamicTest> models = manifest.entries().stream()
        .filter(e -> e.mode() == Mode.CI)
        .map(e -> DynamicTest.dynamicTest(e.name() + " (" + e.expected().text() + ")", () -> {
          boolean cover = ActionCoverageTest.MODELS.contains(e.name());
          ModelResult r = (cover ? withCoverage : runner).run(e, TlcRunner.Listener.NONE);
          if (cover) {
            coverage.put(e.name(), r.report().coverage());
          }
          assertTrue(r.ok(), () -> describe(r));
        }));
    DynamicTest actions = DynamicTest.dynamicTest("every action of each component's next-state relation is taken", () -> {
      assertEquals(ActionCoverageTest.MODELS, coverage.keySet(), "coverage reports of the models of ActionCoverageTest.MODELS");
      for (Map.Entry<String, List<TlcReport.ActionCoverage>> c : coverage.entrySet()) {
        assertTrue(!c.getValue().isEmpty(), c.getKey() + ": TLC reported no action coverage");
      }
      List<String> problems = ActionCoverageTest.check(manifest.specRoot(), coverage);
      assertTrue(problems.isEmpty(), () -> problems.size() + " action(s) never taken:\n  " + String.join("\n  ", problems));
    });
    return Stream.concat(models, Stream.of(actions));
  }

  /** The failure message: the problems, TLC's errors and the counterexample. */
  static String describe(ModelResult r) {
    StringBuilder sb = new StringBuilder(r.entry().name()).append(": ").append(String.join("; ", r.problems()));
    for (String err : r.report().errors()) {
      sb.append("\n  TLC: ").append(err.replace("\n", "\n       "));
    }
    if (!r.report().trace().isEmpty()) {
      sb.append("\n").append(CounterexamplePrinter.format(r.report().trace(), r.labels(), false, "  "));
    }
    sb.append("\n  (TLC output: ").append(r.metaDir().resolve("tlc-output.txt")).append(")");
    return sb.toString();
  }
}
