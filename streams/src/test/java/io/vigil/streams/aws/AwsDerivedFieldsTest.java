package io.vigil.streams.aws;

import static io.vigil.sigma.testing.SigmaRules.document;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sigma.event.JsonEventView;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.RuleLoadException;
import io.vigil.sigma.model.SigmaRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwsDerivedFieldsTest {

  private static final String PUBLIC_POLICY =
      """
      {"eventID": "e", "eventName": "PutBucketPolicy", "eventSource": "s3.amazonaws.com",
       "requestParameters": {"bucketName": "b", "bucketPolicy": {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
           "Resource": "arn:aws:s3:::b/*"}]}}}
      """;
  private static final String PINNED_POLICY =
      PUBLIC_POLICY.replace(
          "\"Resource\"",
          "\"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"192.0.2.0/24\"}}, \"Resource\"");
  private static final String NO_POLICY =
      """
      {"eventID": "e", "eventName": "GetBucketPolicy", "eventSource": "s3.amazonaws.com",
       "requestParameters": {"bucketName": "b"}}
      """;

  private static List<RuleLoadException> errors(String detection) {
    return AwsDerivedFields.ruleLoader().loadText("test.yml", document(detection)).errors();
  }

  private static SigmaRule rule(String detection) {
    LoadResult result = AwsDerivedFields.ruleLoader().loadText("test.yml", document(detection));
    assertThat(result.errors()).isEmpty();
    return result.rules().get(0);
  }

  @Test
  void anUnknownDerivedFieldIsAnErrorNamingTheKnownOnes() {
    List<RuleLoadException> errors =
        errors(
            """
              selection:
                vigil.bucketPolicyPubic: true
              condition: selection
            """);
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(9);
              assertThat(e.problem())
                  .contains("unknown derived field 'vigil.bucketPolicyPubic'")
                  .contains("vigil.bucketPolicyPublic");
            });
  }

  @Test
  void bucketPolicyPublicJudgesThePolicyOfTheEventInEveryView() {
    SigmaRule isPublic =
        rule(
            """
              selection:
                vigil.bucketPolicyPublic: true
              condition: selection
            """);
    SigmaRule absent =
        rule(
            """
              selection:
                vigil.bucketPolicyPublic|exists: false
              condition: selection
            """);
    for (String json : List.of(PUBLIC_POLICY, PINNED_POLICY, NO_POLICY)) {
      boolean expected = json.equals(PUBLIC_POLICY);
      assertThat(isPublic.matches(CloudTrailRecords.view(json))).as(json).isEqualTo(expected);
      assertThat(isPublic.matches(jsonView(json))).as(json).isEqualTo(expected);
      assertThat(absent.matches(CloudTrailRecords.view(json)))
          .as(json)
          .isEqualTo(json.equals(NO_POLICY));
    }
    assertThat(isPublic.values(CloudTrailRecords.view(PUBLIC_POLICY), "vigil.bucketPolicyPublic"))
        .containsExactly(true);
    assertThat(isPublic.values(CloudTrailRecords.view(PINNED_POLICY), "vigil.bucketPolicyPublic"))
        .containsExactly(false);
  }

  private static JsonEventView jsonView(String json) {
    try {
      return new JsonEventView(CloudTrailRecords.JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
