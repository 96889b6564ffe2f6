package io.vigil.ingest.decode;

/** Small, realistic inputs for the decoder tests. */
final class Samples {

  private Samples() {}

  static String event(String id, String name) {
    return event(id, name, "2024-07-31T13:06:24Z");
  }

  static String event(String id, String name, String time) {
    return "{\"eventVersion\":\"1.10\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROA:me\","
               + "\"arn\":\"arn:aws:sts::111122223333:assumed-role/admin/me\",\"accountId\":\"111122223333\","
               + "\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
               + "\"arn\":\"arn:aws:iam::111122223333:role/admin\",\"userName\":\"admin\"},"
               + "\"attributes\":{\"creationDate\":\"2024-07-31T12:00:00Z\",\"mfaAuthenticated\":\"false\"}}},"
               + "\"eventTime\":\""
        + time
        + "\",\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\""
        + name
        + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"198.51.100.7\",\"userAgent\":\"aws-cli/2\","
        + "\"requestParameters\":{\"name\":\"trail-1\",\"size\":1.10},\"responseElements\":null,"
        + "\"requestID\":\"r-1\",\"eventID\":\""
        + id
        + "\",\"readOnly\":false,"
        + "\"resources\":[{\"ARN\":\"arn:aws:cloudtrail:us-east-1:111122223333:trail/trail-1\","
        + "\"type\":\"AWS::CloudTrail::Trail\"}],"
        + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"111122223333\","
        + "\"eventCategory\":\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\"}}";
  }

  static String records(String... events) {
    return "{\"Records\":[" + String.join(",", events) + "]}";
  }

  static final String FLOW_HEADER_V5 =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start"
          + " end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr"
          + " pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service"
          + " pkt-dst-aws-service flow-direction traffic-path";

  static String flowV5(int i) {
    return "5 123456789012 eni-0a1b2c3d 10.0.1."
        + (i % 250)
        + " 203.0.113.12 "
        + (40000 + i % 20000)
        + " 443 6 12 4312 1700000000 1700000060 ACCEPT OK vpc-0abc subnet-0def i-0123456789abcdef0"
        + " 19 IPv4 10.0.1.5 203.0.113.12 us-east-1 use1-az2 - - - AMAZON egress 8";
  }
}
