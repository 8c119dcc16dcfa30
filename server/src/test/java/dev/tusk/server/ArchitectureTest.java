package dev.tusk.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-way arrows of ARCHITECTURE.md, checked on the compiled classes of every module on the
 * server's class path: no two packages import each other (directly or around a loop), the model
 * and the stores never see the server or Undertow, and the layers below the handlers never reach
 * up into them.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tusk");
  }

  @Test
  void noPackageCycles() {
    // (**) makes every package its own slice, so a sub-package cycles with its parent too
    slices().matching("dev.tusk.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theModelAndTheStoresNeverSeeTheServerOrUndertow() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.tusk.core..", "dev.tusk.store..", "dev.tusk.locker..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.tusk.server..", "io.undertow..")
        .check(classes);
  }

  @Test
  void sharedLayersNeverReachUpIntoHandlersOrTheTop() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tusk.server.config..",
            "dev.tusk.server.http..",
            "dev.tusk.server.rufh..",
            "dev.tusk.server.protocol..",
            "dev.tusk.server.policy..",
            "dev.tusk.server.uploads..",
            "dev.tusk.server.health..",
            "dev.tusk.server.metrics..",
            "dev.tusk.server.logging..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tusk.server.handlers..",
            "dev.tusk.server.auth..",
            "dev.tusk.server.links..",
            "dev.tusk.server.options..",
            "dev.tusk.server.cli..")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.tusk.server")
        .check(classes);
  }
}
