package io.vigil.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The Invictus CloudTrail corpus as benchmark input: real background traffic with attacks in it,
 * repeated {@code copies} times with each copy's eventIDs made unique (so that duplicate filtering
 * does not hide the work of the later copies).
 */
public final class InvictusCorpus {

  private InvictusCorpus() {}

  /**
   * The folder of corpora: {@code override} when given (JMH's {@code -p corpus=DIR}, a folder laid
   * out as {@code testdata/}), else the repository's {@code testdata/}, found as the tests find it
   * ({@code io.vigil.testkit.TestData}): the first directory from the working directory upwards
   * that holds {@code testdata/README.md}.
   */
  public static Path locate(String override) {
    if (override != null && !override.isEmpty()) {
      return Path.of(override);
    }
    Path start = Path.of("").toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("testdata/README.md"))) {
        return dir.resolve("testdata");
      }
    }
    throw new IllegalStateException(
        "test data not found: no directory from "
            + start
            + " upwards holds testdata/README.md; run inside the repository (JMH benchmarks also"
            + " take -p corpus=/path/to/testdata)");
  }

  /**
   * Every event of the corpus, {@code copies} times, the n-th copy's eventIDs suffixed with {@code
   * -n}.
   */
  public static List<JsonNode> events(Path corpus, int copies) throws IOException {
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

  /**
   * The events as one gzip {@code {"Records": [...]}} object, as CloudTrail delivers them to S3.
   */
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
