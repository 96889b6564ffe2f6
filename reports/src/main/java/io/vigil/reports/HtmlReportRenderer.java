package io.vigil.reports;

import io.vigil.reports.ComplianceReport.AlertEvidence;
import io.vigil.reports.ComplianceReport.ControlResult;
import io.vigil.reports.ComplianceReport.ResourceEvidence;
import io.vigil.reports.ComplianceReport.Summary;
import io.vigil.schemas.UntrustedText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders a report as one self-contained, printable HTML page for auditors: the framework and
 * period, a summary table, one section per control with its status and evidence, and the
 * framework's controls Vigil does not evaluate. No scripts, fonts or images are fetched, so the
 * file can be archived and opened offline. The page is well-formed XHTML because the PDF renderer
 * lays out this same page; every text from the data is escaped.
 */
public final class HtmlReportRenderer implements ReportRenderer {

  private static final String CSS =
      """
      body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #111; margin: 2em; }
      h1 { font-size: 18pt; margin-bottom: 0.2em; }
      h2 { font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: 0.2em; margin-top: 1.6em; }
      h3 { font-size: 11pt; margin: 0 0 0.3em 0; }
      table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em 0; }
      th, td { border: 1px solid #bbb; padding: 3px 5px; text-align: left; vertical-align: top; }
      th { background: #eee; }
      .meta td { border: none; padding: 1px 8px 1px 0; }
      .control { border-top: 2px solid #ccc; padding: 0.6em 0 0 0; margin: 0.8em 0; page-break-inside: avoid; }
      .status { font-weight: bold; padding: 1px 6px; border: 1px solid; }
      .failing { color: #a00000; border-color: #a00000; }
      .passing { color: #006000; border-color: #006000; }
      .not_evaluated { color: #555; border-color: #555; }
      /* ARNs and event ids have no spaces: let them break anywhere rather than widen the page. */
      .ids { font-size: 8pt; word-wrap: break-word; }
      .muted { color: #555; }
      @page { size: A4; margin: 15mm; }
      @media print {
        body { margin: 0; }
        h2 { page-break-after: avoid; }
      }
      """;

  @Override
  public void render(ComplianceReport report, OutputStream out) throws IOException {
    out.write(toHtml(report).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String contentType() {
    return "text/html; charset=utf-8";
  }

  @Override
  public String extension() {
    return "html";
  }

  /** The report as an XHTML page. */
  public String toHtml(ComplianceReport report) {
    StringBuilder html = new StringBuilder(16_384);
    String heading = report.frameworkName() + " - compliance report";
    html.append(
            "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
        .append("<meta charset=\"utf-8\"/>\n<title>")
        .append(escape(heading))
        .append("</title>\n")
        .append("<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    html.append("<h1>").append(escape(heading)).append("</h1>\n");
    html.append("<table class=\"meta\">\n");
    meta(html, "Framework", report.frameworkName() + " (" + report.framework() + ")");
    meta(html, "Version", report.frameworkVersion());
    meta(html, "Period", report.from() + " to " + report.to() + " (end exclusive)");
    meta(html, "Generated", report.generatedAt() + " by Vigil");
    html.append("</table>\n");

    summary(html, report);
    html.append("<h2>Controls evaluated</h2>\n");
    html.append(
        "<p class=\"muted\">Failing: an alert of the control's rules in the period, or a resource"
            + " whose latest state fails one of its posture rules. Passing: its rules ran and"
            + " nothing failed. Not evaluated: none of its rules is enabled.</p>\n");
    for (ControlResult control : report.controls()) {
      control(html, control);
    }
    notEvaluated(html, report.notEvaluated());
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void meta(StringBuilder html, String name, String value) {
    html.append("<tr><td><b>")
        .append(escape(name))
        .append("</b></td><td>")
        .append(escape(value))
        .append("</td></tr>\n");
  }

  private static void summary(StringBuilder html, ComplianceReport report) {
    Summary summary = report.summary();
    html.append(
        "<h2>Summary</h2>\n"
            + "<table>\n"
            + "<tr><th>Controls evaluated</th><th>Failing</th><th>Passing</th><th>Not"
            + " evaluated</th><th>Not covered by Vigil</th><th>Alerts cited</th><th>Resources"
            + " cited</th></tr>\n"
            + "<tr>");
    for (int count :
        new int[] {
          summary.controlsEvaluated(),
          summary.failing(),
          summary.passing(),
          summary.notEvaluated(),
          summary.controlsNotCovered(),
          summary.alerts(),
          summary.resources()
        }) {
      html.append("<td>").append(count).append("</td>");
    }
    html.append("</tr>\n</table>\n");
    html.append(
        "<table>\n<tr><th>Control</th><th>Title</th><th>Status</th><th>Alerts</th>"
            + "<th>Resources</th></tr>\n");
    for (ControlResult control : report.controls()) {
      html.append("<tr><td><a href=\"#")
          .append(anchor(control.id()))
          .append("\">")
          .append(escape(control.id()))
          .append("</a></td><td>")
          .append(escape(control.title()))
          .append("</td><td>")
          .append(status(control))
          .append("</td><td>")
          .append(control.alerts().size())
          .append("</td><td>")
          .append(control.resources().size())
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void control(StringBuilder html, ControlResult control) {
    html.append("<div class=\"control\" id=\"")
        .append(anchor(control.id()))
        .append("\">\n")
        .append("<h3>")
        .append(escape(control.id()))
        .append(" ")
        .append(escape(control.title()))
        .append("</h3>\n<p>")
        .append(status(control))
        .append(" <span class=\"muted\">")
        .append(escape(control.section()))
        .append("</span></p>\n");
    if (control.evaluation() != null) {
      html.append("<p>Vigil evaluates: ").append(escape(control.evaluation())).append("</p>\n");
    }
    html.append("<p>Rules: <span class=\"ids\">")
        .append(escape(String.join(", ", control.rules())))
        .append("</span>");
    if (!control.rulesNotEnabled().isEmpty()) {
      html.append("<br/>Not enabled in this deployment: <span class=\"ids\">")
          .append(escape(String.join(", ", control.rulesNotEnabled())))
          .append("</span>");
    }
    html.append("</p>\n");
    if (!control.alerts().isEmpty()) {
      html.append(
          "<table>\n<tr><th>Rule</th><th>Severity</th><th>Entity</th><th>Account</th>"
              + "<th>First seen</th><th>Last seen</th><th>Count</th><th>Event ids</th></tr>\n");
      for (AlertEvidence alert : control.alerts()) {
        html.append("<tr><td class=\"ids\">")
            .append(escape(alert.ruleId()))
            .append("</td><td>")
            .append(escape(alert.severity()))
            .append("</td><td class=\"ids\">")
            .append(escape(alert.entity()))
            .append("</td><td>")
            .append(escape(alert.accountId()))
            .append("</td><td>")
            .append(escape(alert.firstSeen()))
            .append("</td><td>")
            .append(escape(alert.lastSeen()))
            .append("</td><td>")
            .append(alert.count())
            .append("</td><td class=\"ids\">")
            .append(escape(String.join(" ", alert.eventIds())))
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    if (!control.resources().isEmpty()) {
      html.append(
          "<table>\n<tr><th>Resource</th><th>Type</th><th>Account</th><th>Failing rule</th>"
              + "<th>Since</th><th>Established by event ids</th></tr>\n");
      for (ResourceEvidence resource : control.resources()) {
        html.append("<tr><td class=\"ids\">")
            .append(escape(resource.arn()))
            .append("</td><td>")
            .append(escape(resource.resourceType()))
            .append("</td><td>")
            .append(escape(resource.accountId()))
            .append("</td><td class=\"ids\">")
            .append(escape(resource.failingRule()))
            .append("</td><td>")
            .append(escape(resource.updatedAt()))
            .append("</td><td class=\"ids\">")
            .append(escape(String.join(" ", resource.establishedByEventIds())))
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    if (control.alerts().isEmpty() && control.resources().isEmpty()) {
      html.append("<p class=\"muted\">No evidence of failure in the period.</p>\n");
    }
    html.append("</div>\n");
  }

  private static void notEvaluated(StringBuilder html, List<Framework.UncoveredControl> controls) {
    html.append("<h2>Controls Vigil does not evaluate</h2>\n");
    html.append(
        "<p class=\"muted\">These controls of the framework need evidence Vigil does not "
            + "have; assess them by other means.</p>\n");
    html.append("<table>\n<tr><th>Control</th><th>Title</th><th>Why not</th></tr>\n");
    for (Framework.UncoveredControl control : controls) {
      html.append("<tr><td>")
          .append(escape(control.id()))
          .append("</td><td>")
          .append(escape(control.title()))
          .append("</td><td>")
          .append(escape(control.reason()))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static String status(ControlResult control) {
    return "<span class=\"status "
        + control.status().id()
        + "\">"
        + control.status().label()
        + "</span>";
  }

  /**
   * An id attribute value from a control id: letters and digits only, as "4.3" is not a name in
   * XML.
   */
  private static String anchor(String controlId) {
    return "control-" + controlId.replaceAll("[^A-Za-z0-9]+", "-");
  }

  /**
   * Escapes text for element content and attribute values, and drops the control characters XML
   * cannot hold at all (they would make the page unreadable to the PDF renderer).
   */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
            // Not a character XML (so the PDF layout) accepts: one in a bucket name made every
            // PDF report of the period fail. Shown as the replacement character instead.
            out.append('\uFFFD');
          } else if (UntrustedText.isBidiControl(c)) {
            // Right-to-left overrides can make a name read as another: shown, not obeyed.
            out.append(UntrustedText.shown(c));
          } else if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
