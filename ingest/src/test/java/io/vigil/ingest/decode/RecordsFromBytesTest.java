package io.vigil.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Rejected;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Compact records are taken from their bytes; every event, position and rejection must be what the
 * token-by-token copy gives, record by record, whatever the record looks like.
 */
class RecordsFromBytesTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);
  private static final DecodeLimits LIMITS = new DecodeLimits(4096, 1 << 26);
  private static final AwsLogDecoder FROM_BYTES = new AwsLogDecoder(LIMITS, CLOCK, true);
  private static final AwsLogDecoder COPYING = new AwsLogDecoder(LIMITS, CLOCK, false);

  private static final String IDENTITY =
      "{\"type\":\"IAMUser\",\"principalId\":\"AID1\",\"arn\":\"arn:aws:iam::111122223333:user/a\","
          + "\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIA1\",\"userName\":\"a\","
          + "\"sessionContext\":{\"sessionIssuer\":{},\"attributes\":{\"creationDate\":\"2026-01-01T00:00:00Z\","
          + "\"mfaAuthenticated\":\"false\"}}}";

  @Test
  void everyCorpusRecordIsTheSameTakenFromItsBytes() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir :
        List.of(
            "invictus_aws_dataset/CloudTrail",
            "stratus_red_team/docs/detonation-logs",
            "otrf_security_datasets/datasets/atomic/aws")) {
      try (Stream<Path> all = Files.walk(TestData.path(dir))) {
        all.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
      }
    }
    assertThat(files).hasSizeGreaterThan(80);
    long events = 0;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      events += assertSame(bytes, file.toString());
      assertSame(Collected.gzip(bytes), file + " gzipped");
    }
    assertThat(events).isGreaterThan(3000);
    assertThat(FROM_BYTES.takenFromBytes())
        .as("records taken from their bytes")
        .isGreaterThan(events);
  }

  @Test
  void compactMeansWhatTheCopyWouldWrite() {
    assertThat(compact("{\"a\":\"b c\",\"d\":[1,true,null],\"e\":{}}")).isTrue();
    assertThat(compact("{\"a\":\"\",\"b\":\" \",\"c\":\"~\u007f\"}")).isTrue();
    assertThat(compact("{\"a\":\"x, y: [ z ] { }\",\"b\":\" , \",\"c\":\"  :\"}"))
        .as("spaces beside commas and colons inside strings")
        .isTrue();
    assertThat(compact("{\"a\": \"b\"}")).as("space after a colon").isFalse();
    assertThat(compact("{\"a\":\"b\"} ")).as("space at the end").isFalse();
    assertThat(compact(" {\"a\":1}")).as("space at the start").isFalse();
    assertThat(compact("{\"a b\":1,\"c\":2 }")).as("space after a closed string").isFalse();
    assertThat(compact("{\"a\":\"x, y\",\"b\":[1,  2]}")).as("spaces after a string").isFalse();
    assertThat(compact("{\"a\":\"\\u00e9\"}")).as("an escaped character").isFalse();
    assertThat(compact("{\"a\":\"b\"}\r\n")).as("a carriage return").isFalse();
    assertThat(compact("{\"a\":\"b\\\"c\"}")).as("an escape").isFalse();
    assertThat(compact("{\"a\":\"b\tc\"}")).as("a tab inside a string").isFalse();
    assertThat(compact("{\"a\":1}\n")).as("a newline").isFalse();
    assertThat(compact("{\"a\":\"caf\u00e9\"}")).as("not ASCII").isFalse();
    assertThat(CloudTrailEventReader.compactText(new byte[] {'"', (byte) 0xe9, '"'}, 0, 3))
        .as("a byte that is not UTF-8")
        .isNull();
    // the bytes looked at are from..from+length only
    byte[] framed = "  {\"a\":1}  ".getBytes(StandardCharsets.US_ASCII);
    assertThat(CloudTrailEventReader.compactText(framed, 2, framed.length - 4))
        .isEqualTo("{\"a\":1}");
  }

  @Test
  void compactAgreesWithAReadingByteByByteAtEveryAlignment() {
    // Short random texts of quotes, spaces, structural characters and other characters, at every
    // offset of an array whose other bytes are spaces (which must not be looked at), against the
    // rule read one byte at a time.
    Random random = new Random(20261205);
    String alphabet = "\"\" ,:[]{}a!";
    for (int n = 0; n < 50_000; n++) {
      char[] chars = new char[random.nextInt(40)];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String text = new String(chars);
      int offset = random.nextInt(9);
      byte[] framed = new byte[offset + chars.length + random.nextInt(9)];
      Arrays.fill(framed, (byte) ' ');
      System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, framed, offset, chars.length);
      assertThat(CloudTrailEventReader.compactText(framed, offset, chars.length))
          .as("[%s] at %d", text, offset)
          .isEqualTo(spaceOutsideAStringBesideAStructuralCharacter(text) ? null : text);
    }
  }

  /** The rule as a byte-by-byte reading: quotes open and close strings; runs of spaces are one. */
  private static boolean spaceOutsideAStringBesideAStructuralCharacter(String text) {
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        inString = !inString;
      } else if (c == ' ' && !inString) {
        String trimmedBefore = text.substring(0, i).stripTrailing();
        String trimmedAfter = text.substring(i + 1).stripLeading();
        if (trimmedBefore.isEmpty()
            || trimmedAfter.isEmpty()
            || ",:[]{}".indexOf(trimmedBefore.charAt(trimmedBefore.length() - 1)) >= 0
            || ",:[]{}".indexOf(trimmedAfter.charAt(0)) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean compact(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    String text = CloudTrailEventReader.compactText(bytes, 0, bytes.length);
    assertThat(text).isIn(null, json);
    return text != null;
  }

  @Test
  void recordsThatAreNotCompactOrNotEventsAreTheSame() {
    String[] records = {
      event("\"requestParameters\":{\"a\":[1,2.50,-3e2,true,false,null],\"b\":{\"c\":\"d e\"}}"),
      // an escape anywhere: the copy re-escapes it minimally
      event("\"requestParameters\":{\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"}"),
      event("\"userAgent\":\"a\\/b \\u00e9\\u0001\""),
      // a raw control character inside a string (invalid JSON), in a part the reader skips and in
      // a field it reads
      event("\"requestParameters\":{\"a\":\"x\u0001y\"}"),
      event("\"userAgent\":\"x\u0001y\""),
      // not ASCII
      event("\"requestParameters\":{\"name\":\"caf\u00e9 \u65e5\u672c\"}"),
      // whitespace outside strings
      event("\"requestParameters\" : { \"a\" : 1 }"),
      "{\n  \"eventID\": \"pretty\",\n  \"eventTime\": \"2026-12-01T00:00:00Z\",\n"
          + "  \"eventName\": \"X\",\n  \"eventSource\": \"s3.amazonaws.com\"\n}",
      // free-form values that are scalars, null, or arrays
      event(
          "\"requestParameters\":\"a string\",\"responseElements\":null,"
              + "\"additionalEventData\":42,\"serviceEventDetails\":[{\"x\":[]}]"),
      // typed fields of the wrong shape, duplicated fields, identity as a string
      event(
          "\"awsRegion\":{\"x\":1},\"readOnly\":\"true\",\"eventName\":\"Y\",\"userIdentity\":\"u\""),
      event(
          "\"resources\":[{\"ARN\":\"arn:x\",\"accountId\":\"1\",\"type\":\"T\",\"extra\":{}},7],"
              + "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":[1]}"),
      "{\"eventID\":\"no-time\",\"eventName\":\"X\",\"eventSource\":\"s\"}",
      "{\"eventID\":\"bad-time\",\"eventTime\":\"yesterday\",\"eventName\":\"X\",\"eventSource\":\"s\"}",
      "{\"@timestamp\":\"2026-12-01T00:00:00Z\",\"eventID\":\"ls\",\"eventName\":\"X\",\"eventSource\":\"s\"}",
      "[1,2]",
      "\"a string\"",
    };
    StringBuilder compactFirst = new StringBuilder("{\"Records\":[");
    for (int i = 0; i < 20; i++) {
      compactFirst.append(event("\"n\":" + i)).append(',');
    }
    compactFirst.append(String.join(",", records)).append("]}");
    assertSame(compactFirst.toString().getBytes(StandardCharsets.UTF_8), "records");
    assertSame(("[" + String.join(",", records) + "]").getBytes(StandardCharsets.UTF_8), "array");
    assertSame(String.join("\n", records).getBytes(StandardCharsets.UTF_8), "JSON lines");
    // more than eight not compact in a row, then compact ones again
    StringBuilder pretty = new StringBuilder("[");
    for (int i = 0; i < 12; i++) {
      pretty.append(event("\"p\": " + i)).append(",\n");
    }
    for (int i = 0; i < 5; i++) {
      pretty.append(event("\"q\":" + i)).append(',');
    }
    pretty.append(event("\"q\":5")).append(']');
    long before = FROM_BYTES.takenFromBytes();
    assertSame(pretty.toString().getBytes(StandardCharsets.UTF_8), "pretty then compact");
    assertThat(FROM_BYTES.takenFromBytes() - before)
        .as("a stream read through the copy after eight records that were not compact")
        .isZero();
  }

  @Test
  void recordsOverTheLimitAreRejectedWhereTheCopyRejectsThem() {
    // Over the record limit (4,096 bytes here), one with a string over it too. Which of the two
    // limits Jackson reports first depends on how its buffers met the string (a stream and a
    // parser over the record's bytes differ), so the reason may differ; the record, its position
    // and every other record may not.
    String big =
        "["
            + String.join(
                ",",
                event("\"n\":1"),
                event("\"requestParameters\":{\"big\":\"" + "x".repeat(5000) + "\"}"),
                event("\"n\":2"),
                event("\"requestParameters\":{\"big\":\"" + "x".repeat(4000) + "\"}"),
                event("\"requestParameters\":{" + "\"k\":1,".repeat(1000) + "\"k\":2}"),
                event("\"n\":3"))
            + "]";
    byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
    Collected fromBytes = Collected.decode(FROM_BYTES, bytes);
    Collected copied = Collected.decode(COPYING, bytes);
    assertThat(fromBytes.events).isEqualTo(copied.events).hasSize(3);
    assertThat(fromBytes.rejectedAt()).isEqualTo(copied.rejectedAt()).hasSize(3);
    assertThat(fromBytes.reasons())
        .allMatch(r -> r.equals("string-too-long") || r.equals("record-too-large"));
    assertThat(copied.reasons())
        .allMatch(r -> r.equals("string-too-long") || r.equals("record-too-large"));
  }

  private static String event(String fields) {
    return "{\"eventVersion\":\"1.08\",\"userIdentity\":"
        + IDENTITY
        + ",\"eventTime\":\"2026-12-01T00:00:00Z\",\"eventSource\":\"s3.amazonaws.com\","
        + "\"eventName\":\"X\",\"awsRegion\":\"eu-west-1\",\"eventID\":\"id-"
        + Integer.toHexString(fields.hashCode())
        + "\","
        + fields
        + "}";
  }

  /** Decodes both ways and compares everything; returns the number of events. */
  private static int assertSame(byte[] bytes, String what) {
    Collected fromBytes = Collected.decode(FROM_BYTES, bytes);
    Collected copied = Collected.decode(COPYING, bytes);
    assertThat(fromBytes.events).as(what).isEqualTo(copied.events);
    assertThat(fromBytes.positions).as(what).isEqualTo(copied.positions);
    assertThat(fromBytes.rejected.stream().map(Rejected::toString).toList())
        .as(what)
        .isEqualTo(copied.rejected.stream().map(Rejected::toString).toList());
    assertThat(fromBytes.summary).as(what).isEqualTo(copied.summary);
    return fromBytes.events.size();
  }
}
