package io.vigil.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code vigil.jar} this module builds, started as its own process as a user starts it: with
 * the test JVM's {@code java}, a heap bound, no {@code VIGIL_*} variable of the test's environment
 * (only those given), output and errors into one log file.
 */
public final class VigilJar {

  /** The jar, relative to the module (where failsafe runs). */
  public static final Path JAR = Path.of("target", "vigil.jar");

  private VigilJar() {}

  /**
   * Starts {@code java -Xmx<heap> -jar vigil.jar args...} with {@code env} added; with {@code heap}
   * null, without a heap option, as the README's command does.
   */
  public static Process start(List<String> args, Map<String, String> env, String heap, Path log)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (heap != null) {
      command.add("-Xmx" + heap);
    }
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  /** What the process wrote so far; empty before it wrote anything. */
  public static String readLog(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
