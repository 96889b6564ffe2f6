package io.vigil.deploy.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.ConfigKeys;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker/Dockerfile against the code: port, data.dir, health path, user, the jar it copies.
 */
class DockerfileTest {

  private final Dockerfile dockerfile = Dockerfile.read();

  @Test
  void baseIsTheTemurin17Jre() {
    assertThat(dockerfile.all("FROM")).hasSize(1);
    assertThat(dockerfile.last("FROM"))
        .hasValueSatisfying(
            from -> assertThat(from).startsWith("eclipse-temurin:17").contains("jre"));
  }

  @Test
  void exposesTheDefaultHttpPort() {
    assertThat(dockerfile.last("EXPOSE"))
        .contains(String.valueOf(ConfigKeys.HTTP_PORT.defaultValue().orElseThrow()));
  }

  @Test
  void defaultDataDirResolvesInsideTheVolumeAndTheImageDoesNotOverrideIt() {
    Path workdir = Path.of(dockerfile.last("WORKDIR").orElseThrow());
    List<String> volumes = Dockerfile.execForm(dockerfile.last("VOLUME").orElseThrow());
    Path dataDir = workdir.resolve(ConfigKeys.DATA_DIR.defaultValue().orElseThrow()).normalize();

    assertThat(volumes)
        .anySatisfy(volume -> assertThat(dataDir.startsWith(Path.of(volume))).isTrue());
    // An image-level VIGIL_* would silently beat the same key in a mounted config file.
    assertThat(dockerfile.all("ENV"))
        .noneSatisfy(env -> assertThat(env.arguments()).contains("VIGIL_"));
  }

  @Test
  void runsAsAFixedNonRootUserThatOwnsTheDataDirectory() {
    assertThat(dockerfile.uid()).isPositive().isNotEqualTo(1000L);
    String workdir = dockerfile.last("WORKDIR").orElseThrow();
    assertThat(dockerfile.all("RUN"))
        .anySatisfy(
            run ->
                assertThat(run.arguments())
                    .contains("--uid " + dockerfile.uid())
                    .contains("chown vigil:vigil " + workdir));
  }

  @Test
  void healthCheckAsksHealthOnTheDefaultPortUnlessTheContainerMovesIt() {
    List<String> command = dockerfile.healthCheckCommand();

    assertThat(command.get(0)).isEqualTo("bash");
    assertThat(String.join(" ", command))
        .contains("GET /health ")
        .contains(
            "${"
                + ConfigKeys.HTTP_PORT.envVar()
                + ":-"
                + ConfigKeys.HTTP_PORT.defaultValue().orElseThrow()
                + "}")
        .contains("' 200 '");
  }

  @Test
  void entrypointRunsTheCopiedShadedJarAndTheContextHoldsOnlyThatJar() {
    String copy = dockerfile.last("COPY").orElseThrow();
    String[] parts = copy.split("\\s+");
    String source = parts[parts.length - 2];
    String target = parts[parts.length - 1];

    assertThat(source).isEqualTo("deploy/target/vigil.jar");
    assertThat(Dockerfile.execForm(dockerfile.last("ENTRYPOINT").orElseThrow()))
        .containsExactly("java", "-jar", target);
    assertThat(Dockerfile.execForm(dockerfile.last("CMD").orElseThrow())).containsExactly("run");
    assertThat(
            DeployFiles.text("docker/Dockerfile.dockerignore")
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#")))
        .containsExactly("*", "!" + source);
  }

  @Test
  void jvmOptionsSizeTheHeapFromTheContainerLimitAndExitOnOutOfMemory() {
    assertThat(dockerfile.all("ENV"))
        .anySatisfy(
            env ->
                assertThat(env.arguments())
                    .startsWith("JDK_JAVA_OPTIONS=")
                    .contains("-XX:MaxRAMPercentage=")
                    .contains("-XX:+ExitOnOutOfMemoryError")
                    .doesNotContain("-Xmx"));
  }
}
