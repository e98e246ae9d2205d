package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncref.modelcheck.TlcReport.ActionCoverage;

/**
 * Every action of a component's next-state relation is taken in some model: {@link
 * ModelManifestTest} runs the models of {@link #MODELS} with TLC's per-action coverage ({@code
 * -coverage}) and then checks, with {@link #neverTaken}, that each action named in the
 * component's next-state definition ({@link #COMPONENTS}) generated at least one successor state
 * in one of them. An action that is never taken is a rule no model exercises: its guard is
 * unsatisfiable, or the models leave out what enables it. The tests here are the check's logic on
 * synthetic coverage reports (the negative controls).
 */
class ActionCoverageTest {

  /** A component: its spec file under spec/ and the definition whose disjuncts are its actions. */
  record Component(String file, String module, String definition) {}

  /** The components whose actions must all be taken. */
  static final List<Component> COMPONENTS = List.of(
      new Component("DmaFence/DmaFence.tla", "DmaFence", "Next"),
      new Component("DmaResv/DmaResv.tla", "DmaResv", "ResvNext"),
      new Component("WwMutex/WwMutex.tla", "WwMutex", "ThreadNext"),
      new Component("DrmExec/DrmExec.tla", "DrmExec", "ThreadNext"));

  /**
   * The non-bug ci models run with {@code -coverage} (TLC needs about 70% more CPU time with it,
   * so only a few small ones that together take every action).
   */
  static final Set<String> MODELS = Set.of("DmaFenceWait", "DmaResvQueries", "DmaResvWait",
      "DmaResvReplaceBookkeep", "DmaResvCopy", "DmaResvPut", "WwWaitDie", "DrmExecWaitDie");

  /** Operators applied in a next-state definition that are not actions (set-valued helpers). */
  static final Set<String> NOT_ACTIONS = Set.of("CallThreads");

  private static final Pattern APPLIED = Pattern.compile("\\b([A-Z][A-Za-z0-9_]*)\\(");

  /**
   * The actions of {@code c}: the operators applied in its next-state definition (the text from
   * {@code Name ==} or {@code Name(..) ==} to the next blank line, comments removed), in order.
   */
  static List<String> declaredActions(Path specRoot, Component c) throws IOException {
    List<String> lines = Files.readAllLines(specRoot.resolve(c.file()), StandardCharsets.UTF_8);
    Pattern head = Pattern.compile("^" + Pattern.quote(c.definition()) + "(\\(.*\\))?\\s*==");
    int start = -1;
    for (int i = 0; i < lines.size() && start < 0; i++) {
      if (head.matcher(lines.get(i)).find()) {
        start = i;
      }
    }
    if (start < 0) {
      throw new IllegalStateException(c.file() + ": no definition " + c.definition() + " ==");
    }
    StringBuilder body = new StringBuilder();
    for (int i = start; i < lines.size() && !lines.get(i).isBlank(); i++) {
      String l = lines.get(i);
      int cmt = l.indexOf("\\*");
      body.append(cmt < 0 ? l : l.substring(0, cmt)).append('\n');
    }
    String text = body.toString().replaceAll("(?s)\\(\\*.*?\\*\\)", " ");
    text = text.substring(text.indexOf("==") + 2);
    Set<String> names = new LinkedHashSet<>();
    Matcher m = APPLIED.matcher(text);
    while (m.find()) {
      if (!NOT_ACTIONS.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    return List.copyOf(names);
  }

  /**
   * The actions of {@code c} that no coverage report shows taken (one line each, naming the
   * definition and the models); {@code reports} maps a model name to its TLC coverage.
   */
  static List<String> neverTaken(Component c, List<String> actions, Map<String, List<ActionCoverage>> reports) {
    List<String> problems = new ArrayList<>();
    for (String a : actions) {
      boolean listed = false;
      boolean taken = false;
      for (List<ActionCoverage> r : reports.values()) {
        for (ActionCoverage ac : r) {
          if (ac.name().equals(a) && ac.module().equals(c.module())) {
            listed = true;
            taken |= ac.generated() > 0;
          }
        }
      }
      if (!taken) {
        problems.add("spec/" + c.file() + ": action " + a + " of " + c.definition() + " is never taken in "
            + String.join(", ", new java.util.TreeSet<>(reports.keySet()))
            + (listed ? " (never enabled)" : " (not one instance: its parameters' domains are empty)"));
      }
    }
    return problems;
  }

  /** Checks every component against the coverage reports; returns the problems. */
  static List<String> check(Path specRoot, Map<String, List<ActionCoverage>> reports) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Component c : COMPONENTS) {
      problems.addAll(neverTaken(c, declaredActions(specRoot, c), reports));
    }
    return problems;
  }

  @Test
  void theComponentsDefinitionsNameTheirActions() throws Exception {
    Path specRoot = ModelManifestTest.root().resolve("spec");
    List<String> fence = declaredActions(specRoot, COMPONENTS.get(0));
    assertTrue(fence.size() >= 20, "the parse of Next found too few actions: " + fence);
    assertTrue(fence.containsAll(List.of("ContextAlloc", "Signal", "WaitWake", "ModuleUnload")), fence.toString());
    List<String> resv = declaredActions(specRoot, COMPONENTS.get(1));
    assertTrue(resv.containsAll(List.of("ResvLock", "CopyFences", "ResvWaitWake")) && !resv.contains("CallThreads"), resv.toString());
    for (Component c : COMPONENTS) {
      assertTrue(!declaredActions(specRoot, c).isEmpty(), c + " has no actions");
    }
    Manifest manifest = Manifest.load(specRoot.resolve("models.txt"));
    for (String model : MODELS) {
      assertTrue(manifest.entries().stream().anyMatch(e -> e.name().equals(model) && e.mode() == Mode.CI
          && !e.name().endsWith("_bug")), model + ": a non-bug ci model of spec/models.txt expected");
    }
  }

  private static final Component FAKE = new Component("X/X.tla", "X", "Next");

  @Test
  void anActionNeverTakenIsNamed(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("X"));
    Files.writeString(dir.resolve("X/X.tla"), """
        ---- MODULE X ----
        Next ==
            \\/ \\E t \\in CallThreads("a") : A(t)   \\* B(t) in a comment is no action
            \\/ \\E t \\in Threads : B(t) \\/ C(t)
            (* D(t) neither *)

        Other == E(1)
        """);
    List<String> actions = declaredActions(dir, FAKE);
    assertEquals(List.of("A", "B", "C"), actions);
    Map<String, List<ActionCoverage>> reports = Map.of(
        "M1", List.of(new ActionCoverage("A", "X", 3, 2, 10), new ActionCoverage("B", "X", 4, 0, 0)),
        "M2", List.of(new ActionCoverage("A", "X", 3, 0, 0), new ActionCoverage("B", "X", 4, 0, 7),
            new ActionCoverage("C", "Y", 9, 5, 5)));
    List<String> p = neverTaken(FAKE, actions, reports);
    // A and B are taken in one model each; C only in another module's coverage: never listed here.
    assertEquals(List.of("spec/X/X.tla: action C of Next is never taken in M1, M2 (not one instance: its parameters' domains are empty)"), p);
    List<String> q = neverTaken(FAKE, actions, Map.of("M1", reports.get("M1")));
    assertEquals(2, q.size(), q.toString());
    assertTrue(q.get(0).startsWith("spec/X/X.tla: action B of Next is never taken in M1 (never enabled)"), q.get(0));
  }

  @Test
  void tlcCoverageMessagesAreParsed() {
    String out = """
        @!@!@STARTMSG 2201:0 @!@!@
        The coverage statistics at 2026-12-06 09:44:43
        @!@!@ENDMSG 2201 @!@!@
        @!@!@STARTMSG 2772:0 @!@!@
        <Get line 313, col 1 to line 313, col 9 of module DmaFence>: 0:0
        @!@!@ENDMSG 2772 @!@!@
        @!@!@STARTMSG 2772:0 @!@!@
        <Next line 13, col 1 to line 13, col 4 of module Github845 (15 8 17 24)>: 3:27
        @!@!@ENDMSG 2772 @!@!@
        """;
    TlcReport r = TlcReport.parse(out);
    assertEquals(List.of(new ActionCoverage("Get", "DmaFence", 313, 0, 0),
        new ActionCoverage("Next", "Github845", 13, 3, 27)), r.coverage());
    // A later report replaces an earlier one.
    TlcReport twice = TlcReport.parse(out + out.replace("3:27", "4:30"));
    assertEquals(2, twice.coverage().size());
    assertEquals(30, twice.coverage().get(1).generated());
  }
}
