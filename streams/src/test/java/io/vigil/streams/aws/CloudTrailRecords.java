package io.vigil.streams.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.CloudTrailResource;
import io.vigil.schemas.SessionAttributes;
import io.vigil.schemas.SessionContext;
import io.vigil.schemas.SessionIssuer;
import io.vigil.schemas.TlsDetails;
import io.vigil.schemas.UserIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only: builds {@link CloudTrailEvent} records from CloudTrail JSON the way the ingest decoder
 * does (typed top-level fields, free-form parts as JSON text, the whole event raw), so that rules
 * run over the real Avro view.
 */
public final class CloudTrailRecords {

  public static final ObjectMapper JSON = new ObjectMapper();

  private CloudTrailRecords() {}

  /** Every event of a file holding a JSON array of events or {"Records": [...]}. */
  public static List<CloudTrailEvent> readFile(Path file) {
    try {
      JsonNode root = JSON.readTree(file.toFile());
      JsonNode records = root.isArray() ? root : root.path("Records");
      List<CloudTrailEvent> events = new ArrayList<>();
      for (JsonNode event : records) {
        events.add(fromJson(event));
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rules' view of one event given as JSON, as the detection engine builds it. */
  public static CloudTrailEventView view(String json) {
    return new CloudTrailEventView(fromJson(json));
  }

  public static CloudTrailEvent fromJson(String json) {
    try {
      return fromJson(JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One event, given as a Jackson tree. */
  public static CloudTrailEvent fromJson(JsonNode node) {
    String time = text(node, "eventTime");
    CloudTrailEvent.Builder builder =
        CloudTrailEvent.newBuilder()
            .setEventID(text(node, "eventID") == null ? "no-id" : text(node, "eventID"))
            .setEventTime(time == null ? "1970-01-01T00:00:00Z" : time)
            .setEventTimeMillis(time == null ? Instant.EPOCH : Instant.parse(time))
            .setEventSource(text(node, "eventSource") == null ? "" : text(node, "eventSource"))
            .setEventName(text(node, "eventName") == null ? "" : text(node, "eventName"))
            .setEventVersion(text(node, "eventVersion"))
            .setAwsRegion(text(node, "awsRegion"))
            .setSourceIPAddress(text(node, "sourceIPAddress"))
            .setUserAgent(text(node, "userAgent"))
            .setErrorCode(text(node, "errorCode"))
            .setErrorMessage(text(node, "errorMessage"))
            .setRequestID(text(node, "requestID"))
            .setEventType(text(node, "eventType"))
            .setReadOnly(bool(node, "readOnly"))
            .setManagementEvent(bool(node, "managementEvent"))
            .setEventCategory(text(node, "eventCategory"))
            .setRecipientAccountId(text(node, "recipientAccountId"))
            .setSharedEventID(text(node, "sharedEventID"))
            .setVpcEndpointId(text(node, "vpcEndpointId"))
            .setRequestParameters(json(node, "requestParameters"))
            .setResponseElements(json(node, "responseElements"))
            .setAdditionalEventData(json(node, "additionalEventData"))
            .setServiceEventDetails(json(node, "serviceEventDetails"))
            .setRawJson(node.toString());
    JsonNode identity = node.get("userIdentity");
    if (identity != null && identity.isObject()) {
      JsonNode context = identity.path("sessionContext");
      SessionContext sessionContext = null;
      if (context.isObject()) {
        JsonNode issuer = context.path("sessionIssuer");
        JsonNode attributes = context.path("attributes");
        sessionContext =
            SessionContext.newBuilder()
                .setSessionIssuer(
                    issuer.isObject()
                        ? SessionIssuer.newBuilder()
                            .setType(text(issuer, "type"))
                            .setPrincipalId(text(issuer, "principalId"))
                            .setArn(text(issuer, "arn"))
                            .setAccountId(text(issuer, "accountId"))
                            .setUserName(text(issuer, "userName"))
                            .build()
                        : null)
                .setAttributes(
                    attributes.isObject()
                        ? SessionAttributes.newBuilder()
                            .setCreationDate(text(attributes, "creationDate"))
                            .setMfaAuthenticated(text(attributes, "mfaAuthenticated"))
                            .build()
                        : null)
                .build();
      }
      builder.setUserIdentity(
          UserIdentity.newBuilder()
              .setType(text(identity, "type"))
              .setPrincipalId(text(identity, "principalId"))
              .setArn(text(identity, "arn"))
              .setAccountId(text(identity, "accountId"))
              .setAccessKeyId(text(identity, "accessKeyId"))
              .setUserName(text(identity, "userName"))
              .setInvokedBy(text(identity, "invokedBy"))
              .setIdentityProvider(text(identity, "identityProvider"))
              .setSessionContext(sessionContext)
              .setJson(identity.toString())
              .build());
    }
    JsonNode resources = node.get("resources");
    if (resources != null && resources.isArray()) {
      List<CloudTrailResource> list = new ArrayList<>();
      for (JsonNode resource : resources) {
        list.add(
            CloudTrailResource.newBuilder()
                .setARN(text(resource, "ARN"))
                .setAccountId(text(resource, "accountId"))
                .setType(text(resource, "type"))
                .build());
      }
      builder.setResources(list);
    }
    JsonNode tls = node.get("tlsDetails");
    if (tls != null && tls.isObject()) {
      builder.setTlsDetails(
          TlsDetails.newBuilder()
              .setTlsVersion(text(tls, "tlsVersion"))
              .setCipherSuite(text(tls, "cipherSuite"))
              .setClientProvidedHostHeader(text(tls, "clientProvidedHostHeader"))
              .build());
    }
    return builder.build();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asBoolean();
  }

  private static String json(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.toString();
  }
}
