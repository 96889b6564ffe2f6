package io.vigil.sigma.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldPathTest {

  @Test
  void aDottedNameSplitsIntoItsSegments() {
    FieldPath path = FieldPath.of("userIdentity.sessionContext.sessionIssuer.arn");

    assertThat(path.size()).isEqualTo(4);
    assertThat(path.head()).isEqualTo("userIdentity");
    assertThat(path.segment(3)).isEqualTo("arn");
    assertThat(FieldPath.of("eventName").size()).isEqualTo(1);
  }

  @Test
  void theSameNameGivesAnEqualPathEveryTime() {
    assertThat(FieldPath.of("a.b")).isEqualTo(FieldPath.of("a.b")).isNotEqualTo(FieldPath.of("a"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".a", "a.", "a..b"})
  void anEmptySegmentIsRefusedEveryTime(String dotted) {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> FieldPath.of(dotted))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty segment");
    }
  }
}
