package io.vigil.deploy.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of docs/architecture.md, checked on the compiled classes of every module (this
 * module sees them all, since the runnable jar is assembled here). Maven's dependencies already
 * keep a module from compiling against one it does not declare; these rules also catch a new
 * dependency added to a pom that the architecture does not allow.
 */
class ModuleLayeringTest {

  private static JavaClasses vigil;

  @BeforeAll
  static void importMainClasses() {
    vigil =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vigil");
  }

  @Test
  void theClassesOfEveryModuleAreOnTheClasspath() {
    // Were a module missing, every rule below would pass vacuously.
    for (String pkg :
        new String[] {
          "io.vigil.schemas", "io.vigil.sigma.parse", "io.vigil.ingest.decode",
              "io.vigil.streams.detection",
          "io.vigil.sinks", "io.vigil.reports", "io.vigil.app.runtime", "io.vigil.cli"
        }) {
      assertThat(vigil.containPackage(pkg)).as(pkg).isTrue();
    }
  }

  @Test
  void theSigmaEngineDependsOnNoStageAndNotOnKafka() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.vigil.sigma..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.kafka..",
                "io.vigil.ingest..",
                "io.vigil.streams..",
                "io.vigil.sinks..",
                "io.vigil.reports..",
                "io.vigil.app..",
                "io.vigil.cli..",
                "io.vigil.broker.."));
  }

  @Test
  void ingestStreamsAndSinksNeverDependOnEachOther() {
    check(
        stageIsolated(
            "io.vigil.ingest..", "io.vigil.streams..", "io.vigil.sinks..", "io.vigil.sigma.."));
    check(stageIsolated("io.vigil.streams..", "io.vigil.ingest..", "io.vigil.sinks.."));
    check(
        stageIsolated(
            "io.vigil.sinks..", "io.vigil.ingest..", "io.vigil.streams..", "io.vigil.sigma.."));
    check(
        stageIsolated(
            "io.vigil.reports..",
            "io.vigil.ingest..",
            "io.vigil.streams..",
            "io.vigil.sinks..",
            "io.vigil.sigma.."));
  }

  @Test
  void theContractsDependOnNothingOfVigil() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.vigil.schemas..")
            .should()
            .dependOnClassesThat(
                resideInAPackage("io.vigil..").and(resideOutsideOfPackage("io.vigil.schemas.."))));
  }

  @Test
  void nothingDependsOnTheCommandsOrTheTestKit() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage("io.vigil.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.vigil.cli.."));
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage("io.vigil.testkit..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.vigil.testkit.."));
  }

  @Test
  void theDeployModuleHoldsNoApplicationClasses() throws IOException {
    // Maven runs this with the module directory as working directory.
    assertThat(Path.of("pom.xml")).content().contains("<artifactId>vigil-deploy</artifactId>");
    Path main = Path.of("src/main");
    if (Files.exists(main)) {
      try (Stream<Path> files = Files.walk(main)) {
        assertThat(files.filter(Files::isRegularFile)).as("files under deploy/src/main").isEmpty();
      }
    }
    assertThat(vigil.containPackage("io.vigil.deploy")).isFalse();
  }

  private static ArchRule stageIsolated(String stage, String... others) {
    return noClasses()
        .that()
        .resideInAPackage(stage)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vigil.app..", "io.vigil.cli..");
  }

  private static void check(ArchRule rule) {
    rule.check(vigil);
  }
}
