package io.vigil.sinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Severity;
import io.vigil.sinks.TestAlerts;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertFilterTest {

  @Test
  void severityBelowTheMinimumIsSkipped() {
    AlertFilter filter = new AlertFilter(Severity.high, List.of(), List.of());
    assertThat(filter.accepts(TestAlerts.numbered(1, "r", Severity.medium))).isFalse();
    assertThat(filter.accepts(TestAlerts.numbered(1, "r", Severity.high))).isTrue();
    assertThat(filter.accepts(TestAlerts.numbered(1, "r", Severity.critical))).isTrue();
  }

  @Test
  void ruleGlobsIncludeAndExclude() {
    AlertFilter filter =
        new AlertFilter(
            Severity.info, List.of("aws-iam-*", "aws-s3-public-?ucket"), List.of("aws-iam-*-test"));
    assertThat(filter.accepts(TestAlerts.numbered(1, "aws-iam-root-login", Severity.low))).isTrue();
    assertThat(filter.accepts(TestAlerts.numbered(1, "aws-s3-public-bucket", Severity.low)))
        .isTrue();
    assertThat(filter.accepts(TestAlerts.numbered(1, "aws-iam-root-test", Severity.low))).isFalse();
    assertThat(filter.accepts(TestAlerts.numbered(1, "aws-ec2-open-ssh", Severity.low))).isFalse();
  }

  @Test
  void globCharactersOtherThanStarAndQuestionMarkAreLiteral() {
    AlertFilter filter = new AlertFilter(Severity.info, List.of("a.b(c)*"), List.of());
    assertThat(filter.accepts(TestAlerts.numbered(1, "a.b(c)-x", Severity.low))).isTrue();
    assertThat(filter.accepts(TestAlerts.numbered(1, "aXb(c)-x", Severity.low))).isFalse();
  }

  @Test
  void onlyExclusionsMeansEverythingElse() {
    AlertFilter filter = new AlertFilter(Severity.low, List.of(), List.of("noisy-*"));
    assertThat(filter.accepts(TestAlerts.numbered(1, "noisy-rule", Severity.high))).isFalse();
    assertThat(filter.accepts(TestAlerts.numbered(1, "quiet-rule", Severity.low))).isTrue();
    assertThat(filter.accepts(TestAlerts.numbered(1, "quiet-rule", Severity.info))).isFalse();
  }
}
