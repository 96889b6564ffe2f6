package io.vigil.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import java.io.ByteArrayInputStream;
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
   * The events of {@link #events} as the pipeline holds them: decoded by the ingest decoder, as
   * from one S3 object. The corpus has no record the decoder rejects; one would be a failure.
   */
  public static List<CloudTrailEvent> decoded(Path corpus, int copies) throws IOException {
    byte[] gz = recordsGzip(events(corpus, copies));
    List<CloudTrailEvent> decoded = new ArrayList<>();
    new AwsLogDecoder()
        .decode(
            new ByteArrayInputStream(gz),
            SourceRef.s3("bench", "x.json.gz"),
            new DecodeListener() {
              @Override
              public void cloudTrail(CloudTrailEvent event, String position) {
                decoded.add(event);
              }

              @Override
              public void flow(FlowRecord record, String position) {}

              @Override
              public void rejected(Rejected rejected) {
                throw new IllegalStateException("corpus event rejected: " + rejected.getMessage());
              }
            });
    return decoded;
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
