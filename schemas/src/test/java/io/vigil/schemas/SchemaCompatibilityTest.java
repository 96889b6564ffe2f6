package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution guard: every current schema (reader) must read data written with every released
 * version (writer), i.e. backward compatible transitively, and every schema must have a released
 * baseline. When a change is released, copy the schemas to {@code released/v<n+1>}.
 */
class SchemaCompatibilityTest {

  private static final Path CURRENT = Path.of("src/main/avro");
  private static final Path RELEASED = Path.of("src/test/resources/released");

  @Test
  void everyCurrentSchemaReadsDataOfEveryReleasedVersion() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path file : avscFiles(CURRENT)) {
      Schema reader = parse(file);
      for (Path released : releasedVersionsOf(file.getFileName().toString())) {
        Schema writer = parse(released);
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
          problems.add(
              file.getFileName()
                  + " cannot read "
                  + RELEASED.relativize(released)
                  + ": "
                  + result.getResult().getIncompatibilities());
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everySchemaHasAReleasedBaseline() throws IOException {
    List<Path> current = avscFiles(CURRENT);
    assertThat(current).hasSize(SchemaCatalog.RECORD_TYPES.size());
    for (Path file : current) {
      assertThat(releasedVersionsOf(file.getFileName().toString()))
          .as("released baseline of %s under %s", file.getFileName(), RELEASED)
          .isNotEmpty();
    }
  }

  @Test
  void everyRecordTypeKnowsItsReleasedVersionsAtRuntime() {
    for (var type : SchemaCatalog.RECORD_TYPES) {
      assertThat(SchemaCatalog.releasedVersions(type.getName()))
          .as(type.getSimpleName())
          .isNotEmpty();
      assertThat(SchemaCatalog.knownVersions(type)).contains(SchemaCatalog.currentSchema(type));
    }
  }

  @Test
  void checkerRejectsANewRequiredFieldWithoutDefault() throws IOException {
    Schema released = parse(RELEASED.resolve("v1/Alert.avsc"));
    Schema changed = withFirstField(released, "{\"name\":\"tenant\",\"type\":\"string\"}");

    var result = SchemaCompatibility.checkReaderWriterCompatibility(changed, released);

    assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    assertThat(result.getResult().getIncompatibilities())
        .anySatisfy(i -> assertThat(i.getMessage()).contains("tenant"));
  }

  @Test
  void checkerAcceptsANewOptionalFieldWithDefault() throws IOException {
    Schema released = parse(RELEASED.resolve("v1/Alert.avsc"));
    Schema changed =
        withFirstField(
            released, "{\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null}");

    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(changed, released).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  private static Schema withFirstField(Schema schema, String fieldJson) {
    String json =
        schema.toString().replaceFirst("\"fields\":\\[", "\"fields\":[" + fieldJson + ",");
    return new Schema.Parser().parse(json);
  }

  private static List<Path> releasedVersionsOf(String fileName) throws IOException {
    try (Stream<Path> versions = Files.list(RELEASED)) {
      return versions.map(v -> v.resolve(fileName)).filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static List<Path> avscFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
    }
  }

  private static Schema parse(Path file) throws IOException {
    return SchemaCatalog.parse(
        Files.readString(file),
        name -> {
          Path sibling = file.resolveSibling(name + ".avsc");
          try {
            return Files.isRegularFile(sibling) ? Files.readString(sibling) : null;
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
