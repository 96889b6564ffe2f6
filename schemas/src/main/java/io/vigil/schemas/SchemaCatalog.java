package io.vigil.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The record types Vigil puts on Kafka and every schema version of them that this jar knows.
 *
 * <p>Released versions are read from the classpath at {@code
 * io/vigil/schemas/released/v<n>/<Name>.avsc} (the baselines kept under {@code
 * src/test/resources/released}, which the build also packs into the jar), so that a reader can
 * still decode data written with an older released schema.
 */
public final class SchemaCatalog {

  /**
   * The top-level record types: one per topic value, and the detection topology's internal records
   * (repartitioned matches and alert state), which are contracts across releases too.
   */
  public static final List<Class<? extends SpecificRecord>> RECORD_TYPES =
      List.of(
          CloudTrailEvent.class,
          FlowRecord.class,
          Alert.class,
          Aggregate.class,
          ResourceState.class,
          Rejected.class,
          IngestCheckpoint.class,
          RuleMatch.class,
          CorrelationHit.class,
          AlertState.class,
          TriageChange.class,
          Suppression.class);

  static final String RELEASED_ROOT = "io/vigil/schemas/released/";

  // Parsing the released files is the costly part of building a deserializer; they never change.
  private static final Map<Class<?>, List<Schema>> KNOWN = new ConcurrentHashMap<>();

  private SchemaCatalog() {}

  /** The schema compiled into the generated class: what this jar writes. */
  public static Schema currentSchema(Class<? extends SpecificRecord> type) {
    return SpecificData.get().getSchema(Objects.requireNonNull(type, "type"));
  }

  /**
   * Every released version of the record with this full name, oldest first. Versions are numbered
   * v1, v2, ... without gaps; a record introduced later simply has no file in the earlier versions.
   */
  public static List<Schema> releasedVersions(String fullName) {
    String simpleName = fullName.substring(fullName.lastIndexOf('.') + 1);
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; versionExists(version); version++) {
      String resource = RELEASED_ROOT + "v" + version + "/" + simpleName + ".avsc";
      Schema schema = load(resource);
      if (schema != null) {
        versions.add(schema);
      }
    }
    return versions;
  }

  /** The current schema and every released version of the type, without duplicates. */
  public static List<Schema> knownVersions(Class<? extends SpecificRecord> type) {
    return KNOWN.computeIfAbsent(type, t -> loadKnownVersions(type));
  }

  private static List<Schema> loadKnownVersions(Class<? extends SpecificRecord> type) {
    Schema current = currentSchema(type);
    List<Schema> all = new ArrayList<>(releasedVersions(current.getFullName()));
    if (!all.contains(current)) {
      all.add(current);
    }
    return List.copyOf(all);
  }

  private static boolean versionExists(int version) {
    ClassLoader loader = SchemaCatalog.class.getClassLoader();
    // Directory resources are not reliable inside jars, so a version exists when any record has a
    // file in it.
    return RECORD_TYPES.stream()
        .anyMatch(
            t ->
                loader.getResource(
                        RELEASED_ROOT + "v" + version + "/" + t.getSimpleName() + ".avsc")
                    != null);
  }

  private static Schema load(String resource) {
    String text = text(resource);
    if (text == null) {
      return null;
    }
    String dir = resource.substring(0, resource.lastIndexOf('/') + 1);
    return parse(text, name -> text(dir + name + ".avsc"));
  }

  private static String text(String resource) {
    try (InputStream in = SchemaCatalog.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read released schema " + resource, e);
    }
  }

  // A record type named by its full name in another schema file (TriageChange's Alert).
  private static final Pattern SIBLING_REFERENCE =
      Pattern.compile("\"io\\.vigil\\.schemas\\.([A-Z][A-Za-z0-9]*)\"");

  /**
   * Parses one schema file's {@code text}. A record type it refers to by full name that has a file
   * of its own beside it ({@code sibling}: simple name to that file's text, or null) is parsed
   * first, as the Avro build plugin does with every file of the directory.
   */
  static Schema parse(String text, Function<String, String> sibling) {
    Schema.Parser parser = new Schema.Parser();
    Matcher references = SIBLING_REFERENCE.matcher(text);
    java.util.Set<String> done = new java.util.HashSet<>();
    while (references.find()) {
      String name = references.group(1);
      String other = done.add(name) ? sibling.apply(name) : null;
      if (other != null) {
        parser.parse(other);
      }
    }
    return parser.parse(text);
  }

  /** Full name of every named type (record, enum, fixed) reachable from the schema. */
  static void collectNamedTypes(Schema schema, Map<String, Schema> into) {
    switch (schema.getType()) {
      case RECORD -> {
        if (into.putIfAbsent(schema.getFullName(), schema) == null) {
          schema.getFields().forEach(f -> collectNamedTypes(f.schema(), into));
        }
      }
      case ENUM, FIXED -> into.putIfAbsent(schema.getFullName(), schema);
      case ARRAY -> collectNamedTypes(schema.getElementType(), into);
      case MAP -> collectNamedTypes(schema.getValueType(), into);
      case UNION -> schema.getTypes().forEach(t -> collectNamedTypes(t, into));
      default -> {
        // primitives name no class
      }
    }
  }
}
