package org.syncref.modelcheck.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.CounterexamplePrinter;
import org.syncref.modelcheck.Manifest;
import org.syncref.modelcheck.Mode;
import org.syncref.modelcheck.ModelEntry;
import org.syncref.modelcheck.ModelResult;
import org.syncref.modelcheck.TlcReport;
import org.syncref.modelcheck.TlcRunner;

/** {@code syncref model-check}: runs TLC on the models of spec/models.txt and compares with the recorded results. */
public final class ModelCheckCommand implements Subcommand {
  private static final java.util.regex.Pattern SANY_ERROR = java.util.regex.Pattern.compile(
      "(?m)^\\*\\*\\*|Parse Error|Semantic error|Lexical error|Fatal errors|Unknown operator");
  private final PrintStream out;
  private final PrintStream err;

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
  public String name() {
    return "model-check";
  }

  @Override
  public String summary() {
    return "run TLC on the models of spec/models.txt and compare with the recorded results";
  }

  @Override
  public String usage() {
    return """
        usage: syncref model-check [--deep] [--record] [--workers N] [MODEL...]

        Runs TLC on every 'ci' model of spec/models.txt (each in its own JVM) and checks
        that TLC reports the expected outcome and, for passing models, exactly the recorded
        number of distinct states and search depth; for failing (_bug) models, that the
        counterexample has the recorded length. Prints one table row per model as it
        finishes, and the counterexamples (compactly for the expected ones).

        options:
          MODEL...         check only these models (any mode)
          --deep           also check the 'deep' models
          --record         write the measured states/depth into the manifest (after a
                           deliberate spec change); only models with the expected outcome
          --workers N      TLC worker threads for passing models (default: auto). Failing
                           models always use 1, for the shortest, deterministic counterexample.
                           TLC's search depth is exact only with 1 worker; with more it may come
                           out larger, which is then noted, not a mismatch. --record uses 1.
          --no-explain     do not recover the parameters of counterexample steps
          --manifest FILE  another manifest (default: spec/models.txt); its rows' folders are
                           relative to the manifest's folder unless --spec-root is given
          --spec-root DIR  the folder the manifest's 'dir' column is relative to

        TLC's output is kept in target/tlc/<model>/tlc-output.txt.
        Exit codes: 0 every model matched, 1 some did not, 2 bad input.
        """;
  }

  @Override
  public int run(List<String> args) throws Exception {
    boolean deep = false;
    boolean record = false;
    boolean explain = true;
    String workers = "auto";
    Path manifestPath = null;
    Path specRoot = null;
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--deep" -> deep = true;
        case "--record" -> record = true;
        case "--no-explain" -> explain = false;
        case "--workers" -> {
          workers = value(args, ++i, a);
          if (!workers.equals("auto") && !workers.matches("[1-9][0-9]{0,3}")) {
            throw new BadInputException("syncref model-check: --workers: a positive number or 'auto' expected, found '" + workers + "'");
          }
        }
        case "--manifest" -> manifestPath = Path.of(value(args, ++i, a));
        case "--spec-root" -> specRoot = Path.of(value(args, ++i, a));
        default -> {
          if (a.startsWith("-")) {
            throw new BadInputException("syncref model-check: unknown option '" + a + "' (see syncref model-check --help)");
          }
          names.add(a);
        }
      }
    }
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

  private static String value(List<String> args, int i, String option) throws BadInputException {
    if (i >= args.size()) {
      throw new BadInputException("syncref model-check: " + option + " needs a value (see syncref model-check --help)");
    }
    return args.get(i);
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
    int wName = "model".length();
    int wExp = "expected".length();
    for (ModelEntry e : selected) {
      wName = Math.max(wName, e.name().length());
      wExp = Math.max(wExp, e.expected().text().length());
    }
    String fmt = "%-" + wName + "s  %-" + wExp + "s  %-" + wExp + "s  %15s  %5s  %8s  %s%n";
    out.printf(fmt, "model", "expected", "actual", "distinct states", "depth", "seconds", "verdict");
    out.println("-".repeat(wName + 2 * wExp + 15 + 5 + 8 + 7 + 12));
    out.flush();
    int failed = 0;
    Map<String, Long[]> recorded = new LinkedHashMap<>();
    List<String> notRecorded = new ArrayList<>();
    try (Progress progress = new Progress(err, System.console() != null)) {
      for (ModelEntry e : selected) {
        progress.start(e);
        ModelResult r;
        try {
          r = runner.run(e, progress);
        } finally {
          progress.finish();
        }
        TlcReport rep = r.report();
        boolean ok = record ? r.outcomeMatches() : r.ok();
        String depth = r.measuredDepth() == null ? "-" : r.measuredDepth().toString();
        String states = rep.distinct() == null ? "-" : String.format("%,d", rep.distinct());
        out.printf(fmt, e.name(), e.expected().text(), rep.outcomeText(), states, depth,
            String.format("%.1f", r.seconds()), ok ? (record ? "recorded" : "ok") : "MISMATCH");
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
