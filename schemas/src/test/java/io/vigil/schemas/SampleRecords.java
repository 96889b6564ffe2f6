package io.vigil.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Realistic records of every type, with every nested structure filled in, for round-trip tests. */
final class SampleRecords {

  private SampleRecords() {}

  static List<SpecificRecord> all() {
    return List.of(
        cloudTrailEvent(),
        flowRecord(),
        alert(),
        aggregate(),
        resourceState(),
        rejected(),
        ingestCheckpoint());
  }

  static CloudTrailEvent cloudTrailEvent() {
    String identityJson =
        "{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:alice\","
            + "\"arn\":\"arn:aws:sts::111122223333:assumed-role/ops/alice\",\"accountId\":\"111122223333\","
            + "\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
            + "\"principalId\":\"AROAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:role/ops\","
            + "\"accountId\":\"111122223333\",\"userName\":\"ops\"},\"attributes\":{\"creationDate\":"
            + "\"2024-03-05T09:00:00Z\",\"mfaAuthenticated\":\"true\"}}}";
    return CloudTrailEvent.newBuilder()
        .setEventID("3c0e2b6a-5e8a-4c36-9d2e-0f1b6d7e8a90")
        .setEventTime("2024-03-05T10:15:30Z")
        .setEventTimeMillis(Instant.parse("2024-03-05T10:15:30Z"))
        .setEventSource("cloudtrail.amazonaws.com")
        .setEventName("StopLogging")
        .setEventVersion("1.09")
        .setAwsRegion("eu-west-1")
        .setSourceIPAddress("203.0.113.7")
        .setUserAgent("aws-cli/2.15.0")
        .setUserIdentity(
            UserIdentity.newBuilder()
                .setType("AssumedRole")
                .setPrincipalId("AROAEXAMPLE:alice")
                .setArn("arn:aws:sts::111122223333:assumed-role/ops/alice")
                .setAccountId("111122223333")
                .setAccessKeyId("ASIAEXAMPLE")
                .setSessionContext(
                    SessionContext.newBuilder()
                        .setAttributes(
                            SessionAttributes.newBuilder()
                                .setCreationDate("2024-03-05T09:00:00Z")
                                .setMfaAuthenticated("true")
                                .build())
                        .setSessionIssuer(
                            SessionIssuer.newBuilder()
                                .setType("Role")
                                .setPrincipalId("AROAEXAMPLE")
                                .setArn("arn:aws:iam::111122223333:role/ops")
                                .setAccountId("111122223333")
                                .setUserName("ops")
                                .build())
                        .build())
                .setJson(identityJson)
                .build())
        .setRequestID("f1e2d3c4-0000-4000-8000-000000000001")
        .setEventType("AwsApiCall")
        .setReadOnly(false)
        .setManagementEvent(true)
        .setEventCategory("Management")
        .setRecipientAccountId("111122223333")
        .setResources(
            List.of(
                CloudTrailResource.newBuilder()
                    .setARN("arn:aws:cloudtrail:eu-west-1:111122223333:trail/main")
                    .setAccountId("111122223333")
                    .setType("AWS::CloudTrail::Trail")
                    .build()))
        .setTlsDetails(
            TlsDetails.newBuilder()
                .setTlsVersion("TLSv1.3")
                .setCipherSuite("TLS_AES_128_GCM_SHA256")
                .setClientProvidedHostHeader("cloudtrail.eu-west-1.amazonaws.com")
                .build())
        .setRequestParameters("{\"name\":\"main\"}")
        .setResponseElements(null)
        .setRawJson(
            "{\"eventID\":\"3c0e2b6a-5e8a-4c36-9d2e-0f1b6d7e8a90\",\"eventName\":\"StopLogging\"}")
        .setIngest(
            IngestSource.newBuilder()
                .setLocation(
                    "logs-bucket/AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/05/x.json.gz#17")
                .setIngestedAtMillis(Instant.parse("2024-03-05T10:20:01.250Z"))
                .build())
        .build();
  }

  static FlowRecord flowRecord() {
    return FlowRecord.newBuilder()
        .setRecordRef(
            "flow-bucket/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/05/f.log.gz#2")
        .setVersion(5)
        .setAccountId("111122223333")
        .setInterfaceId("eni-0a1b2c3d4e5f")
        .setSrcaddr("198.51.100.23")
        .setDstaddr("10.0.1.15")
        .setSrcport(51234)
        .setDstport(22)
        .setProtocol(6)
        .setPackets(12L)
        .setBytes(4_321_987_654L)
        .setStart(1_709_633_700L)
        .setEnd(1_709_633_760L)
        .setAction("ACCEPT")
        .setLogStatus("OK")
        .setVpcId("vpc-0123")
        .setSubnetId("subnet-0456")
        .setInstanceId("i-0789")
        .setTcpFlags(2)
        .setType("IPv4")
        .setPktSrcaddr("198.51.100.23")
        .setPktDstaddr("10.0.1.15")
        .setRegion("eu-west-1")
        .setAzId("euw1-az1")
        .setFlowDirection("ingress")
        .setTrafficPath(8)
        .setPktSrcAwsService(null)
        .setExtras(Map.of("future-field", "42"))
        .build();
  }

  static Alert alert() {
    return Alert.newBuilder()
        .setAlertId("a-7f3e")
        .setRuleId("aws-cloudtrail-logging-disabled")
        .setTitle("CloudTrail logging disabled")
        .setSeverity(Severity.critical)
        .setAccountId("111122223333")
        .setRegion("eu-west-1")
        .setEntity("arn:aws:sts::111122223333:assumed-role/ops/alice")
        .setFirstSeen("2024-03-05T10:15:30Z")
        .setLastSeen("2024-03-05T10:16:02Z")
        .setCount(2L)
        .setEventIds(List.of("3c0e2b6a-5e8a-4c36-9d2e-0f1b6d7e8a90", "e2"))
        .setCompliance(List.of("CIS-AWS 4.5", "PCI-DSS 10.2.6"))
        .setAttack(List.of("T1562.008"))
        .setDedupKey(
            "aws-cloudtrail-logging-disabled|arn:aws:sts::111122223333:assumed-role/ops/alice")
        .setDescription("StopLogging was called on trail main")
        .setEvidence(Map.of("eventName", "StopLogging", "requestParameters.name", "main"))
        .setUpdate(1)
        .setRuleAuthor("Sigma project contributors")
        .setSource(AlertSource.cloudtrail)
        .build();
  }

  static Aggregate aggregate() {
    return Aggregate.newBuilder()
        .setName("vpcflow.bytes_by_srcaddr")
        .setDimensions(Map.of("srcaddr", "10.0.1.15"))
        .setWindowStart(Instant.parse("2024-03-05T10:10:00Z"))
        .setWindowEnd(Instant.parse("2024-03-05T10:15:00Z"))
        .setCount(311L)
        .setSum(9_876_543_210L)
        .setTop(
            List.of(TopEntry.newBuilder().setKey("203.0.113.9").setValue(8_000_000_000L).build()))
        .build();
  }

  static ResourceState resourceState() {
    return ResourceState.newBuilder()
        .setArn("arn:aws:s3:::patient-records-prod")
        .setResourceType("AWS::S3::Bucket")
        .setAccountId("111122223333")
        .setRegion("eu-west-1")
        .setAttributes(Map.of("public_access_block", "{\"BlockPublicAcls\":false}"))
        .setFailingControls(List.of("CIS-AWS 2.1.4"))
        .setEstablishedByEventIds(List.of("e9"))
        .setUpdatedAt(Instant.parse("2024-03-05T10:15:30.123Z"))
        .setDeleted(false)
        .build();
  }

  static Rejected rejected() {
    byte[] raw = "{\"Records\": [ {\"eventID\": ".getBytes(StandardCharsets.UTF_8);
    return Rejected.newBuilder()
        .setReason("json_invalid")
        .setMessage("unexpected end of input at line 1 column 27")
        .setSourceType(SourceType.s3)
        .setSourceLocation("logs-bucket/AWSLogs/111122223333/CloudTrail/x.json.gz#1")
        .setRejectedAt(Instant.parse("2024-03-05T10:20:00.001Z"))
        .setRaw(ByteBuffer.wrap(raw))
        .setRawTruncated(true)
        .setRawSize(2_000_000L)
        .setComponent("ingest.cloudtrail-decoder")
        .setAttributes(Map.of("exception", "JsonEOFException"))
        .build();
  }

  static IngestCheckpoint ingestCheckpoint() {
    return IngestCheckpoint.newBuilder()
        .setKey("s3://logs-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/x.json.gz")
        .setVersion("9b2cf535f27731c974343645a3985328")
        .setRecords(412)
        .setRejected(1)
        .setCommittedAt(Instant.parse("2024-03-05T10:21:00Z"))
        .setPublisher("vigil-ingest-0")
        .setAttributes(Map.of("bucket", "logs-bucket"))
        .build();
  }
}
