package io.vigil.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.testkit.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Decodes the public corpora in the repository's {@code testdata/} ({@link TestData}; a missing
 * folder fails): real formats nobody on this project wrote must decode with zero rejections, as
 * they are and gzipped. Expected counts come from Jackson, independently.
 */
class CorpusDecodeTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void everyInvictusCloudTrailFileDecodesWithoutRejections() throws IOException {
    List<Path> files = list(TestData.path("invictus_aws_dataset/CloudTrail"), ".json");
    assertThat(files).hasSizeGreaterThanOrEqualTo(50);
    long expected = 0;
    long decoded = 0;
    for (Path file : files) {
      JsonNode records = MAPPER.readTree(file.toFile()).get("Records");
      expected += records.size();
      byte[] bytes = Files.readAllBytes(file);
      Collected c = Collected.decode(bytes);
      for (int i = 0; i < records.size(); i++) {
        // rawJson keeps every field and value of the original event
        assertThat(MAPPER.readTree(c.events.get(i).getRawJson())).isEqualTo(records.get(i));
      }
      decoded += decodeBothWays(bytes, LogFormat.CLOUDTRAIL_RECORDS, records.size(), file);
    }
    assertThat(decoded).isEqualTo(expected).isEqualTo(2900);
  }

  @Test
  void everyStratusDetonationLogDecodesWithoutRejections() throws IOException {
    List<Path> files = list(TestData.path("stratus_red_team/docs/detonation-logs"), ".json");
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      int expected = MAPPER.readTree(file.toFile()).size();
      decodeBothWays(Files.readAllBytes(file), LogFormat.CLOUDTRAIL_ARRAY, expected, file);
    }
  }

  @Test
  void otrfJsonLinesCaptureDecodesWithoutRejections() throws IOException {
    Path file;
    try (Stream<Path> all =
        Files.walk(TestData.path("otrf_security_datasets/datasets/atomic/aws"))) {
      file = all.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    int expected = 0;
    try (BufferedReader lines = Files.newBufferedReader(file)) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.isBlank()) {
          MAPPER.readTree(line);
          expected++;
        }
      }
    }
    assertThat(expected).isPositive();
    decodeBothWays(Files.readAllBytes(file), LogFormat.CLOUDTRAIL_JSON_LINES, expected, file);
  }

  private static long decodeBothWays(byte[] bytes, LogFormat format, int expected, Path file) {
    Collected plain = Collected.decode(bytes);
    Collected gzipped = Collected.decode(Collected.gzip(bytes));
    for (Collected c : List.of(plain, gzipped)) {
      assertThat(c.rejected).as("rejections of %s", file).isEmpty();
      assertThat(c.summary.format()).as("format of %s", file).isEqualTo(format);
      assertThat(c.events).as("events of %s", file).hasSize(expected);
    }
    assertThat(gzipped.events)
        .extracting(CloudTrailEvent::getRawJson)
        .containsExactlyElementsOf(plain.events.stream().map(CloudTrailEvent::getRawJson).toList());
    return plain.events.size();
  }

  private static List<Path> list(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
