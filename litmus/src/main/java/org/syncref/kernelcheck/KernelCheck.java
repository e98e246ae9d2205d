package org.syncref.kernelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.syncref.litmus.Calls;
import org.syncref.litmus.Litmus;
import org.syncref.litmus.LitmusParser;
import org.syncref.litmus.Outcome;
import org.syncref.litmus.SpecExplorer;
import org.syncref.litmus.SpecModel;
import org.syncref.litmus.Value;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.BadInputException;
import org.syncref.modelcheck.cli.Table;

/**
 * Runs litmus files on a real kernel (UML + KUnit) and compares what the kernel did with the TLA+
 * spec's verdict. One-thread files: every step's value, the expects and the final outcome (WARNs,
 * BUG, blocking) against the spec's execution. Multi-thread files: many trials on kthreads with
 * scheduling perturbation; every observed outcome must be one the spec allows, reported as a
 * histogram with the spec's outcomes never observed.
 */
public final class KernelCheck {
  /** Options of a run. */
  public record Options(String kernel, Path kernelSrc, int trials, int jobs, String mutant, boolean verbose,
      List<String> builds) {
    /** The former options, on the default build (production). */
    public Options(String kernel, Path kernelSrc, int trials, int jobs, String mutant, boolean verbose) {
      this(kernel, kernelSrc, trials, jobs, mutant, verbose, List.of(KernelTree.DEFAULT_BUILD));
    }
  }

  /** One file's verdict. */
  enum Status {
    OK,
    DIVERGES,
    SKIPPED,
    NOT_RUN
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Options opt;

  public KernelCheck(PrintStream out, PrintStream err, Options opt) {
    this.out = out;
    this.err = err;
    this.opt = opt;
  }

  private record Planned(Scenario sc, SpecExplorer.Result spec, String skip) {}

  /** Checks the files; returns the exit code (0 all OK or skipped, 1 a divergence, 2 bad input). */
  public int run(List<Path> files) throws BadInputException, IOException {
    long t0 = System.nanoTime();
    // 1. parse every file first: bad input costs no kernel build
    List<Litmus> parsed = new ArrayList<>();
    boolean bad = false;
    for (Path f : files) {
      try {
        parsed.add(LitmusParser.parse(f));
      } catch (BadInputException e) {
        err.println(e.getMessage());
        bad = true;
      }
    }
    if (bad) {
      return 2;
    }
    Path root = Checkout.root();
    // The build tools first (a Debian tarball also needs xz to extract), after a named tree is checked.
    KernelTree named = opt.kernelSrc() != null ? KernelTree.user(opt.kernelSrc(), root, err) : null;
    DebianPackages.ensureBuildTools(err);
    KernelTree tree = named != null ? named : KernelTree.debian(opt.kernel(), root, err);
    KernelApi api = KernelApi.of(tree.src);
    int exit = 0;
    for (String b : opt.builds()) {
      exit = Math.max(exit, runBuild(parsed, tree, api, b, t0));
      t0 = System.nanoTime();
    }
    return exit;
  }

  /**
   * Builds (or reuses) the UML kernel of {@code build} (KernelTree.kunitconfig), explores the
   * spec with WwCalls' Build = {@code build}, runs and compares every file.
   */
  private int runBuild(List<Litmus> parsed, KernelTree tree, KernelApi api, String build, long t0)
      throws IOException {
    tree.select(build);
    // the default build keeps the label of the time before builds ("kernel 6.12: OK")
    String kv = "kernel " + api.shortVersion() + (build.equals(KernelTree.DEFAULT_BUILD) ? "" : " " + build);
    err.printf("kernel-check: %s (Linux %s), build %s (%s; spec Build = \"%s\"); check_and_signal %s; cache %s%n",
        tree.label, api.version(), build, KernelTree.describe(build), build,
        api.checkAndSignal() ? "native" : "mapped to dma_fence_signal() != 0", tree.build);

    // 2. the spec's verdict of each file
    long ts = System.nanoTime();
    Path scratch = Files.createTempDirectory("syncref-kcheck");
    List<Planned> plan = new ArrayList<>();
    CGenerator gen = new CGenerator(api);
    try {
      for (int i = 0; i < parsed.size(); i++) {
        Litmus l = parsed.get(i);
        // the spec explored for the kernel's build (WwCalls' Build)
        SpecModel model = SpecModel.load(l, Checkout.require().resolve("spec"), scratch, opt.mutant(), build);
        SpecExplorer.Result r = new SpecExplorer(model).explore();
        Scenario sc = new Scenario(i, l, opt.trials(), build);
        plan.add(new Planned(sc, r, skipReason(sc, r, gen)));
      }
    } finally {
      KernelTree.deleteTree(scratch);
    }
    err.printf("kernel-check: spec%s explored for %d files in %.1f s%n",
        opt.mutant().equals("none") ? "" : " (mutant " + opt.mutant() + ")", parsed.size(), (System.nanoTime() - ts) / 1e9);

    // 3. one suite, one build, one run
    List<Scenario> runnable = new ArrayList<>();
    for (Planned p : plan) {
      if (p.skip == null) {
        runnable.add(p.sc);
      }
    }
    KunitRunner.Run run = null;
    if (!runnable.isEmpty()) {
      String c = gen.generate(runnable);
      java.nio.channels.FileLock lock = tree.lock();
      try {
        tree.prepare(c, KernelTree.kunitconfig(build));
        if (opt.verbose()) {
          err.println("kernel-check: generated " + tree.overlay.resolve(KernelTree.TEST_FILE));
        }
        int timeout = 300 + runnable.stream().mapToInt(s -> s.multi ? s.trials / 10 + 10 : 2).sum();
        run = new KunitRunner(tree, opt.jobs(), err).run(timeout);
      } finally {
        lock.channel().close(); // releases the lock
      }
      if (run.parser.cases.isEmpty()) {
        err.println("kernel-check: the kernel did not run the suite (build or boot failed); the last lines of "
            + run.log + ":");
        for (String s : run.tail(25)) {
          err.println("  " + s);
        }
        return 2;
      }
    }

    // 4. compare
    int ok = 0;
    int div = 0;
    int skipped = 0;
    int notRun = 0;
    for (Planned p : plan) {
      Litmus l = p.sc.litmus;
      Status st;
      List<String> lines = new ArrayList<>();
      if (p.skip != null) {
        st = Status.SKIPPED;
        lines.add("  skipped: " + p.skip);
      } else {
        ConsoleParser.CaseRun cr = run.parser.cases.get(p.sc.index);
        if (cr == null || cr.trials.isEmpty() || !cr.trials.get(0).hasOutcome) {
          st = Status.NOT_RUN;
          lines.add("  not run: " + (run.parser.crash != null ? "the kernel died: " + run.parser.crash
              : "the case printed no outcome (see " + run.log + ")"));
        } else if (!p.sc.multi) {
          st = compareOne(p.sc, p.spec, cr, lines);
        } else {
          st = compareMulti(p.sc, p.spec, cr, lines);
        }
      }
      String verdict = switch (st) {
        case OK -> "OK";
        case DIVERGES -> "DIVERGES";
        case SKIPPED -> "skipped";
        case NOT_RUN -> "NOT RUN";
      };
      out.println("Test " + l.name() + " (" + l.file() + ")   " + kv + ": " + verdict);
      lines.forEach(out::println);
      switch (st) {
        case OK -> ok++;
        case DIVERGES -> div++;
        case SKIPPED -> skipped++;
        case NOT_RUN -> notRun++;
      }
    }
    out.printf("%s (Linux %s): %d files: %d OK, %d diverging, %d skipped%s (%.1f s%s)%n", kv, api.version(),
        plan.size(), ok, div, skipped, notRun > 0 ? ", " + notRun + " not run" : "",
        (System.nanoTime() - t0) / 1e9,
        run == null ? "" : String.format("; build %.1f s, kernel run %.1f s", run.buildSecs, run.runSecs));
    return div > 0 || notRun > 0 ? 1 : 0;
  }

  private String skipReason(Scenario sc, SpecExplorer.Result r, CGenerator gen) {
    if (r.truncated) {
      return "the spec has more than " + SpecExplorer.MAX_STATES + " states for this file";
    }
    String u = gen.unsupported(sc);
    if (u != null) {
      return u;
    }
    if (sc.multi) {
      if (r.outcomes.keySet().stream().anyMatch(Outcome::contract)) {
        return "the spec says a call breaks the API contract in some interleaving; the kernel could crash there";
      }
      return null;
    }
    // one thread: where must the case stop (contract) or probe (blocks for ever)?
    Scenario.Stop stop = Scenario.Stop.NONE;
    int step = -1;
    for (Map.Entry<Outcome, List<String>> e : r.outcomes.entrySet()) {
      List<NStep> steps = normalize(e.getValue());
      Scenario.Stop s = Scenario.Stop.NONE;
      int at = -1;
      if (!steps.isEmpty()) {
        NStep last = steps.get(steps.size() - 1);
        if (last.kind == NKind.CONTRACT) {
          s = Scenario.Stop.CONTRACT;
          at = steps.size();
        } else if (last.kind == NKind.SLEEPS) {
          s = Scenario.Stop.PROBE;
          at = steps.size();
        }
      }
      if (r.outcomes.size() > 1 && s != Scenario.Stop.NONE) {
        return "one thread, but the spec has " + r.outcomes.size() + " executions, one of which "
            + (s == Scenario.Stop.CONTRACT ? "breaks the API contract" : "blocks for ever");
      }
      stop = s;
      step = at;
    }
    sc.stop = stop;
    sc.stopStep = step;
    return null;
  }

  // ---------------------------------------------------------------------- steps

  enum NKind {
    CALL,
    CONTRACT,
    SLEEPS
  }

  record NStep(String label, NKind kind) {}

  /**
   * The spec's path as call steps comparable with the kernel's: conditions and expects dropped, a
   * sleep followed by its wake-up or time-out merged into the completion ("wakes" / "times out"
   * removed), a call that breaks the contract without its explanation, a sleep never woken kept.
   */
  static List<NStep> normalize(List<String> path) {
    List<NStep> out = new ArrayList<>();
    Map<String, Integer> sleeping = new LinkedHashMap<>();
    for (String s : path) {
      int colon = s.indexOf(": ");
      String thread = colon > 0 ? s.substring(0, colon) : "";
      String rest = colon > 0 ? s.substring(colon + 2) : s;
      if (rest.startsWith("condition at ") || rest.startsWith("expect at ")) {
        continue;
      }
      int kc = s.indexOf(" [contract: ");
      if (kc >= 0) {
        s = s.substring(0, kc); // a contract breach the kernel goes on from: a call like any other
      }
      int k = s.indexOf(" breaks the API contract");
      if (k >= 0) {
        out.add(new NStep(s.substring(0, k), NKind.CONTRACT));
        continue;
      }
      if (s.endsWith(" sleeps")) {
        sleeping.put(thread, out.size());
        out.add(new NStep(s, NKind.SLEEPS));
        continue;
      }
      String label = s.replace(" wakes -> ", " -> ").replace(" times out -> ", " -> ");
      if (label.endsWith(" wakes")) {
        label = label.substring(0, label.length() - " wakes".length());
      } else if (label.endsWith(" times out")) {
        label = label.substring(0, label.length() - " times out".length());
      }
      Integer at = sleeping.remove(thread);
      if (at != null && !label.equals(s)) {
        out.set(at, new NStep(label, NKind.CALL));
      } else {
        out.add(new NStep(label, NKind.CALL));
      }
    }
    return out;
  }

  /** The kernel's steps of a trial as labels like the spec's. */
  private List<NStep> kernelSteps(Scenario sc, ConsoleParser.Trial t) {
    List<NStep> out = new ArrayList<>();
    for (ConsoleParser.Step s : t.steps) {
      Scenario.Site site = sc.sites.get(s.site());
      String th = sc.litmus.threads().get(s.tid()).name();
      Litmus.CallStmt c = site.stmt();
      String base = th + ": " + (c.reg() != null ? c.reg() + " = " : "") + c.call();
      switch (s.how()) {
        case 'R' -> out.add(new NStep(base + (c.call().fn().result() == Calls.Result.VOID ? ""
            : " -> " + value(sc, s.kind(), s.value())), NKind.CALL));
        case 'X' -> out.add(s.detail().equals("contract")
            ? new NStep(th + ": " + c.call(), NKind.CONTRACT)
            : new NStep(base, NKind.CALL)); // BUG_ON: the spec executes it (kbug), the kernel does not
        default -> out.add(new NStep(th + ": " + c.call() + " sleeps", NKind.SLEEPS));
      }
    }
    return out;
  }

  private static Value value(Scenario sc, int kind, long v) {
    return switch (kind) {
      case 1 -> new Value.Int(v);
      case 2 -> new Value.Bool(v != 0);
      case 3 -> Value.NULL;
      case 4 -> {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < sc.litmus.fences().size(); i++) {
          if ((v & (1L << i)) != 0) {
            names.add(sc.litmus.fences().get(i).name());
          }
        }
        yield Value.FenceSet.of(names);
      }
      case 5 -> { // SR_SEQ: 5 bits (fence index + 1) per entry, the first lowest
        List<String> names = new ArrayList<>();
        for (long x = v; x != 0; x >>>= 5) {
          names.add(sc.litmus.fences().get((int) (x & 31) - 1).name());
        }
        yield new Value.FenceSeq(names);
      }
      default -> Value.UNSET;
    };
  }

  /** The spec's name of a WARN the kernel printed during a call (docs/kernel-check.md, section What it runs). */
  static String warnName(ConsoleParser.Warn w, Scenario sc) {
    String fn = w.function();
    if (fn != null && (fn.startsWith("dma_fence_") || fn.startsWith("dma_resv_"))) {
      return fn; // DmaFence/DmaResv name the function that holds the WARN
    }
    if (w.site() < 0) {
      return fn;
    }
    // WwCalls names the call; the dma_resv lock calls are ww_mutex calls on the resv's lock
    return switch (sc.sites.get(w.site()).stmt().call().fn()) {
      case DMA_RESV_LOCK -> "ww_mutex_lock";
      case DMA_RESV_LOCK_SLOW -> "ww_mutex_lock_slow";
      case DMA_RESV_UNLOCK -> "ww_mutex_unlock";
      case DMA_FENCE_WAIT -> "dma_fence_wait_timeout";
      default -> sc.sites.get(w.site()).stmt().call().fn().kernelName();
    };
  }

  private Outcome outcome(Scenario sc, ConsoleParser.Trial t) {
    Litmus l = sc.litmus;
    TreeMap<String, SortedMap<String, Value>> regs = new TreeMap<>();
    for (int i = 0; i < l.threads().size(); i++) {
      TreeMap<String, Value> r = new TreeMap<>();
      for (Map.Entry<String, Integer> e : sc.regs.get(i).entrySet()) {
        long[] kv = t.regs.get(((long) i << 32) | e.getValue());
        if (kv != null) {
          r.put(e.getKey(), value(sc, (int) kv[0], kv[1]));
        }
      }
      regs.put(l.threads().get(i).name(), r);
    }
    TreeSet<String> sig = new TreeSet<>();
    for (int i = 0; i < l.fences().size(); i++) {
      if ((t.sigmask & (1L << i)) != 0) {
        sig.add(l.fences().get(i).name());
      }
    }
    TreeSet<String> warns = new TreeSet<>();
    for (ConsoleParser.Warn w : t.warns) {
      warns.add(warnName(w, sc));
    }
    boolean bug = false;
    boolean contract = false;
    boolean deadlock = t.hung;
    for (int s : t.stopped) {
      bug |= s == 1;
      contract |= s == 2;
      deadlock |= s == 3;
    }
    return new Outcome(regs, sig, warns, bug, deadlock, contract);
  }

  private Status compareOne(Scenario sc, SpecExplorer.Result spec, ConsoleParser.CaseRun cr, List<String> lines) {
    ConsoleParser.Trial t = cr.trials.get(0);
    Outcome k = outcome(sc, t);
    Outcome ks0 = Outcome.specOutcomeOf(k, spec.outcomes.keySet());
    if (ks0 != null) {
      k = ks0; // the kernel went on after a contract breach as the spec's kernel continuation
    }
    List<NStep> ks = kernelSteps(sc, t);
    boolean allowed = spec.outcomes.containsKey(k);
    // the spec execution closest to the kernel's: the longest common prefix of steps
    List<NStep> best = null;
    Outcome bestO = null;
    int bestLen = -1;
    for (Map.Entry<Outcome, List<String>> e : spec.outcomes.entrySet()) {
      List<NStep> ss = normalize(e.getValue());
      int n = 0;
      while (n < ss.size() && n < ks.size() && ss.get(n).label.equals(ks.get(n).label)) {
        n++;
      }
      boolean better = n > bestLen || (n == bestLen && e.getKey().equals(k));
      if (better) {
        bestLen = n;
        best = ss;
        bestO = e.getKey();
      }
    }
    Status st = Status.OK;
    if (best != null && (bestLen < best.size() || bestLen < ks.size())) {
      st = Status.DIVERGES;
      int i = bestLen;
      lines.add("  step " + (i + 1) + ": kernel " + (i < ks.size() ? ks.get(i).label : "(no further step)"));
      lines.add(" ".repeat(String.valueOf(i + 1).length() + 9) + "spec   "
          + (i < best.size() ? best.get(i).label : "(no further step)"));
    }
    for (Map.Entry<String, Boolean> e : t.expects.entrySet()) {
      if (!e.getValue()) {
        String[] f = e.getKey().split("\\|");
        Litmus.Pos pos = new Litmus.Pos(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
        if (!spec.expectFailures.containsKey(pos)) {
          st = Status.DIVERGES;
          lines.add("  expect at " + sc.litmus.file() + ":" + pos + ": kernel fails, spec holds");
        }
      }
    }
    if (!allowed) {
      st = Status.DIVERGES;
      lines.add("  outcome: kernel " + k);
      lines.add("           spec   " + (bestO == null ? "(none)" : bestO));
    } else {
      lines.add("  " + ks.size() + " steps as the spec; outcome: " + k);
    }
    if (opt.verbose()) {
      int i = 1;
      for (NStep s : ks) {
        lines.add(String.format("    %2d. %s", i++, s.label));
      }
    }
    for (ConsoleParser.Warn w : t.warns) {
      lines.add("    WARN at " + w.where() + " during "
          + (w.site() < 0 ? "no call" : sc.sites.get(w.site()).stmt().call().toString()) + " -> " + warnName(w, sc));
    }
    if (!header(sc, spec, List.of(k), lines)) {
      st = Status.DIVERGES;
    }
    if (ks.stream().anyMatch(s -> s.kind == NKind.SLEEPS)) {
      lines.add("    (the blocking call ran in a helper kthread and had not returned after 300 ms)");
    }
    if (t.steps.stream().anyMatch(s -> s.how() == 'X')) {
      lines.add("    (" + t.steps.stream().filter(s -> s.how() == 'X').map(s -> sc.sites.get(s.site()).stmt().call()
          + ": " + (s.detail().equals("bug") ? "BUG_ON would fire, not executed"
              : "contract, not executed" + (s.value() != 0 ? "; the kernel's list says its BUG_ON would fire" : "")))
          .reduce((a, b) -> a + "; " + b).orElse("") + ")");
    }
    return st;
  }

  private Status compareMulti(Scenario sc, SpecExplorer.Result spec, ConsoleParser.CaseRun cr, List<String> lines) {
    Map<Outcome, Integer> hist = new LinkedHashMap<>();
    Map<Outcome, ConsoleParser.Trial> example = new LinkedHashMap<>();
    int n = 0;
    for (ConsoleParser.Trial t : cr.trials) {
      if (!t.hasOutcome) {
        continue;
      }
      n++;
      Outcome o = outcome(sc, t);
      hist.merge(o, 1, Integer::sum);
      example.putIfAbsent(o, t);
    }
    List<Map.Entry<Outcome, Integer>> rows = new ArrayList<>(hist.entrySet());
    rows.sort(Comparator.comparing((Map.Entry<Outcome, Integer> e) -> -e.getValue()));
    boolean bad = false;
    lines.add(String.format("  %d trials%s; %d outcomes observed, the spec allows %d:", n,
        cr.leftBlocked ? " (stopped after a deadlock: its threads are left blocked)" : "", hist.size(),
        spec.outcomes.size()));
    // the histogram: a count column and the outcome, each row after a mark ("! ": not allowed)
    Table histogram = new Table().right("count", 5).left("outcome");
    lines.add("    " + histogram.header());
    for (Map.Entry<Outcome, Integer> e : rows) {
      boolean ok = spec.outcomes.containsKey(e.getKey());
      bad |= !ok;
      boolean sat = sc.litmus.exists() != null && e.getKey().satisfies(sc.litmus.exists());
      lines.add("  " + (ok ? "  " : "! ") + histogram.line(e.getValue(), (sat ? "* " : "") + e.getKey())
          + (ok ? "" : "   <- the spec does not allow this outcome"));
      if (!ok) {
        // the kernel's steps of the first such trial, in console order
        ConsoleParser.Trial t = example.get(e.getKey());
        lines.add("           trial " + t.n + ", the kernel's steps:");
        int k = 1;
        for (NStep st : kernelSteps(sc, t)) {
          lines.add(String.format("           %2d. %s", k++, st.label));
        }
      }
    }
    if (sc.litmus.exists() != null) {
      int pos = 0;
      int neg = 0;
      for (Map.Entry<Outcome, Integer> e : hist.entrySet()) {
        // the kernel's own outcome decides (also one the spec does not allow)
        boolean sat = e.getKey().satisfies(sc.litmus.exists());
        pos += sat ? e.getValue() : 0;
        neg += sat ? 0 : e.getValue();
      }
      lines.add(String.format("  exists: kernel %s (%d positive, %d negative trials); spec %s", verdict(pos, neg), pos,
          neg, verdict(spec.positive, spec.negative)));
    }
    List<Outcome> never = new ArrayList<>();
    for (Outcome o : spec.outcomes.keySet()) {
      if (!hist.containsKey(o)) {
        never.add(o);
      }
    }
    if (!never.isEmpty()) {
      lines.add("  allowed by the spec, never observed (informational):");
      for (Outcome o : never) {
        lines.add("           " + o);
      }
    }
    if (!header(sc, spec, hist.keySet(), lines)) {
      bad = true;
    }
    return bad ? Status.DIVERGES : Status.OK;
  }

  private static String verdict(int pos, int neg) {
    return pos == 0 ? "Never" : neg == 0 ? "Always" : "Sometimes";
  }

  /**
   * The file's '# Result:' header against what the kernel did: Never with an observed outcome
   * that satisfies the exists clause, or Always with one that does not, is a divergence.
   */
  private static boolean header(Scenario sc, SpecExplorer.Result spec, java.util.Collection<Outcome> seen,
      List<String> lines) {
    String h = sc.litmus.expected(sc.build);
    if (h == null || sc.litmus.exists() == null || h.equals("Sometimes")) {
      return true;
    }
    for (Outcome o : seen) {
      boolean sat = o.satisfies(sc.litmus.exists());
      if (h.equals("Never") && sat || h.equals("Always") && !sat) {
        lines.add("  header '# Result: " + h + "': the kernel " + (sat ? "satisfied" : "did not satisfy")
            + " the exists clause: " + o);
        return false;
      }
    }
    return true;
  }
}
