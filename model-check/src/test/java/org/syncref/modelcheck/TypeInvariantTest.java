package org.syncref.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every module under spec/ that declares VARIABLES defines a type invariant (a definition named
 * {@code ...TypeOK}) that some model-checked (ci or deep), non-bug model of spec/models.txt checks:
 * the model's module is the module or EXTENDS it (transitively), and its cfg lists the invariant
 * under INVARIANTS. Modules checked outside the manifest are listed in {@link #OUTSIDE} with the
 * reason, and printed.
 */
class TypeInvariantTest {

  /**
   * Modules with variables that no manifest model runs, and why. Each must still be one (a stale
   * entry fails).
   */
  static final Map<String, String> OUTSIDE = Map.of(
      "Litmus", "explored per litmus file by the litmus module (SpecModel generates its cfg, SpecExplorer"
          + " walks it through TLC's evaluator), not by a manifest model; its LitmusTypeOK (ResvTypeOK /\\"
          + " WW!WwTypeOK) is the generated cfg's invariant, evaluated in every explored state"
          + " (litmus module: LitmusTypeInvariantExamples)");

  private static final Pattern MODULE = Pattern.compile("-{4,}\\s*MODULE\\s+(\\w+)");
  private static final Pattern VARIABLES = Pattern.compile("(?m)^\\s*VARIABLES?\\b");
  private static final Pattern EXTENDS = Pattern.compile("(?m)^\\s*EXTENDS\\s+([\\w\\s,]+?)\\s*$");
  private static final Pattern TYPE_OK = Pattern.compile("(?m)^(\\w*TypeOK)\\s*==");

  /** A spec module: its name, file, EXTENDS list, whether it declares variables, its TypeOK definitions. */
  record Module(String name, Path file, List<String> extendsList, boolean hasVariables, List<String> typeOks) {}

  static Map<String, Module> modules(Path specRoot) throws IOException {
    Map<String, Module> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(specRoot)) {
      files = s.filter(f -> f.toString().endsWith(".tla")).sorted().toList();
    }
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      String code = text.replaceAll("(?s)\\(\\*.*?\\*\\)", " ").replaceAll("\\\\\\*[^\\n]*", "");
      Matcher m = MODULE.matcher(code);
      if (!m.find()) {
        continue;
      }
      List<String> ext = new ArrayList<>();
      Matcher e = EXTENDS.matcher(code);
      if (e.find()) {
        for (String x : e.group(1).split("[\\s,]+")) {
          if (!x.isBlank()) {
            ext.add(x);
          }
        }
      }
      List<String> typeOks = new ArrayList<>();
      Matcher t = TYPE_OK.matcher(code);
      while (t.find()) {
        typeOks.add(t.group(1));
      }
      out.put(m.group(1), new Module(m.group(1), f, ext, VARIABLES.matcher(code).find(), typeOks));
    }
    return out;
  }

  /** {@code name} and every module it EXTENDS, transitively (standard modules are not in {@code all}). */
  static Set<String> closure(String name, Map<String, Module> all) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (seen.add(n) && all.containsKey(n)) {
        todo.addAll(all.get(n).extendsList());
      }
    }
    return seen;
  }

  /**
   * The modules with variables whose type invariant no model-checked non-bug model checks (one line
   * each); {@code checkedBy} receives, per module, the models that do.
   */
  static List<String> unchecked(Path root, Manifest manifest, Map<String, Module> all, Set<String> outside,
      Map<String, List<String>> checkedBy) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Module m : all.values()) {
      if (!m.hasVariables()) {
        continue;
      }
      List<String> by = new ArrayList<>();
      for (ModelEntry e : manifest.entries()) {
        if (e.mode() == Mode.CONFORMANCE || e.name().endsWith("_bug") || !closure(e.module(), all).contains(m.name())) {
          continue;
        }
        Path cfg = e.specDir(manifest.specRoot()).resolve(e.config());
        List<String> invariants = BugModelConfigTest.read(cfg).items("INVARIANTS");
        if (m.typeOks().stream().anyMatch(invariants::contains)) {
          by.add(e.name());
        }
      }
      checkedBy.put(m.name(), by);
      Path file = root.relativize(m.file());
      if (outside.contains(m.name())) {
        if (!by.isEmpty()) {
          problems.add(file + ": " + m.name() + " is in OUTSIDE but " + by + " check its type invariant: remove it from OUTSIDE");
        }
        continue;
      }
      if (m.typeOks().isEmpty()) {
        problems.add(file + ":1: module " + m.name() + " declares VARIABLES but defines no ...TypeOK invariant");
      } else if (by.isEmpty()) {
        problems.add(file + ":1: no model-checked non-bug model of the manifest checks " + String.join(" or ", m.typeOks())
            + " (module " + m.name() + " declares VARIABLES)");
      }
    }
    return problems;
  }

  @Test
  void everyModuleWithVariablesHasACheckedTypeInvariant() throws Exception {
    Path root = ModelManifestTest.root();
    Manifest manifest = Manifest.load(root.resolve("spec/models.txt"));
    Map<String, Module> all = modules(manifest.specRoot());
    Map<String, List<String>> checkedBy = new TreeMap<>();
    List<String> problems = unchecked(root, manifest, all, OUTSIDE.keySet(), checkedBy);
    StringBuilder out = new StringBuilder("type invariants of the modules with variables:\n");
    for (Map.Entry<String, List<String>> c : checkedBy.entrySet()) {
      out.append("  ").append(c.getKey()).append(" ").append(all.get(c.getKey()).typeOks()).append(": ")
          .append(OUTSIDE.containsKey(c.getKey()) ? "outside the manifest: " + OUTSIDE.get(c.getKey())
              : "checked by " + String.join(", ", c.getValue()))
          .append('\n');
    }
    System.out.print(out);
    for (String name : OUTSIDE.keySet()) {
      assertTrue(all.containsKey(name) && all.get(name).hasVariables(), "OUTSIDE names no module with variables: " + name);
    }
    assertTrue(checkedBy.size() >= 5, "modules with variables: " + checkedBy.keySet());
    if (!problems.isEmpty()) {
      fail(problems.size() + " module(s) without a checked type invariant:\n  " + String.join("\n  ", problems));
    }
  }

  @Test
  void aModuleWithoutACheckedTypeInvariantIsNamed(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("spec");
    Files.createDirectories(spec.resolve("A"));
    Files.writeString(spec.resolve("A/A.tla"), "---- MODULE A ----\nVARIABLE x\nTypeOK == x \\in Nat\n====\n");
    Files.writeString(spec.resolve("A/B.tla"), "---- MODULE B ----\nEXTENDS A\nVARIABLES y\n(* BTypeOK == y = 1 *)\n====\n");
    Files.writeString(spec.resolve("A/C.tla"), "---- MODULE C ----\nEXTENDS B\nVARIABLE z\nCTypeOK == z = 1\n====\n");
    Files.writeString(spec.resolve("A/MCC.tla"), "---- MODULE MCC ----\nEXTENDS C, TLC\n====\n");
    Files.writeString(spec.resolve("A/MCC.cfg"), "INIT Init\nNEXT Next\nINVARIANTS TypeOK\n");
    Files.writeString(spec.resolve("A/MCC_x_bug.cfg"), "INIT Init\nNEXT Next\nINVARIANTS CTypeOK\n");
    Manifest m = Manifest.parse(spec.resolve("models.txt"), spec, List.of(
        "C A MCC MCC.cfg ci success 1 1",
        "C_x_bug A MCC MCC_x_bug.cfg ci invariant:CTypeOK - 1"), true);
    Map<String, Module> all = modules(spec);
    assertEquals(Set.of("A", "B", "C", "MCC"), all.keySet());
    Map<String, List<String>> by = new TreeMap<>();
    List<String> p = unchecked(dir, m, all, Set.of(), by);
    assertEquals(List.of(
        "spec/A/B.tla:1: module B declares VARIABLES but defines no ...TypeOK invariant",
        "spec/A/C.tla:1: no model-checked non-bug model of the manifest checks CTypeOK (module C declares VARIABLES)"), p);
    assertEquals(List.of("C"), by.get("A"));
    // A module listed as checked outside the manifest although a model checks it is a stale entry.
    List<String> stale = unchecked(dir, m, all, Set.of("A", "B"), new TreeMap<>());
    assertTrue(stale.get(0).contains("A is in OUTSIDE but [C] check its type invariant"), stale.toString());
  }
}
