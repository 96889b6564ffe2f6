package io.vigil.streams.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.CloudTrailResource;
import io.vigil.schemas.SessionAttributes;
import io.vigil.schemas.SessionContext;
import io.vigil.schemas.SessionIssuer;
import io.vigil.schemas.TlsDetails;
import io.vigil.schemas.UserIdentity;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import io.vigil.sigma.event.JsonFieldResolver;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CloudTrailEvent} as rules see it. The typed top-level fields are read straight from the
 * Avro record; the free-form parts (requestParameters, responseElements, additionalEventData,
 * serviceEventDetails, the userIdentity JSON, and the whole raw event for fields without a typed
 * home) are parsed with Jackson at most once per view and only when a rule asks for a path into
 * them. One view serves every rule evaluated on the event, which is what makes "at most once" hold;
 * a view is not thread-safe.
 */
public final class CloudTrailEventView implements EventView {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CloudTrailEvent event;
  private JsonNode requestParameters;
  private JsonNode responseElements;
  private JsonNode additionalEventData;
  private JsonNode serviceEventDetails;
  private JsonNode userIdentityJson;
  private JsonNode raw;
  private int parses;

  /** Wraps one event; the record must not change while the view is in use. */
  public CloudTrailEventView(CloudTrailEvent event) {
    this.event = event;
  }

  /** The wrapped record. */
  public CloudTrailEvent event() {
    return event;
  }

  /** How many JSON parts this view has parsed so far (to prove laziness in tests). */
  public int jsonParses() {
    return parses;
  }

  @Override
  public String indexValue(String field) {
    return switch (field) {
      case "eventName" -> event.getEventName();
      case "eventSource" -> event.getEventSource();
      default -> EventView.super.indexValue(field);
    };
  }

  @Override
  public List<Object> values(FieldPath path) {
    String head = path.head();
    if (path.size() == 1) {
      Object typed =
          switch (head) {
            case "eventID" -> event.getEventID();
            case "eventTime" -> event.getEventTime();
            case "eventSource" -> event.getEventSource();
            case "eventName" -> event.getEventName();
            case "eventVersion" -> event.getEventVersion();
            case "awsRegion" -> event.getAwsRegion();
            case "sourceIPAddress" -> event.getSourceIPAddress();
            case "userAgent" -> event.getUserAgent();
            case "errorCode" -> event.getErrorCode();
            case "errorMessage" -> event.getErrorMessage();
            case "requestID" -> event.getRequestID();
            case "eventType" -> event.getEventType();
            case "readOnly" -> event.getReadOnly();
            case "managementEvent" -> event.getManagementEvent();
            case "eventCategory" -> event.getEventCategory();
            case "recipientAccountId" -> event.getRecipientAccountId();
            case "sharedEventID" -> event.getSharedEventID();
            case "vpcEndpointId" -> event.getVpcEndpointId();
            // A whole free-form element is searched as its JSON text, as CloudTrail wrote it.
            case "requestParameters" -> wholeElement(event.getRequestParameters());
            case "responseElements" -> wholeElement(event.getResponseElements());
            case "additionalEventData" -> wholeElement(event.getAdditionalEventData());
            case "serviceEventDetails" -> wholeElement(event.getServiceEventDetails());
            case "userIdentity" ->
                event.getUserIdentity() == null
                    ? null
                    : wholeElement(event.getUserIdentity().getJson());
            default -> NOT_TYPED;
          };
      if (typed != NOT_TYPED) {
        return typed == null ? List.of() : List.of(typed);
      }
    } else {
      switch (head) {
        case "requestParameters":
          return below(requestParameters(), path);
        case "responseElements":
          return below(responseElements(), path);
        case "additionalEventData":
          return below(additionalEventData(), path);
        case "serviceEventDetails":
          return below(serviceEventDetails(), path);
        case "userIdentity":
          return userIdentity(path);
        case "tlsDetails":
          Object tls = tlsDetails(path);
          if (tls != NOT_TYPED) {
            return tls == null ? List.of() : List.of(tls);
          }
          break;
        case "resources":
          List<Object> resources = resources(path);
          if (resources != null) {
            return resources;
          }
          break;
        default:
          break;
      }
    }
    // Fields without a typed home (new CloudTrail fields, whole typed records): the raw event.
    List<Object> out = new ArrayList<>(1);
    JsonFieldResolver.collect(raw(), path, 0, out);
    return out;
  }

  @Override
  public String rawText() {
    return event.getRawJson();
  }

  @Override
  public long timestampMillis() {
    return EventTimes.of(event, 0L);
  }

  @Override
  public String eventRef() {
    return event.getEventID();
  }

  @Override
  public String service() {
    return "cloudtrail";
  }

  private static final Object NOT_TYPED = new Object();

  private List<Object> userIdentity(FieldPath path) {
    UserIdentity identity = event.getUserIdentity();
    if (identity == null) {
      return List.of();
    }
    Object typed = NOT_TYPED;
    if (path.size() == 2) {
      typed =
          switch (path.segment(1)) {
            case "type" -> identity.getType();
            case "principalId" -> identity.getPrincipalId();
            case "arn" -> identity.getArn();
            case "accountId" -> identity.getAccountId();
            case "accessKeyId" -> identity.getAccessKeyId();
            case "userName" -> identity.getUserName();
            case "invokedBy" -> identity.getInvokedBy();
            case "identityProvider" -> identity.getIdentityProvider();
            default -> NOT_TYPED;
          };
    } else if (path.size() == 4 && path.segment(1).equals("sessionContext")) {
      typed = sessionContext(identity.getSessionContext(), path.segment(2), path.segment(3));
    }
    if (typed != NOT_TYPED) {
      return typed == null ? List.of() : List.of(typed);
    }
    return below(userIdentityJson(), path);
  }

  private static Object sessionContext(SessionContext context, String part, String leaf) {
    if (part.equals("sessionIssuer")) {
      SessionIssuer issuer = context == null ? null : context.getSessionIssuer();
      return switch (leaf) {
        case "type" -> issuer == null ? null : issuer.getType();
        case "principalId" -> issuer == null ? null : issuer.getPrincipalId();
        case "arn" -> issuer == null ? null : issuer.getArn();
        case "accountId" -> issuer == null ? null : issuer.getAccountId();
        case "userName" -> issuer == null ? null : issuer.getUserName();
        default -> NOT_TYPED;
      };
    }
    if (part.equals("attributes")) {
      SessionAttributes attributes = context == null ? null : context.getAttributes();
      return switch (leaf) {
        case "creationDate" -> attributes == null ? null : attributes.getCreationDate();
        case "mfaAuthenticated" -> attributes == null ? null : attributes.getMfaAuthenticated();
        default -> NOT_TYPED;
      };
    }
    return NOT_TYPED;
  }

  private Object tlsDetails(FieldPath path) {
    if (path.size() != 2) {
      return NOT_TYPED;
    }
    TlsDetails tls = event.getTlsDetails();
    return switch (path.segment(1)) {
      case "tlsVersion" -> tls == null ? null : tls.getTlsVersion();
      case "cipherSuite" -> tls == null ? null : tls.getCipherSuite();
      case "clientProvidedHostHeader" -> tls == null ? null : tls.getClientProvidedHostHeader();
      default -> NOT_TYPED;
    };
  }

  private List<Object> resources(FieldPath path) {
    if (path.size() != 2) {
      return null;
    }
    String leaf = path.segment(1);
    if (!leaf.equals("ARN") && !leaf.equals("accountId") && !leaf.equals("type")) {
      return null;
    }
    List<CloudTrailResource> resources = event.getResources();
    if (resources == null) {
      return List.of();
    }
    List<Object> out = new ArrayList<>(resources.size());
    for (CloudTrailResource resource : resources) {
      Object value =
          switch (leaf) {
            case "ARN" -> resource.getARN();
            case "accountId" -> resource.getAccountId();
            default -> resource.getType();
          };
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  private Object wholeElement(String json) {
    if (json == null) {
      return null;
    }
    String trimmed = json.strip();
    if (trimmed.startsWith("{")) {
      return json;
    }
    // A scalar or array element: compare its values, not its JSON spelling.
    List<Object> out = new ArrayList<>(1);
    JsonFieldResolver.collect(parse(json), FieldPath.of("x"), 1, out);
    return out.isEmpty() ? null : out.size() == 1 ? out.get(0) : json;
  }

  private static List<Object> below(JsonNode root, FieldPath path) {
    List<Object> out = new ArrayList<>(1);
    JsonFieldResolver.collect(root, path, 1, out);
    return out;
  }

  private JsonNode requestParameters() {
    if (requestParameters == null) {
      requestParameters = parse(event.getRequestParameters());
    }
    return requestParameters;
  }

  private JsonNode responseElements() {
    if (responseElements == null) {
      responseElements = parse(event.getResponseElements());
    }
    return responseElements;
  }

  private JsonNode additionalEventData() {
    if (additionalEventData == null) {
      additionalEventData = parse(event.getAdditionalEventData());
    }
    return additionalEventData;
  }

  private JsonNode serviceEventDetails() {
    if (serviceEventDetails == null) {
      serviceEventDetails = parse(event.getServiceEventDetails());
    }
    return serviceEventDetails;
  }

  private JsonNode userIdentityJson() {
    if (userIdentityJson == null) {
      UserIdentity identity = event.getUserIdentity();
      userIdentityJson = parse(identity == null ? null : identity.getJson());
    }
    return userIdentityJson;
  }

  private JsonNode raw() {
    if (raw == null) {
      raw = parse(event.getRawJson());
    }
    return raw;
  }

  private JsonNode parse(String json) {
    if (json == null) {
      return MissingNode.getInstance();
    }
    parses++;
    try {
      JsonNode node = JSON.readTree(json);
      return node == null ? MissingNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      // The decoder accepted the record; an unparsable part simply has no fields to match.
      return MissingNode.getInstance();
    }
  }
}
