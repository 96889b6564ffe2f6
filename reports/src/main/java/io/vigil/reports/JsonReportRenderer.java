package io.vigil.reports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;

/** Renders a report as JSON with snake_case keys, the convention of Vigil's alert JSON. */
public final class JsonReportRenderer implements ReportRenderer {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          // The caller owns the stream (an HTTP response, stdout).
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  @Override
  public void render(ComplianceReport report, OutputStream out) throws IOException {
    JSON.writeValue(out, report);
  }

  /** The report as a JSON string. */
  public String toJson(ComplianceReport report) throws IOException {
    return JSON.writeValueAsString(report);
  }

  @Override
  public String contentType() {
    return "application/json";
  }

  @Override
  public String extension() {
    return "json";
  }
}
