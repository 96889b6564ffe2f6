package io.vigil.sigma.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RuleValueTest {

  @Test
  void base64offsetProducesTheThreeKnownSpellings() {
    // The well-known spellings of "/bin/bash" at the three alignments.
    assertThat(RuleValue.base64Offsets("/bin/bash".getBytes(StandardCharsets.UTF_8)))
        .containsExactly("L2Jpbi9iYXNo", "9iaW4vYmFza", "vYmluL2Jhc2");
  }
}
