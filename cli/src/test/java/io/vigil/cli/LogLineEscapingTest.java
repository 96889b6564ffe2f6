package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

/**
 * The log layout of {@code vigil} ({@code log4j2.xml}, the one the jar runs with) escapes what a
 * log writer chose: a file name with a newline cannot forge a log line, an ANSI escape cannot reach
 * the terminal, a right-to-left override cannot reorder what an operator reads.
 */
class LogLineEscapingTest {

  private static String logged(String message, Object argument) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    // The console appender takes System.err when the configuration starts.
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LoggerContext context = null;
    try {
      URI config = LogLineEscapingTest.class.getResource("/log4j2.xml").toURI();
      context = Configurator.initialize("log-line-escaping", null, config);
      Logger log = context.getLogger("io.vigil.ingest.file.InboxWatcher");
      log.info(message, argument);
    } finally {
      if (context != null) {
        Configurator.shutdown(context);
      }
      System.setErr(stderr);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aFileNameWithANewlineAndAnsiEscapesIsOneEscapedLogLine() throws Exception {
    String name =
        "evil.json\n2026-12-04T05:00:00.000Z INFO  [main] Vigil - all clear\u001B[2J\u001B[31m";

    String out = logged("Inbox file {} moved to done", name);

    assertThat(out.lines()).singleElement();
    assertThat(out)
        .contains(
            "Inbox file evil.json\\n"
                + "2026-12-04T05:00:00.000Z INFO  [main] Vigil - all clear?[2J?[31m")
        .doesNotContain("\u001B")
        .endsWith(" moved to done" + System.lineSeparator());
  }

  @Test
  void c1ControlsAndBidiOverridesAreNotWrittenRaw() throws Exception {
    String out = logged("Ingested {}", "a\u009B2Jb\u202Etxt.exe\r\u007F");

    assertThat(out.lines()).singleElement();
    assertThat(out)
        .doesNotContain("\u009B", "\u202E", "\u007F")
        .contains("Ingested a?2Jb?txt.exe\\r?");
  }
}
