package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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

  @TestFactory
  Stream<DynamicTest> ciModels() throws BadInputException {
    Path root = root();
    Manifest manifest = Manifest.load(root.resolve("spec/models.txt"));
    TlcRunner runner = new TlcRunner(manifest.specRoot(), root.resolve("target/tlc"), "1", false,
        "./syncref model-check --record");
    return manifest.entries().stream()
        .filter(e -> e.mode() == Mode.CI)
        .map(e -> DynamicTest.dynamicTest(e.name() + " (" + e.expected().text() + ")", () -> {
          ModelResult r = runner.run(e, TlcRunner.Listener.NONE);
          assertTrue(r.ok(), () -> describe(r));
        }));
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
