package io.vigil.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.deploy.VigilJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code tools/kafka-cluster/cluster} run as a user runs it, from the cluster ITs. */
final class ClusterScript {

  static final Path SCRIPT = Path.of("..", "tools", "kafka-cluster", "cluster");

  private ClusterScript() {}

  /** Runs {@code cluster args...} with the brokers' data under {@code dir}; returns its stdout. */
  static List<String> run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "cluster-", ".out");
    Path err = Files.createTempFile(dir, "cluster-", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("VIGIL_JAR", VigilJar.JAR.toAbsolutePath().toString());
    Process process = builder.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("cluster %s finished", args[0]).isTrue();
    assertThat(process.exitValue())
        .as("cluster %s: %s", args[0], Files.readString(err, StandardCharsets.UTF_8))
        .isZero();
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }

  /** The last line of a command's output: {@code start} prints the bootstrap servers there. */
  static String lastLine(List<String> lines) {
    assertThat(lines).isNotEmpty();
    return lines.get(lines.size() - 1);
  }
}
