package io.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Alert;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PdfReportRendererTest {

  @ParameterizedTest
  @ValueSource(strings = {"cis-aws", "hipaa"})
  void isAPdfWithEveryControl(String framework) throws Exception {
    ComplianceReport report = ReportFixtures.report(framework);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PdfReportRenderer().render(report, out);
    byte[] pdf = out.toByteArray();

    assertThat(new String(Arrays.copyOf(pdf, 5), StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    try (PDDocument document = PDDocument.load(pdf)) {
      assertThat(document.getNumberOfPages()).isPositive();
      // Layout may break lines anywhere between words; compare without line breaks.
      String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
      for (ComplianceReport.ControlResult control : report.controls()) {
        assertThat(text).contains(control.id() + " ");
      }
      assertThat(text)
          .contains(
              report.frameworkName(),
              "Failing",
              "Passing",
              "Not evaluated",
              "Controls Vigil does not evaluate",
              "arn:aws:s3:::");
    }
  }

  @Test
  void textThatIsNoXmlCharacterDoesNotBreakTheReport() throws Exception {
    // U+FFFF and a lone surrogate in attacker-chosen names once made every PDF of the period fail.
    List<Alert> alerts = new ArrayList<>(ReportFixtures.alerts());
    alerts.add(
        ReportFixtures.alert(
            "a-odd",
            "aws-root-account-usage",
            "arn:aws:s3:::odd\uFFFFbucket\uD800name\u202Etxt.exe",
            "2026-11-01T10:00:00Z",
            "2026-11-01T10:00:00Z",
            1,
            List.of("ev-odd"),
            0));
    ComplianceReport report =
        ReportFixtures.builder()
            .build(
                Framework.load("cis-aws"),
                ReportFixtures.FROM,
                ReportFixtures.TO,
                alerts,
                ReportFixtures.posture());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PdfReportRenderer().render(report, out);
    try (PDDocument document = PDDocument.load(out.toByteArray())) {
      // Layout breaks long names anywhere; compare without whitespace.
      String text = new PDFTextStripper().getText(document).replaceAll("\\s+", "");
      assertThat(text).contains("name[U+202E]txt.exe");
    }
  }
}
