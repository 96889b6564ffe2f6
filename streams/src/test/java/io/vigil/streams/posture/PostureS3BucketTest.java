package io.vigil.streams.posture;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.ResourceState;
import io.vigil.schemas.RuleMatch;
import org.junit.jupiter.api.Test;

class PostureS3BucketTest extends PostureTopologyTestBase {

  private static final String BUCKET = "stratus-red-team-ctlr-bucket-zqfsvooxqj";
  private static final String ARN = bucketArn(BUCKET);

  private Event create(String bucket) {
    return event("s3", "CreateBucket")
        .request(
            """
            {"bucketName": "%s", "Host": "%s.s3.amazonaws.com", "x-amz-acl": "private"}\
            """
                .formatted(bucket, bucket));
  }

  private Event publicPolicy(String bucket) {
    return event("s3", "PutBucketPolicy")
        .request(
            """
            {"bucketPolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow",
              "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*"}]},
             "bucketName": "%s", "Host": "%s.s3.amazonaws.com", "policy": ""}\
            """
                .formatted(bucket, bucket, bucket));
  }

  private Event publicAccessBlock(String bucket, boolean on) {
    return event("s3", "PutBucketPublicAccessBlock")
        .request(
            """
            {"publicAccessBlock": "", "bucketName": "%s",
             "PublicAccessBlockConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
               "RestrictPublicBuckets": %s, "BlockPublicPolicy": %s, "BlockPublicAcls": %s, "IgnorePublicAcls": %s},
             "Host": "%s.s3.amazonaws.com"}\
            """
                .formatted(bucket, on, on, on, on, bucket));
  }

  private Event deletePublicAccessBlock(String bucket) {
    return event("s3", "DeleteBucketPublicAccessBlock")
        .request(
            """
            {"publicAccessBlock": "", "bucketName": "%s", "Host": "%s.s3.amazonaws.com"}\
            """
                .formatted(bucket, bucket));
  }

  @Test
  void createBucketRecordsAPrivateBucketFailingNothing() {
    send(create(BUCKET));

    ResourceState state = state(ARN);
    assertThat(state.getResourceType()).isEqualTo("AWS::S3::Bucket");
    assertThat(state.getAccountId()).isEqualTo(ACCOUNT);
    assertThat(state.getRegion()).isEqualTo(REGION);
    assertThat(state.getAttributes())
        .containsEntry("acl_public", "false")
        .containsEntry("public", "false")
        .containsEntry("phi", "false");
    assertThat(state.getFailingControls()).isEmpty();
    assertThat(state.getDeleted()).isFalse();
    assertThat(findings).isEmpty();
  }

  @Test
  void cloudTrailDeliveryPolicyFromTheCorpusIsNotPublic() {
    // The policy Stratus Red Team puts on its trail bucket: service principal, conditional write.
    send(
        event("s3", "PutBucketPolicy")
            .request(
                """
                {"bucketPolicy": {"Version": "2012-10-17", "Statement": [
                  {"Action": "s3:GetBucketAcl", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                   "Resource": "arn:aws:s3:::stratus-red-team-ctlr-bucket-zqfsvooxqj", "Sid": "AWSCloudTrailAclCheck"},
                  {"Action": "s3:PutObject",
                   "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                   "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                   "Resource": "arn:aws:s3:::stratus-red-team-ctlr-bucket-zqfsvooxqj/*", "Sid": "AWSCloudTrailWrite"}]},
                 "bucketName": "stratus-red-team-ctlr-bucket-zqfsvooxqj",
                 "Host": "stratus-red-team-ctlr-bucket-zqfsvooxqj.s3.amazonaws.com", "policy": ""}\
                """));

    assertThat(attributes(ARN))
        .containsEntry("policy_public", "false")
        .containsEntry("public", "false");
    assertThat(findings).isEmpty();
  }

  @Test
  void policyAllowingEveryoneMakesTheBucketPublicWithAFinding() {
    send(create(BUCKET));
    Event put = publicPolicy(BUCKET);
    send(put);

    assertThat(attributes(ARN))
        .containsEntry("policy_public", "true")
        .containsEntry("public", "true");
    assertThat(state(ARN).getFailingControls()).containsExactly("posture-s3-bucket-public");
    assertThat(findings).hasSize(1);
    RuleMatch finding = findings.get(0);
    assertThat(finding.getRuleId()).isEqualTo("posture-s3-bucket-public");
    assertThat(finding.getSource()).isEqualTo("posture");
    assertThat(finding.getEntity()).isEqualTo(ARN);
    assertThat(finding.getAccountId()).isEqualTo(ACCOUNT);
    assertThat(finding.getEventTime()).isEqualTo(put.time());
    assertThat(finding.getEventIds()).contains(put.id());
    assertThat(finding.getEvidence())
        .containsEntry("policy_public", "true")
        .containsEntry("public", "true")
        .containsEntry("resource_type", "AWS::S3::Bucket");
  }

  @Test
  void policyAllowingEveryoneUnderAConditionIsNotPublic() {
    send(
        event("s3", "PutBucketPolicy")
            .request(
                """
                {"bucketPolicy": {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::%s/*", "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}},
                 "bucketName": "%s"}\
                """
                    .formatted(BUCKET, BUCKET)));

    assertThat(attributes(ARN)).containsEntry("policy_public", "false");
    assertThat(findings).isEmpty();
  }

  @Test
  void aConditionThatDoesNotNarrowTheCallersLeavesThePolicyPublic() {
    send(
        event("s3", "PutBucketPolicy")
            .request(
                """
                {"bucketPolicy": {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::%s/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}},
                 "bucketName": "%s"}\
                """
                    .formatted(BUCKET, BUCKET)));

    assertThat(attributes(ARN)).containsEntry("policy_public", "true");
  }

  @Test
  void deletingThePublicPolicyMakesTheBucketPrivateAgain() {
    send(
        publicPolicy(BUCKET),
        event("s3", "DeleteBucketPolicy")
            .request(
                """
                {"bucketName": "%s", "Host": "%s.s3.us-east-1.amazonaws.com", "policy": ""}\
                """
                    .formatted(BUCKET, BUCKET)));

    assertThat(attributes(ARN))
        .containsEntry("policy_public", "false")
        .containsEntry("public", "false");
    assertThat(state(ARN).getFailingControls()).isEmpty();
  }

  @Test
  void aclGrantToAllUsersMakesTheBucketPublic() {
    send(
        event("s3", "PutBucketAcl")
            .request(
                """
                {"bucketName": "%s", "acl": "", "Host": "%s.s3.amazonaws.com",
                 "AccessControlPolicy": {"Owner": {"ID": "f00d"}, "AccessControlList": {"Grant": [
                   {"Grantee": {"xsi:type": "CanonicalUser", "ID": "f00d"}, "Permission": "FULL_CONTROL"},
                   {"Grantee": {"xsi:type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]}}}
                """
                    .formatted(BUCKET, BUCKET)));

    assertThat(attributes(ARN)).containsEntry("acl_public", "true").containsEntry("public", "true");
    assertThat(findingIds()).containsExactly("posture-s3-bucket-public");
  }

  @Test
  void cannedAuthenticatedReadAclIsPublicAndPrivateAclIsNot() {
    send(
        event("s3", "PutBucketAcl")
            .request(
                """
                {"bucketName": "%s", "acl": [""], "x-amz-acl": ["authenticated-read"]}\
                """
                    .formatted(BUCKET)));
    assertThat(attributes(ARN)).containsEntry("acl_public", "true");

    send(
        event("s3", "PutBucketAcl")
            .request(
                """
                {"bucketName": "%s", "acl": [""], "x-amz-acl": ["private"]}\
                """
                    .formatted(BUCKET)));
    assertThat(attributes(ARN))
        .containsEntry("acl_public", "false")
        .containsEntry("public", "false");
  }

  @Test
  void publicAccessBlockFlagsAreRecordedAndNeutraliseAPublicPolicy() {
    send(publicAccessBlock(BUCKET, true), publicPolicy(BUCKET));

    assertThat(attributes(ARN))
        .containsEntry("public_access_block.block_public_acls", "true")
        .containsEntry("public_access_block.ignore_public_acls", "true")
        .containsEntry("public_access_block.block_public_policy", "true")
        .containsEntry("public_access_block.restrict_public_buckets", "true")
        .containsEntry("policy_public", "true")
        .containsEntry("public", "false");
    assertThat(findings).isEmpty();
  }

  @Test
  void deletingThePublicAccessBlockUnderAPublicPolicyBreaksTheControl() {
    send(publicAccessBlock(BUCKET, true), publicPolicy(BUCKET));
    Event delete = deletePublicAccessBlock(BUCKET);
    send(delete);

    assertThat(attributes(ARN))
        .containsEntry("public_access_block.restrict_public_buckets", "false")
        .containsEntry("public", "true");
    assertThat(findingIds()).containsExactly("posture-s3-bucket-public");
    assertThat(findings.get(0).getEventIds()).contains(delete.id());
  }

  @Test
  void disablingThePublicAccessBlockUnderAPublicPolicyBreaksTheControl() {
    send(publicAccessBlock(BUCKET, true), publicPolicy(BUCKET), publicAccessBlock(BUCKET, false));

    assertThat(attributes(ARN)).containsEntry("public", "true");
    assertThat(findingIds()).containsExactly("posture-s3-bucket-public");
  }

  @Test
  void defaultEncryptionWithAKmsKeyIsRecordedAndItsRemovalIsAFinding() {
    send(
        event("s3", "PutBucketEncryption")
            .request(
                """
                {"bucketName": "%s", "Host": "%s.s3.amazonaws.com", "encryption": "",
                 "ServerSideEncryptionConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                   "Rule": {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                     "KMSMasterKeyID": "arn:aws:kms:us-east-1:123837392027:key/0f1e2d3c-aaaa-bbbb-cccc-000000000001"},
                     "BucketKeyEnabled": true}}}\
                """
                    .formatted(BUCKET, BUCKET)));
    assertThat(attributes(ARN))
        .containsEntry("encryption", "SSE-KMS")
        .containsEntry(
            "encryption_kms_key",
            "arn:aws:kms:us-east-1:123837392027:key/0f1e2d3c-aaaa-bbbb-cccc-000000000001");
    assertThat(findings).isEmpty();

    send(
        event("s3", "DeleteBucketEncryption")
            .request(
                """
                {"bucketName": "%s", "Host": "%s.s3.amazonaws.com", "encryption": ""}\
                """
                    .formatted(BUCKET, BUCKET)));
    assertThat(attributes(ARN))
        .containsEntry("encryption", "removed")
        .doesNotContainKey("encryption_kms_key");
    assertThat(findingIds()).containsExactly("posture-s3-bucket-unencrypted");
    assertThat(findings.get(0).getEvidence()).containsEntry("encryption", "removed");
  }

  @Test
  void sseS3DefaultEncryptionRepairsAnUnencryptedBucket() {
    send(
        event("s3", "DeleteBucketEncryption").request("{\"bucketName\": \"" + BUCKET + "\"}"),
        event("s3", "PutBucketEncryption")
            .request(
                """
                {"bucketName": "%s", "ServerSideEncryptionConfiguration": {"Rule": [
                  {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}\
                """
                    .formatted(BUCKET)));

    assertThat(attributes(ARN)).containsEntry("encryption", "SSE-S3");
    assertThat(state(ARN).getFailingControls()).isEmpty();
  }

  @Test
  void versioningStatusIsRecorded() {
    send(
        event("s3", "PutBucketVersioning")
            .request(
                """
                {"bucketName": "%s", "host": "%s.s3.amazonaws.com",
                 "VersioningConfiguration": {"Status": "Enabled", "MfaDelete": "Disabled"}}\
                """
                    .formatted(BUCKET, BUCKET)));
    assertThat(attributes(ARN)).containsEntry("versioning", "Enabled");

    send(
        event("s3", "PutBucketVersioning")
            .request(
                """
                {"bucketName": "%s", "versioning": [""], "VersioningConfiguration": {"Status": "Suspended"}}\
                """
                    .formatted(BUCKET)));
    assertThat(attributes(ARN)).containsEntry("versioning", "Suspended");
  }

  @Test
  void serverAccessLoggingOnAndOffIsRecorded() {
    send(
        event("s3", "PutBucketLogging")
            .request(
                """
                {"logging": "", "bucketName": "%s", "Host": "%s.s3.us-west-2.amazonaws.com",
                 "BucketLoggingStatus": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
                   "LoggingEnabled": {"TargetBucket": "logging-bucket", "TargetPrefix": "logs/"}}}\
                """
                    .formatted(BUCKET, BUCKET)));
    assertThat(attributes(ARN))
        .containsEntry("logging", "true")
        .containsEntry("logging_target", "logging-bucket");

    send(
        event("s3", "PutBucketLogging")
            .request(
                """
                {"logging": "", "bucketName": "%s",
                 "BucketLoggingStatus": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"}}\
                """
                    .formatted(BUCKET)));
    assertThat(attributes(ARN))
        .containsEntry("logging", "false")
        .doesNotContainKey("logging_target");
  }

  @Test
  void deletedBucketIsMarkedDeletedAndFailsNothing() {
    send(
        create(BUCKET),
        publicPolicy(BUCKET),
        event("s3", "DeleteBucket")
            .request(
                """
                {"bucketName": "%s", "Host": "%s.s3.amazonaws.com"}\
                """
                    .formatted(BUCKET, BUCKET)));

    ResourceState state = state(ARN);
    assertThat(state.getDeleted()).isTrue();
    assertThat(state.getAttributes())
        .doesNotContainKey("policy_public")
        .containsEntry("public", "false");
    assertThat(state.getFailingControls()).isEmpty();
  }

  @Test
  void recreatedBucketStartsWithoutThePreviousBucketsState() {
    send(
        create(BUCKET),
        publicPolicy(BUCKET),
        event("s3", "DeleteBucket").request("{\"bucketName\": \"" + BUCKET + "\"}"),
        create(BUCKET));

    assertThat(state(ARN).getDeleted()).isFalse();
    assertThat(attributes(ARN)).doesNotContainKey("policy_public").containsEntry("public", "false");
  }

  @Test
  void publicPhiBucketIsAlsoACriticalPhiFinding() {
    send(create("patient-records-prod"), publicPolicy("patient-records-prod"));

    assertThat(attributes(bucketArn("patient-records-prod"))).containsEntry("phi", "true");
    assertThat(findingIds())
        .containsExactlyInAnyOrder("posture-s3-bucket-public", "posture-phi-bucket-public");
    assertThat(findings).allSatisfy(f -> assertThat(f.getEvidence()).containsEntry("phi", "true"));
  }
}
