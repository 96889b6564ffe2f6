package io.vigil.sinks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sinks.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private static final String HOOK =
      "https://hooks.example.com:8443/t/PATHTOKEN-1234?sig=QUERYSIG-5678";

  @Test
  void aUrlIsShownAsSchemeHostAndPortOnly() {
    assertThat(Secret.maskedUrl(HOOK)).isEqualTo("https://hooks.example.com:8443/***");
    assertThat(Secret.maskedUrl("https://hooks.slack.com/services/T0/B0/X"))
        .isEqualTo("https://hooks.slack.com/***");
    assertThat(Secret.maskedUrl("https://user:pw@h.example.com"))
        .isEqualTo("https://h.example.com/***");
    assertThat(Secret.maskedUrl("https://h.example.com/")).isEqualTo("https://h.example.com");
    assertThat(Secret.maskedUrl("not a url")).isEqualTo(Secret.MASK);
    assertThat(Secret.url(HOOK)).hasToString("https://hooks.example.com:8443/***");
  }

  @Test
  void theWholeUrlItsPathItsQueryAndTokenLikeSegmentsAreMaskedWhereverTheyAppear() {
    Redactor redactor = new Redactor(List.of(Secret.url(HOOK)));

    assertThat(redactor.scrub("POST " + HOOK + " failed"))
        .isEqualTo("POST https://hooks.example.com:8443/*** failed");
    assertThat(redactor.scrub("no route for /t/PATHTOKEN-1234?sig=QUERYSIG-5678"))
        .isEqualTo("no route for ***");
    assertThat(redactor.scrub("unknown hook PATHTOKEN-1234, signature QUERYSIG-5678"))
        .isEqualTo("unknown hook ***, signature ***");
    // A receiver may echo the path decoded.
    assertThat(
            new Redactor(List.of(Secret.url("https://h.example.com/t/TOKEN%2D12345678")))
                .scrub("no hook TOKEN-12345678"))
        .isEqualTo("no hook ***");
  }

  @Test
  void headerValuesAndTokensAreMasked() {
    Redactor redactor =
        new Redactor(List.of(Secret.of("Bearer LITERAL-AUTH-9012"), Secret.of("HEC-TOKEN")));

    assertThat(redactor.scrub("authorization: Bearer LITERAL-AUTH-9012; token HEC-TOKEN"))
        .isEqualTo("authorization: ****; token ****");
  }

  @Test
  void controlCharactersAreEscapedSoThatAnAnswerCannotForgeALogLine() {
    Redactor redactor = new Redactor(List.of());

    assertThat(redactor.scrub("bad\nWARN forged line \u001B[31mred\u202Eevil"))
        .isEqualTo("bad\\nWARN forged line \\u001B[31mred[U+202E]evil");
  }

  @Test
  void aLongTextIsTrimmedAfterItsSecretsAreMasked() {
    String secret = "S".repeat(40);
    Redactor redactor = new Redactor(List.of(Secret.of(secret)));
    // The secret straddles the cut: trimming first would have left its first half visible.
    String text = "x".repeat(Redactor.MAX_LENGTH - 20) + secret + "y".repeat(10_000);

    String scrubbed = redactor.scrub(text);

    assertThat(scrubbed)
        .doesNotContain("SSSS")
        .hasSizeLessThan(Redactor.MAX_LENGTH + 40)
        .endsWith(" more characters)");
  }
}
