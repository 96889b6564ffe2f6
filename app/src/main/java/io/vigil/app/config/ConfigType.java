package io.vigil.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ingest.s3.S3KeyFilter;
import io.vigil.schemas.Durations;
import io.vigil.schemas.VigilTopics;
import io.vigil.sigma.match.CidrRange;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The type of a configuration key: how a raw value from YAML, the environment or a flag becomes a
 * typed Java value, and how that value is printed back in docs and logs.
 *
 * <p>Not a Java enum because {@link #enumOf} is parameterised by its allowed values.
 *
 * @param <T> the Java type of the parsed value
 */
public abstract class ConfigType<T> {

  /** Any text, taken as written. */
  public static final ConfigType<String> STRING =
      scalar("string", "a value", text -> text, String::valueOf);

  /**
   * The fewest characters of a {@link #TOKEN}: 22 is the base64 of 16 random bytes, 128 bits, out
   * of reach of guessing even without throttling.
   */
  public static final int TOKEN_MIN_CHARS = 22;

  /** What a {@link #TOKEN} must be at least, as error messages put it. */
  public static final String TOKEN_EXPECTED =
      "a token of at least "
          + TOKEN_MIN_CHARS
          + " characters (128 bits or more; generate one with: openssl rand -base64 24)";

  /**
   * A credential sent as one token (e.g. in {@code Authorization: Bearer}): printable characters
   * without spaces, at least {@link #TOKEN_MIN_CHARS} of them; surrounding whitespace (a newline at
   * the end of a mounted secret file) is dropped.
   */
  public static final ConfigType<String> TOKEN =
      scalar(
          "token",
          "a token of printable characters without spaces",
          ConfigType::parseToken,
          text -> text);

  /** A 32-bit signed integer. */
  public static final ConfigType<Integer> INT =
      scalar("int", "an integer", ConfigType::parseInt, String::valueOf);

  /** A TCP port, 0-65535 (0 conventionally asks for any free port). */
  public static final ConfigType<Integer> PORT =
      scalar("port", "a port number 0-65535", ConfigType::parsePort, String::valueOf);

  /**
   * {@code true} or {@code false}, in any case; YAML 1.1's yes/no/on/off are refused as ambiguous.
   */
  public static final ConfigType<Boolean> BOOLEAN =
      scalar("boolean", "true or false", ConfigType::parseBoolean, String::valueOf);

  /**
   * A non-negative duration: {@code 500ms}, {@code 10s}, {@code 15m}, {@code 1h}, {@code 2d} or
   * ISO-8601 {@code PT10S}.
   */
  public static final ConfigType<Duration> DURATION =
      scalar("duration", Durations.EXPECTED, Durations::parse, Durations::format);

  /**
   * A Kafka topic name, checked by Kafka's own rule so that a bad one fails at load, not at
   * startup.
   */
  public static final ConfigType<String> TOPIC =
      scalar(
          "topic name",
          "a legal Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)",
          ConfigType::parseTopic,
          String::valueOf);

  /**
   * An http or https URL with a host, e.g. {@code https://registry:8081}; checked at load because
   * the clients given it would otherwise fail only when they start. Surrounding whitespace is
   * dropped.
   */
  public static final ConfigType<String> HTTP_URL =
      scalar(
          "url",
          "an http or https URL such as https://host:8081",
          ConfigType::parseHttpUrl,
          String::valueOf);

  /** A file system path, relative to the working directory unless absolute. */
  public static final ConfigType<Path> PATH =
      scalar("path", "a file system path", ConfigType::parsePath, Path::toString);

  /** A YAML list of values, or comma-separated text (the only form the environment can express). */
  public static final ConfigType<List<String>> STRING_LIST = new StringListType();

  /**
   * A list of IPv4 or IPv6 networks ({@code 203.0.113.0/24}, {@code 2001:db8::/32}, a bare
   * address), each checked by the grammar the rules' {@code cidr} modifier uses.
   */
  public static final ConfigType<List<String>> CIDR_LIST = new CidrListType();

  /** A list of durations, e.g. {@code [1m, 1h]} or {@code 1m,1h}; every element is checked. */
  public static final ConfigType<List<Duration>> DURATION_LIST = new DurationListType();

  /**
   * Any YAML structure (map, list or scalar), kept as an uninterpreted Jackson tree for the code
   * that owns it to bind; from the environment or a flag it is given as one YAML or JSON string.
   */
  public static final ConfigType<JsonNode> STRUCTURE = new StructureType();

  /** The {@code sinks} list, checked by the sinks' own rules (see {@link SinkListType}). */
  public static final ConfigType<ConfiguredSinks> SINK_LIST = new SinkListType();

  /** A map of AWS account id to readable name (see {@link AccountNamesType}). */
  public static final ConfigType<Map<String, String>> ACCOUNT_NAMES = new AccountNamesType();

  /** {@code http.users}: named people with a role and a token (or its SHA-256). */
  public static final ConfigType<io.vigil.app.access.Users> USER_LIST = new UserListType();

  /** Which S3 object keys to ingest (see {@link S3FiltersType}). */
  public static final ConfigType<List<S3KeyFilter>> S3_KEY_FILTERS = new S3FiltersType();

  private final String name;

  // Package-private so that the structured types (sinks, account names, ...) can have files of
  // their own; every type is still declared in this package.
  ConfigType(String name) {
    this.name = name;
  }

  /**
   * A type allowing only the given lower-case values. Input is matched regardless of case ({@code
   * EXACTLY_ONCE_V2} is a natural way to write it in the environment) and returned in lower case.
   */
  public static ConfigType<String> enumOf(String... allowed) {
    return new EnumType(List.of(allowed));
  }

  /**
   * A non-empty list whose elements are each one of the given lower-case values, e.g. {@code
   * [detection, sinks]} or {@code detection,sinks}; matched regardless of case, kept in the order
   * given, duplicates dropped.
   */
  public static ConfigType<List<String>> enumListOf(String... allowed) {
    return new EnumListType(new EnumType(List.of(allowed)));
  }

  /** The name shown in the docs' type column, e.g. {@code port}. */
  public String name() {
    return name;
  }

  /** Prints a value in the form a user would write it (so defaults in the docs can be pasted). */
  public abstract String format(T value);

  abstract T parse(RawValue raw) throws BadValueException;

  /**
   * Parses a value while the configuration loads. Structured types override this to use the
   * environment ({@code ${NAME}} references) and to place each bad part on its own line; the others
   * need only the raw value.
   */
  T parse(RawValue raw, ValueContext context) throws BadValueException {
    return parse(raw);
  }

  /**
   * Parses a command-line option's value as this type, for options that take the forms of
   * configuration values (e.g. {@code vigil demo --wait 2m}).
   *
   * @throws IllegalArgumentException "expected ..., got '...'" when the text does not fit
   */
  public T parseText(String text) {
    try {
      return parse(new RawValue.Text(text));
    } catch (BadValueException e) {
      throw new IllegalArgumentException(e.describe(false), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  private static <T> ConfigType<T> scalar(
      String name, String expected, TextParser<T> parser, Function<T, String> formatter) {
    return new ConfigType<>(name) {
      @Override
      T parse(RawValue raw) throws BadValueException {
        if (raw.shape() != RawValue.Shape.SCALAR) {
          throw BadValueException.shape(expected, raw.shape());
        }
        try {
          return parser.parse(raw.text());
        } catch (BadValueException e) {
          throw e;
        } catch (RuntimeException e) {
          // The parsers signal bad input with JDK exceptions; one uniform message is clearer.
          throw BadValueException.text(expected, raw.text());
        }
      }

      @Override
      public String format(T value) {
        return formatter.apply(value);
      }
    };
  }

  private static String parseToken(String text) throws BadValueException {
    String token = text.strip();
    if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException("not a token");
    }
    if (token.length() < TOKEN_MIN_CHARS) {
      // Says the length, never the characters: the value is a secret.
      throw new BadValueException(
          TOKEN_EXPECTED, "a token of " + token.length() + " characters", false);
    }
    return token;
  }

  private static String parseTopic(String text) {
    if (!VigilTopics.isLegalName(text)) {
      throw new IllegalArgumentException("not a topic name");
    }
    return text;
  }

  private static String parseHttpUrl(String text) {
    String trimmed = text.trim();
    URI uri = URI.create(trimmed);
    // Lower case only: the schema registry client compares the scheme exactly.
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http URL");
    }
    return trimmed;
  }

  private static Integer parseInt(String text) {
    return Integer.valueOf(text.trim());
  }

  private static Integer parsePort(String text) {
    int port = Integer.parseInt(text.trim());
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("out of range");
    }
    return port;
  }

  private static Boolean parseBoolean(String text) {
    String trimmed = text.trim();
    if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
      return Boolean.valueOf(trimmed);
    }
    throw new IllegalArgumentException("not a boolean");
  }

  private static Path parsePath(String text) {
    try {
      return Path.of(text.trim());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @FunctionalInterface
  private interface TextParser<T> {
    T parse(String text) throws BadValueException;
  }

  private static final class StringListType extends ConfigType<List<String>> {

    private static final String EXPECTED = "a list of values (YAML list or comma-separated)";

    StringListType() {
      super("list");
    }

    @Override
    List<String> parse(RawValue raw) throws BadValueException {
      return switch (raw.shape()) {
        case SCALAR -> splitOnCommas(raw.text());
        case LIST -> {
          List<String> values = new ArrayList<>();
          for (RawValue item : raw.items()) {
            if (item.shape() == RawValue.Shape.SCALAR) {
              values.add(item.text().trim());
            } else if (item.shape() != RawValue.Shape.NULL) {
              throw new BadValueException(
                  EXPECTED, "a list holding " + item.shape().description(), false);
            }
          }
          yield List.copyOf(values);
        }
        default -> throw BadValueException.shape(EXPECTED, raw.shape());
      };
    }

    private static List<String> splitOnCommas(String text) {
      // "[]" is how a flag or the environment says "none" where empty text means "unset".
      if (text.trim().equals("[]")) {
        return List.of();
      }
      return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String format(List<String> value) {
      return String.join(",", value);
    }
  }

  private static final class CidrListType extends ConfigType<List<String>> {

    private static final String EXPECTED =
        "a list of networks such as 203.0.113.0/24 or 2001:db8::/32";

    CidrListType() {
      super("list of CIDRs");
    }

    @Override
    List<String> parse(RawValue raw) throws BadValueException {
      List<String> cidrs = STRING_LIST.parse(raw);
      for (String cidr : cidrs) {
        try {
          CidrRange.parse(cidr);
        } catch (IllegalArgumentException e) {
          throw BadValueException.text(EXPECTED, cidr);
        }
      }
      return cidrs;
    }

    @Override
    public String format(List<String> value) {
      return String.join(",", value);
    }
  }

  private static final class DurationListType extends ConfigType<List<Duration>> {

    DurationListType() {
      super("list of durations");
    }

    @Override
    List<Duration> parse(RawValue raw) throws BadValueException {
      List<Duration> durations = new ArrayList<>();
      for (String text : STRING_LIST.parse(raw)) {
        try {
          durations.add(Durations.parse(text));
        } catch (IllegalArgumentException e) {
          throw BadValueException.text("a list of durations (" + Durations.EXPECTED + ")", text);
        }
      }
      return List.copyOf(durations);
    }

    @Override
    public String format(List<Duration> value) {
      return value.stream()
          .map(Durations::format)
          .collect(java.util.stream.Collectors.joining(","));
    }
  }

  private static final class StructureType extends ConfigType<JsonNode> {

    StructureType() {
      super("structure");
    }

    @Override
    JsonNode parse(RawValue raw) throws BadValueException {
      return raw.tree();
    }

    // Structures will hold things like sink definitions with webhook tokens, so fields that look
    // secret are masked with the same rule as Kafka passthrough settings.
    @Override
    public String format(JsonNode value) {
      return masked(value.deepCopy()).toString();
    }

    private static JsonNode masked(JsonNode node) {
      if (node instanceof ObjectNode object) {
        object
            .fieldNames()
            .forEachRemaining(
                field -> {
                  if (Secrets.looksSecret(field) && object.get(field).isValueNode()) {
                    object.put(field, Secrets.MASK);
                  } else {
                    masked(object.get(field));
                  }
                });
      } else if (node.isArray()) {
        node.forEach(StructureType::masked);
      }
      return node;
    }
  }

  private static final class EnumListType extends ConfigType<List<String>> {

    private final EnumType element;

    EnumListType(EnumType element) {
      super("list of (" + String.join(", ", element.allowed) + ")");
      this.element = element;
    }

    @Override
    List<String> parse(RawValue raw) throws BadValueException {
      String expected = "a non-empty list of " + String.join(", ", element.allowed);
      List<String> values = new ArrayList<>();
      for (String text : STRING_LIST.parse(raw)) {
        String value = text.toLowerCase(Locale.ROOT);
        if (!element.allowed.contains(value)) {
          throw BadValueException.text(expected, text);
        }
        if (!values.contains(value)) {
          values.add(value);
        }
      }
      if (values.isEmpty()) {
        // Nothing to run is never what was meant; an unset variable is the likelier cause.
        throw new BadValueException(expected, "an empty list", false);
      }
      return List.copyOf(values);
    }

    @Override
    public String format(List<String> value) {
      return String.join(",", value);
    }
  }

  private static final class EnumType extends ConfigType<String> {

    private final List<String> allowed;

    EnumType(List<String> allowed) {
      super("enum (" + String.join(", ", allowed) + ")");
      if (allowed.isEmpty() || Set.copyOf(allowed).size() != allowed.size()) {
        throw new IllegalArgumentException("an enum needs distinct values: " + allowed);
      }
      allowed.forEach(
          value -> {
            if (!value.equals(value.toLowerCase(Locale.ROOT))) {
              throw new IllegalArgumentException("enum values are lower case: " + value);
            }
          });
      this.allowed = allowed;
    }

    @Override
    String parse(RawValue raw) throws BadValueException {
      String expected = "one of " + String.join(", ", allowed);
      if (raw.shape() != RawValue.Shape.SCALAR) {
        throw BadValueException.shape(expected, raw.shape());
      }
      String value = raw.text().trim().toLowerCase(Locale.ROOT);
      if (!allowed.contains(value)) {
        throw BadValueException.text(expected, raw.text());
      }
      return value;
    }

    @Override
    public String format(String value) {
      return value;
    }
  }
}
