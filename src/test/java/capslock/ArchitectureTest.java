package capslock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering that docs/ARCHITECTURE.md draws, checked: the arrows go one way, from the command
 * line down to the text, and nothing reaches back up. Vert.x's internals are touched in one package
 * only, the one that has to: the endpoints.
 */
@AnalyzeClasses(packages = "capslock", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule theArrowsGoOneWay =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("command line")
          .definedBy("capslock.cli..")
          .layer("service")
          .definedBy("capslock.server..")
          .layer("front ends")
          .definedBy(
              "capslock.client..",
              "capslock.bench..",
              "capslock.operations..",
              "capslock.cluster..")
          .layer("core")
          .definedBy(
              "capslock.worker..", "capslock.limits..", "capslock.metrics..", "capslock.config..")
          .layer("text")
          .definedBy("capslock.text..")
          .layer("protocol")
          .definedBy("capslock.protocol..")
          .whereLayer("command line")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("service")
          .mayOnlyBeAccessedByLayers("command line")
          .whereLayer("front ends")
          .mayOnlyBeAccessedByLayers("command line", "service")
          .whereLayer("core")
          .mayOnlyBeAccessedByLayers("command line", "service", "front ends")
          .whereLayer("text")
          .mayOnlyBeAccessedByLayers("command line", "service", "front ends", "core")
          .whereLayer("protocol")
          .mayOnlyBeAccessedByLayers("command line", "service", "front ends", "core", "text");

  @ArchTest
  static final ArchRule theTransformKnowsNothingButTheJdk =
      noClasses()
          .that()
          .resideInAPackage("capslock.text..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages("capslock.text..", "capslock.protocol..", "java..");

  @ArchTest
  static final ArchRule onlyTheEndpointsTouchVertxInternals =
      noClasses()
          .that()
          .resideOutsideOfPackage("capslock.server..")
          .and()
          .doNotHaveFullyQualifiedName("capslock.protocol.DatagramChannels")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.vertx.core.internal..",
              "io.vertx.core.impl..",
              "io.vertx.core.net.impl..",
              "io.vertx.core.datagram.impl..",
              "io.vertx.core.eventbus.impl..")
          .because(
              "Vert.x may change its internals in any release: the endpoints' package holds what capslock"
                  + " needs of them, and DatagramChannels the datagram channel, which the UDP client"
                  + " needs too");

  @ArchTest
  static final ArchRule onlyCleanExitUsesTheJdksUnsupportedApi =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("capslock.cli.CleanExit")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("sun..")
          .because(
              "the JDK's unsupported API (javac warns of each use) is for the signal handling in CleanExit alone");
}
