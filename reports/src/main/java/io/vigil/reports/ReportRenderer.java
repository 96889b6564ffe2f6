package io.vigil.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Writes a {@link ComplianceReport} in one format. The CLI writes to a file or stdout and the HTTP
 * endpoint to the response, hence streams and a content type.
 */
public interface ReportRenderer {

  /** Writes the report; does not close the stream. */
  void render(ComplianceReport report, OutputStream out) throws IOException;

  /** The MIME type of the output, for HTTP responses. */
  String contentType();

  /** The file extension of the output, without the dot. */
  String extension();

  /** The renderer of a format name as the CLI and the HTTP API take it: json, html or pdf. */
  static ReportRenderer forFormat(String format) {
    switch (format.toLowerCase(Locale.ROOT)) {
      case "json":
        return new JsonReportRenderer();
      case "html":
        return new HtmlReportRenderer();
      case "pdf":
        return new PdfReportRenderer();
      default:
        throw new IllegalArgumentException(
            "Unknown report format " + format + "; use json, html or pdf");
    }
  }
}
