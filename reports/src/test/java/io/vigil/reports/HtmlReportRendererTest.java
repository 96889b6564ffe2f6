package io.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HtmlReportRendererTest {

  private final HtmlReportRenderer renderer = new HtmlReportRenderer();

  @Test
  void escapesTextFromAlerts() {
    String html = renderer.toHtml(ReportFixtures.report("hipaa"));

    assertThat(html)
        .doesNotContain("<script>")
        .contains("assumed-role/&lt;script&gt;x&lt;/script&gt;&amp;co");
    assertThat(HtmlReportRenderer.escape("a\"b'c\u0000d")).isEqualTo("a&quot;b&#39;cd");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cis-aws", "pci-dss", "hipaa", "soc2", "gdpr"})
  void containsEveryControlAndTheNotEvaluatedList(String framework) throws Exception {
    ComplianceReport report = ReportFixtures.report(framework);
    String html = renderer.toHtml(report);

    for (ComplianceReport.ControlResult control : report.controls()) {
      assertThat(html)
          .contains(
              ">"
                  + HtmlReportRenderer.escape(control.id())
                  + " "
                  + HtmlReportRenderer.escape(control.title())
                  + "</h3>");
      assertThat(html).contains(HtmlReportRenderer.escape(control.section()));
    }
    for (Framework.UncoveredControl control : report.notEvaluated()) {
      assertThat(html)
          .contains(
              "<td>" + HtmlReportRenderer.escape(control.id()) + "</td>",
              HtmlReportRenderer.escape(control.reason()));
    }
    assertThat(html)
        .contains(
            report.frameworkName(),
            "2026-11-01T00:00:00Z to 2026-11-02T00:00:00Z",
            "@media print",
            "Controls Vigil does not evaluate");
    // Well-formed XHTML: the PDF renderer parses this same page as XML.
    DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void showsStatusesAndEvidence() {
    String html = renderer.toHtml(ReportFixtures.report("cis-aws"));

    assertThat(html)
        .contains(
            "<span class=\"status failing\">Failing</span>",
            "<span class=\"status passing\">Passing</span>",
            "<span class=\"status not_evaluated\">Not evaluated</span>",
            "arn:aws:s3:::public-bucket",
            "ev-acl-1",
            "ev-root-1 ev-root-2 ev-root-3",
            "Not enabled in this deployment");
  }
}
