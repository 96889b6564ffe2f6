package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the Node tests of the console's JavaScript ({@code src/test/js}, {@code node --test}) as
 * part of the build, so that {@code ./mvnw verify} covers the page's escaping and alert-board
 * logic. Node.js 20 is already required by the build's Kinesis emulator; without it this test fails
 * and says so, rather than passing silently over untested browser code.
 */
class ConsoleScriptTest {

  @Test
  void consoleJavaScriptPassesItsNodeTests() throws Exception {
    Path tests = Path.of("src", "test", "js");
    assertThat(tests.resolve("console-view.test.mjs")).exists();
    Process node;
    try {
      node =
          new ProcessBuilder("node", "--test", tests.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run node (Node.js 20 is needed for the console's tests): " + e.getMessage(), e);
    }
    byte[] output = node.getInputStream().readAllBytes();
    assertThat(node.waitFor(2, TimeUnit.MINUTES)).as("node --test finished").isTrue();
    String report = new String(output, StandardCharsets.UTF_8);
    assertThat(node.exitValue()).as("node --test %s:%n%s", tests, report).isZero();
    assertThat(report).contains("# fail 0").doesNotContain("# pass 0");
  }
}
