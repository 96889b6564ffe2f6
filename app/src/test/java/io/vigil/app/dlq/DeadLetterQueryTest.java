package io.vigil.app.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.runtime.DeadLetterReader;
import io.vigil.app.runtime.DeadLetterReader.DeadLetter;
import io.vigil.schemas.DeadLetters;
import io.vigil.schemas.Rejected;
import io.vigil.schemas.SourceType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterQueryTest {

  private static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");

  @Test
  void sinceIsAnInstantOrADurationBackFromNow() {
    assertThat(DeadLetterQuery.since("2026-11-01T00:00:00Z", NOW))
        .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(DeadLetterQuery.since("24h", NOW)).isEqualTo(NOW.minusSeconds(24 * 3600));
    assertThatThrownBy(() -> DeadLetterQuery.since("yesterday", NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsTheMatchingReasonsOldestFirstAndShowsTheNewestWithinTheLimit() {
    DeadLetterQuery query = new DeadLetterQuery(NOW.minusSeconds(3600), List.of("json_*"));
    DeadLetterQuery.Selection selection =
        query.select(
            new DeadLetterReader.Result(
                List.of(
                    letter("json_parse", NOW.minusSeconds(10), "0@2"),
                    letter("sink_failed", NOW.minusSeconds(30), "0@1"),
                    letter("json_schema", NOW.minusSeconds(20), "0@0")),
                List.of("0@3")));
    assertThat(selection.matching())
        .extracting(d -> d.rejected().getReason())
        .containsExactly("json_schema", "json_parse");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    query.print(
        selection,
        DeadLetterQuery.Output.TABLE,
        1,
        new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertThat(out.toString().lines()).singleElement().asString().contains("json_parse");
    assertThat(err.toString())
        .contains("2 dead letter(s) since " + NOW.minusSeconds(3600))
        .contains("the newest 1 shown (--limit)")
        .contains("undecodable dead letter 0@3");

    StringWriter summary = new StringWriter();
    query.print(
        selection,
        DeadLetterQuery.Output.SUMMARY,
        1,
        new PrintWriter(summary, true),
        new PrintWriter(new StringWriter(), true));
    assertThat(summary.toString().lines())
        .containsExactly(
            "       1  json_parse  ingest.decoder", "       1  json_schema  ingest.decoder");
  }

  @Test
  void controlAndBidiCharactersOfAFileNameAreShownEscapedInTheTableAndTheJson() throws Exception {
    String file = "/inbox/evil\n2026-11-02T12:00:00Z  WARN forged\u001B[31mred\u202Etxt.json";
    Rejected hostile =
        DeadLetters.rejectedInput(
            "json_parse",
            "cannot parse " + file + "\u009B2J",
            SourceType.file,
            "file:" + file + "#record=1",
            new byte[0],
            0,
            0,
            -1,
            "ingest.file-inbox",
            Map.of(),
            NOW.minusSeconds(5));
    DeadLetterQuery query = new DeadLetterQuery(NOW.minusSeconds(60), List.of());
    DeadLetterQuery.Selection selection =
        query.select(
            new DeadLetterReader.Result(List.of(new DeadLetter(hostile, "0@1")), List.of()));

    StringWriter table = new StringWriter();
    query.print(
        selection,
        DeadLetterQuery.Output.TABLE,
        10,
        new PrintWriter(table, true),
        new PrintWriter(new StringWriter(), true));
    StringWriter json = new StringWriter();
    query.print(
        selection,
        DeadLetterQuery.Output.JSON,
        10,
        new PrintWriter(json, true),
        new PrintWriter(new StringWriter(), true));

    String escapedName =
        "/inbox/evil\\n2026-11-02T12:00:00Z  WARN forged\\u001B[31mred[U+202E]txt.json";
    assertThat(table.toString().lines())
        .singleElement()
        .asString()
        .contains("file:" + escapedName + "#record=1")
        .doesNotContain("\u001B", "\u202E", "\u009B");
    assertThat(json.toString().lines()).singleElement();
    assertThat(json.toString().strip())
        .doesNotContain("\u001B", "\u202E", "\u009B")
        .contains("\\u001B[31mred\\u202Etxt.json\\u009B2J");
    JsonNode parsed = new ObjectMapper().readTree(json.toString());
    assertThat(parsed.get("source_location").asText()).isEqualTo("file:" + file + "#record=1");
  }

  @Test
  void aVanishedS3ObjectIsShownWithItsReasonAndLocation() {
    Rejected missing =
        DeadLetters.rejectedInput(
            "object-missing",
            "s3://logs/AWSLogs/k.json.gz no longer exists (NoSuchKey)",
            SourceType.s3,
            "s3://logs/AWSLogs/k.json.gz",
            new byte[0],
            0,
            0,
            -1,
            "ingest.s3-notifications",
            Map.of("etag", "e1"),
            NOW.minusSeconds(5));
    DeadLetterQuery query = new DeadLetterQuery(NOW.minusSeconds(60), List.of("object-missing"));
    DeadLetterQuery.Selection selection =
        query.select(
            new DeadLetterReader.Result(
                List.of(
                    new DeadLetter(missing, "0@1"),
                    letter("json_parse", NOW.minusSeconds(10), "0@2")),
                List.of()));
    StringWriter out = new StringWriter();

    query.print(
        selection,
        DeadLetterQuery.Output.TABLE,
        10,
        new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true));

    assertThat(out.toString().lines())
        .singleElement()
        .asString()
        .contains("object-missing")
        .contains("ingest.s3-notifications")
        .contains("s3://logs/AWSLogs/k.json.gz");
  }

  private static DeadLetter letter(String reason, Instant at, String position) {
    byte[] raw = "{".getBytes();
    return new DeadLetter(
        Rejected.newBuilder()
            .setReason(reason)
            .setMessage("bad\n  record")
            .setSourceType(SourceType.file)
            .setSourceLocation("file:/tmp/x.json")
            .setRejectedAt(at)
            .setRaw(ByteBuffer.wrap(raw))
            .setRawSize(raw.length)
            .setComponent("ingest.decoder")
            .build(),
        position);
  }
}
