package io.vigil.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidenceMaskerTest {

  @Test
  void configuredFieldsAreMaskedByPathOrLastSegmentIgnoringCase() {
    EvidenceMasker masker = new EvidenceMasker(List.of("requestParameters.key", "patientId"));
    Map<String, String> masked =
        masker.mask(
            Map.of(
                "requestParameters.key", "patients/123-45-6789.pdf",
                "requestParameters.bucketName", "patient-records-prod",
                "additionalEventData.PatientID", "p-42"));
    assertThat(masked)
        .containsEntry("requestParameters.key", EvidenceMasker.MASK)
        .containsEntry("additionalEventData.PatientID", EvidenceMasker.MASK)
        .containsEntry("requestParameters.bucketName", "patient-records-prod");
  }

  @Test
  void noConfiguredFieldsLeavesEvidenceUnchanged() {
    assertThat(EvidenceMasker.NONE.mask(Map.of("a", "b"))).containsExactly(Map.entry("a", "b"));
  }
}
