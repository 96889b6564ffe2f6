package io.vigil.sinks.stdout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.AlertJson;
import io.vigil.sinks.TestAlerts;
import io.vigil.sinks.render.AlertFormat;
import io.vigil.sinks.render.RenderingConfig;
import io.vigil.sinks.render.Workflow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StdoutSinkTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void writesTheAlertJsonOfVigilScanOneLinePerAlert() throws Exception {
    new StdoutSink(
            out,
            new RenderingConfig(AlertFormat.ALERT, null, null, null, true),
            Workflow.Lookup.NONE)
        .deliver(
            List.of(TestAlerts.stopLogging(), TestAlerts.updated(TestAlerts.stopLogging(), 1)));

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList())
        .containsExactly(
            AlertJson.toJson(TestAlerts.stopLogging()),
            AlertJson.toJson(TestAlerts.updated(TestAlerts.stopLogging(), 1)));
  }

  @Test
  void writesOcsfWhenAsked() throws Exception {
    new StdoutSink(
            out,
            new RenderingConfig(AlertFormat.OCSF, null, null, null, true),
            Workflow.Lookup.NONE)
        .deliver(List.of(TestAlerts.stopLogging()));

    assertThat(
            new ObjectMapper()
                .readTree(bytes.toString(StandardCharsets.UTF_8))
                .get("class_uid")
                .asInt())
        .isEqualTo(2004);
  }
}
