package io.vigil.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.CloudTrailEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Good CloudTrail records interleaved with adversarial ones, in every framing: every good record
 * still decodes (the same eventIDs) and every bad one is rejected with a reason of its own, never a
 * gap and never by taking a good one with it.
 */
class RecordIsolationPropertiesTest {

  private static final Set<String> REASONS =
      Stream.of(RejectReason.values()).map(RejectReason::code).collect(Collectors.toSet());

  /** Records of at most 16 KiB, so that the large adversaries stay small enough to generate. */
  private static final AwsLogDecoder DECODER =
      new AwsLogDecoder(new DecodeLimits(16 * 1024, 64L << 20));

  /** The adversaries valid in any framing, one per kind. */
  private static String adversary(int kind, Random r) {
    return switch (kind) {
      // nested past the parser's depth
      case 1 -> {
        int depth = 1200 + r.nextInt(2000);
        yield "{\"eventID\":\"deep\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
      }
      // a string past the limit
      case 2 -> "{\"eventID\":\"str\",\"x\":\"" + "s".repeat(17_000 + r.nextInt(20_000)) + "\"}";
      // a number past the parser's limit
      case 3 -> "{\"eventID\":\"num\",\"x\":" + "9".repeat(1001 + r.nextInt(3000)) + "}";
      // invalid JSON with unbalanced brackets and escaped quotes inside its strings
      case 4 -> "{\"eventID\":\"br\",\"x\":\"]]}}{[\\\"\\\\\", \"y\": oops \"}{\"}";
      // valid JSON that is not an event, with brackets and escaped quotes in its strings
      case 5 -> "{\"x\":\"]}\\\"[{\",\"y\":[\"\\\\\",{}]}";
      // a record over the record limit, made of small valid fields
      case 6 ->
          "{\"eventID\":\"big\",\"pad\":["
              + "\"0123456789\",".repeat(1600 + r.nextInt(2000))
              + "0]}";
      // a bareword
      default -> "garbage" + r.nextInt(1000);
    };
  }

  private static final int ARRAY_KINDS = 7;

  /** Items of a generated file: a good event (its id) or an adversary (null id). */
  private record Item(String id, String text) {}

  private static List<Item> items(List<Integer> kinds, long seed, int adversaryKinds) {
    Random r = new Random(seed);
    List<Item> items = new ArrayList<>();
    int n = 0;
    for (int k : kinds) {
      int kind = k % (adversaryKinds + 1);
      if (kind == 0) {
        String id = "good-" + n++;
        items.add(new Item(id, Samples.event(id, r.nextBoolean() ? "StopLogging" : "X")));
      } else {
        items.add(new Item(null, adversary(kind, r)));
      }
    }
    return items;
  }

  @Property(tries = 150)
  void everyGoodRecordOfARecordsArrayDecodesAroundAdversaries(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 20) Integer> kinds,
      @ForAll long seed,
      @ForAll boolean bare,
      @ForAll boolean gzip) {
    List<Item> items = items(kinds, seed, ARRAY_KINDS);
    String body = String.join(",", items.stream().map(Item::text).toList());
    String text = bare ? "[" + body + "]" : "{\"Records\":[" + body + "]}";

    Collected c = decode(text, gzip);

    assertIsolated(c, items, "record");
  }

  @Property(tries = 150)
  void everyGoodJsonLineDecodesAroundAdversariesAndTruncatedLines(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 20) Integer> kinds,
      @ForAll long seed,
      @ForAll boolean gzip) {
    Random r = new Random(seed);
    List<Item> items = new ArrayList<>();
    // a good first line: a file that starts with a bareword is read as a flow log
    items.add(new Item("first", Samples.event("first", "X")));
    for (Item item : items(kinds, seed, ARRAY_KINDS + 2)) {
      items.add(item.text().startsWith("garbage") ? lineAdversary(r) : item);
    }
    String text =
        String.join("\n", items.stream().map(Item::text).toList()) + (r.nextBoolean() ? "\n" : "");

    Collected c = decode(text, gzip);

    assertIsolated(c, items, "line");
  }

  @Property(tries = 100)
  void everyGoodPrettyPrintedEventDecodesAroundTruncatedOnes(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 3) Integer> kinds,
      @ForAll long seed) {
    Random r = new Random(seed);
    List<Item> items = new ArrayList<>();
    items.add(new Item("first", pretty(Samples.event("first", "X"))));
    int n = 0;
    for (int kind : kinds) {
      String id = "good-" + n++;
      String event = pretty(Samples.event(id, "StopLogging"));
      items.add(
          switch (kind) {
            case 0, 1 -> new Item(id, event);
            case 2 -> new Item(null, event.substring(0, 1 + r.nextInt(event.length() - 2)));
            default -> new Item(null, adversary(1, r));
          });
    }
    String text = String.join("\n", items.stream().map(Item::text).toList()) + "\n";

    Collected c = decode(text, false);

    assertThat(ids(c)).containsExactlyElementsOf(goodIds(items));
    long bad = items.stream().filter(i -> i.id() == null).count();
    assertThat(c.rejected).hasSizeBetween(bad > 0 ? 1 : 0, (int) bad);
    assertThat(c.reasons()).allMatch(REASONS::contains).doesNotContain("unreadable-gap");
  }

  @Property(tries = 100)
  void everyGoodLogEventDecodesAroundAdversariesAcrossConcatenatedPayloads(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 20) Integer> kinds,
      @ForAll @IntRange(min = 1, max = 3) int payloads,
      @ForAll long seed) {
    Random r = new Random(seed);
    List<Item> items = items(kinds, seed, 4);
    List<String> logEvents = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      String message =
          switch (item.id() == null ? r.nextInt(3) : -1) {
            // invalid JSON where the logEvent itself is, with brackets in a string
            case 0 -> null;
            // a message past the string limit
            case 1 -> RecordIsolationTest.quote("{" + "m".repeat(17_000 + r.nextInt(10_000)));
            // an adversary inside the message
            case 2 -> RecordIsolationTest.quote(item.text());
            default -> RecordIsolationTest.quote(item.text());
          };
      logEvents.add(
          message == null
              ? "{\"id\":\"" + i + "\",\"message\": \"]}{\" oops [1]}"
              : RecordIsolationTest.logEvent(i, message));
    }
    StringBuilder text = new StringBuilder();
    int per = Math.max(1, (logEvents.size() + payloads - 1) / payloads);
    for (int from = 0; from < logEvents.size(); from += per) {
      text.append(
          RecordIsolationTest.cloudWatch(
              logEvents
                  .subList(from, Math.min(logEvents.size(), from + per))
                  .toArray(String[]::new)));
    }

    Collected c = decode(text.toString(), true);

    assertIsolated(c, items, "logEvent");
  }

  private static Item lineAdversary(Random r) {
    String event = Samples.event("cut", "X");
    return switch (r.nextInt(3)) {
      case 0 -> new Item(null, event.substring(0, 1 + r.nextInt(event.length() - 2)));
      case 1 -> {
        StringBuilder garbage = new StringBuilder("~");
        for (int i = 0; i < 1 + r.nextInt(200); i++) {
          char ch = (char) (0x20 + r.nextInt(0x5f));
          garbage.append(ch);
        }
        yield new Item(null, garbage.toString());
      }
      default -> new Item(null, "{\"eventID\":\"q\",\"x\":\"unterminated \\\" [{");
    };
  }

  private static String pretty(String event) {
    return event.replace(",\"eventTime\"", ",\n  \"eventTime\"").replace("}}}", "}}\n  }");
  }

  private static Collected decode(String text, boolean gzip) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Collected.decode(DECODER, gzip ? Collected.gzip(bytes) : bytes);
  }

  private static void assertIsolated(Collected c, List<Item> items, String unit) {
    assertThat(ids(c)).containsExactlyElementsOf(goodIds(items));
    assertThat(c.rejected).hasSize((int) items.stream().filter(i -> i.id() == null).count());
    assertThat(c.reasons()).allMatch(REASONS::contains).doesNotContain("unreadable-gap");
    assertThat(c.rejectedAt()).allMatch(at -> at.contains("#" + unit + "="));
  }

  private static List<String> ids(Collected c) {
    return c.events.stream().map(CloudTrailEvent::getEventID).toList();
  }

  private static List<String> goodIds(List<Item> items) {
    return items.stream().map(Item::id).filter(id -> id != null).toList();
  }
}
