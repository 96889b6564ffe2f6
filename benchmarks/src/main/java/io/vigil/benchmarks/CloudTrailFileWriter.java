package io.vigil.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes gzip CloudTrail input for the end-to-end scan comparison ({@code
 * benchmarks/scan-vs-jq.sh}): the Invictus corpus repeated {@code copies} times with unique
 * eventIDs, streamed so that memory stays small. Two shapes of the same events in the same order:
 *
 * <ul>
 *   <li>{@code CloudTrailFileWriter OUT COPIES}: one big {@code {"Records":[...]}} file;
 *   <li>{@code CloudTrailFileWriter --files DIR COPIES}: one gzip file per corpus file and copy
 *       ({@code DIR/copy-NNNN/<name>.json.gz}, 55 files a copy, each as CloudTrail delivers them),
 *       like a directory synced from a trail's S3 bucket.
 * </ul>
 */
public final class CloudTrailFileWriter {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CloudTrailFileWriter() {}

  public static void main(String[] args) throws Exception {
    boolean many = args.length == 3 && args[0].equals("--files");
    if (!many && args.length != 2) {
      System.err.println(
          "usage: CloudTrailFileWriter OUT COPIES | CloudTrailFileWriter --files DIR COPIES");
      System.exit(2);
    }
    Path out = Path.of(args[many ? 1 : 0]);
    int copies = Integer.parseInt(args[many ? 2 : 1]);
    Path corpus = InvictusCorpus.locate(null).resolve("invictus_aws_dataset/CloudTrail");
    List<Path> sources;
    try (Stream<Path> list = Files.list(corpus)) {
      sources = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    List<JsonNode> records = new ArrayList<>();
    for (Path source : sources) {
      records.add(MAPPER.readTree(source.toFile()).get("Records"));
    }
    long events = 0;
    if (many) {
      for (int copy = 0; copy < copies; copy++) {
        Path dir = Files.createDirectories(out.resolve(String.format("copy-%04d", copy)));
        for (int i = 0; i < sources.size(); i++) {
          try (JsonGenerator json =
              recordsFile(dir.resolve(sources.get(i).getFileName() + ".gz"))) {
            events += writeCopy(json, records.get(i), copy);
            json.writeEndArray();
            json.writeEndObject();
          }
        }
      }
      System.out.printf("%s: %d files, %d events%n", out, copies * sources.size(), events);
    } else {
      try (JsonGenerator json = recordsFile(out)) {
        for (int copy = 0; copy < copies; copy++) {
          for (JsonNode fileRecords : records) {
            events += writeCopy(json, fileRecords, copy);
          }
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      System.out.printf("%s: %d events%n", out, events);
    }
  }

  /** A gzip file open inside its {@code Records} array. */
  private static JsonGenerator recordsFile(Path path) throws IOException {
    OutputStream file =
        new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(path)), 1 << 16);
    JsonGenerator json = MAPPER.createGenerator(file);
    json.writeStartObject();
    json.writeArrayFieldStart("Records");
    return json;
  }

  /** The events of one corpus file, eventIDs suffixed with the copy number; returns how many. */
  private static int writeCopy(JsonGenerator json, JsonNode fileRecords, int copy)
      throws IOException {
    int count = 0;
    for (JsonNode event : fileRecords) {
      ObjectNode copyOfEvent = event.deepCopy();
      copyOfEvent.put("eventID", event.path("eventID").asText() + "-" + copy);
      MAPPER.writeTree(json, copyOfEvent);
      count++;
    }
    return count;
  }
}
