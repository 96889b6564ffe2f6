package io.vigil.streams.posture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every posture rule id the topology can raise has its metadata file in the jar. */
class PostureRuleMetadataTest {

  @Test
  void everyPostureRuleHasMetadataWithTitleLevelAndComplianceTags() throws IOException {
    for (String id : PostureControls.ALL) {
      String path = "/rules/posture/" + id + ".yml";
      try (InputStream in = PostureRuleMetadataTest.class.getResourceAsStream(path)) {
        assertThat(in).as(path).isNotNull();
        List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines)
            .as(path)
            .contains("id: " + id, "author: Vigil", "status: stable", "vigil: {posture: true}");
        assertThat(lines)
            .as(path)
            .anyMatch(l -> l.startsWith("title: "))
            .anyMatch(l -> l.startsWith("description: "))
            .anyMatch(l -> l.matches("level: (low|medium|high|critical)"))
            .anyMatch(l -> l.matches("tags: \\[.*(cis\\.aws|pci-dss|hipaa|soc2|gdpr)\\..*]"));
      }
    }
  }

  @Test
  void everyPostureRuleNamesTheEventSourceItsResourcesComeFrom() {
    for (String id : PostureControls.ALL) {
      assertThat(PostureControls.eventSource(id))
          .as(id)
          .get()
          .asString()
          .endsWith(".amazonaws.com");
    }
    assertThat(PostureControls.eventSource(PostureControls.KMS_KEY_DISABLED))
        .contains("kms.amazonaws.com");
    assertThat(PostureControls.eventSource("aws-root-account-usage")).isEmpty();
  }
}
