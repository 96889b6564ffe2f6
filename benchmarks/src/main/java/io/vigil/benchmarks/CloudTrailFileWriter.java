package io.vigil.benchmarks;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes a large gzip CloudTrail file for the end-to-end scan comparison
 * ({@code benchmarks/scan-vs-jq.sh}): the Invictus corpus repeated {@code copies} times with unique
 * eventIDs, streamed so that memory stays small. Usage: {@code CloudTrailFileWriter OUT COPIES}.
 */
public final class CloudTrailFileWriter {

  private CloudTrailFileWriter() {
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int copies = Integer.parseInt(args[1]);
    ObjectMapper mapper = new ObjectMapper();
    var one = InvictusCorpus.events(InvictusCorpus.locate(null), 1);
    try (OutputStream file = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(out)), 1 << 16);
         JsonGenerator json = mapper.createGenerator(file)) {
      json.writeStartObject();
      json.writeArrayFieldStart("Records");
      for (int copy = 0; copy < copies; copy++) {
        for (JsonNode event : one) {
          var copyOfEvent = event.deepCopy();
          ((com.fasterxml.jackson.databind.node.ObjectNode) copyOfEvent).put("eventID", event.path("eventID").asText() + "-" + copy);
          mapper.writeTree(json, copyOfEvent);
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    System.out.printf("%s: %d events%n", out, copies * one.size());
  }
}
