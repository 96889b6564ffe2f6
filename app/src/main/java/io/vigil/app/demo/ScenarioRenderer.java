package io.vigil.app.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link Scenario}'s templates into the log records of one run: event times relative to the
 * run's reference time, a few minutes before now (so that the pipeline's event-time windows see a
 * fresh burst, each inside one aligned window: {@link #referenceTime}), fresh eventIDs (so that its
 * dedup does not swallow a second run), fresh addresses for the scenario's named ranges, and the
 * configured PHI bucket.
 *
 * <p>Placeholders, in any string of a CloudTrail record or anywhere in the flow log text: {@code
 * {{time OFFSET}}} (CloudTrail's eventTime form, {@code 2026-11-28T11:00:00Z}), {@code {{epoch
 * OFFSET}}} (epoch seconds, the flow log's start and end), with OFFSET {@code 0s} or negative such
 * as {@code -4m30s}; {@code {{uuid}}} (a new random UUID at each occurrence); {@code {{address
 * NAME}}} (one address per name and run, from the scenario's {@code addresses}); {@code
 * {{phi_bucket}}} (the first of {@code phi.buckets}).
 */
public final class ScenarioRenderer {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*([a-z_]+)(?:\\s+([^}]*?))?\\s*}}");
  private static final Pattern OFFSET =
      Pattern.compile("0s|-(?=\\d)(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Instant now;
  private final Optional<String> phiBucket;
  private final RandomGenerator random;

  /** The longest correlation timespan of the built-in rules the scenarios feed (exfiltration). */
  static final Duration LONGEST_CORRELATION_WINDOW = Duration.ofMinutes(10);

  /**
   * The reference time of a run: the last second of the previous 10-minute window, between 1 s and
   * 10 min before {@code now}. Correlation windows are aligned on their timespan (5 and 10 min for
   * the scenarios' rules, docs/rules.md), so a burst rendered up to {@code now} could straddle a
   * boundary and be split between two windows, each below its threshold; ending every burst at the
   * end of an aligned 10-minute window (also the end of a 5-minute one) keeps each burst, at most 5
   * minutes long, inside one window of either size.
   */
  public static Instant referenceTime(Instant now) {
    long window = LONGEST_CORRELATION_WINDOW.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), window) * window).minusSeconds(1);
  }

  /**
   * @param now the run's reference time (truncated to seconds: CloudTrail's eventTime has no
   *     fraction); {@link #referenceTime} of the wall clock for a demo
   * @param phiBucket the first configured PHI bucket, if any
   * @param random the source of fresh ids and addresses
   */
  public ScenarioRenderer(Instant now, Optional<String> phiBucket, RandomGenerator random) {
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
    this.phiBucket = phiBucket;
    this.random = random;
  }

  /**
   * Renders one run of the scenario.
   *
   * @throws IllegalArgumentException naming the scenario and the placeholder that cannot be filled
   *     in
   */
  public RenderedScenario render(Scenario scenario) {
    Map<String, String> addresses = new HashMap<>();
    scenario
        .addresses()
        .forEach((name, cidr) -> addresses.put(name, AddressRange.parse(cidr).pick(random)));
    Run run = new Run(scenario, addresses);
    byte[] cloudTrail = null;
    if (scenario.cloudTrail() != null) {
      ArrayNode records = (ArrayNode) run.fill(scenario.cloudTrail().deepCopy());
      ObjectNode file = JSON.createObjectNode();
      file.set("Records", records);
      try {
        cloudTrail = JSON.writeValueAsBytes(file);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serializes", e);
      }
    }
    byte[] flowLog =
        scenario.flowLog() == null
            ? null
            : run.fill(scenario.flowLog()).getBytes(StandardCharsets.UTF_8);
    return new RenderedScenario(scenario, cloudTrail, flowLog, addresses);
  }

  /** The placeholders of one scenario's run. */
  private final class Run {
    private final Scenario scenario;
    private final Map<String, String> addresses;

    Run(Scenario scenario, Map<String, String> addresses) {
      this.scenario = scenario;
      this.addresses = addresses;
    }

    JsonNode fill(JsonNode node) {
      if (node.isTextual()) {
        return node.asText().contains("{{") ? TextNode.valueOf(fill(node.asText())) : node;
      }
      if (node.isArray()) {
        ArrayNode array = (ArrayNode) node;
        for (int i = 0; i < array.size(); i++) {
          array.set(i, fill(array.get(i)));
        }
      } else if (node.isObject()) {
        ObjectNode object = (ObjectNode) node;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
          field.setValue(fill(field.getValue()));
        }
      }
      return node;
    }

    String fill(String text) {
      Matcher m = PLACEHOLDER.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(
            out, Matcher.quoteReplacement(value(m.group(1), m.group(2), m.group())));
      }
      m.appendTail(out);
      if (out.indexOf("{{") >= 0) {
        throw bad("malformed placeholder in '" + out + "'");
      }
      return out.toString();
    }

    private String value(String function, String argument, String placeholder) {
      return switch (function) {
        case "time" ->
            DateTimeFormatter.ISO_INSTANT.format(now.plus(offset(argument, placeholder)));
        case "epoch" -> Long.toString(now.plus(offset(argument, placeholder)).getEpochSecond());
        case "uuid" -> {
          noArgument(argument, placeholder);
          yield uuid().toString();
        }
        case "address" -> {
          String address = argument == null ? null : addresses.get(argument);
          if (address == null) {
            throw bad(
                placeholder
                    + " names no range of the scenario's addresses "
                    + scenario.addresses().keySet());
          }
          yield address;
        }
        case "phi_bucket" -> {
          noArgument(argument, placeholder);
          yield phiBucket.orElseThrow(
              () -> bad(placeholder + " needs phi.buckets in the configuration"));
        }
        default ->
            throw bad(
                "unknown placeholder "
                    + placeholder
                    + "; known: time, epoch, uuid, address, phi_bucket");
      };
    }

    private Duration offset(String argument, String placeholder) {
      Matcher m = argument == null ? null : OFFSET.matcher(argument);
      if (m == null || !m.matches()) {
        throw bad(placeholder + ": expected an offset 0s or before now, such as -4m30s");
      }
      return Duration.ofHours(number(m.group(1)))
          .plusMinutes(number(m.group(2)))
          .plusSeconds(number(m.group(3)))
          .negated();
    }

    private void noArgument(String argument, String placeholder) {
      if (argument != null) {
        throw bad(placeholder + " takes no argument");
      }
    }

    private IllegalArgumentException bad(String problem) {
      return new IllegalArgumentException("demo scenario " + scenario.name() + ": " + problem);
    }
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  /** A version 4 UUID from this renderer's random source, like {@link UUID#randomUUID()}. */
  private UUID uuid() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(msb, lsb);
  }
}
