package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code _bug} model of spec/models.txt is its base model with one mutant: the base is the
 * longest other (non-bug, model-checked) manifest model whose name + "_" prefixes the bug's name
 * (a bug model is named {@code <base>_<what>_bug}; one without such a base fails). Both cfgs must have the same module and the same
 * INIT/NEXT/SPECIFICATION/VIEW/SYMMETRY/CONSTRAINT/ACTION_CONSTRAINT/CHECK_DEADLOCK sections; the
 * bug's INVARIANTS/PROPERTIES must be a subset of the base's; the base must check the invariant or
 * property the manifest expects the bug to violate (so the passing base shows the mainline keeps
 * it); and exactly one CONSTANT must differ, besides those {@link #ALLOWED} lists (smaller bounds
 * for a short counterexample, ...). The output lists every bug's mutant and allowed differences.
 */
class BugModelConfigTest {

  private static final String SMALLER = "smaller bounds: a short counterexample";
  private static final String NO_SYMMETRY = "no symmetry reduction (a reduction, not a behaviour)";
  private static final String NO_FAIRNESS = "Spec for FairSpec: a safety mutant needs no fairness";

  /**
   * Per bug model, the sections or CONSTANTs allowed to differ from the base besides the mutant,
   * with the reason (printed).
   */
  static final Map<String, Map<String, String>> ALLOWED = Map.ofEntries(
      Map.entry("DmaFencePeek_hw_unordered_bug", Map.of(
          "ErrorArgs", SMALLER, "Callbacks", SMALLER, "Timeouts", SMALLER, "MaxRefs", SMALLER)),
      Map.entry("DmaResv_dag_bug", Map.of(
          "Fences", "f3 of a second context: the mutant drops other contexts' entries",
          "MaxContext", "two contexts: the mutant drops other contexts' entries")),
      Map.entry("WwWaitDie_no_unlock_bug", Map.of("Threads", SMALLER, "Locks", SMALLER,
          "UseTrylock", SMALLER, "Want", SMALLER, "SYMMETRY", NO_SYMMETRY)),
      Map.entry("WwWoundWait_no_wound_bug", Map.of("Threads", SMALLER, "Locks", SMALLER,
          "UseTrylock", SMALLER, "SYMMETRY", NO_SYMMETRY)),
      Map.entry("WwWaitDie_older_dies_bug", Map.of("Threads", SMALLER, "Locks", SMALLER,
          "UseTrylock", SMALLER, "SYMMETRY", NO_SYMMETRY)),
      Map.entry("WwWoundWait_eager_bug", Map.of("Threads", SMALLER,
          "UseTrylock", SMALLER, "SYMMETRY", NO_SYMMETRY)),
      Map.entry("WwWaitDieLive_all_die_bug", Map.of("Threads", SMALLER, "Locks", SMALLER)),
      Map.entry("WwWaitDie_abba_bug", Map.of("Threads", SMALLER, "Locks", SMALLER,
          "UseTrylock", SMALLER, "SYMMETRY", NO_SYMMETRY)),
      Map.entry("WwWaitDie_prove_locking_oldest_backs_off_bug", Map.of("Threads", SMALLER,
          "Locks", SMALLER, "UseTrylock", SMALLER, "SYMMETRY", NO_SYMMETRY)),
      Map.entry("WwWoundWait_prove_locking_uncontended_backoff_bug", Map.of("Threads", SMALLER,
          "Locks", SMALLER, "UseTrylock", SMALLER, "SYMMETRY", NO_SYMMETRY)),
      Map.entry("DrmExecWaitDie_no_unlock_all_bug", Map.of("SPECIFICATION", NO_FAIRNESS)),
      Map.entry("DrmExecWaitDie_no_slow_first_bug", Map.of("SPECIFICATION", NO_FAIRNESS)),
      Map.entry("DrmExecWaitDie_reserve_once_bug", Map.of("SPECIFICATION", NO_FAIRNESS)));

  /** The sections a bug must share with its base. */
  static final List<String> SAME = List.of("INIT", "NEXT", "SPECIFICATION", "VIEW", "SYMMETRY",
      "CONSTRAINT", "ACTION_CONSTRAINT", "CHECK_DEADLOCK");

  private static final Set<String> KEYWORDS = Set.of("CONSTANT", "CONSTANTS", "INIT", "NEXT",
      "SPECIFICATION", "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES", "VIEW", "SYMMETRY",
      "CONSTRAINT", "CONSTRAINTS", "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "CHECK_DEADLOCK",
      "ALIAS", "POSTCONDITION");

  /** A token of a cfg and its line. */
  record Token(String text, int line) {}

  /** A CONSTANT assignment ({@code =} value or {@code <-} operator) and its line. */
  record Constant(String name, String value, int line) {}

  /** A cfg file: its sections (keyword, singular spellings folded) with their items and lines. */
  record Cfg(Path file, Map<String, List<Token>> sections, Map<String, Constant> constants) {
    List<String> items(String section) {
      return sections.getOrDefault(section, List.of()).stream().map(Token::text).toList();
    }

    int line(String section) {
      List<Token> t = sections.get(section);
      return t == null || t.isEmpty() ? 0 : t.get(0).line();
    }

    String at(int line) {
      return file + ":" + line;
    }
  }

  private static final Pattern TOKEN = Pattern.compile("\"[^\"]*\"|<-|[A-Za-z0-9_]+|\\S");

  static Cfg parse(Path file, List<String> lines) {
    List<Token> tokens = new ArrayList<>();
    boolean inBlock = false;
    for (int i = 0; i < lines.size(); i++) {
      String s = lines.get(i);
      StringBuilder kept = new StringBuilder();
      for (int j = 0; j < s.length(); j++) {
        if (inBlock) {
          if (s.startsWith("*)", j)) {
            inBlock = false;
            j++;
          }
        } else if (s.startsWith("(*", j)) {
          inBlock = true;
          j++;
        } else if (s.startsWith("\\*", j)) {
          break;
        } else {
          kept.append(s.charAt(j));
        }
      }
      Matcher m = TOKEN.matcher(kept);
      while (m.find()) {
        tokens.add(new Token(m.group(), i + 1));
      }
    }
    Map<String, List<Token>> sections = new LinkedHashMap<>();
    List<Token> cur = null;
    for (Token t : tokens) {
      if (KEYWORDS.contains(t.text())) {
        String k = switch (t.text()) {
          case "CONSTANT" -> "CONSTANTS";
          case "INVARIANT" -> "INVARIANTS";
          case "PROPERTY" -> "PROPERTIES";
          case "CONSTRAINTS" -> "CONSTRAINT";
          case "ACTION_CONSTRAINTS" -> "ACTION_CONSTRAINT";
          default -> t.text();
        };
        cur = sections.computeIfAbsent(k, x -> new ArrayList<>());
      } else if (cur == null) {
        throw new IllegalArgumentException(file + ":" + t.line() + ": a cfg keyword expected, found '" + t.text() + "'");
      } else {
        cur.add(t);
      }
    }
    Map<String, Constant> constants = new LinkedHashMap<>();
    List<Token> c = sections.getOrDefault("CONSTANTS", List.of());
    for (int i = 0; i < c.size(); ) {
      Token name = c.get(i);
      if (i + 2 >= c.size()
          || !(c.get(i + 1).text().equals("=") || c.get(i + 1).text().equals("<-"))) {
        throw new IllegalArgumentException(file + ":" + name.line() + ": 'Name = value' or 'Name <- Op' expected at '" + name.text() + "'");
      }
      String op = c.get(i + 1).text();
      i += 2;
      StringBuilder v = new StringBuilder(op);
      if (c.get(i).text().equals("{") || c.get(i).text().equals("[")) {
        String close = c.get(i).text().equals("{") ? "}" : "]";
        while (!c.get(i).text().equals(close)) {
          v.append(' ').append(c.get(i++).text());
        }
        v.append(' ').append(c.get(i++).text());
        if (close.equals("]")) { // Name <- [Module] Op
          v.append(' ').append(c.get(i++).text());
        }
      } else {
        v.append(' ').append(c.get(i++).text());
      }
      String value = v.toString().replace("{ ", "{").replace(" }", "}").replace(" ,", ",")
          .replace("[ ", "[").replace(" ]", "]");
      constants.put(name.text(), new Constant(name.text(), value, name.line()));
    }
    return new Cfg(file, sections, constants);
  }

  static Cfg read(Path file) throws IOException {
    return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /** The base of {@code bug}: the non-bug, model-checked model with the longest name + "_" prefix. */
  static Optional<ModelEntry> base(ModelEntry bug, List<ModelEntry> all) {
    ModelEntry best = null;
    for (ModelEntry e : all) {
      if (e == bug || e.name().endsWith("_bug") || e.mode() == Mode.CONFORMANCE) {
        continue;
      }
      boolean fits = bug.name().startsWith(e.name() + "_");
      if (fits && (best == null || e.name().length() > best.name().length())) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Compares one bug cfg to its base; returns the problems (one line each, FILE:LINE: what
   * differs) and adds the mutant and the allowed differences to {@code notes}.
   */
  static List<String> compare(ModelEntry bug, Cfg b, ModelEntry base, Cfg a,
      Map<String, String> allowed, List<String> notes) {
    List<String> problems = new ArrayList<>();
    if (!bug.module().equals(base.module()) || !bug.dir().equals(base.dir())) {
      problems.add(b.file() + ":1: module " + bug.dir() + "/" + bug.module() + ", base " + base.name()
          + " runs " + base.dir() + "/" + base.module());
    }
    for (String s : SAME) {
      List<String> x = b.items(s);
      List<String> y = a.items(s);
      if (x.equals(y)) {
        continue;
      }
      String what = s + " " + (x.isEmpty() ? "(none)" : String.join(" ", x)) + ", base "
          + a.at(a.line(s)) + " has " + (y.isEmpty() ? "(none)" : String.join(" ", y));
      if (allowed.containsKey(s)) {
        notes.add("allowed: " + what + " (" + allowed.get(s) + ")");
      } else {
        problems.add(b.at(b.line(s) == 0 ? 1 : b.line(s)) + ": " + what);
      }
    }
    for (String s : List.of("INVARIANTS", "PROPERTIES")) {
      Set<String> extra = new LinkedHashSet<>(b.items(s));
      extra.removeAll(a.items(s));
      for (String x : extra) {
        int line = b.sections().get(s).stream().filter(t -> t.text().equals(x)).findFirst().get().line();
        problems.add(b.at(line) + ": " + s + " " + x + " is not checked by the base " + base.name()
            + " (" + a.file() + ")");
      }
    }
    String expected = bug.expected() instanceof Expected.Invariant i ? i.name()
        : bug.expected() instanceof Expected.Property q ? q.name() : null;
    if (expected != null && !a.items("INVARIANTS").contains(expected) && !a.items("PROPERTIES").contains(expected)) {
      problems.add(a.file() + ":1: the base " + base.name() + " does not check " + expected
          + ", which the manifest expects " + bug.name() + " to violate: nothing shows the mainline keeps it");
    }
    if (bug.expected() instanceof Expected.Deadlock && a.items("CHECK_DEADLOCK").equals(List.of("FALSE"))) {
      problems.add(a.at(a.line("CHECK_DEADLOCK")) + ": the base " + base.name()
          + " does not check for deadlock, which the manifest expects " + bug.name() + " to reach");
    }
    Set<String> names = new TreeSet<>(a.constants().keySet());
    names.addAll(b.constants().keySet());
    List<String> mutant = new ArrayList<>();
    for (String n : names) {
      Constant x = b.constants().get(n);
      Constant y = a.constants().get(n);
      if (x != null && y != null && x.value().equals(y.value())) {
        continue;
      }
      String what = n + " " + (x == null ? "(unset)" : x.value()) + ", base "
          + (y == null ? "(unset)" : y.value() + " (" + a.at(y.line()) + ")");
      String at = x == null ? b.at(b.line("CONSTANTS")) : b.at(x.line());
      if (allowed.containsKey(n)) {
        notes.add("allowed: " + at + ": " + what + " (" + allowed.get(n) + ")");
      } else {
        mutant.add(at + ": " + what);
      }
    }
    if (mutant.isEmpty()) {
      problems.add(b.at(b.line("CONSTANTS")) + ": no CONSTANT differs from the base " + base.name()
          + " (" + a.file() + "): no mutant");
    } else if (mutant.size() > 1) {
      problems.add(b.file() + ": more than one CONSTANT differs from the base " + base.name()
          + " (a mutant is one change; list the others in ALLOWED): " + String.join("; ", mutant));
    } else {
      notes.add("mutant: " + mutant.get(0));
    }
    return problems;
  }

  @Test
  void everyBugIsItsBaseWithOneMutant() throws Exception {
    Path root = ModelManifestTest.root();
    Manifest manifest = Manifest.load(root.resolve("spec/models.txt"));
    for (String name : ALLOWED.keySet()) {
      assertTrue(manifest.entries().stream().anyMatch(e -> e.name().equals(name)), "ALLOWED names no manifest model: " + name);
    }
    StringBuilder out = new StringBuilder("_bug models against their base:\n");
    List<String> problems = checkAll(root, manifest, out);
    System.out.print(out);
    if (!problems.isEmpty()) {
      fail(problems.size() + " _bug cfg(s) are not their base plus a mutant:\n  " + String.join("\n  ", problems));
    }
  }

  /**
   * Checks every {@code _bug} model of {@code manifest} against its base (files relative to
   * {@code root}); returns the problems and prints the bases, mutants and allowed differences to
   * {@code out}. A bug whose name leads to no base is a problem.
   */
  static List<String> checkAll(Path root, Manifest manifest, StringBuilder out) throws IOException {
    List<ModelEntry> all = manifest.entries();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (ModelEntry bug : all) {
      if (!bug.name().endsWith("_bug")) {
        continue;
      }
      Path bugFile = root.relativize(bug.specDir(manifest.specRoot()).resolve(bug.config()));
      Optional<ModelEntry> base = base(bug, all);
      if (base.isEmpty()) {
        problems.add(bugFile + ":1: no base for " + bug.name() + " (" + manifest.file().getFileName() + ":"
            + bug.line() + "): a non-bug model-checked manifest model <base> with the name <base>_<what>_bug expected");
        out.append("  ").append(bug.name()).append(": NO BASE by name\n");
        continue;
      }
      ModelEntry bs = base.get();
      Path baseFile = root.relativize(bs.specDir(manifest.specRoot()).resolve(bs.config()));
      Cfg b = parse(bugFile, Files.readAllLines(root.resolve(bugFile), StandardCharsets.UTF_8));
      Cfg a = parse(baseFile, Files.readAllLines(root.resolve(baseFile), StandardCharsets.UTF_8));
      List<String> notes = new ArrayList<>();
      List<String> p = compare(bug, b, bs, a, ALLOWED.getOrDefault(bug.name(), Map.of()), notes);
      problems.addAll(p);
      checked++;
      out.append("  ").append(bug.name()).append(" <- ").append(bs.name())
          .append(p.isEmpty() ? "" : " FAILS").append('\n');
      for (String n : notes) {
        out.append("      ").append(n).append('\n');
      }
    }
    out.append("  ").append(checked).append(" _bug models checked against their base\n");
    return problems;
  }

  // ---- negative controls: synthetic pairs ----

  private static final String BASE_CFG = """
      \\* base
      CONSTANTS
          Threads = {t1, t2}
          t1 = t1  t2 = t2
          Mutant = "none"
          Want <- MCWant
      INIT Init
      NEXT Next
      INVARIANTS
          TypeOK
          Safe
      PROPERTIES
          Stable
      CHECK_DEADLOCK FALSE
      """;

  private static List<String> problemsOf(String bugText, String expected, Map<String, String> allowed,
      List<String> notes, Path dir) throws Exception {
    Files.writeString(dir.resolve("MCX.cfg"), BASE_CFG);
    Files.writeString(dir.resolve("MCX_m_bug.cfg"), bugText);
    Files.writeString(dir.resolve("MCX.tla"), "");
    Manifest m = Manifest.parse(dir.resolve("models.txt"), dir.getParent(), List.of(
        "X        " + dir.getFileName() + " MCX MCX.cfg       ci success 10 3",
        "X_m_bug  " + dir.getFileName() + " MCX MCX_m_bug.cfg ci " + expected + " - 3"), true);
    ModelEntry bug = m.entries().get(1);
    ModelEntry base = base(bug, m.entries()).orElseThrow();
    assertEquals("X", base.name());
    return compare(bug, read(dir.resolve(bug.config())), base, read(dir.resolve(base.config())), allowed, notes);
  }

  @Test
  void aCleanMutantPasses(@TempDir Path dir) throws Exception {
    List<String> notes = new ArrayList<>();
    List<String> p = problemsOf(BASE_CFG.replace("\"none\"", "\"broken\"").replace("    Safe\n", ""),
        "invariant:TypeOK", Map.of(), notes, dir);
    assertEquals(List.of(), p);
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).startsWith("mutant: ") && notes.get(0).contains("MCX_m_bug.cfg:5: Mutant = \"broken\", base = \"none\""), notes.get(0));
  }

  @Test
  void aDifferentNextIsCaught(@TempDir Path dir) throws Exception {
    List<String> p = problemsOf(BASE_CFG.replace("\"none\"", "\"broken\"").replace("NEXT Next", "NEXT BrokenNext"),
        "invariant:Safe", Map.of(), new ArrayList<>(), dir);
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("MCX_m_bug.cfg:8: NEXT BrokenNext, base ") && p.get(0).contains("MCX.cfg:8 has Next"), p.get(0));
  }

  @Test
  void anExtraInvariantOrAnUncheckedExpectationIsCaught(@TempDir Path dir) throws Exception {
    List<String> p = problemsOf(BASE_CFG.replace("\"none\"", "\"broken\"").replace("    Safe\n", "    Safe\n    Other\n"),
        "invariant:Other", Map.of(), new ArrayList<>(), dir);
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.get(0).contains("MCX_m_bug.cfg:12: INVARIANTS Other is not checked by the base X"), p.get(0));
    assertTrue(p.get(1).contains("MCX.cfg:1: the base X does not check Other"), p.get(1));
  }

  @Test
  void noMutantOrTwoMutantsAreCaught(@TempDir Path dir) throws Exception {
    List<String> none = problemsOf(BASE_CFG, "invariant:Safe", Map.of(), new ArrayList<>(), dir);
    assertEquals(1, none.size(), none.toString());
    assertTrue(none.get(0).contains("no CONSTANT differs"), none.get(0));
    String two = BASE_CFG.replace("\"none\"", "\"broken\"").replace("{t1, t2}", "{t1}");
    List<String> p = problemsOf(two, "invariant:Safe", Map.of(), new ArrayList<>(), dir);
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("more than one CONSTANT differs") && p.get(0).contains("Threads"), p.get(0));
    List<String> notes = new ArrayList<>();
    assertEquals(List.of(), problemsOf(two, "invariant:Safe", Map.of("Threads", "smaller"), notes, dir));
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("allowed: ") && n.contains("MCX_m_bug.cfg:3: Threads = {t1}, base = {t1, t2}")), notes.toString());
  }

  @Test
  void aBugWhoseNameLeadsToNoBaseIsCaught(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("MCX.cfg"), BASE_CFG);
    Files.writeString(dir.resolve("MCY_m_bug.cfg"), BASE_CFG.replace("\"none\"", "\"broken\""));
    Files.writeString(dir.resolve("MCX.tla"), "");
    String d = dir.getFileName().toString();
    Manifest m = Manifest.parse(dir.resolve("models.txt"), dir.getParent(), List.of(
        "X        " + d + " MCX MCX.cfg       ci success 10 3",
        "XConf    " + d + " MCX MCX.cfg       conformance success - -",
        "Y_m_bug  " + d + " MCX MCY_m_bug.cfg ci invariant:Safe - 3",
        "XConf_m_bug " + d + " MCX MCY_m_bug.cfg ci invariant:Safe - 3"), true);
    List<String> p = checkAll(dir.getParent(), m, new StringBuilder());
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.get(0).startsWith(d + "/MCY_m_bug.cfg:1: no base for Y_m_bug (models.txt:3)"), p.get(0));
    // A conformance model is no base: it is not model-checked.
    assertTrue(p.get(1).startsWith(d + "/MCY_m_bug.cfg:1: no base for XConf_m_bug (models.txt:4)"), p.get(1));
  }
}
