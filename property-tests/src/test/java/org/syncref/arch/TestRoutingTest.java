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
 * jqwik test method, nested ones included) and applies surefire's include and exclude patterns to
 * each.
 *
 * <p>Nested classes: surefire matches patterns against class files ({@code Outer$Inner.class})
 * and, when an execution names no excludes, excludes {@code **}{@code /*$*}, every nested class.
 * A {@code @Nested} (JUnit) or {@code @Group} (jqwik) inner class runs where its enclosing class
 * runs, since the engine finds it there, and once more wherever its own class file is selected; a
 * static nested class with tests runs only where its class file is selected, which the default
 * excludes prevent; an inner class without {@code @Nested} is no test class to JUnit at all.
 */
class TestRoutingTest {
  private static final Pattern TEST_ANNOTATION =
      Pattern.compile("(?m)^\\s*@(Test|Property|Example|ParameterizedTest|TestFactory|RepeatedTest|TestTemplate)\\b");
  private static final Pattern NESTED_ANNOTATION = Pattern.compile("@(?:[\\w.]+\\.)?(Nested|Group)\\b");
  private static final Pattern TYPE = Pattern.compile("(?<![\\w.$])(class|interface|enum|record)\\s+(\\w+)");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");

  /** Surefire's excludes when an execution names none (an empty list included): every nested class. */
  static final List<String> DEFAULT_EXCLUDES = List.of("**/*$*");

  /** A surefire execution: its id and its include and exclude patterns. */
  record Execution(String module, String id, List<String> includes, List<String> excludes) {
    /** Whether the execution selects the class file {@code path} (org/syncref/x/Foo.java, or Foo$Bar.class). */
    boolean runs(String path) {
      List<String> ex = excludes.isEmpty() ? DEFAULT_EXCLUDES : excludes;
      return includes.stream().anyMatch(p -> matches(p, path)) && ex.stream().noneMatch(p -> matches(p, path));
    }

    @Override
    public String toString() {
      return id;
    }
  }

  /**
   * A class of src/test/java: its class-file path below it (org/syncref/x/Foo.java for a
   * top-level class, org/syncref/x/Foo$Bar.class for a nested one), superclass, own tests; for a
   * nested class the path of the enclosing class, whether it is static and whether it is
   * annotated {@code @Nested} or {@code @Group}.
   */
  record TestSource(String module, String path, String name, boolean isAbstract, String superclass, boolean declaresTests,
      String enclosing, boolean isStatic, boolean nestedAnnotation) {
    /** A top-level class. */
    TestSource(String module, String path, String name, boolean isAbstract, String superclass, boolean declaresTests) {
      this(module, path, name, isAbstract, superclass, declaresTests, null, false, false);
    }

    String className() {
      return path.replaceAll("\\.(java|class)$", "").replace('/', '.').replace('$', '.');
    }

    /** A {@code @Nested}/{@code @Group} inner class, which the engine finds in its enclosing class. */
    boolean runsWithEnclosing() {
      return enclosing != null && !isStatic && nestedAnnotation;
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
            "m: test class org.syncref.x.y.CExamples is run 2 times, by the surefire executions default-test, x-y"),
        problems("m", List.of(a, b), sources));
  }

  /** A file of nested test classes, with comments, literals, a local and an anonymous class to be ignored. */
  static final String NESTED = """
      package org.syncref.x;

      import org.junit.jupiter.api.Nested;

      /* class Fake { @Test } in a comment */
      class OuterExamples {
        String s = "class NotAClass { @Test";
        char brace = '{';

        @Nested
        class Routed {
          @Test
          void t() {}
        }

        static class StaticNested {
          @Test
          void t() {}
        }

        class InnerWithoutNested {
          @Property
          void p() {}
        }

        @Nested
        @DisplayName("deeper; {")
        class Deeper {
          @Nested
          class Deepest extends Base {
            void e() {
              Runnable r = new Runnable() {
                public void run() {}
              };
              class Local {
                @Test
                void x() {}
              }
              Class<?> c = OuterExamples.class;
            }
          }
        }

        abstract static class Base {
          @Example
          void b() {}
        }
      }
      """;

  /** A package whose execution names its own excludes, so that nested class files are selected too. */
  static final String TWICE = """
      package org.syncref.y;

      class TwiceExamples {
        @Test
        void top() {}

        @org.junit.jupiter.api.Nested
        class Inner {
          @Test
          void t() {}
        }

        static class Alone {
          @Property
          void p() {}
        }
      }
      """;

  @Test
  void the_parser_finds_member_classes_at_any_depth_and_nothing_else() {
    List<String> found = parse("m", "org/syncref/x/OuterExamples.java", NESTED).stream()
        .map(s -> s.className() + (s.enclosing() == null ? "" : " in " + s.enclosing())
            + (s.isStatic() ? " static" : "") + (s.nestedAnnotation() ? " @Nested" : "")
            + (s.isAbstract() ? " abstract" : "") + (s.declaresTests() ? " tests" : "")
            + (s.superclass() == null ? "" : " extends " + s.superclass()))
        .collect(Collectors.toList());
    assertEquals(List.of(
        "org.syncref.x.OuterExamples",
        "org.syncref.x.OuterExamples.Routed in org/syncref/x/OuterExamples.java @Nested tests",
        "org.syncref.x.OuterExamples.StaticNested in org/syncref/x/OuterExamples.java static tests",
        "org.syncref.x.OuterExamples.InnerWithoutNested in org/syncref/x/OuterExamples.java tests",
        "org.syncref.x.OuterExamples.Deeper in org/syncref/x/OuterExamples.java @Nested",
        "org.syncref.x.OuterExamples.Deeper.Deepest in org/syncref/x/OuterExamples$Deeper.class @Nested extends Base",
        "org.syncref.x.OuterExamples.Base in org/syncref/x/OuterExamples.java static abstract tests"), found);
  }

  /**
   * Nested classes: a @Nested class runs with its enclosing class; a static nested one, and an
   * inner one without @Nested, run nowhere (default excludes); a @Nested class whose class file an
   * execution also selects runs twice. The routed ones (Routed, Deepest through Deeper, Alone) pass.
   */
  @Test
  void the_check_names_nested_classes_that_run_nowhere_or_twice() {
    Execution x = new Execution("m", "default-test", List.of("org/syncref/x/*.java"), List.of());
    Execution y = new Execution("m", "y", List.of("org/syncref/y/*.java"), List.of("**/*Helper*"));
    List<TestSource> sources = new ArrayList<>(parse("m", "org/syncref/x/OuterExamples.java", NESTED));
    sources.addAll(parse("m", "org/syncref/y/TwiceExamples.java", TWICE));
    assertEquals(List.of(
            "m: test class org.syncref.x.OuterExamples.StaticNested is run by no surefire execution (executions of m:"
                + " default-test, y); a static nested class runs only where its class file is selected, and surefire's"
                + " default excludes (**/*$*) skip nested classes: make it a non-static @Nested class or a top-level class",
            "m: test class org.syncref.x.OuterExamples.InnerWithoutNested is run by no surefire execution (executions"
                + " of m: default-test, y); an inner class without @Nested (or jqwik's @Group) is no test class to the"
                + " engines: annotate it",
            "m: test class org.syncref.y.TwiceExamples.Inner is run 2 times, by the surefire executions y, y"),
        problems("m", List.of(x, y), sources));
    // and the routed ones are routed once: the enclosing class's execution
    Map<String, TestSource> byPath = new HashMap<>();
    sources.forEach(s -> byPath.put(s.path(), s));
    assertEquals(List.of(x), runIn(byPath.get("org/syncref/x/OuterExamples$Deeper$Deepest.class"), List.of(x, y), byPath));
    assertEquals(List.of(y), runIn(byPath.get("org/syncref/y/TwiceExamples$Alone.class"), List.of(x, y), byPath));
  }

  /** The real source tree, parsed: its test classes are found (a parser finding none would pass the check). */
  @Test
  void the_real_test_sources_are_found() throws Exception {
    Path root = Checkout.require();
    List<TestSource> found = sources("property-tests", root.resolve("property-tests/src/test/java"));
    assertTrue(found.stream().anyMatch(s -> s.className().equals(TestRoutingTest.class.getName()) && s.declaresTests()),
        "TestRoutingTest not found: " + found);
    assertTrue(found.stream().filter(TestSource::declaresTests).count() >= 10, "test classes found: " + found);
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
    Map<String, TestSource> byPath = new HashMap<>();
    sources.forEach(s -> {
      byName.put(s.name(), s);
      byPath.put(s.path(), s);
    });
    List<String> problems = new ArrayList<>();
    for (TestSource s : sources) {
      if (s.isAbstract() || !hasTests(s, byName)) {
        continue;
      }
      List<Execution> in = runIn(s, executions, byPath);
      if (in.isEmpty()) {
        problems.add(module + ": test class " + s.className() + " is run by no surefire execution (executions of "
            + module + ": " + executions.stream().map(Execution::id).collect(Collectors.joining(", ")) + ")"
            + whyNowhere(s));
      } else if (in.size() > 1) {
        problems.add(module + ": test class " + s.className() + " is run " + in.size() + " times, by the surefire executions "
            + in.stream().map(Execution::id).collect(Collectors.joining(", ")));
      }
    }
    return problems;
  }

  /**
   * The executions that run {@code s}, once per run: those selecting its class file, and for a
   * {@code @Nested} inner class also those running its enclosing class; none for an inner class
   * without {@code @Nested}.
   */
  static List<Execution> runIn(TestSource s, List<Execution> executions, Map<String, TestSource> byPath) {
    List<Execution> out = new ArrayList<>();
    if (s.enclosing() != null && !s.isStatic() && !s.nestedAnnotation()) {
      return out;
    }
    executions.stream().filter(e -> e.runs(s.path())).forEach(out::add);
    if (s.runsWithEnclosing()) {
      TestSource outer = byPath.get(s.enclosing());
      if (outer != null) {
        out.addAll(runIn(outer, executions, byPath));
      }
    }
    return out;
  }

  private static String whyNowhere(TestSource s) {
    if (s.enclosing() == null) {
      return "";
    }
    if (!s.isStatic() && !s.nestedAnnotation()) {
      return "; an inner class without @Nested (or jqwik's @Group) is no test class to the engines: annotate it";
    }
    if (s.isStatic()) {
      return "; a static nested class runs only where its class file is selected, and surefire's default excludes"
          + " (**/*$*) skip nested classes: make it a non-static @Nested class or a top-level class";
    }
    return "";
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
        String path = tests.relativize(f).toString().replace('\\', '/');
        String text = Files.readString(f);
        Matcher p = PACKAGE.matcher(text);
        assertTrue(p.find() && path.startsWith(p.group(1).replace('.', '/') + "/"), f + ": package and folder differ");
        out.addAll(parse(module, path, text));
      }
    }
    return out;
  }

  /**
   * The classes of one source file {@code path}: the top-level class named as the file and the
   * classes nested in it (member classes at any depth; local and anonymous classes are no test
   * classes and are left out, as are interfaces, records and enums). Comments and literals are
   * blanked first, so that braces and words in them do not count.
   */
  static List<TestSource> parse(String module, String path, String text) {
    String code = blank(text);
    String fileName = path.substring(path.lastIndexOf('/') + 1).replace(".java", "");
    String dir = path.substring(0, path.lastIndexOf('/') + 1);
    record Decl(int start, int nameEnd, String kind, String name) {}
    List<Decl> decls = new ArrayList<>();
    Matcher t = TYPE.matcher(code);
    while (t.find()) {
      decls.add(new Decl(t.start(), t.end(), t.group(1), t.group(2)));
    }
    // A frame per open brace: the class whose body it opens (null: a method, block, initializer...).
    record Frame(String path, boolean member) {}
    List<Frame> stack = new ArrayList<>();
    Map<String, boolean[]> tests = new LinkedHashMap<>();
    Map<String, TestSource> found = new LinkedHashMap<>();
    Matcher ann = TEST_ANNOTATION.matcher(code);
    List<Integer> testAt = new ArrayList<>();
    while (ann.find()) {
      testAt.add(ann.start(1));
    }
    int d = 0;
    int boundary = 0;
    Decl pending = null;
    String pendingPath = null;
    boolean pendingMember = false;
    int ti = 0;
    int parens = 0;
    for (int i = 0; i < code.length(); i++) {
      while (ti < testAt.size() && testAt.get(ti) <= i) {
        for (int k = stack.size() - 1; k >= 0; k--) {
          if (stack.get(k).path() != null) {
            tests.computeIfAbsent(stack.get(k).path(), x -> new boolean[1])[0] = true;
            break;
          }
        }
        ti++;
      }
      if (d < decls.size() && decls.get(d).start() == i) {
        Decl decl = decls.get(d++);
        String enclosing = null;
        boolean member = stack.isEmpty() || stack.get(stack.size() - 1).path() != null;
        for (int k = stack.size() - 1; k >= 0 && enclosing == null; k--) {
          enclosing = stack.get(k).path();
        }
        boolean reachable = member && (enclosing == null || stack.stream().allMatch(f -> f.path() == null || f.member()));
        pending = decl;
        // the classes of a second top-level class in the file are left out, as that class is
        pendingMember = reachable && (enclosing != null || decl.name().equals(fileName));
        pendingPath = enclosing == null ? dir + decl.name() + ".java"
            : enclosing.replaceAll("\\.(java|class)$", "") + "$" + decl.name() + ".class";
        String header = code.substring(boundary, decl.start());
        String tail = code.substring(decl.nameEnd(), Math.max(decl.nameEnd(), code.indexOf('{', decl.nameEnd())));
        Matcher ext = Pattern.compile("\\bextends\\s+([\\w.]+)").matcher(tail);
        boolean isClass = decl.kind().equals("class") && reachable
            && (enclosing != null || decl.name().equals(fileName));
        if (isClass) {
          found.put(pendingPath, new TestSource(module, pendingPath, decl.name(),
              header.matches("(?s).*\\babstract\\b.*"), ext.find() && !decl.kind().equals("interface") ? ext.group(1) : null,
              false, enclosing, header.matches("(?s).*\\bstatic\\b.*"), NESTED_ANNOTATION.matcher(header).find()));
        }
      }
      char c = code.charAt(i);
      if (c == '{') {
        if (pending != null) {
          stack.add(new Frame(pendingPath, pendingMember));
          pending = null;
        } else {
          stack.add(new Frame(null, false));
        }
        boundary = parens > 0 ? boundary : i + 1;
      } else if (c == '}') {
        if (!stack.isEmpty()) {
          stack.remove(stack.size() - 1);
        }
        boundary = parens > 0 ? boundary : i + 1;
      } else if (c == ';' && parens == 0) {
        boundary = i + 1;
      } else if (c == '(') {
        parens++;
      } else if (c == ')') {
        parens = Math.max(0, parens - 1);
      }
    }
    List<TestSource> out = new ArrayList<>();
    for (TestSource s : found.values()) {
      boolean own = tests.containsKey(s.path());
      out.add(new TestSource(s.module(), s.path(), s.name(), s.isAbstract(), s.superclass(), own, s.enclosing(),
          s.isStatic(), s.nestedAnnotation()));
    }
    return out;
  }

  /** {@code text} with comments and the insides of string, text-block and char literals blanked (same length). */
  static String blank(String text) {
    StringBuilder b = new StringBuilder(text);
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      int end;
      if (text.startsWith("//", i)) {
        end = text.indexOf('\n', i);
        end = end < 0 ? n : end;
      } else if (text.startsWith("/*", i)) {
        end = text.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
      } else if (text.startsWith("\"\"\"", i)) {
        end = i + 3;
        while (end < n && !text.startsWith("\"\"\"", end)) {
          end += text.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(n, end + 3);
      } else if (c == '"' || c == '\'') {
        end = i + 1;
        while (end < n && text.charAt(end) != c && text.charAt(end) != '\n') {
          end += text.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(n, end + 1);
      } else {
        i++;
        continue;
      }
      for (int k = i; k < end; k++) {
        if (text.charAt(k) != '\n') {
          b.setCharAt(k, ' ');
        }
      }
      i = end;
    }
    return b.toString();
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
