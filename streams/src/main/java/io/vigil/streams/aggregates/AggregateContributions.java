package io.vigil.streams.aggregates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.Aggregate;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.TopEntry;
import io.vigil.schemas.UserIdentity;
import io.vigil.streams.aws.EventTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;

/**
 * What one event adds to each aggregate: a list of (aggregate key, partial {@link Aggregate}) pairs
 * with count 1, the event's sum (bytes, packets) and, for top-N aggregates, the event's one entry.
 * The aggregate key is the name plus its dimensions, so that equal keys merge.
 */
public final class AggregateContributions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AggregateContributions() {}

  public static List<KeyValue<String, Aggregate>> of(CloudTrailEvent event) {
    List<KeyValue<String, Aggregate>> out = new ArrayList<>(4);
    Instant time = Instant.ofEpochMilli(EventTimes.of(event, 0));
    String account = orDash(event.getRecipientAccountId());
    out.add(
        contribution(
            time,
            "cloudtrail.events",
            dims(
                "account",
                account,
                "region",
                orDash(event.getAwsRegion()),
                "eventSource",
                event.getEventSource(),
                "eventName",
                event.getEventName()),
            null,
            null));
    if (event.getErrorCode() != null) {
      out.add(
          contribution(
              time,
              "cloudtrail.errors",
              dims("account", account, "errorCode", event.getErrorCode()),
              null,
              null));
    }
    if ("ConsoleLogin".equals(event.getEventName())) {
      out.add(
          contribution(
              time,
              "cloudtrail.console_logins",
              dims("account", account, "outcome", consoleLoginOutcome(event)),
              null,
              null));
    }
    out.add(
        contribution(
            time,
            "cloudtrail.top_principals",
            dims("account", account),
            null,
            new TopEntry(principal(event), 1L)));
    return out;
  }

  public static List<KeyValue<String, Aggregate>> of(FlowRecord flow) {
    if (flow.getSrcaddr() == null || flow.getDstaddr() == null) {
      return List.of(); // NODATA / SKIPDATA records carry no traffic
    }
    long bytes = flow.getBytes() == null ? 0 : flow.getBytes();
    long packets = flow.getPackets() == null ? 0 : flow.getPackets();
    String account = orDash(flow.getAccountId());
    String action = orDash(flow.getAction());
    String pair = flow.getSrcaddr() + ">" + flow.getDstaddr();
    Instant time = Instant.ofEpochMilli(EventTimes.of(flow, 0));
    String port = flow.getDstport() == null ? "-" : flow.getDstport().toString();
    return List.of(
        contribution(
            time,
            "vpcflow.bytes_by_action",
            dims("account", account, "action", action),
            bytes,
            null),
        contribution(
            time,
            "vpcflow.packets_by_action",
            dims("account", account, "action", action),
            packets,
            null),
        contribution(
            time,
            "vpcflow.top_talkers_by_bytes",
            dims("account", account),
            bytes,
            new TopEntry(flow.getSrcaddr(), bytes)),
        contribution(
            time,
            "vpcflow.top_pairs_by_bytes",
            dims("account", account),
            bytes,
            new TopEntry(pair, bytes)),
        contribution(
            time,
            "vpcflow.top_pairs_by_packets",
            dims("account", account),
            packets,
            new TopEntry(pair, packets)),
        contribution(
            time,
            "vpcflow.top_dstports_by_bytes",
            dims("account", account, "action", action),
            bytes,
            new TopEntry(port, bytes)));
  }

  private static KeyValue<String, Aggregate> contribution(
      Instant time, String name, Map<String, String> dims, Long sum, TopEntry top) {
    StringBuilder key = new StringBuilder(name);
    dims.forEach((k, v) -> key.append('|').append(k).append('=').append(v));
    Aggregate partial =
        Aggregate.newBuilder()
            .setName(name)
            .setDimensions(dims)
            // the event's time: the windows replace it with theirs, the all-time store keeps the
            // first and last
            .setWindowStart(time)
            .setWindowEnd(time)
            .setCount(1)
            .setSum(sum)
            .setTop(top == null ? null : List.of(top))
            .build();
    return KeyValue.pair(key.toString(), partial);
  }

  private static Map<String, String> dims(String... kv) {
    Map<String, String> dims = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      dims.put(kv[i], kv[i + 1]);
    }
    return dims;
  }

  static String consoleLoginOutcome(CloudTrailEvent event) {
    if (event.getResponseElements() != null) {
      try {
        JsonNode outcome = JSON.readTree(event.getResponseElements()).path("ConsoleLogin");
        if (outcome.isTextual()) {
          return outcome.asText();
        }
      } catch (java.io.IOException malformed) {
        // fall through: a login we cannot classify still counts, as unknown
      }
    }
    return event.getErrorMessage() != null ? "Failure" : "unknown";
  }

  static String principal(CloudTrailEvent event) {
    UserIdentity id = event.getUserIdentity();
    if (id == null) {
      return "-";
    }
    if (id.getArn() != null) {
      return id.getArn();
    }
    if (id.getPrincipalId() != null) {
      return id.getPrincipalId();
    }
    return id.getInvokedBy() != null ? id.getInvokedBy() : orDash(id.getType());
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
