package org.syncref.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Module boundaries as ArchUnit rules over the main classes of every module. */
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
    "org.syncref.kernel..", "org.syncref.sched..", "org.syncref.fence..", "org.syncref.resv..", "org.syncref.ww.."
  };

  @Test
  void impl_should_not_depend_on_any_other_module() {
    ArchRule rule =
        noClasses().that().resideInAnyPackage(IMPL)
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.syncref.hw..", "org.syncref.modelcheck..", "org.syncref.conformance..",
                "org.syncref.bench..", "tlc2..", "tla2sany..", "org.openjdk.jmh..")
            .because("impl is the reference implementation and must stand alone");
    rule.check(classes);
  }

  @Test
  void hw_should_depend_only_on_impl() {
    ArchRule rule =
        noClasses().that().resideInAPackage("org.syncref.hw..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.syncref.modelcheck..", "org.syncref.conformance..", "tlc2..", "tla2sany..")
            .because("the hardware model is built on impl only");
    rule.check(classes);
  }

  @Test
  void model_check_should_not_depend_on_impl_or_hw() {
    ArchRule rule =
        noClasses().that().resideInAPackage("org.syncref.modelcheck..")
            .should().dependOnClassesThat()
            .resideInAnyPackage(IMPL)
            .orShould().dependOnClassesThat().resideInAnyPackage("org.syncref.hw..", "org.syncref.conformance..")
            .because("the model checker judges specs, never the code under test");
    rule.check(classes);
  }

  @Test
  void packages_should_be_free_of_cycles() {
    slices().matching("org.syncref.(*)..").should().beFreeOfCycles()
        .because("packages are organised by concept, each building on the ones below")
        .check(classes);
  }
}
