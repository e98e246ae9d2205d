package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** One test per {@code ci} model of spec/models.txt: TLC must report what the manifest records, state counts included (one TLC worker, so the depth is exact). */
class ModelManifestTest {

  /** The checkout ({@link Checkout}: -Dsyncref.root, set by the parent pom, or the nearest folder with spec/models.txt). */
  static Path root() {
    return Checkout.require();
  }

  /**
   * How many TLC processes run at once (each with one worker, so that depths stay exact):
   * {@code -Dsyncref.modelcheck.parallel}, by default the number of processors, at most 4. The
   * tests report in manifest order; each waits for its own model's run.
   */
  static int parallel() {
    int cpus = Runtime.getRuntime().availableProcessors();
    return Math.max(1, Integer.getInteger("syncref.modelcheck.parallel", Math.min(4, cpus)));
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
    ExecutorService pool = Executors.newFixedThreadPool(parallel(), r -> {
      Thread t = new Thread(r, "tlc-run");
      t.setDaemon(true);
      return t;
    });
    List<ModelEntry> ci = manifest.entries().stream().filter(e -> e.mode() == Mode.CI).toList();
    Map<String, Future<ModelResult>> runs = new LinkedHashMap<>();
    for (ModelEntry e : ci) {
      boolean cover = ActionCoverageTest.MODELS.contains(e.name());
      runs.put(e.name(), pool.submit(() -> (cover ? withCoverage : runner).run(e, TlcRunner.Listener.NONE)));
    }
    pool.shutdown();
    Stream<DynamicTest> models = ci.stream()
        .map(e -> DynamicTest.dynamicTest(e.name() + " (" + e.expected().text() + ")", () -> {
          ModelResult r;
          try {
            r = runs.get(e.name()).get();
          } catch (ExecutionException x) {
            throw x.getCause();
          }
          if (ActionCoverageTest.MODELS.contains(e.name())) {
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
