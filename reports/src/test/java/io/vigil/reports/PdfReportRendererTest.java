package io.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
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
}
