package org.syncref.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.syncref.archcyclea.CycleA;
import org.syncref.archcycleb.CycleB;
import org.syncref.bench.archviolation.BenchUsesCli;
import org.syncref.bench.archviolation.BenchUsesLitmus;
import org.syncref.cli.archviolation.CliUsesImpl;
import org.syncref.conformance.archviolation.ConformanceUsesJmh;
import org.syncref.conformance.archviolation.ConformanceUsesLitmus;
import org.syncref.fence.archviolation.ImplUsesJUnit;
import org.syncref.hw.archviolation.HwUsesConformance;
import org.syncref.kernel.archviolation.ImplUsesHw;
import org.syncref.litmus.archviolation.LitmusUsesHw;
import org.syncref.modelcheck.archviolation.ModelCheckUsesImpl;
import org.syncref.simulate.archviolation.SimulateUsesBench;

/**
 * Module boundaries as ArchUnit rules over the main classes of every module (property-tests sees
 * them all through its test dependency on cli). Modules and their packages:
 *
 * <pre>
 * impl         org.syncref.{kernel,sched,fence,resv,ww,exec}  the reference implementation
 * hw           org.syncref.hw                                  engines and rings, on impl
 * model-check  org.syncref.modelcheck                          TLC runner, syncref model-check
 * conformance  org.syncref.conformance                         worlds, generators, walkers, trace checker
 * litmus       org.syncref.litmus, org.syncref.kernelcheck     syncref check, syncref kernel-check
 * bench        org.syncref.bench                               syncref bench (JMH)
 * simulate     org.syncref.simulate                            syncref simulate (hw's system, checked)
 * cli          org.syncref.cli                                 the syncref command's main
 * </pre>
 *
 * <p>Each rule is a constant, checked on the real classes and, as its negative control, on a
 * fixture of classes that break the rules on purpose (VIOLATORS): it must report its fixture
 * class, and every rule must have one.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.syncref");
  }

  static final String[] IMPL = {
    "org.syncref.kernel..", "org.syncref.sched..", "org.syncref.fence..", "org.syncref.resv..", "org.syncref.ww..",
    "org.syncref.exec.."
  };
  static final String[] LITMUS = {"org.syncref.litmus..", "org.syncref.kernelcheck.."};

  static final ArchRule IMPL_SHOULD_NOT_DEPEND_ON_ANY_OTHER_MODULE =
      noClasses().that().resideInAnyPackage(IMPL)
          .should().dependOnClassesThat()
          .resideInAnyPackage("org.syncref.hw..", "org.syncref.modelcheck..", "org.syncref.conformance..",
              "org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.bench..", "org.syncref.cli..",
              "org.syncref.simulate..", "tlc2..", "tla2sany..", "org.openjdk.jmh..")
          .because("impl is the reference implementation and must stand alone");

  @Test
  void impl_should_not_depend_on_any_other_module() {
    IMPL_SHOULD_NOT_DEPEND_ON_ANY_OTHER_MODULE.check(classes);
  }

  static final ArchRule HW_SHOULD_DEPEND_ONLY_ON_IMPL =
      noClasses().that().resideInAPackage("org.syncref.hw..")
          .should().dependOnClassesThat()
          .resideInAnyPackage("org.syncref.modelcheck..", "org.syncref.conformance..", "org.syncref.litmus..",
              "org.syncref.kernelcheck..", "org.syncref.bench..", "org.syncref.cli..", "org.syncref.simulate..",
              "tlc2..", "tla2sany..")
          .because("the hardware model is built on impl only");

  @Test
  void hw_should_depend_only_on_impl() {
    HW_SHOULD_DEPEND_ONLY_ON_IMPL.check(classes);
  }

  static final ArchRule MODEL_CHECK_SHOULD_NOT_DEPEND_ON_IMPL_OR_HW =
      noClasses().that().resideInAPackage("org.syncref.modelcheck..")
          .should().dependOnClassesThat()
          .resideInAnyPackage(IMPL)
          .orShould().dependOnClassesThat().resideInAnyPackage("org.syncref.hw..", "org.syncref.conformance..",
              "org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.bench..", "org.syncref.cli..",
              "org.syncref.simulate..")
          .because("the model checker judges specs, never the code under test, and knows no other subcommand");

  @Test
  void model_check_should_not_depend_on_impl_or_hw() {
    MODEL_CHECK_SHOULD_NOT_DEPEND_ON_IMPL_OR_HW.check(classes);
  }

  static final ArchRule CONFORMANCE_MAY_DEPEND_ON_IMPL_HW_AND_MODEL_CHECK_ONLY =
      noClasses().that().resideInAPackage("org.syncref.conformance..")
          .should().dependOnClassesThat()
          .resideInAnyPackage("org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.bench..",
              "org.syncref.cli..", "org.syncref.simulate..", "org.openjdk.jmh..")
          .because("the conformance harness is used by the litmus checker and the benchmarks, not the reverse");

  @Test
  void conformance_may_depend_on_impl_hw_and_model_check_only() {
    CONFORMANCE_MAY_DEPEND_ON_IMPL_HW_AND_MODEL_CHECK_ONLY.check(classes);
  }

  static final ArchRule LITMUS_AND_KERNEL_CHECK_MAY_DEPEND_ON_IMPL_MODEL_CHECK_AND_CONFORMANCE_ONLY =
      noClasses().that().resideInAnyPackage(LITMUS)
          .should().dependOnClassesThat()
          .resideInAnyPackage("org.syncref.hw..", "org.syncref.bench..", "org.syncref.cli..", "org.syncref.simulate..",
              "org.openjdk.jmh..")
          .because("a litmus file is judged on the spec, the Java implementation and the kernel, nothing else");

  @Test
  void litmus_and_kernel_check_may_depend_on_impl_model_check_and_conformance_only() {
    LITMUS_AND_KERNEL_CHECK_MAY_DEPEND_ON_IMPL_MODEL_CHECK_AND_CONFORMANCE_ONLY.check(classes);
  }

  static final ArchRule BENCH_SHOULD_NOT_DEPEND_ON_LITMUS_OR_THE_COMMAND =
      noClasses().that().resideInAPackage("org.syncref.bench..")
          .should().dependOnClassesThat()
          .resideInAnyPackage("org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.cli..",
              "org.syncref.simulate..")
          .because("the benchmarks measure impl and the trace checker");

  @Test
  void bench_should_not_depend_on_litmus_or_the_command() {
    BENCH_SHOULD_NOT_DEPEND_ON_LITMUS_OR_THE_COMMAND.check(classes);
  }

  static final ArchRule SIMULATE_MAY_DEPEND_ON_IMPL_HW_MODEL_CHECK_AND_CONFORMANCE_ONLY =
      noClasses().that().resideInAPackage("org.syncref.simulate..")
          .should().dependOnClassesThat()
          .resideInAnyPackage("org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.bench..",
              "org.syncref.cli..", "org.openjdk.jmh..")
          .because("syncref simulate runs hw's system and checks it with hw's checks and, through the conformance"
              + " harness, against spec/GpuMem; the command (cli) lists it, nothing else uses it");

  @Test
  void simulate_may_depend_on_impl_hw_model_check_and_conformance_only() {
    SIMULATE_MAY_DEPEND_ON_IMPL_HW_MODEL_CHECK_AND_CONFORMANCE_ONLY.check(classes);
  }

  static final ArchRule CLASSES_IN_CLI_MAY_DEPEND_ON_MODEL_CHECK_LITMUS_AND_BENCH_ONLY =
      classes().that().resideInAPackage("org.syncref.cli..")
          .should().onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "org.syncref.cli..", "org.syncref.modelcheck..", "org.syncref.litmus..",
              "org.syncref.kernelcheck..", "org.syncref.bench..", "org.syncref.simulate..", "picocli..")
          .because("the syncref command only dispatches to the subcommands of its modules");

  @Test
  void classes_in_cli_may_depend_on_model_check_litmus_and_bench_only() {
    CLASSES_IN_CLI_MAY_DEPEND_ON_MODEL_CHECK_LITMUS_AND_BENCH_ONLY.check(classes);
  }

  static final ArchRule NO_CLASS_OUTSIDE_CLI_DEPENDS_ON_CLI =
      noClasses().that().resideOutsideOfPackage("org.syncref.cli..")
          .should().dependOnClassesThat().resideInAPackage("org.syncref.cli..")
          .because("the command sits on top: subcommands are listed by it, not registered with it");

  @Test
  void no_class_outside_cli_depends_on_cli() {
    NO_CLASS_OUTSIDE_CLI_DEPENDS_ON_CLI.check(classes);
  }

  static final ArchRule NO_PRODUCT_CLASS_DEPENDS_ON_A_TEST_FRAMEWORK =
      noClasses()
          .should().dependOnClassesThat()
          .resideInAnyPackage("net.jqwik..", "org.junit..", "org.opentest4j..", "com.tngtech.archunit..")
          .because("jqwik and JUnit drive the tests and are not on the syncref command's classpath");

  @Test
  void no_product_class_depends_on_a_test_framework() {
    NO_PRODUCT_CLASS_DEPENDS_ON_A_TEST_FRAMEWORK.check(classes);
  }

  static final ArchRule ONLY_BENCH_DEPENDS_ON_JMH =
      noClasses().that().resideOutsideOfPackage("org.syncref.bench..")
          .should().dependOnClassesThat().resideInAPackage("org.openjdk.jmh..")
          .because("JMH is the benchmarks' harness");

  @Test
  void only_bench_depends_on_jmh() {
    ONLY_BENCH_DEPENDS_ON_JMH.check(classes);
  }

  static final ArchRule PACKAGES_SHOULD_BE_FREE_OF_CYCLES =
      slices().matching("org.syncref.(*)..").should().beFreeOfCycles()
          .because("packages are organised by concept, each building on the ones below");

  @Test
  void packages_should_be_free_of_cycles() {
    PACKAGES_SHOULD_BE_FREE_OF_CYCLES.check(classes);
  }

  // Negative controls: each rule reports the class of the fixture that breaks it on purpose (test
  // sources under org.syncref.*.archviolation and org.syncref.archcycle*, left out of the real
  // import by DO_NOT_INCLUDE_TESTS and imported here by name).

  static final Map<String, Class<?>> VIOLATORS = Map.ofEntries(
      Map.entry("IMPL_SHOULD_NOT_DEPEND_ON_ANY_OTHER_MODULE", ImplUsesHw.class),
      Map.entry("HW_SHOULD_DEPEND_ONLY_ON_IMPL", HwUsesConformance.class),
      Map.entry("MODEL_CHECK_SHOULD_NOT_DEPEND_ON_IMPL_OR_HW", ModelCheckUsesImpl.class),
      Map.entry("CONFORMANCE_MAY_DEPEND_ON_IMPL_HW_AND_MODEL_CHECK_ONLY", ConformanceUsesLitmus.class),
      Map.entry("LITMUS_AND_KERNEL_CHECK_MAY_DEPEND_ON_IMPL_MODEL_CHECK_AND_CONFORMANCE_ONLY", LitmusUsesHw.class),
      Map.entry("BENCH_SHOULD_NOT_DEPEND_ON_LITMUS_OR_THE_COMMAND", BenchUsesLitmus.class),
      Map.entry("SIMULATE_MAY_DEPEND_ON_IMPL_HW_MODEL_CHECK_AND_CONFORMANCE_ONLY", SimulateUsesBench.class),
      Map.entry("CLASSES_IN_CLI_MAY_DEPEND_ON_MODEL_CHECK_LITMUS_AND_BENCH_ONLY", CliUsesImpl.class),
      Map.entry("NO_CLASS_OUTSIDE_CLI_DEPENDS_ON_CLI", BenchUsesCli.class),
      Map.entry("NO_PRODUCT_CLASS_DEPENDS_ON_A_TEST_FRAMEWORK", ImplUsesJUnit.class),
      Map.entry("ONLY_BENCH_DEPENDS_ON_JMH", ConformanceUsesJmh.class),
      Map.entry("PACKAGES_SHOULD_BE_FREE_OF_CYCLES", CycleA.class));

  /** The rules of this class by field name. */
  static Map<String, ArchRule> rules() throws IllegalAccessException {
    Map<String, ArchRule> out = new TreeMap<>();
    for (Field f : ArchitectureTest.class.getDeclaredFields()) {
      if (f.getType() == ArchRule.class && Modifier.isStatic(f.getModifiers())) {
        out.put(f.getName(), (ArchRule) f.get(null));
      }
    }
    return out;
  }

  @Test
  void every_rule_has_a_negative_control() throws Exception {
    assertEquals(new TreeSet<>(rules().keySet()), new TreeSet<>(VIOLATORS.keySet()));
  }

  @TestFactory
  Stream<DynamicTest> each_rule_reports_its_violating_fixture() throws Exception {
    JavaClasses fixture = new ClassFileImporter().importClasses(ImplUsesHw.class, ImplUsesJUnit.class,
        HwUsesConformance.class, ModelCheckUsesImpl.class, ConformanceUsesLitmus.class, ConformanceUsesJmh.class,
        LitmusUsesHw.class, BenchUsesLitmus.class, SimulateUsesBench.class, BenchUsesCli.class, CliUsesImpl.class, CycleA.class, CycleB.class);
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, ArchRule> r : rules().entrySet()) {
      Class<?> violator = VIOLATORS.get(r.getKey());
      tests.add(DynamicTest.dynamicTest(r.getKey() + " reports " + violator.getSimpleName(), () -> {
        EvaluationResult result = r.getValue().evaluate(fixture);
        List<String> details = result.getFailureReport().getDetails();
        assertTrue(details.stream().anyMatch(d -> d.contains(violator.getName())),
            r.getKey() + " did not report " + violator.getName() + "; it reported: " + details);
      }));
    }
    return tests.stream();
  }
}
