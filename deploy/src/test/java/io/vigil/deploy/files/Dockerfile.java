package io.vigil.deploy.files;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code deploy/docker/Dockerfile} as a list of instructions (continuation lines joined, comments
 * dropped), with the few values the tests compare against the code and the other deploy files.
 */
final class Dockerfile {

  /** One instruction: {@code EXPOSE 8080} is {@code ("EXPOSE", "8080")}. */
  record Instruction(String keyword, String arguments) {}

  private final List<Instruction> instructions;

  private Dockerfile(List<Instruction> instructions) {
    this.instructions = instructions;
  }

  static Dockerfile read() {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : DeployFiles.text("docker/Dockerfile").lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String joined = current.toString().strip();
      current.setLength(0);
      if (joined.isEmpty()) {
        continue;
      }
      int space = joined.indexOf(' ');
      out.add(
          new Instruction(
              joined.substring(0, space).toUpperCase(Locale.ROOT),
              joined.substring(space + 1).strip()));
    }
    return new Dockerfile(List.copyOf(out));
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The last instruction with this keyword (the one in force), if any. */
  Optional<String> last(String keyword) {
    List<Instruction> matching = all(keyword);
    return matching.isEmpty()
        ? Optional.empty()
        : Optional.of(matching.get(matching.size() - 1).arguments());
  }

  /**
   * An exec-form (JSON array) argument list, e.g. of ENTRYPOINT, or of HEALTHCHECK after its CMD.
   */
  static List<String> execForm(String arguments) {
    try {
      return new ObjectMapper()
          .readValue(
              arguments.substring(arguments.indexOf('[')), new TypeReference<List<String>>() {});
    } catch (Exception e) {
      throw new AssertionError("not a JSON exec form: " + arguments, e);
    }
  }

  /** The HEALTHCHECK's command in exec form. */
  List<String> healthCheckCommand() {
    String healthcheck =
        last("HEALTHCHECK").orElseThrow(() -> new AssertionError("no HEALTHCHECK"));
    int cmd = healthcheck.indexOf(" CMD ");
    if (cmd < 0) {
      throw new AssertionError("HEALTHCHECK without CMD: " + healthcheck);
    }
    return execForm(healthcheck.substring(cmd + 5));
  }

  /** The numeric uid of {@code USER uid[:gid]}. */
  long uid() {
    String user = last("USER").orElseThrow(() -> new AssertionError("no USER"));
    return Long.parseLong(user.split(":")[0]);
  }
}
