package io.vigil.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComplianceTagsTest {

  @Test
  void complianceTagsBecomeTheReferencesAuditorsRead() {
    assertThat(
            ComplianceTags.compliance(
                List.of(
                    "attack.t1078.004",
                    "cis.aws.4.3",
                    "pci-dss.10.2.4",
                    "hipaa.164.312.a.2.iv",
                    "hipaa.164.312.b",
                    "soc2.cc7.2",
                    "gdpr.32",
                    "cis.aws.4.3")))
        .containsExactly(
            "CIS-AWS 4.3",
            "PCI-DSS 10.2.4",
            "HIPAA 164.312(a)(2)(iv)",
            "HIPAA 164.312(b)",
            "SOC2 CC7.2",
            "GDPR Art. 32");
  }

  @Test
  void attackTagsBecomeMitreTechniqueAndTacticIds() {
    assertThat(
            ComplianceTags.attack(
                List.of(
                    "attack.defense_evasion",
                    "attack.t1562.008",
                    "attack.t1046",
                    "attack.g0016",
                    "cis.aws.4.5")))
        .containsExactly("TA0005", "T1562.008", "T1046");
  }
}
