package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.PipelineComponents;
import io.vigil.app.runtime.VigilRuntime;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: Debian's Chromium driven by puppeteer-core ({@code
 * tools/console-browser}, installed with {@code npm ci}) through an analyst's and a viewer's
 * sessions on a running pipeline (see {@code console-triage.mjs} for the steps: live alerts,
 * triage, sorting and filters in the address, the keyboard, incidents, muting and the viewer's
 * limits). Without Chromium or the npm packages this test fails and says how to install them,
 * rather than skipping: a console that was never opened in a browser is not tested.
 */
class ConsoleBrowserIT {

  private static final String ANALYST = "alice-0123456789abcdefghij";
  private static final String VIEWER = "bob-0123456789abcdefghijkl";
  private static final Path TOOL =
      Path.of("..", "tools", "console-browser").toAbsolutePath().normalize();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dataDir;

  @Test
  void anAnalystTriagesInTheBrowserAndAViewerOnlyWatches() throws Exception {
    assertThat(CHROMIUM)
        .as("Chromium for the console's browser tests: apt-get install -y chromium")
        .exists();
    assertThat(TOOL.resolve("node_modules").resolve("puppeteer-core"))
        .as("puppeteer-core: (cd tools/console-browser && npm ci)")
        .exists();
    try (VigilRuntime runtime = VigilRuntime.start(config(), PipelineComponents.all())) {
      assertThat(HttpProbe.awaitReady(runtime.httpPort(), Duration.ofSeconds(60))).isEqualTo(200);
      ProcessBuilder node =
          new ProcessBuilder("node", TOOL.resolve("console-triage.mjs").toString())
              .directory(TOOL.toFile())
              .redirectErrorStream(true);
      node.environment()
          .putAll(
              Map.of(
                  "VIGIL_URL",
                  "http://127.0.0.1:" + runtime.httpPort(),
                  "VIGIL_INBOX",
                  dataDir.resolve("inbox").toString(),
                  "ALERT_FILE",
                  TestData.path(
                          "stratus_red_team/docs/detonation-logs/aws.defense-evasion.cloudtrail-stop.json")
                      .toString(),
                  "EXPECT_RULE",
                  "aws-cloudtrail-logging-disabled",
                  "ANALYST_TOKEN",
                  ANALYST,
                  "ANALYST_NAME",
                  "alice",
                  "VIEWER_TOKEN",
                  VIEWER,
                  "VIEWER_NAME",
                  "bob"));
      Process process = node.start();
      byte[] output = process.getInputStream().readAllBytes();
      boolean finished = process.waitFor(5, TimeUnit.MINUTES);
      String report = new String(output, StandardCharsets.UTF_8);
      System.out.println(report);
      assertThat(finished).as("the browser steps finished").isTrue();
      assertThat(process.exitValue()).as("the browser steps:%n%s", report).isZero();
      assertThat(report).contains("ok: every step held");
    }
  }

  private VigilConfig config() throws Exception {
    Path file = dataDir.resolve("vigil.yaml");
    Files.writeString(
        file,
        """
        http.users:
          - {name: alice, role: analyst, token: "${ALICE_TOKEN}"}
          - {name: bob, role: viewer, token: "${BOB_TOKEN}"}
        """);
    return VigilConfig.load(
        Optional.of(file),
        Map.of("ALICE_TOKEN", ANALYST, "BOB_TOKEN", VIEWER),
        Map.of(
            "data.dir", dataDir.toString(),
            "kafka.embedded.port", "0",
            "http.port", "0",
            "http.host", "127.0.0.1",
            "topics.partitions", "1",
            // a muted update of the alert shows within a second, not the default minute
            "alerts.update.interval", "1s",
            "events.retention", "1d"));
  }
}
