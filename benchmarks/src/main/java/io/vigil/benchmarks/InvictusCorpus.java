package io.vigil.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Invictus CloudTrail corpus as benchmark input: real background traffic with attacks in it,
 * repeated {@code copies} times with each copy's eventIDs made unique (so that duplicate filtering
 * does not hide the work of the later copies).
 */
final class InvictusCorpus {

  private InvictusCorpus() {
  }

  /** The shared corpus: {@code override} when given, else beside the project root or the module. */
  static Path locate(String override) {
    if (override != null && !override.isEmpty()) {
      return Path.of(override);
    }
    for (String candidate : List.of("../shared/corpus", "../../shared/corpus")) {
      Path p = Path.of(candidate).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException("shared corpus not found; pass -p corpus=/path/to/shared/corpus");
  }

  /** Every event of the corpus, {@code copies} times, the n-th copy's eventIDs suffixed with {@code -n}. */
  static List<JsonNode> events(Path corpus, int copies) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<Path> files;
    try (Stream<Path> list = Files.list(corpus.resolve("invictus_aws_dataset/CloudTrail"))) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    List<JsonNode> events = new ArrayList<>();
    for (int copy = 0; copy < copies; copy++) {
      for (Path file : files) {
        for (JsonNode event : mapper.readTree(file.toFile()).get("Records")) {
          ObjectNode copyOfEvent = event.deepCopy();
          copyOfEvent.put("eventID", event.path("eventID").asText() + "-" + copy);
          events.add(copyOfEvent);
        }
      }
    }
    return events;
  }

  /** The events as one gzip {@code {"Records": [...]}} object, as CloudTrail delivers them to S3. */
  static byte[] recordsGzip(List<JsonNode> events) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode records = mapper.createArrayNode();
    events.forEach(records::add);
    return gzip(mapper.writeValueAsBytes(mapper.createObjectNode().set("Records", records)));
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
