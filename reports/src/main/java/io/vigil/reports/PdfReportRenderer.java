package io.vigil.reports;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Renders a report as PDF by laying out the page of {@link HtmlReportRenderer} (its print CSS sets
 * A4 pages), so the PDF and the HTML carry the same content. Uses the PDF standard fonts, so no
 * font files are needed; characters outside them print as placeholders.
 */
public final class PdfReportRenderer implements ReportRenderer {

  // openhtmltopdf logs every layout step at INFO; keep its warnings only.
  static {
    for (String logger : com.openhtmltopdf.util.XRLog.listRegisteredLoggers()) {
      com.openhtmltopdf.util.XRLog.setLevel(logger, java.util.logging.Level.WARNING);
    }
  }

  private final HtmlReportRenderer html = new HtmlReportRenderer();

  @Override
  public void render(ComplianceReport report, OutputStream out) throws IOException {
    PdfRendererBuilder builder = new PdfRendererBuilder();
    builder.useFastMode();
    // No base URI: the page references nothing external, and must not fetch anything.
    builder.withHtmlContent(html.toHtml(report), null);
    builder.withProducer("Vigil");
    builder.toStream(out);
    builder.run();
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
