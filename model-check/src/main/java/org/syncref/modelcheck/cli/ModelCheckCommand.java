package org.syncref.modelcheck.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.CounterexamplePrinter;
import org.syncref.modelcheck.Manifest;
import org.syncref.modelcheck.Mode;
import org.syncref.modelcheck.ModelEntry;
import org.syncref.modelcheck.ModelResult;
import org.syncref.modelcheck.TlcReport;
import org.syncref.modelcheck.TlcRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code syncref model-check}: runs TLC on the models of spec/models.txt and compares with the recorded results. */
@Command(name = "model-check",
    header = "run TLC on the models of spec/models.txt and compare with the recorded results",
    description = {
        "Runs TLC on every 'ci' model of spec/models.txt (each in its own JVM) and checks that TLC reports"
            + " the expected outcome and, for passing models, exactly the recorded number of distinct states"
            + " and search depth; for failing (_bug) models, that the counterexample has the recorded length."
            + " Prints one table row per model as it finishes, and the counterexamples (compactly for the"
            + " expected ones)."},
    footer = {"", "TLC's output is kept in target/tlc/<model>/tlc-output.txt.",
        "Exit codes: 0 every model matched, 1 some did not, 2 bad input."})
public final class ModelCheckCommand implements Callable<Integer> {
  private static final java.util.regex.Pattern SANY_ERROR = java.util.regex.Pattern.compile(
      "(?m)^\\*\\*\\*|Parse Error|Semantic error|Lexical error|Fatal errors|Unknown operator");
  private final PrintStream out;
  private final PrintStream err;

  @Option(names = "--deep", description = "also check the 'deep' models")
  boolean deep;

  @Option(names = "--record", description = "write the measured states/depth into the manifest (after a deliberate"
      + " spec change); only models with the expected outcome")
  boolean record;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "auto",
      description = "TLC worker threads for passing models (default: ${DEFAULT-VALUE}). Failing models always use 1,"
          + " for the shortest, deterministic counterexample. TLC's search depth is exact only with 1 worker; with"
          + " more it may come out larger, which is then noted, not a mismatch. --record uses 1.")
  String workers;

  @Option(names = "--no-explain", description = "do not recover the parameters of counterexample steps")
  boolean noExplain;

  @Option(names = "--manifest", paramLabel = "FILE", description = "another manifest (default: spec/models.txt);"
      + " its rows' folders are relative to the manifest's folder unless --spec-root is given")
  Path manifestPath;

  @Option(names = "--spec-root", paramLabel = "DIR", description = "the folder the manifest's 'dir' column is"
      + " relative to")
  Path specRoot;

  @Parameters(paramLabel = "MODEL", arity = "0..*", description = "check only these models (any mode)")
  List<String> models = new ArrayList<>();

  /** A command printing to System.out / System.err. */
  public ModelCheckCommand() {
    this(System.out, System.err);
  }

  /** A command printing to the given streams. */
  public ModelCheckCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    if (!workers.equals("auto") && !workers.matches("[1-9][0-9]{0,3}")) {
      throw new BadInputException("syncref model-check: --workers: a positive number or 'auto' expected, found '"
          + workers + "'");
    }
    boolean explain = !noExplain;
    Path manifestPath = this.manifestPath;
    Path specRoot = this.specRoot;
    Set<String> names = new LinkedHashSet<>(models);
    Path root = manifestPath == null || specRoot == null ? rootOrNull(manifestPath) : null;
    if (manifestPath == null) {
      manifestPath = root.resolve("spec").resolve("models.txt");
    }
    if (specRoot == null) {
      specRoot = manifestPath.toAbsolutePath().getParent();
    }
    Path target = (root != null ? root : Path.of(System.getProperty("user.dir"))).resolve("target").resolve("tlc");
    Manifest manifest = Manifest.load(manifestPath, specRoot);
    List<ModelEntry> selected = select(manifest, names, deep);
    if (selected.isEmpty()) {
      out.println("no models selected in " + manifestPath + (deep ? "" : " (deep models need --deep)"));
      return 0;
    }
    // Recording needs the exact depth, which only a single worker gives.
    TlcRunner runner = new TlcRunner(specRoot, target, record ? "1" : workers, explain, "./syncref model-check --record");
    return check(manifest, selected, runner, record);
  }

  private static Path rootOrNull(Path manifestPath) throws BadInputException {
    try {
      return Checkout.root();
    } catch (BadInputException e) {
      if (manifestPath == null) {
        throw e;
      }
      return null;
    }
  }

  private static List<ModelEntry> select(Manifest manifest, Set<String> names, boolean deep) throws BadInputException {
    List<ModelEntry> selected = new ArrayList<>();
    Set<String> known = new LinkedHashSet<>();
    for (ModelEntry e : manifest.entries()) {
      known.add(e.name());
      if (names.isEmpty() ? (e.mode() == Mode.CI || deep && e.mode() == Mode.DEEP) : names.contains(e.name())) {
        if (e.mode() == Mode.CONFORMANCE) {
          throw new BadInputException("syncref model-check: '" + e.name() + "' is a conformance model (loaded by"
              + " TLC's evaluator in its surefire execution), not model-checked");
        }
        selected.add(e);
      }
    }
    for (String n : names) {
      if (!known.contains(n)) {
        throw new BadInputException("syncref model-check: unknown model '" + n + "': a model name of "
            + manifest.file() + " expected");
      }
    }
    return selected;
  }

  /** Runs the selected models, printing the table; returns the exit code. */
  int check(Manifest manifest, List<ModelEntry> selected, TlcRunner runner, boolean record) throws Exception {
    Table table = new Table().left("model").left("expected").left("actual").right("distinct states")
        .right("depth").right("seconds", 8).left("verdict")
        .fit(0, selected.stream().map(ModelEntry::name).toList())
        .fit(1, selected.stream().map(e -> e.expected().text()).toList())
        .fit(2, selected.stream().map(e -> e.expected().text()).toList());
    out.println(table.header());
    out.println(table.rule());
    out.flush();
    int failed = 0;
    Map<String, Long[]> recorded = new LinkedHashMap<>();
    List<String> notRecorded = new ArrayList<>();
    try (Progress progress = Progress.onStderr(err)) {
      for (ModelEntry e : selected) {
        progress.start(e.name());
        ModelResult r;
        try {
          r = runner.run(e, (entry, distinct, depth) -> progress.report(
              distinct == null ? null : String.format("%,d distinct states, depth %d", distinct, depth)));
        } finally {
          progress.finish(null);
        }
        TlcReport rep = r.report();
        boolean ok = record ? r.outcomeMatches() : r.ok();
        String depth = r.measuredDepth() == null ? "-" : r.measuredDepth().toString();
        String states = rep.distinct() == null ? "-" : String.format("%,d", rep.distinct());
        out.println(table.line(e.name(), e.expected().text(), rep.outcomeText(), states, depth,
            String.format("%.1f", r.seconds()), ok ? (record ? "recorded" : "ok") : "MISMATCH"));
        for (String p : r.problems()) {
          if (!record || !r.outcomeMatches()) {
            out.println("    " + p);
          }
        }
        for (String n : r.notes()) {
          out.println("    note: " + n);
        }
        details(r);
        out.flush();
        if (!ok) {
          failed++;
        }
        if (record) {
          if (r.outcomeMatches()) {
            Long s = e.expected().passes() ? rep.distinct() : null;
            Integer d = r.measuredDepth();
            recorded.put(e.name(), new Long[] {s, d == null ? null : d.longValue()});
          } else {
            notRecorded.add(e.name());
          }
        }
      }
    }
    if (record && !recorded.isEmpty()) {
      manifest.record(recorded);
      out.println("recorded states/depth of " + recorded.size() + " model(s) in " + manifest.file());
    }
    if (!notRecorded.isEmpty()) {
      out.println("not recorded (unexpected outcome): " + String.join(", ", notRecorded));
    }
    out.println(failed == 0 ? selected.size() + " model(s) checked, all as expected"
        : failed + " of " + selected.size() + " model(s) did not match the manifest");
    return failed == 0 ? 0 : 1;
  }

  /** Prints TLC's errors or the counterexample under a result row. */
  private void details(ModelResult r) {
    TlcReport rep = r.report();
    boolean expectedFailure = !r.entry().expected().passes() && r.outcomeMatches();
    if (rep.kind() == TlcReport.Kind.ERROR) {
      for (String m : rep.errors()) {
        out.println(indent(m, "    | "));
      }
      if (!r.plainTail().isBlank() && (rep.errors().isEmpty() || SANY_ERROR.matcher(r.plainTail()).find())) {
        out.println("    TLC's last output lines:");
        out.println(indent(lastLines(r.plainTail(), 25), "    | "));
      }
      out.println("    (full output: " + r.metaDir().resolve("tlc-output.txt") + ")");
    }
    if (!rep.trace().isEmpty()) {
      out.println(expectedFailure ? "    counterexample (expected):" : "    counterexample:");
      if (r.labelNote() != null) {
        out.println("    (" + r.labelNote() + ")");
      }
      out.print(CounterexamplePrinter.format(rep.trace(), r.labels(), expectedFailure, "    "));
    }
  }

  private static String lastLines(String s, int n) {
    List<String> lines = s.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  private static String indent(String s, String prefix) {
    StringBuilder sb = new StringBuilder();
    s.lines().forEach(l -> sb.append(prefix).append(l).append('\n'));
    return sb.toString().stripTrailing();
  }
}
