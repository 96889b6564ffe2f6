package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.app.runtime.Health;
import io.vigil.reports.ComplianceReport;
import io.vigil.reports.ComplianceReportBuilder;
import io.vigil.reports.Framework;
import io.vigil.reports.HtmlReportRenderer;
import io.vigil.reports.ReportRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A report that cannot be rendered is answered 500 with its reason over real HTTP, never with an
 * empty reply (the status line used to be lost with a renderer's exception).
 */
class ReportResponseTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpEndpoints http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    registry.close();
  }

  /**
   * A renderer that writes part of its output and then fails, as the PDF renderer did on a
   * character XML cannot hold; its message quotes the hostile text.
   */
  private static final class HalfwayFailingRenderer implements ReportRenderer {
    @Override
    public void render(ComplianceReport report, OutputStream out) throws IOException {
      out.write("<html><body>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      throw new IOException("invalid XML character (Unicode: 0xffff) in 'bucket\nFORGED\u001B[2J'");
    }

    @Override
    public String contentType() {
      return "application/pdf";
    }

    @Override
    public String extension() {
      return "pdf";
    }
  }

  private static ComplianceReport emptyReport() {
    Instant to = Instant.parse("2026-01-31T00:00:00Z");
    return new ComplianceReportBuilder(List.of())
        .build(Framework.load("cis-aws"), to.minusSeconds(86_400), to, List.of(), List.of());
  }

  private HttpResponse<String> serve(ReportRenderer renderer, Supplier<ComplianceReport> report)
      throws Exception {
    http =
        HttpEndpoints.start(
            "127.0.0.1", 0, () -> Health.ready("test"), registry, AccessGuard.open());
    http.handle("/report", exchange -> ReportResponse.send(exchange, renderer, report));
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/report")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFailingRendererIsA500WithItsReasonOnOneLine() throws Exception {
    HttpResponse<String> response =
        serve(new HalfwayFailingRenderer(), ReportResponseTest::emptyReport);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(response.body())
        .isEqualTo(
            "the pdf report could not be rendered: IOException: invalid XML character (Unicode:"
                + " 0xffff) in 'bucket\\nFORGED\\u001B[2J'\n")
        .doesNotContain("<html>");
  }

  @Test
  void aReportThatCannotBeBuiltIsA500WithItsReason() throws Exception {
    HttpResponse<String> response =
        serve(
            new HtmlReportRenderer(),
            () -> {
              throw new IllegalStateException("no such control");
            });

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body())
        .isEqualTo(
            "the html report could not be rendered: IllegalStateException: no such control\n");
  }

  @Test
  void aRenderedReportIsSentWhole() throws Exception {
    HttpResponse<String> response =
        serve(new HtmlReportRenderer(), ReportResponseTest::emptyReport);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(response.body()).contains("</html>");
  }
}
