package io.vigil.streams.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketPolicyExposureTest {

  private static String statement(String principal, String condition) {
    return """
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": %s,
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"%s}]}
    """
        .formatted(principal, condition == null ? "" : ", \"Condition\": " + condition);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"*\"",
        "{\"AWS\": \"*\"}",
        "{\"AWS\": [\"arn:aws:iam::111122223333:root\", \"*\"]}",
        "{\"AWS\": \"arn:aws:iam::*:root\"}"
      })
  void anAllowForEveryoneWithoutConditionIsPublic(String principal) {
    assertThat(BucketPolicyExposure.isPublic(statement(principal, null))).isTrue();
  }

  @Test
  void fixedPrincipalsAndServicesAreNotPublic() {
    assertThat(
            BucketPolicyExposure.isPublic(
                statement("{\"AWS\": \"arn:aws:iam::111122223333:role/app\"}", null)))
        .isFalse();
    assertThat(
            BucketPolicyExposure.isPublic(
                statement("{\"Service\": \"cloudtrail.amazonaws.com\"}", null)))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"IpAddress\": {\"aws:SourceIp\": [\"192.0.2.0/24\", \"203.0.113.7\"]}}",
        "{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}",
        "{\"StringEquals\": {\"aws:sourcevpc\": \"vpc-111bbb22\"}}",
        "{\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}",
        "{\"ArnLike\": {\"aws:SourceArn\": \"arn:aws:cloudfront::111122223333:distribution/E1\"}}",
        "{\"StringEquals\": {\"aws:SourceAccount\": \"111122223333\"}}",
        "{\"ForAnyValue:StringEquals\": {\"aws:PrincipalAccount\": [\"111122223333\"]}}",
        "{\"Bool\": {\"aws:SecureTransport\": \"true\"}, \"StringEquals\": {\"aws:SourceVpce\":"
            + " \"vpce-1\"}}"
      })
  void everyoneNarrowedToFixedSourcesIsNotPublic(String condition) {
    assertThat(BucketPolicyExposure.isPublic(statement("\"*\"", condition))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"Bool\": {\"aws:SecureTransport\": \"true\"}}",
        "{\"StringEquals\": {\"s3:x-amz-acl\": \"bucket-owner-full-control\"}}",
        "{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}",
        "{\"IpAddress\": {\"aws:SourceIp\": [\"192.0.2.0/24\", \"::/0\"]}}",
        "{\"NotIpAddress\": {\"aws:SourceIp\": \"192.0.2.0/24\"}}",
        "{\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}",
        "{\"StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}",
        "{\"ForAllValues:StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}",
        "{\"StringLike\": {\"aws:SourceVpce\": \"vpce-*\"}}",
        "{\"StringEquals\": {\"aws:SourceAccount\": \"${aws:PrincipalAccount}\"}}",
        "{\"StringLike\": {\"aws:userid\": \"AROAEXAMPLEID:*\"}}"
      })
  void conditionsThatDoNotPinTheCallerLeaveItPublic(String condition) {
    assertThat(BucketPolicyExposure.isPublic(statement("\"*\"", condition))).isTrue();
  }

  @Test
  void notPrincipalInAnAllowGrantsEveryoneElse() {
    assertThat(
            BucketPolicyExposure.isPublic(
                """
                {"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:user/x"}, "Action": "s3:*"}]}
                """))
        .isTrue();
  }

  @Test
  void denyStatementsAndUnreadablePoliciesAreNotPublic() {
    assertThat(
            BucketPolicyExposure.isPublic(
                """
                {"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*"}}
                """))
        .isFalse();
    assertThat(BucketPolicyExposure.isPublic("not json")).isFalse();
    assertThat(BucketPolicyExposure.isPublic((String) null)).isFalse();
  }

  @Test
  void aPolicyWrittenAsJsonTextInsideJsonIsRead() {
    String inner = statement("\"*\"", null).replace("\"", "\\\"").replace("\n", " ");
    assertThat(BucketPolicyExposure.isPublic("\"" + inner + "\"")).isTrue();
  }
}
