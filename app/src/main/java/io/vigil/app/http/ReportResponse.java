package io.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import io.vigil.reports.ComplianceReport;
import io.vigil.reports.ReportRenderer;
import io.vigil.schemas.UntrustedText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers with a compliance report rendered whole into memory before the status line is sent, so
 * that a report that cannot be built or rendered is a 500 with its reason, never an empty reply.
 */
final class ReportResponse {

  private static final Logger log = LoggerFactory.getLogger(ReportResponse.class);

  // The reason may quote the hostile text that broke the renderer: one bounded line of it.
  private static final int MAX_REASON = 300;

  private ReportResponse() {}

  static void send(
      HttpExchange exchange, ReportRenderer renderer, Supplier<ComplianceReport> report)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      renderer.render(report.get(), body);
    } catch (IOException | RuntimeException e) {
      String reason = reason(e);
      log.error("the {} report could not be rendered: {}", renderer.extension(), reason);
      HttpEndpoints.send(
          exchange,
          500,
          "text/plain; charset=utf-8",
          "the " + renderer.extension() + " report could not be rendered: " + reason + "\n");
      return;
    }
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", renderer.contentType());
      exchange.sendResponseHeaders(200, body.size());
      exchange.getResponseBody().write(body.toByteArray());
    }
  }

  private static String reason(Exception e) {
    String text =
        UntrustedText.forLine(
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "..." : text;
  }
}
