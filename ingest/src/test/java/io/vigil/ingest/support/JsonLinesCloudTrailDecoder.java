package io.vigil.ingest.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.LogFormat;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.Rejected;

/**
 * TEST ONLY, a stand-in until the real decoders land on branch {@code decoders}: reads
 * uncompressed JSON lines of CloudTrail events with just the fields the publisher keys on, and
 * rejects any other line. It is no model of the real formats; delete it once {@code AwsLogDecoder}
 * is merged.
 */
public final class JsonLinesCloudTrailDecoder implements LogDecoder {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public DecodeSummary decode(InputStream in, SourceRef source, DecodeListener listener)
      throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    long records = 0;
    long rejected = 0;
    long bytes = 0;
    long lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      bytes += line.length() + 1;
      if (line.isBlank()) {
        continue;
      }
      String position = source.at("line", lineNumber);
      try {
        JsonNode event = JSON.readTree(line);
        listener.cloudTrail(CloudTrailEvent.newBuilder()
            .setEventID(event.path("eventID").asText())
            .setEventTime(event.path("eventTime").asText())
            .setEventTimeMillis(Instant.parse(event.path("eventTime").asText()))
            .setEventSource(event.path("eventSource").asText())
            .setEventName(event.path("eventName").asText())
            .setRawJson(line)
            .build(), position);
        records++;
      } catch (RuntimeException | IOException e) {
        listener.rejected(Rejected.newBuilder()
            .setReason("json_invalid").setMessage(String.valueOf(e.getMessage()))
            .setSourceType(source.type()).setSourceLocation(position)
            .setRejectedAt(Instant.now())
            .setRaw(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)))
            .setRawSize(line.length()).setComponent("test.json-lines-decoder")
            .setAttributes(Map.of()).build());
        rejected++;
      }
    }
    return new DecodeSummary(records > 0 ? LogFormat.CLOUDTRAIL_JSON_LINES : LogFormat.NONE,
        records, rejected, bytes, bytes);
  }
}
