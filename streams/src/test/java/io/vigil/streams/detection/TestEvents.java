package io.vigil.streams.detection;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.SessionContext;
import io.vigil.schemas.SessionIssuer;
import io.vigil.schemas.UserIdentity;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds CloudTrail events and flow records for detection tests, with CloudTrail's real field
 * shapes.
 */
final class TestEvents {

  static final String ACCOUNT = "111122223333";

  private TestEvents() {}

  static CloudTrailBuilder ct(String eventSource, String eventName, Instant at) {
    return new CloudTrailBuilder(eventSource, eventName, at);
  }

  static FlowRecord flow(
      Instant at, String src, String dst, int dstport, String action, long bytes) {
    return FlowRecord.newBuilder()
        .setRecordRef(UUID.randomUUID().toString())
        .setVersion(2)
        .setAccountId(ACCOUNT)
        .setInterfaceId("eni-0a1b2c3d")
        .setSrcaddr(src)
        .setDstaddr(dst)
        .setSrcport(49152)
        .setDstport(dstport)
        .setProtocol(6)
        .setPackets(Math.max(1, bytes / 1000))
        .setBytes(bytes)
        .setStart(at.getEpochSecond())
        .setEnd(at.getEpochSecond() + 10)
        .setAction(action)
        .setLogStatus("OK")
        .build();
  }

  static final class CloudTrailBuilder {
    private final CloudTrailEvent.Builder event;
    private String identityType = "IAMUser";
    private String arn = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    private String invokedBy;
    private String issuerArn;

    CloudTrailBuilder(String eventSource, String eventName, Instant at) {
      event =
          CloudTrailEvent.newBuilder()
              .setEventID(UUID.randomUUID().toString())
              .setEventTime(at.toString())
              .setEventTimeMillis(at)
              .setEventSource(eventSource)
              .setEventName(eventName)
              .setEventVersion("1.08")
              .setAwsRegion("us-east-1")
              .setSourceIPAddress("198.51.100.7")
              .setRecipientAccountId(ACCOUNT)
              .setEventType("AwsApiCall")
              .setEventCategory("Management")
              .setRawJson("{}");
    }

    CloudTrailBuilder id(String eventId) {
      event.setEventID(eventId);
      return this;
    }

    CloudTrailBuilder identity(String type, String principalArn) {
      identityType = type;
      arn = principalArn;
      return this;
    }

    CloudTrailBuilder invokedBy(String service) {
      invokedBy = service;
      return this;
    }

    CloudTrailBuilder assumedRole(String sessionArn, String roleArn) {
      identityType = "AssumedRole";
      arn = sessionArn;
      issuerArn = roleArn;
      return this;
    }

    CloudTrailBuilder sourceIp(String ip) {
      event.setSourceIPAddress(ip);
      return this;
    }

    CloudTrailBuilder error(String code, String message) {
      event.setErrorCode(code).setErrorMessage(message);
      return this;
    }

    CloudTrailBuilder eventType(String type) {
      event.setEventType(type);
      return this;
    }

    CloudTrailBuilder dataEvent() {
      event.setEventCategory("Data").setManagementEvent(false);
      return this;
    }

    CloudTrailBuilder request(String json) {
      event.setRequestParameters(json);
      return this;
    }

    CloudTrailBuilder response(String json) {
      event.setResponseElements(json);
      return this;
    }

    CloudTrailBuilder additional(String json) {
      event.setAdditionalEventData(json);
      return this;
    }

    CloudTrailEvent build() {
      StringBuilder json =
          new StringBuilder("{\"type\":\"")
              .append(identityType)
              .append("\",\"arn\":\"")
              .append(arn)
              .append("\",\"accountId\":\"")
              .append(ACCOUNT)
              .append('"');
      // CloudTrail names an IAM user in userName too: the last part of its ARN.
      String userName =
          identityType.equals("IAMUser") ? arn.substring(arn.lastIndexOf('/') + 1) : null;
      if (userName != null) {
        json.append(",\"userName\":\"").append(userName).append('"');
      }
      if (invokedBy != null) {
        json.append(",\"invokedBy\":\"").append(invokedBy).append('"');
      }
      if (issuerArn != null) {
        json.append(",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"")
            .append(issuerArn)
            .append("\"},\"attributes\":{\"mfaAuthenticated\":\"false\"}}");
      }
      json.append('}');
      UserIdentity.Builder identity =
          UserIdentity.newBuilder()
              .setType(identityType)
              .setArn(arn)
              .setAccountId(ACCOUNT)
              .setInvokedBy(invokedBy)
              .setUserName(userName)
              .setJson(json.toString());
      if (issuerArn != null) {
        identity.setSessionContext(
            SessionContext.newBuilder()
                .setSessionIssuer(
                    SessionIssuer.newBuilder().setType("Role").setArn(issuerArn).build())
                .build());
      }
      event.setUserIdentity(identity.build());
      return event.build();
    }
  }
}
