package io.vigil.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Robustness of the decoder against any input: whatever the bytes, a decode either yields records
 * or rejections with a known reason, never an unhandled exception, and never holds more than the
 * limits allow in memory.
 */
class AwsLogDecoderRobustnessTest {

  private static final Set<String> REASONS =
      Stream.of(RejectReason.values()).map(RejectReason::code).collect(Collectors.toSet());

  private static final AwsLogDecoder SMALL =
      new AwsLogDecoder(new DecodeLimits(16 * 1024, 4L << 20));

  @Property(tries = 500)
  void anyBytesDecodeOrAreRejectedWithAReason(@ForAll @Size(max = 2048) byte[] bytes) {
    checkWellBehaved(bytes);
    checkWellBehaved(Collected.gzip(bytes));
  }

  @Property(tries = 300)
  void anyTextBetweenJsonAndFlowLogsDecodesOrIsRejected(@ForAll("jsonish") String text) {
    checkWellBehaved(text.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 500)
  void mutatedValidInputsDecodeOrAreRejected(
      @ForAll("validInputs") byte[] valid,
      @ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit,
      @ForAll("mutations") String mutation) {
    int at = where % valid.length;
    byte[] mutated =
        switch (mutation) {
          case "truncate" -> Arrays.copyOf(valid, at);
          case "flip" -> flip(valid, at, bit);
          default -> Arrays.copyOf(flip(valid, at, bit), Math.max(at, valid.length - at));
        };
    checkWellBehaved(mutated);
  }

  /**
   * A sample the property above found (seed 4160900565803477081): one bit flipped in the deflate
   * data of a one-event object still inflates, to other bytes, and only the member's CRC at the end
   * says so. The decoder must report that, not throw it.
   */
  @Example
  void aFlipThatOnlyTheCrcCatchesIsReportedNotThrown() {
    byte[] valid = {
      31, -117, 8, 0, 0, 0, 0, 0, 0, -1, -85, 86, -54, 77, 45, 46, 78, 76, 79, 13, -87, 44, 72, 85,
      -78, 82, 114, 113, 12, 113, -116, -9, 117, 13, 14, 118, 116, 119, 85, -46, 81, -54, -55, 79,
      119, 45, 75, -51, 43, 41, 86, -78, -118, -82, 86, -54, 76, 1, -86, 48, 4, 10, 67, -11, 0, 121,
      70, 10, -122, 10, -87, 121, -103, -70, -122, 10, -122, 6, 122, 32, 8, 103, -128, 100, -116,
      20, -52, -128, -92, 33, -104, -27, -24, -20, -20, 26, 16, -94, -32, -17, -83, 84, 27, 91, 11,
      0, -5, -61, 124, 86, 119, 0, 0, 0
    };

    checkWellBehaved(flip(valid, 96_910 % valid.length, 5));
    assertThat(Collected.decode(SMALL, flip(valid, 96_910 % valid.length, 5)).reasons())
        .last()
        .isEqualTo("corrupt-gzip");
  }

  /** Two bytes of JSON and a wrong CRC: the parser's very first read-ahead meets the failure. */
  @Example
  void aTinyObjectWithABadCrcIsReportedNotThrown() {
    for (String content : new String[] {"[1", "{", "{\"R"}) {
      byte[] gzip = Collected.gzip(content.getBytes(StandardCharsets.UTF_8));
      gzip[gzip.length - 8] ^= 1; // the CRC32 of the trailer

      checkWellBehaved(gzip);
      assertThat(Collected.decode(SMALL, gzip).reasons()).as(content).contains("corrupt-gzip");
    }
  }

  @Property(tries = 20)
  void aGeneratedLargeRecordIsRejectedAsTooLargeWithBoundedRaw(
      @ForAll @IntRange(min = 17, max = 4096) int kib, @ForAll boolean oneHugeString) {
    String padding =
        oneHugeString
            ? "\"" + "x".repeat(kib * 1024) + "\""
            : "[" + "\"0123456789abcdef0123456789abcd\",".repeat(kib * 32) + "0]";
    String big =
        Samples.event("big", "X")
            .replace("\"requestID\"", "\"padding\":" + padding + ",\"requestID\"");
    AwsLogDecoder smallRecords = new AwsLogDecoder(new DecodeLimits(16 * 1024, 1L << 30));
    Collected c =
        Collected.decode(
            smallRecords, Collected.gzip(Samples.records(Samples.event("a", "X"), big)));

    // a string the parser finds past its limit is named as such; otherwise the record is too large
    assertThat(c.reasons())
        .singleElement()
        .isIn(
            oneHugeString
                ? List.of("string-too-long", "record-too-large")
                : List.of("record-too-large"));
    assertThat(c.events).extracting(e -> e.getEventID()).containsExactly("a");
    assertThat(c.rejected.get(0).getRaw().remaining())
        .isLessThanOrEqualTo(DeadLetters.MAX_RAW_BYTES);
  }

  @Property(tries = 10)
  void aGzipBombIsStoppedAtTheObjectLimit(@ForAll @IntRange(min = 5, max = 64) int mib) {
    byte[] bomb = Collected.gzip(new byte[mib << 20]);

    Collected c = Collected.decode(SMALL, bomb);

    assertThat(c.reasons()).last().isEqualTo("object-too-large");
    assertThat(c.summary.decompressedBytes()).isLessThanOrEqualTo(4L << 20);
  }

  private static void checkWellBehaved(byte[] bytes) {
    Collected c = Collected.decode(SMALL, bytes);
    assertThat(c.summary.records()).isEqualTo(c.events.size() + c.flows.size());
    assertThat(c.summary.rejected()).isEqualTo(c.rejected.size());
    for (Rejected r : c.rejected) {
      assertThat(r.getReason()).isIn(REASONS);
      assertThat(r.getMessage()).isNotBlank();
      assertThat(r.getSourceLocation()).startsWith(Collected.SOURCE.location() + "#");
      assertThat(r.getRaw().remaining()).isLessThanOrEqualTo(DeadLetters.MAX_RAW_BYTES);
    }
  }

  private static byte[] flip(byte[] bytes, int at, int bit) {
    byte[] copy = bytes.clone();
    copy[at] ^= (byte) (1 << bit);
    return copy;
  }

  @Provide
  Arbitrary<String> mutations() {
    return Arbitraries.of("truncate", "flip", "flip-and-truncate");
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.strings()
        .withChars("{}[]\":,\n \\-0123456789eE.tfnul{Records}ABC")
        .ofMaxLength(400)
        .map(
            s ->
                Arbitraries.of(
                            "",
                            "{\"Records\":[",
                            "[",
                            "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[",
                            Samples.FLOW_HEADER_V5 + "\n",
                            "{")
                        .sample()
                    + s);
  }

  @Provide
  Arbitrary<byte[]> validInputs() {
    String flows =
        Samples.FLOW_HEADER_V5 + "\n" + Samples.flowV5(1) + "\n" + Samples.flowV5(2) + "\n";
    String records = Samples.records(Samples.event("a", "X"), Samples.event("b", "Y"));
    String lines = Samples.event("a", "X") + "\n" + Samples.event("b", "Y") + "\n";
    String cloudWatch =
        "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"message\":"
            + "\"2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK\"}]}";
    return Arbitraries.of(
        bytes(records),
        Collected.gzip(records),
        bytes(lines),
        Collected.gzip(lines),
        bytes(flows),
        Collected.gzip(flows),
        Collected.gzip(cloudWatch),
        bytes("[" + Samples.event("a", "X") + "]"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
