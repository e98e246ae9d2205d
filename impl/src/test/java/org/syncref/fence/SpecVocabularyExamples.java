package org.syncref.fence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Java javadoc and spec/DmaFence/DmaFence.tla, spec/DmaResv/DmaResv.tla,
 * spec/WwMutex/WwMutex.tla on one vocabulary: every action of {@code Next}, of {@code ResvNext}
 * and of WwMutex's {@code ThreadNext} is named in a "TLA+" javadoc line, and every name cited
 * after "TLA+" is defined in one of the specs: a test fails when an action of Next has no Java
 * counterpart, or the Java names an action that does not exist.
 */
class SpecVocabularyExamples {
  private static Path root() {
    Path r = Path.of(System.getProperty("syncref.root", ".."));
    if (!Files.exists(r.resolve("spec/DmaFence/DmaFence.tla")) && Files.exists(Path.of("spec"))) {
      r = Path.of(".");
    }
    return r;
  }

  private static String spec() throws IOException {
    Path p = root().resolve("spec/DmaFence/DmaFence.tla");
    Assumptions.assumeTrue(Files.exists(p), "spec not found from " + root().toAbsolutePath());
    return Files.readString(p);
  }

  /** spec/DmaResv/DmaResv.tla, or null if this checkout has none. */
  private static String resvSpec() throws IOException {
    Path p = root().resolve("spec/DmaResv/DmaResv.tla");
    return Files.exists(p) ? Files.readString(p) : null;
  }

  /** spec/WwMutex/WwMutex.tla, or null if this checkout has none. */
  private static String wwSpec() throws IOException {
    Path p = root().resolve("spec/WwMutex/WwMutex.tla");
    return Files.exists(p) ? Files.readString(p) : null;
  }

  private static List<String> tlaJavadocLines() throws IOException {
    Path src = root().resolve("impl/src/main/java");
    try (Stream<Path> files = Files.walk(src)) {
      return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
        try {
          return Files.readAllLines(p).stream();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }).filter(l -> l.contains("TLA+ ")).collect(Collectors.toList());
    }
  }

  /** The actions that no "TLA+ ..." javadoc line names. */
  private static Set<String> withoutJavadoc(Set<String> actions) throws IOException {
    List<String> lines = tlaJavadocLines();
    Set<String> missing = new TreeSet<>();
    for (String a : actions) {
      Pattern word = Pattern.compile("\\b" + a + "\\b");
      if (lines.stream().noneMatch(l -> word.matcher(l).find())) {
        missing.add(a);
      }
    }
    return missing;
  }

  private static Set<String> nextActions(String spec) {
    int from = spec.indexOf("\nNext ==");
    int to = spec.indexOf("\nSpec ==", from);
    Matcher m = Pattern.compile("\\b([A-Z][A-Za-z]*)\\(").matcher(spec.substring(from, to));
    Set<String> out = new LinkedHashSet<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  @DisplayName("every action of Next has a Java counterpart named in a TLA+ javadoc line")
  void every_action_has_a_java_method() throws IOException {
    String spec = spec();
    Set<String> actions = nextActions(spec);
    assertTrue(actions.size() >= 20, actions.toString());
    Set<String> missing = withoutJavadoc(actions);
    assertTrue(missing.isEmpty(), "actions without Java counterpart: " + missing);
  }

  @Test
  @DisplayName("every action of ResvNext has a Java counterpart named in a TLA+ javadoc line")
  void every_resv_action_has_a_java_method() throws IOException {
    String spec = resvSpec();
    Assumptions.assumeTrue(spec != null, "no spec/DmaResv/DmaResv.tla");
    int from = spec.indexOf("\nResvNext ==");
    int to = spec.indexOf("\nResvSpec ==", from);
    Assumptions.assumeTrue(from >= 0 && to > from, "ResvNext not found");
    // The action of each disjunct "\E ... : Action(...)"; XStep is DmaFence's X.
    Matcher m = Pattern.compile(":\\s*([A-Z][A-Za-z]*)\\(").matcher(spec.substring(from, to));
    Set<String> actions = new LinkedHashSet<>();
    while (m.find()) {
      String a = m.group(1);
      actions.add(a.endsWith("Step") ? a.substring(0, a.length() - "Step".length()) : a);
    }
    assertTrue(actions.size() >= 15, actions.toString());
    Set<String> missing = withoutJavadoc(actions);
    assertTrue(missing.isEmpty(), "ResvNext actions without Java counterpart: " + missing);
  }

  @Test
  @DisplayName("every action of WwMutex's ThreadNext has a Java counterpart named in a TLA+ javadoc line")
  void every_ww_action_has_a_java_method() throws IOException {
    String spec = wwSpec();
    Assumptions.assumeTrue(spec != null, "no spec/WwMutex/WwMutex.tla");
    int from = spec.indexOf("\nThreadNext(t) ==");
    int to = from < 0 ? -1 : spec.indexOf("\n\n", from);
    Assumptions.assumeTrue(from >= 0 && to > from, "ThreadNext not found");
    Matcher m = Pattern.compile("\\b([A-Z][A-Za-z]*)\\(").matcher(spec.substring(from + 1, to));
    Set<String> actions = new LinkedHashSet<>();
    while (m.find()) {
      actions.add(m.group(1));
    }
    actions.remove("ThreadNext");
    assertTrue(actions.size() >= 5, actions.toString());
    Set<String> missing = withoutJavadoc(actions);
    assertTrue(missing.isEmpty(), "WwMutex actions without Java counterpart: " + missing);
  }

  @Test
  @DisplayName("every name cited after 'TLA+' is defined in the specs")
  void every_cited_name_exists() throws IOException {
    String spec = spec();
    String resv = resvSpec();
    if (resv != null) {
      spec = spec + "\n" + resv;
    }
    String ww = wwSpec();
    if (ww != null) {
      spec = spec + "\n" + ww;
    }
    Set<String> defined = new TreeSet<>();
    Matcher d = Pattern.compile("(?m)^([A-Za-z][A-Za-z0-9_]*)(\\([^)]*\\))?\\s*==").matcher(spec);
    while (d.find()) {
      defined.add(d.group(1));
    }
    Set<String> cited = new TreeSet<>();
    Matcher c = Pattern.compile("TLA\\+ ([A-Z][A-Za-z]*)").matcher(String.join("\n", tlaJavadocLines()));
    while (c.find()) {
      cited.add(c.group(1));
    }
    assertFalse(cited.isEmpty());
    cited.removeAll(defined);
    assertTrue(cited.isEmpty(), "cited in javadoc but not defined in DmaFence.tla, DmaResv.tla or WwMutex.tla: " + cited);
  }
}
