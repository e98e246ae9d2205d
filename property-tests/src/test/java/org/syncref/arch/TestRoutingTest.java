package org.syncref.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.syncref.modelcheck.Checkout;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Every test class runs in exactly one surefire execution. TLC holds one spec per JVM, so the
 * conformance tests of each spec and configuration run in an execution of their own, and the
 * executions select their classes by package (includes in each module's pom.xml). A test class
 * put in a package no execution includes would run nowhere, silently; one included twice would
 * load two specs in one JVM. This test reads the poms of every module of the root pom, finds the
 * test classes of each module's src/test/java (concrete classes declaring or inheriting a JUnit or
 * jqwik test method) and applies surefire's include and exclude patterns to each.
 */
class TestRoutingTest {
  private static final Pattern TEST_ANNOTATION =
      Pattern.compile("(?m)^\\s*@(Test|Property|Example|ParameterizedTest|TestFactory|RepeatedTest|TestTemplate)\\b");
  private static final Pattern CLASS =
      Pattern.compile("(?m)^((?:(?:public|protected|private|final|abstract|static)\\s+)*)class\\s+(\\w+)(?:<[^>]*>)?(?:\\s+extends\\s+([\\w.]+))?");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");

  /** A surefire execution: its id and its include and exclude patterns. */
  record Execution(String module, String id, List<String> includes, List<String> excludes) {
    boolean runs(String path) {
      return includes.stream().anyMatch(p -> matches(p, path)) && excludes.stream().noneMatch(p -> matches(p, path));
    }

    @Override
    public String toString() {
      return id;
    }
  }

  /** A class of src/test/java: its path below it (org/syncref/x/Foo.java), superclass, own tests. */
  record TestSource(String module, String path, String name, boolean isAbstract, String superclass, boolean declaresTests) {
    String className() {
      return path.substring(0, path.length() - ".java".length()).replace('/', '.');
    }
  }

  @Test
  void every_test_class_runs_in_exactly_one_surefire_execution() throws Exception {
    List<String> problems = routingProblems(Checkout.require());
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** The checker itself: a class in no execution, and one in two, are named with the executions. */
  @Test
  void the_check_names_unrouted_and_doubly_routed_classes() {
    Execution a = new Execution("m", "default-test", List.of("org/syncref/x/**/*.java"), List.of("**/*Helper*"));
    Execution b = new Execution("m", "x-y", List.of("**/y/*.java"), List.of());
    List<TestSource> sources = List.of(
        new TestSource("m", "org/syncref/x/AExamples.java", "AExamples", false, null, true),
        new TestSource("m", "org/syncref/z/BExamples.java", "BExamples", false, null, true),
        new TestSource("m", "org/syncref/x/y/CBase.java", "CBase", true, null, true),
        new TestSource("m", "org/syncref/x/y/CExamples.java", "CExamples", false, "CBase", false),
        new TestSource("m", "org/syncref/x/Helper.java", "Helper", false, null, false));
    assertEquals(List.of(
            "m: test class org.syncref.z.BExamples is run by no surefire execution (executions of m: default-test, x-y)",
            "m: test class org.syncref.x.y.CExamples is run by 2 surefire executions: default-test, x-y"),
        problems("m", List.of(a, b), sources));
  }

  static List<String> routingProblems(Path root) throws Exception {
    Element rootPom = pom(root.resolve("pom.xml"));
    List<String> defaults = patterns(child(surefire(rootPom), "configuration"), "includes");
    List<String> problems = new ArrayList<>();
    int modules = 0;
    for (Element m : children(child(rootPom, "modules"), "module")) {
      String module = m.getTextContent().trim();
      Path dir = root.resolve(module);
      Path tests = dir.resolve("src/test/java");
      if (!Files.isDirectory(tests)) {
        continue;
      }
      modules++;
      problems.addAll(problems(module, executions(module, pom(dir.resolve("pom.xml")), defaults), sources(module, tests)));
    }
    assertTrue(modules >= 5 && !defaults.isEmpty(), "test modules found: " + modules + ", default includes " + defaults);
    return problems;
  }

  static List<String> problems(String module, List<Execution> executions, List<TestSource> sources) {
    Map<String, TestSource> byName = new HashMap<>();
    sources.forEach(s -> byName.put(s.name(), s));
    List<String> problems = new ArrayList<>();
    for (TestSource s : sources) {
      if (s.isAbstract() || !hasTests(s, byName)) {
        continue;
      }
      List<Execution> in = executions.stream().filter(e -> e.runs(s.path())).collect(Collectors.toList());
      if (in.isEmpty()) {
        problems.add(module + ": test class " + s.className() + " is run by no surefire execution (executions of "
            + module + ": " + executions.stream().map(Execution::id).collect(Collectors.joining(", ")) + ")");
      } else if (in.size() > 1) {
        problems.add(module + ": test class " + s.className() + " is run by " + in.size() + " surefire executions: "
            + in.stream().map(Execution::id).collect(Collectors.joining(", ")));
      }
    }
    return problems;
  }

  private static boolean hasTests(TestSource s, Map<String, TestSource> byName) {
    for (int depth = 0; s != null && depth < 10; depth++) {
      if (s.declaresTests()) {
        return true;
      }
      s = s.superclass() == null ? null : byName.get(s.superclass().replaceAll(".*\\.", ""));
    }
    return false;
  }

  /** The module's executions; default-test always exists, with the root pom's includes unless it names its own. */
  static List<Execution> executions(String module, Element pom, List<String> defaults) {
    Map<String, Execution> all = new LinkedHashMap<>();
    all.put("default-test", new Execution(module, "default-test", defaults, List.of()));
    Element plugin = surefire(pom);
    for (Element e : children(child(plugin, "executions"), "execution")) {
      String id = child(e, "id").getTextContent().trim();
      Element config = child(e, "configuration");
      List<String> in = patterns(config, "includes");
      all.put(id, new Execution(module, id, in.isEmpty() ? defaults : in, patterns(config, "excludes")));
    }
    return List.copyOf(all.values());
  }

  static List<TestSource> sources(String module, Path tests) throws IOException {
    List<TestSource> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(tests)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
        String text = Files.readString(f);
        String name = f.getFileName().toString().replace(".java", "");
        Matcher c = CLASS.matcher(text);
        boolean found = false;
        while (c.find()) {
          if (c.group(2).equals(name)) {
            found = true;
            break;
          }
        }
        if (!found) {
          continue; // interfaces, records, enums, package-info
        }
        String path = tests.relativize(f).toString().replace('\\', '/');
        Matcher p = PACKAGE.matcher(text);
        assertTrue(p.find() && path.startsWith(p.group(1).replace('.', '/') + "/"), f + ": package and folder differ");
        out.add(new TestSource(module, path, name, c.group(1).contains("abstract"), c.group(3), TEST_ANNOTATION.matcher(text).find()));
      }
    }
    return out;
  }

  /** Surefire's pattern matching of class files: ** spans folders, * stays within one; .java and .class alike. */
  static boolean matches(String pattern, String path) {
    String p = pattern.trim().replaceAll("\\.(java|class)$", "");
    String f = path.replaceAll("\\.(java|class)$", "");
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char ch = p.charAt(i);
      if (p.startsWith("**/", i)) {
        re.append("(?:.*/)?");
        i += 2;
      } else if (p.startsWith("**", i)) {
        re.append(".*");
        i += 1;
      } else if (ch == '*') {
        re.append("[^/]*");
      } else if (ch == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return f.matches(re.toString());
  }

  private static Element pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  private static Element surefire(Element pom) {
    for (Element p : children(child(child(pom, "build"), "plugins"), "plugin")) {
      if (child(p, "artifactId").getTextContent().trim().equals("maven-surefire-plugin")) {
        return p;
      }
    }
    return null;
  }

  private static List<String> patterns(Element config, String list) {
    Element l = child(config, list);
    return children(l, list.substring(0, list.length() - 1)).stream()
        .map(e -> e.getTextContent().trim()).collect(Collectors.toList());
  }

  private static Element child(Element e, String name) {
    List<Element> c = children(e, name);
    return c.isEmpty() ? null : c.get(0);
  }

  private static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    if (e == null) {
      return out;
    }
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        out.add((Element) n);
      }
    }
    return out;
  }
}
