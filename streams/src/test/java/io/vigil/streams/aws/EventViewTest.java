package io.vigil.streams.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.FlowRecord;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.testkit.TestData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventViewTest {

  private static final String EVENT =
      """
      {"eventID": "e-1", "eventTime": "2024-01-01T12:00:00Z", "eventName": "PutBucketPolicy",
       "eventSource": "s3.amazonaws.com", "readOnly": false, "apiVersion": "2006-03-01",
       "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::1:assumed-role/app/s",
         "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::1:role/app"},
           "attributes": {"mfaAuthenticated": "false"},
           "webIdFederationData": {"federatedProvider": "oidc"}}},
       "requestParameters": {"bucketName": "phi", "policy": {"Statement": [
         {"Effect": "Allow", "Principal": "*"}, {"Effect": "Deny", "Principal": {"AWS": "*"}}]}},
       "resources": [{"ARN": "arn:aws:s3:::phi", "type": "AWS::S3::Bucket"}],
       "tlsDetails": {"tlsVersion": "TLSv1.3"}}
      """;

  @Test
  void typedFieldsNeedNoJsonParsing() {
    CloudTrailEventView view = new CloudTrailEventView(CloudTrailRecords.fromJson(EVENT));
    assertThat(view.values("eventName")).containsExactly("PutBucketPolicy");
    assertThat(view.values("readOnly")).containsExactly(false);
    assertThat(view.values("userIdentity.sessionContext.sessionIssuer.arn"))
        .containsExactly("arn:aws:iam::1:role/app");
    assertThat(view.values("userIdentity.sessionContext.attributes.mfaAuthenticated"))
        .containsExactly("false");
    assertThat(view.values("resources.ARN")).containsExactly("arn:aws:s3:::phi");
    assertThat(view.values("tlsDetails.tlsVersion")).containsExactly("TLSv1.3");
    assertThat(view.values("errorCode")).isEmpty();
    assertThat(view.timestampMillis()).isEqualTo(1704110400000L);
    assertThat(view.eventRef()).isEqualTo("e-1");
    assertThat(view.jsonParses()).isZero();
  }

  @Test
  void freeFormPartsAreParsedOnceAndOnlyWhenAsked() {
    CloudTrailEventView view = new CloudTrailEventView(CloudTrailRecords.fromJson(EVENT));
    assertThat(view.values("requestParameters.bucketName")).containsExactly("phi");
    assertThat(view.values("requestParameters.policy.Statement.Principal"))
        .containsExactly("*", "{\"AWS\":\"*\"}");
    assertThat(view.values("requestParameters.policy.Statement.Principal.AWS"))
        .containsExactly("*");
    assertThat(view.jsonParses()).isEqualTo(1);
    assertThat(view.values("userIdentity.sessionContext.webIdFederationData.federatedProvider"))
        .containsExactly("oidc");
    assertThat(view.values("apiVersion")).containsExactly("2006-03-01");
    assertThat(view.values("apiVersion")).containsExactly("2006-03-01");
    assertThat(view.jsonParses()).isEqualTo(3);
  }

  @Test
  void aRuleSetEvaluatesManyRulesWithOneParsePerPart() {
    LoadResult loaded =
        AwsDerivedFields.ruleLoader().loadDirectory(TestData.path("sigma_aws/rules"));
    RuleSet rules = RuleSet.builder().add(loaded).build();
    CloudTrailEventView view =
        new CloudTrailEventView(
            CloudTrailRecords.fromJson(
                EVENT
                    .replace("PutBucketPolicy", "PutBucketVersioning")
                    .replace(
                        "\"bucketName\": \"phi\"",
                        "\"bucketName\": \"phi\", \"x\": \"Suspended\"")));
    assertThat(rules.matching(view))
        .extracting(SigmaRule::title)
        .contains("AWS S3 Bucket Versioning Disable");
    assertThat(view.jsonParses()).isLessThanOrEqualTo(1);
  }

  @Test
  void flowRecordsAnswerToFlowLogFieldNames() {
    FlowRecord record =
        FlowRecord.newBuilder()
            .setRecordRef("b/k#3")
            .setSrcaddr("10.0.0.5")
            .setDstaddr("203.0.113.9")
            .setDstport(22)
            .setProtocol(6)
            .setBytes(4_000_000_000L)
            .setAction("ACCEPT")
            .setLogStatus("OK")
            .setStart(1_704_110_400L)
            .setExtras(Map.of("future-field", "v"))
            .build();
    FlowRecordView view = new FlowRecordView(record);
    assertThat(view.values("srcaddr")).containsExactly("10.0.0.5");
    assertThat(view.values("dstport")).containsExactly(22);
    assertThat(view.values("log-status")).containsExactly("OK");
    assertThat(view.values("log_status")).containsExactly("OK");
    assertThat(view.values("future-field")).containsExactly("v");
    assertThat(view.values("srcport")).isEmpty();
    assertThat(view.timestampMillis()).isEqualTo(1_704_110_400_000L);
    assertThat(view.eventRef()).isEqualTo("b/k#3");
    SigmaRule rule =
        AwsDerivedFields.ruleLoader()
            .loadText(
                "flow.yml",
                """
                title: Remote admin from the internet
                id: flow-admin
                logsource:
                  product: aws
                  service: vpcflowlogs
                detection:
                  selection:
                    action: accept
                    dstport: [22, 3389]
                    bytes|gte: 1073741824
                  private:
                    srcaddr|cidr: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
                  condition: selection and not private
                """)
            .rules()
            .get(0);
    assertThat(rule.matches(view)).isFalse();
    FlowRecord inbound = FlowRecord.newBuilder(record).setSrcaddr("198.51.100.4").build();
    assertThat(rule.matches(new FlowRecordView(inbound))).isTrue();
    RuleSet rules =
        RuleSet.builder().add(new LoadResult(List.of(rule), List.of(), List.of())).build();
    assertThat(rules.matching(new FlowRecordView(inbound))).containsExactly(rule);
    assertThat(rules.matching(CloudTrailRecords.view(EVENT))).isEmpty();
  }
}
