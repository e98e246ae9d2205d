package org.syncref.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
 * cli          org.syncref.cli                                 the syncref command's main
 * </pre>
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

  @Test
  void impl_should_not_depend_on_any_other_module() {
    ArchRule rule =
        noClasses().that().resideInAnyPackage(IMPL)
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.syncref.hw..", "org.syncref.modelcheck..", "org.syncref.conformance..",
                "org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.bench..", "org.syncref.cli..",
                "tlc2..", "tla2sany..", "org.openjdk.jmh..")
            .because("impl is the reference implementation and must stand alone");
    rule.check(classes);
  }

  @Test
  void hw_should_depend_only_on_impl() {
    ArchRule rule =
        noClasses().that().resideInAPackage("org.syncref.hw..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.syncref.modelcheck..", "org.syncref.conformance..", "org.syncref.litmus..",
                "org.syncref.kernelcheck..", "org.syncref.bench..", "org.syncref.cli..", "tlc2..", "tla2sany..")
            .because("the hardware model is built on impl only");
    rule.check(classes);
  }

  @Test
  void model_check_should_not_depend_on_impl_or_hw() {
    ArchRule rule =
        noClasses().that().resideInAPackage("org.syncref.modelcheck..")
            .should().dependOnClassesThat()
            .resideInAnyPackage(IMPL)
            .orShould().dependOnClassesThat().resideInAnyPackage("org.syncref.hw..", "org.syncref.conformance..",
                "org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.bench..", "org.syncref.cli..")
            .because("the model checker judges specs, never the code under test, and knows no other subcommand");
    rule.check(classes);
  }

  @Test
  void conformance_may_depend_on_impl_hw_and_model_check_only() {
    ArchRule rule =
        noClasses().that().resideInAPackage("org.syncref.conformance..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.bench..",
                "org.syncref.cli..", "org.openjdk.jmh..")
            .because("the conformance harness is used by the litmus checker and the benchmarks, not the reverse");
    rule.check(classes);
  }

  @Test
  void litmus_and_kernel_check_may_depend_on_impl_model_check_and_conformance_only() {
    ArchRule rule =
        noClasses().that().resideInAnyPackage(LITMUS)
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.syncref.hw..", "org.syncref.bench..", "org.syncref.cli..", "org.openjdk.jmh..")
            .because("a litmus file is judged on the spec, the Java implementation and the kernel, nothing else");
    rule.check(classes);
  }

  @Test
  void bench_should_not_depend_on_litmus_or_the_command() {
    ArchRule rule =
        noClasses().that().resideInAPackage("org.syncref.bench..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.syncref.litmus..", "org.syncref.kernelcheck..", "org.syncref.cli..")
            .because("the benchmarks measure impl and the trace checker");
    rule.check(classes);
  }

  @Test
  void classes_in_cli_may_depend_on_model_check_litmus_and_bench_only() {
    ArchRule rule =
        classes().that().resideInAPackage("org.syncref.cli..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "org.syncref.cli..", "org.syncref.modelcheck..", "org.syncref.litmus..",
                "org.syncref.kernelcheck..", "org.syncref.bench..", "picocli..")
            .because("the syncref command only dispatches to the subcommands of its modules");
    rule.check(classes);
  }

  @Test
  void no_class_outside_cli_depends_on_cli() {
    ArchRule rule =
        noClasses().that().resideOutsideOfPackage("org.syncref.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.syncref.cli..")
            .because("the command sits on top: subcommands are listed by it, not registered with it");
    rule.check(classes);
  }

  @Test
  void no_product_class_depends_on_a_test_framework() {
    ArchRule rule =
        noClasses()
            .should().dependOnClassesThat()
            .resideInAnyPackage("net.jqwik..", "org.junit..", "org.opentest4j..", "com.tngtech.archunit..")
            .because("jqwik and JUnit drive the tests and are not on the syncref command's classpath");
    rule.check(classes);
  }

  @Test
  void only_bench_depends_on_jmh() {
    ArchRule rule =
        noClasses().that().resideOutsideOfPackage("org.syncref.bench..")
            .should().dependOnClassesThat().resideInAPackage("org.openjdk.jmh..")
            .because("JMH is the benchmarks' harness");
    rule.check(classes);
  }

  @Test
  void packages_should_be_free_of_cycles() {
    slices().matching("org.syncref.(*)..").should().beFreeOfCycles()
        .because("packages are organised by concept, each building on the ones below")
        .check(classes);
  }
}
