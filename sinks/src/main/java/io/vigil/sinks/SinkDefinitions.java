package io.vigil.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.schemas.Severity;
import io.vigil.sinks.archive.S3ArchiveSink;
import io.vigil.sinks.delivery.RetryPolicy;
import io.vigil.sinks.http.PagerDutySink;
import io.vigil.sinks.http.SlackSink;
import io.vigil.sinks.http.SplunkHecSink;
import io.vigil.sinks.http.WebhookSink;
import io.vigil.sinks.kafka.KafkaTopicSink;
import io.vigil.sinks.render.SeverityScale;
import io.vigil.sinks.stdout.StdoutSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses and validates the {@code sinks:} list of the configuration into {@link SinkDefinition}s.
 *
 * <p>Every entry has {@code type} and {@code name}, optionally {@code min_severity} (default {@code
 * low}), {@code rules} and {@code exclude_rules} (rule id globs), the retry settings {@code
 * max_attempts} (default 6), {@code initial_backoff} (500ms), {@code max_backoff} (30s), {@code
 * start_from} ({@code earliest}, the default, or {@code latest}: where a new sink starts), and the
 * settings of its type. Any string value may refer to the environment as {@code ${NAME}}, which is
 * how secrets should be given. All problems are reported at once, each naming the sink and the key,
 * none showing a secret.
 */
public final class SinkDefinitions {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Map<String, Function<SinkSettings, SinkConfig>> TYPES =
      new LinkedHashMap<>();

  static {
    TYPES.put("stdout", StdoutSink.Config::parse);
    TYPES.put("webhook", WebhookSink.Config::parse);
    TYPES.put("pagerduty", PagerDutySink.Config::parse);
    TYPES.put("slack", SlackSink.Config::parse);
    TYPES.put("splunk-hec", SplunkHecSink.Config::parse);
    TYPES.put("kafka", KafkaTopicSink.Config::parse);
    TYPES.put("s3", S3ArchiveSink.Config::parse);
  }

  private SinkDefinitions() {}

  /** The sink types there are. */
  public static Set<String> types() {
    return TYPES.keySet();
  }

  /**
   * Parses the {@code sinks} node (a list; {@code null} or missing means no sinks).
   *
   * @param env the environment for {@code ${NAME}} references
   * @throws SinkConfigException listing every problem
   */
  public static List<SinkDefinition> parse(JsonNode sinks, Map<String, String> env) {
    Checked checked = check(sinks, env);
    if (!checked.problems().isEmpty()) {
      throw new SinkConfigException(
          checked.problems().stream().map(SinkConfigException.Problem::text).toList());
    }
    return checked.definitions();
  }

  /**
   * Checks every entry of the {@code sinks} node without throwing, for the configuration system,
   * which places each problem on the line of its entry and defers unset variables to the processes
   * that run the sinks.
   *
   * @param env the environment for {@code ${NAME}} references
   */
  public static Checked check(JsonNode sinks, Map<String, String> env) {
    List<SinkConfigException.Problem> problems = new ArrayList<>();
    List<SinkDefinition> out = new ArrayList<>();
    List<Set<String>> secretKeys = new ArrayList<>();
    List<Set<String>> urlKeys = new ArrayList<>();
    if (sinks == null || sinks.isNull() || sinks.isMissingNode()) {
      return new Checked(out, problems, secretKeys, urlKeys);
    }
    if (!sinks.isArray()) {
      problems.add(
          new SinkConfigException.Problem(-1, "sinks: must be a list of sink entries", false));
      return new Checked(out, problems, secretKeys, urlKeys);
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < sinks.size(); i++) {
      JsonNode entry = sinks.get(i);
      if (!entry.isObject()) {
        problems.add(
            new SinkConfigException.Problem(
                i, "sinks[" + i + "]: must be a map with at least type and name", false));
        secretKeys.add(Set.of());
        urlKeys.add(Set.of());
        continue;
      }
      SinkSettings settings = new SinkSettings(i, where(i, entry), entry, env, problems);
      SinkDefinition definition = parseOne(settings, names);
      if (definition != null) {
        out.add(definition);
      }
      secretKeys.add(Set.copyOf(settings.secretKeys()));
      urlKeys.add(Set.copyOf(settings.urlKeys()));
    }
    return new Checked(out, problems, secretKeys, urlKeys);
  }

  /** How problems name entry {@code index}, e.g. {@code sinks[1] 'oncall'}. */
  private static String where(int index, JsonNode entry) {
    String rawName = entry.path("name").asText("");
    return "sinks[" + index + "]" + (rawName.isEmpty() ? "" : " '" + rawName + "'");
  }

  /**
   * The outcome of {@link #check}.
   *
   * @param definitions the entries without problems, in order
   * @param problems every problem, in order
   * @param secretKeys per entry (by index), the keys its sink type reads as secrets
   * @param urlKeys per entry (by index), the keys its sink type reads as URLs (shown as {@link
   *     Secret#maskedUrl})
   */
  public record Checked(
      List<SinkDefinition> definitions,
      List<SinkConfigException.Problem> problems,
      List<Set<String>> secretKeys,
      List<Set<String>> urlKeys) {

    public Checked {
      definitions = List.copyOf(definitions);
      problems = List.copyOf(problems);
      secretKeys = List.copyOf(secretKeys);
      urlKeys = List.copyOf(urlKeys);
    }
  }

  private static SinkDefinition parseOne(SinkSettings s, Set<String> names) {
    // An entry with any problem yields no definition, so that check() returns only sound ones.
    int before = s.problemCount();
    String type = s.requiredString("type");
    String name = s.requiredString("name");
    if (name != null && !NAME.matcher(name).matches()) {
      s.problem("name", "must be 1-100 of A-Z a-z 0-9 . _ - (it is part of a consumer group id)");
    } else if (name != null && !names.add(name)) {
      s.problem("name", "'" + name + "' is used by another sink");
    }
    Severity min = Severity.low;
    String minText = s.string("min_severity", null);
    if (minText != null) {
      try {
        min = SeverityScale.parse(minText);
      } catch (IllegalArgumentException e) {
        s.problem("min_severity", e.getMessage());
      }
    }
    List<String> rules = s.strings("rules");
    List<String> exclude = s.strings("exclude_rules");
    int attempts = s.integer("max_attempts", RetryPolicy.DEFAULT.maxAttempts(), 1, 100);
    Duration initial = s.duration("initial_backoff", RetryPolicy.DEFAULT.initialBackoff());
    Duration max = s.duration("max_backoff", RetryPolicy.DEFAULT.maxBackoff());
    RetryPolicy retry = null;
    try {
      retry = new RetryPolicy(attempts, initial, max, RetryPolicy.DEFAULT.maxRetryAfter());
    } catch (IllegalArgumentException e) {
      s.problem("initial_backoff", "must not exceed max_backoff");
    }
    String startFrom = s.string("start_from", "earliest");
    if (!startFrom.equals("earliest") && !startFrom.equals("latest")) {
      s.problem("start_from", "must be earliest or latest, got '" + startFrom + "'");
    }
    if (type == null) {
      return null;
    }
    Function<SinkSettings, SinkConfig> parser = TYPES.get(type);
    if (parser == null) {
      s.problem("type", "unknown sink type '" + type + "'; known: " + TYPES.keySet());
      return null;
    }
    SinkConfig config = parser.apply(s);
    s.rejectUnread();
    if (name == null || retry == null || config == null || s.problemCount() != before) {
      return null;
    }
    return new SinkDefinition(
        type,
        name,
        min,
        rules,
        exclude,
        retry,
        startFrom.equals("earliest"),
        config,
        s.sensitive());
  }
}
