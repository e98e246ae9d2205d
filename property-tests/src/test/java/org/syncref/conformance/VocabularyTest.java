package org.syncref.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.syncref.conformance.vocab.KernelCall;
import org.syncref.conformance.vocab.MappingTables;
import org.syncref.conformance.gpumem.GpuMemConformance;
import org.syncref.conformance.gpumem.GpuMemVocab;
import org.syncref.conformance.vocab.Vocabulary;
import org.syncref.fence.DmaFence;
import org.syncref.hw.Engine;
import org.syncref.modelcheck.Checkout;
import org.syncref.modelcheck.ExternalCommand;
import org.syncref.modelcheck.tlc.ActionInstance;
import org.syncref.modelcheck.tlc.TlcEvaluator;

/**
 * Each component's kernel calls are declared once, in its world's {@link Vocabulary}; this test
 * ties the declarations to everything else that names a call:
 *
 * <ol>
 *   <li>the next-state relation of every conformance model of the component, read from TLC: the
 *       same actions with the same parameters (so the world's dispatch knows every action the
 *       spec can take, and only those);
 *   <li>spec/MAPPING.md: the component's table is the one the declarations produce (else the
 *       message names the command that regenerates it);
 *   <li>the Java column: every {@code Class.method(args)} it names exists, with that many
 *       parameters, on a class of impl/ or hw/ (or the world itself), and every row names one;
 *   <li>the kernel source column: paths of the kernel tree (drivers/, include/, kernel/).
 * </ol>
 *
 * <p>TLC holds one spec per JVM, so each model's actions are read in a child JVM ({@link
 * NextActions}); the test itself loads no spec (it runs in the default execution, beside the
 * DmaFence tests). The negative controls run the same checks on small wrong vocabularies.
 */
class VocabularyTest {
  /** A conformance model: the spec folder, module and config a world is checked against. */
  record Model(String dir, String module, String config) {
    @Override
    public String toString() {
      return dir + "/" + config + ".cfg";
    }
  }

  static final Model GPUMEM_RESET = new Model(GpuMemConformance.SPEC_DIR, "MCGpuMem", "MCGpuMemReset");
  static final Model GPUMEM_CONFORMANCE =
      new Model(GpuMemConformance.SPEC_DIR, GpuMemConformance.MODULE, GpuMemConformance.CONFIG);

  /**
   * Models whose next-state relation is part of the component's: each of their actions must be
   * declared, but not each declaration be one of theirs (GpuMem's conformance model has GpuNext,
   * without the reset actions of GpuResetNext).
   */
  static final Set<Model> PART_OF_COMPONENT = Set.of(GPUMEM_CONFORMANCE);

  /** Per component (MAPPING.md's section), every conformance model its world is checked against. */
  static final Map<String, List<Model>> MODELS = models();

  private static Map<String, List<Model>> models() {
    Map<String, List<Model>> m = new LinkedHashMap<>();
    m.put("DmaFence", List.of(new Model(Conformance.SPEC_DIR, Conformance.MODULE, Conformance.CONFIG)));
    m.put("DmaResv", List.of(new Model(ResvConformance.SPEC_DIR, ResvConformance.MODULE, ResvConformance.CONFIG)));
    List<Model> ww = new ArrayList<>();
    for (String alg : List.of(WwConformance.CONFIG_WAIT_DIE, WwConformance.CONFIG_WOUND_WAIT)) {
      for (String build : List.of("", WwConformance.NO_LOCKDEP, WwConformance.PROVE_LOCKING)) {
        ww.add(new Model(WwConformance.SPEC_DIR, WwConformance.MODULE, alg + build));
      }
    }
    m.put("WwMutex", ww);
    m.put("DrmExec", List.of(new Model(DrmExecChecks.SPEC_DIR, DrmExecChecks.MODULE, DrmExecChecks.CONFIG)));
    // GpuMem: slice 1 with hang and reset (GpuResetNext, model MCGpuMemReset), and the conformance
    // model, whose GpuNext is part of it (PART_OF_COMPONENT)
    m.put("GpuMem", List.of(GPUMEM_RESET, GPUMEM_CONFORMANCE));
    return m;
  }

  private static final Map<Model, Set<String>> NEXT = new HashMap<>();
  private static final String PREFIX = "next-state action: ";

  /**
   * The actions of the model's next-state relation as {@code Name(param, ...)}, read by TLC in a
   * JVM of its own ({@link NextActions}): TLC's static state does not survive loading a second,
   * different spec in one JVM (DmaResv after DmaFence fails inside TLC).
   */
  static synchronized Set<String> signaturesOfNext(Model m) {
    return NEXT.computeIfAbsent(m, k -> {
      Path root = Checkout.require();
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      try {
        ExternalCommand.Result r = ExternalCommand.of(javaBin, "-cp", System.getProperty("java.class.path"),
            "-Dsyncref.root=" + root, NextActions.class.getName(), k.dir(), k.module(), k.config())
            .mergeStderr().run();
        String out = r.output();
        int code = r.exit();
        Set<String> sigs = out.lines().filter(l -> l.startsWith(PREFIX)).map(l -> l.substring(PREFIX.length()))
            .collect(Collectors.toCollection(TreeSet::new));
        if (code != 0 || sigs.isEmpty()) {
          throw new IllegalStateException("reading the actions of " + k + " failed (exit " + code + "):\n" + out);
        }
        return sigs;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  /** Prints the actions of a model's next-state relation: {@code main(specDir, module, config)}. */
  static final class NextActions {
    private NextActions() {}

    public static void main(String[] args) {
      TlcEvaluator ev = TlcEvaluator.load(Checkout.require().resolve(args[0]), args[1], args[2]);
      for (ActionInstance a : ev.actions()) {
        System.out.println(PREFIX + a.name() + "(" + String.join(", ", a.args().keySet()) + ")");
      }
      System.exit(0);
    }
  }

  // ------------------------------------------------------------------------------------------
  // The checks (each returns its findings, so that the negative controls can run them too)

  /** (a) The declared actions against a next-state relation's. */
  static List<String> nextProblems(Vocabulary<?> v, Model m, Set<String> next) {
    return nextProblems(v, m, next, true);
  }

  /** (a), where {@code whole} says whether the model's relation is all of the component's. */
  static List<String> nextProblems(Vocabulary<?> v, Model m, Set<String> next, boolean whole) {
    List<String> out = new ArrayList<>();
    Set<String> declared = v.signatures();
    for (String s : next) {
      if (!declared.contains(s)) {
        out.add(v.declaredIn() + " declares no " + s + ", an action of the next-state relation of " + m);
      }
    }
    for (String s : whole ? declared : Set.<String>of()) {
      if (!next.contains(s)) {
        out.add(v.declaredIn() + " declares " + s + ", which the next-state relation of " + m + " does not have");
      }
    }
    return out;
  }

  /** (b) MAPPING.md's table of the component against the declarations. */
  static List<String> mappingProblems(String md, Vocabulary<?> v) {
    String now = MappingTables.current(md, v);
    if (now == null) {
      return List.of(MappingTables.FILE + ": no table generated from " + v.owner() + "'s vocabulary (the marker line \""
          + MappingTables.begin(v) + "\" and its end line, once each); run " + MappingTables.COMMAND);
    }
    String want = MappingTables.region(v);
    if (now.equals(want)) {
      return List.of();
    }
    List<String> a = List.of(now.split("\n", -1));
    List<String> b = List.of(want.split("\n", -1));
    int i = 0;
    while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
      i++;
    }
    return List.of(MappingTables.FILE + ": the " + v.component() + " table is not the one " + v.declaredIn()
        + " declares (first difference: \"" + (i < a.size() ? a.get(i) : "") + "\" should be \""
        + (i < b.size() ? b.get(i) : "") + "\"); regenerate it: " + MappingTables.COMMAND);
  }

  /** {@code Class.member}, optionally with {@code (args)}, optionally chained {@code .next(}. */
  private static final Pattern JAVA_REF =
      Pattern.compile("(?<![\\w.])([A-Z]\\w*)\\.([a-z]\\w*)(?:\\(([^()]*)\\))?(?:\\.([a-z]\\w*)\\()?");

  /** (c) Every {@code Class.method(} of the Java column resolves by reflection. */
  static List<String> javaProblems(Vocabulary<?> v, Map<String, List<Class<?>>> classes) {
    List<String> out = new ArrayList<>();
    for (KernelCall<?> c : v.rows()) {
      String where = v.declaredIn() + " " + c + ": ";
      Matcher m = JAVA_REF.matcher(c.java());
      int refs = 0;
      while (m.find()) {
        refs++;
        List<Class<?>> owners = classes.getOrDefault(m.group(1), List.of());
        if (owners.isEmpty()) {
          out.add(where + m.group(1) + " (in \"" + m.group() + "\") is no class of impl/ or hw/, nor " + v.owner());
          continue;
        }
        int arity = arity(m.group(3));
        List<Method> found = new ArrayList<>();
        boolean field = false;
        for (Class<?> k : owners) {
          found.addAll(methods(k, m.group(2), arity));
          field |= m.group(3) == null && hasField(k, m.group(2));
        }
        if (found.isEmpty() && !field) {
          out.add(where + "no method " + m.group(2) + (arity >= 0 ? " with " + arity + " parameter(s)" : "")
              + " on " + owners.stream().map(Class::getName).collect(Collectors.joining(", ")));
          continue;
        }
        if (m.group(4) != null && found.stream().noneMatch(x -> !methods(x.getReturnType(), m.group(4), -1).isEmpty())) {
          out.add(where + "what " + m.group(1) + "." + m.group(2) + " returns has no method " + m.group(4));
        }
      }
      if (refs == 0) {
        out.add(where + "the Java column names no Class.method: \"" + c.java() + "\"");
      }
    }
    return out;
  }

  /** The parameter count written in {@code (a, b)}: -1 when none is written or "...". */
  private static int arity(String args) {
    if (args == null || args.trim().equals("...")) {
      return -1;
    }
    return args.isBlank() ? 0 : args.split(",").length;
  }

  private static List<Method> methods(Class<?> k, String name, int arity) {
    List<Method> out = new ArrayList<>();
    for (Class<?> c = k; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && (arity < 0 || m.getParameterCount() == arity) && !m.isSynthetic()) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static boolean hasField(Class<?> k, String name) {
    for (Class<?> c = k; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  private static final Pattern KERNEL_PATH = Pattern.compile("(drivers|include|kernel)/[\\w.+-]+(/[\\w.+-]+)*\\.[ch]");

  /** (d) The source column names kernel files; "-" only for a step that is no kernel call. */
  static List<String> sourceProblems(Vocabulary<?> v) {
    List<String> out = new ArrayList<>();
    for (KernelCall<?> c : v.rows()) {
      String where = v.declaredIn() + " " + c + ": ";
      if (c.sourceFiles().isEmpty() && !c.kernelFunctions().isEmpty()) {
        out.add(where + "no kernel source, though the row names " + c.kernelFunctions());
      }
      for (String f : c.sourceFiles()) {
        if (!KERNEL_PATH.matcher(f).matches()) {
          out.add(where + "\"" + f + "\" is not a kernel source path (drivers/, include/ or kernel/ ..., a .c or .h file)");
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // The classes the Java column may name

  /** By simple name: the classes of impl/ and hw/ (where DmaFence and Engine come from), and {@code world}. */
  static Map<String, List<Class<?>>> javaClasses(Class<?> world) {
    Map<String, List<Class<?>>> out = new HashMap<>();
    for (Class<?> marker : List.of(DmaFence.class, Engine.class)) {
      for (String name : classNames(marker)) {
        try {
          Class<?> k = Class.forName(name, false, marker.getClassLoader());
          if (!k.getSimpleName().isEmpty()) {
            out.computeIfAbsent(k.getSimpleName(), x -> new ArrayList<>()).add(k);
          }
        } catch (ClassNotFoundException | LinkageError e) {
          throw new IllegalStateException(name, e);
        }
      }
    }
    out.computeIfAbsent(world.getSimpleName(), x -> new ArrayList<>()).add(world);
    return out;
  }

  /** The class names of the folder or jar {@code marker} was loaded from. */
  private static List<String> classNames(Class<?> marker) {
    try {
      Path loc = Path.of(marker.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<String> entries = new ArrayList<>();
      if (Files.isDirectory(loc)) {
        try (Stream<Path> s = Files.walk(loc)) {
          s.filter(p -> p.toString().endsWith(".class")).forEach(p -> entries.add(loc.relativize(p).toString()));
        }
      } else {
        try (JarFile jar = new JarFile(loc.toFile())) {
          jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(entries::add);
        }
      }
      return entries.stream().filter(n -> n.startsWith("org/syncref/") && !n.endsWith("package-info.class")
              && !n.endsWith("module-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
          .sorted().collect(Collectors.toList());
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list the classes of " + marker, e);
    }
  }

  static Class<?> worldClass(Vocabulary<?> v) {
    for (String pkg : List.of("org.syncref.conformance.", "org.syncref.conformance.gpumem.")) {
      try {
        return Class.forName(pkg + v.owner(), false, VocabularyTest.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        // the next package
      }
    }
    throw new IllegalStateException(v.owner() + " is no world of org.syncref.conformance(.gpumem)");
  }

  static String mapping() throws IOException {
    return Files.readString(Checkout.require().resolve(MappingTables.FILE));
  }

  // ------------------------------------------------------------------------------------------
  // The checks on the four components

  @Test
  void the_declared_actions_are_those_of_each_conformance_models_next_state_relation() {
    List<String> problems = new ArrayList<>();
    assertEquals(MODELS.keySet(), MappingTables.all().stream().map(Vocabulary::component)
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new)), "a component without its models here");
    for (Vocabulary<?> v : MappingTables.all()) {
      for (Model m : MODELS.get(v.component())) {
        problems.addAll(nextProblems(v, m, signaturesOfNext(m), !PART_OF_COMPONENT.contains(m)));
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void mapping_md_holds_the_tables_the_declarations_produce() throws IOException {
    String md = mapping();
    List<String> problems = new ArrayList<>();
    for (Vocabulary<?> v : MappingTables.all()) {
      problems.addAll(mappingProblems(md, v));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void the_java_column_names_methods_that_exist() {
    List<String> problems = new ArrayList<>();
    for (Vocabulary<?> v : MappingTables.all()) {
      problems.addAll(javaProblems(v, javaClasses(worldClass(v))));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void the_kernel_sources_are_kernel_paths() {
    List<String> problems = new ArrayList<>();
    for (Vocabulary<?> v : MappingTables.all()) {
      problems.addAll(sourceProblems(v));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void an_undeclared_action_has_no_java_counterpart() {
    for (Vocabulary<?> v : MappingTables.all()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> v.apply(null, "NoSuchAction", List.of("t1")));
      assertEquals("no Java counterpart for TLA+ action NoSuchAction", e.getMessage());
    }
  }

  /** The hardware model's calls are found by kernel function, each in exactly one row. */
  @Test
  void the_hardware_models_calls_are_found_by_kernel_function() {
    Map<String, String> want = Map.of("dma_fence_context_alloc", "ContextAlloc", "dma_fence_init", "FenceInit",
        "dma_fence_init64", "FenceInit", "dma_fence_get", "Get", "dma_fence_put", "Put", "dma_fence_signal",
        "Signal", "dma_fence_check_and_signal", "CheckAndSignal", "dma_fence_set_error", "SetError");
    want.forEach((fn, action) -> assertEquals(action,
        FenceWorld.Vocab.VOCABULARY.kernelFunction(fn).map(KernelCall::action).orElse("none"), fn));
    assertTrue(FenceWorld.Vocab.VOCABULARY.kernelFunction("dma_fence_no_such_call").isEmpty());
  }

  // ------------------------------------------------------------------------------------------
  // Negative controls: each check on a deliberately wrong vocabulary

  private static long none(Object w, List<String> a) {
    return 0;
  }

  /** DmaFence's declarations, copied, with {@code edit} applied to the list of rows. */
  private static Vocabulary<Object> fixture(String owner, java.util.function.UnaryOperator<List<KernelCall<Object>>> edit) {
    List<KernelCall<Object>> rows = new ArrayList<>();
    for (KernelCall<FenceWorld> c : FenceWorld.Vocab.VOCABULARY.rows()) {
      rows.add(KernelCall.of(c.kernel(), c.signature(), c.java(), c.source(), VocabularyTest::none));
    }
    Vocabulary.Builder<Object> b = Vocabulary.builder("DmaFence", owner);
    edit.apply(rows).forEach(b::add);
    return b.build();
  }

  @Test
  void a_missing_and_an_extra_action_are_found() {
    Model m = MODELS.get("DmaFence").get(0);
    Vocabulary<Object> v = fixture("FenceWorld", rows -> {
      rows.removeIf(c -> "Get".equals(c.action()));
      rows.add(KernelCall.of("`dma_fence_get_rcu`", "GetRcu(t, f)", "`DmaFence.getRcu()`", "include/linux/dma-fence.h",
          VocabularyTest::none));
      return rows;
    });
    assertEquals(List.of(
            "FenceWorld.Vocab.VOCABULARY declares no Get(t, f), an action of the next-state relation of " + m,
            "FenceWorld.Vocab.VOCABULARY declares GetRcu(t, f), which the next-state relation of " + m + " does not have"),
        nextProblems(v, m, signaturesOfNext(m)));
    Vocabulary<Object> params = fixture("FenceWorld", rows -> {
      rows.replaceAll(c -> "SetError".equals(c.action())
          ? KernelCall.of(c.kernel(), "SetError(t, f)", c.java(), c.source(), VocabularyTest::none) : c);
      return rows;
    });
    assertEquals(2, nextProblems(params, m, signaturesOfNext(m)).size(), "SetError declared without its e");
    assertEquals(List.of(), nextProblems(fixture("FenceWorld", rows -> rows), m, signaturesOfNext(m)));
  }

  /** GpuMem's declarations, copied, with {@code edit} applied to the list of rows. */
  private static Vocabulary<Object> gpuMemFixture(java.util.function.UnaryOperator<List<KernelCall<Object>>> edit) {
    List<KernelCall<Object>> rows = new ArrayList<>();
    for (KernelCall<?> c : GpuMemVocab.VOCABULARY.rows()) {
      rows.add(KernelCall.of(c.kernel(), c.signature(), c.java(), c.source(), VocabularyTest::none));
    }
    Vocabulary.Builder<Object> b = Vocabulary.builder("GpuMem", "GpuMemWorld").declaredIn("GpuMemVocab.VOCABULARY");
    edit.apply(rows).forEach(b::add);
    return b.build();
  }

  /**
   * GpuMem: an action of GpuResetNext left out is found in the model that has it (and the
   * conformance model, whose GpuNext lacks the reset actions, does not flag their declarations),
   * and a Java method that hw/ does not have is found.
   */
  @Test
  void gpumem_a_missing_action_and_a_missing_java_method_are_found() {
    Vocabulary<Object> v = gpuMemFixture(rows -> {
      rows.removeIf(c -> "EvictReserve".equals(c.action()) || "HangJob".equals(c.action()));
      rows.replaceAll(c -> "EvictArm".equals(c.action())
          ? c.withJava("`TtmDevice.evict(bo)`: `TtmResourceManager.evictFirst(man)`") : c);
      return rows;
    });
    assertEquals(List.of(
            "GpuMemVocab.VOCABULARY declares no EvictReserve(), an action of the next-state relation of " + GPUMEM_RESET,
            "GpuMemVocab.VOCABULARY declares no HangJob(f), an action of the next-state relation of " + GPUMEM_RESET),
        nextProblems(v, GPUMEM_RESET, signaturesOfNext(GPUMEM_RESET)));
    assertEquals(List.of(
            "GpuMemVocab.VOCABULARY declares no EvictReserve(), an action of the next-state relation of "
                + GPUMEM_CONFORMANCE),
        nextProblems(v, GPUMEM_CONFORMANCE, signaturesOfNext(GPUMEM_CONFORMANCE), false));
    // the reset actions are not the conformance model's: as a whole relation it would flag them
    List<String> whole = nextProblems(gpuMemFixture(rows -> rows), GPUMEM_CONFORMANCE,
        signaturesOfNext(GPUMEM_CONFORMANCE), true);
    assertEquals(5, whole.size(), String.join("\n", whole));
    assertTrue(whole.get(0).contains("declares HangJob(f), which the next-state relation of"), whole.get(0));
    List<String> p = javaProblems(v, javaClasses(worldClass(GpuMemVocab.VOCABULARY)));
    assertEquals(List.of("GpuMemVocab.VOCABULARY EvictArm(): no method evictFirst with 1 parameter(s) on "
        + "org.syncref.hw.ttm.TtmResourceManager"), p);
    assertEquals(List.of(), nextProblems(gpuMemFixture(rows -> rows), GPUMEM_RESET, signaturesOfNext(GPUMEM_RESET)));
  }

  /** A GpuMem action inside a Java operation has no step of its own: the dispatch says so. */
  @Test
  void gpumem_a_step_inside_an_operation_is_refused_by_the_dispatch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GpuMemVocab.VOCABULARY.apply(null, "EvictReserve", List.of()));
    assertEquals("no Java step of its own for TLA+ action EvictReserve: a step inside TtmDevice.evict, which the"
        + " world's Evict operation makes in one call (EvictBegin)", e.getMessage());
    assertEquals(Set.of("SubmitBegin", "EvictBegin", "MoveInBegin", "RunJob", "GhostFree"),
        GpuMemVocab.VOCABULARY.calls().stream().filter(c -> c.noStepReason() == null).map(KernelCall::action)
            .collect(Collectors.toSet()));
  }

  @Test
  void a_stale_or_missing_table_is_found_and_names_the_command() throws IOException {
    String md = mapping();
    Vocabulary<Object> stale = fixture("FenceWorld", rows -> {
      rows.replaceAll(c -> "Get".equals(c.action())
          ? KernelCall.of("`dma_fence_get_rcu`", c.signature(), c.java(), c.source(), VocabularyTest::none) : c);
      return rows;
    });
    List<String> p = mappingProblems(md, stale);
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("`dma_fence_get_rcu`") && p.get(0).endsWith(MappingTables.COMMAND), p.get(0));
    assertEquals(List.of(), mappingProblems(md, fixture("FenceWorld", rows -> rows)));
    List<String> missing = mappingProblems(md, fixture("NoSuchWorld", rows -> rows));
    assertEquals(1, missing.size());
    assertTrue(missing.get(0).contains("no table generated from NoSuchWorld's vocabulary"), missing.get(0));
    // and the writer refuses a file without the markers, naming file, line and column
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MappingTables.render(md, fixture("NoSuchWorld", rows -> rows)));
    assertTrue(e.getMessage().matches("spec/MAPPING\\.md:\\d+:1: expected the DmaFence table between .*"), e.getMessage());
  }

  @Test
  void a_bad_java_method_is_found() {
    Vocabulary<Object> v = fixture("FenceWorld", rows -> {
      rows.replaceAll(c -> switch (String.valueOf(c.action())) {
        case "Get" -> c.withJava("`DmaFence.getTwice()`");
        case "Put" -> c.withJava("`DmaFence.put(f)`");
        case "Signal" -> c.withJava("`DmaFenc.signal()`");
        case "IsSignaled" -> c.withJava("`f.isSignaled()`");
        case "DriverName" -> c.withJava("`DmaResvIter.begin(obj, u).firstLocked()`");
        default -> c;
      });
      return rows;
    });
    List<String> p = javaProblems(v, javaClasses(FenceWorld.class));
    assertEquals(5, p.size(), String.join("\n", p));
    assertTrue(p.get(0).contains("Get(t, f): no method getTwice with 0 parameter(s) on org.syncref.fence.DmaFence"), p.get(0));
    assertTrue(p.get(1).contains("Put(t, f): no method put with 1 parameter(s)"), p.get(1));
    assertTrue(p.get(2).contains("Signal(t, f): DmaFenc (in \"DmaFenc.signal()\") is no class of impl/ or hw/"), p.get(2));
    assertTrue(p.get(3).contains("IsSignaled(t, f): the Java column names no Class.method"), p.get(3));
    assertTrue(p.get(4).contains("DriverName(t, f): what DmaResvIter.begin returns has no method firstLocked"), p.get(4));
    assertEquals(List.of(), javaProblems(fixture("FenceWorld", rows -> rows), javaClasses(FenceWorld.class)));
  }

  @Test
  void a_bad_kernel_source_is_found() {
    Vocabulary<Object> v = fixture("FenceWorld", rows -> {
      rows.replaceAll(c -> switch (String.valueOf(c.action())) {
        case "Get" -> KernelCall.of(c.kernel(), c.signature(), c.java(), "dma-fence.h", VocabularyTest::none);
        case "Put" -> KernelCall.of(c.kernel(), c.signature(), c.java(), "include/linux/dma-fence.h, dma-fence.c",
            VocabularyTest::none);
        case "Signal" -> KernelCall.of(c.kernel(), c.signature(), c.java(), "-", VocabularyTest::none);
        default -> c;
      });
      return rows;
    });
    List<String> p = sourceProblems(v);
    assertEquals(3, p.size(), String.join("\n", p));
    assertTrue(p.get(0).contains("Get(t, f): \"dma-fence.h\" is not a kernel source path"), p.get(0));
    assertTrue(p.get(1).contains("Put(t, f): \"dma-fence.c\" is not a kernel source path"), p.get(1));
    assertTrue(p.get(2).contains("Signal(t, f): no kernel source, though the row names [dma_fence_signal]"), p.get(2));
    assertEquals(List.of(), sourceProblems(fixture("FenceWorld", rows -> rows)));
  }
}
