package io.vigil.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.schemas.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the keys of one {@code sinks:} entry: typed getters that record a problem naming the sink
 * and the key instead of throwing, {@code ${ENV_NAME}} substitution in every string value, and a
 * check that no key was left unread (a misspelt key is an error, not silently ignored).
 *
 * <p>Environment substitution is the one way secrets come from the environment:
 * {@code routing_key: ${PAGERDUTY_ROUTING_KEY}}. {@code $${} stands for a literal {@code ${}.
 * Values read with {@link #secret}, and any value taken from the environment, are never echoed in
 * problems. Every value that must not be printed (secrets, header values, URLs, whatever came from
 * the environment) is collected in {@link #sensitive()}, for the sink's {@code Redactor}.
 */
public final class SinkSettings {

  private final int entry;
  private final String where;
  private final JsonNode node;
  private final Map<String, String> env;
  private final List<SinkConfigException.Problem> problems;
  private final Set<String> read = new TreeSet<>();
  private final Set<String> secretKeys = new TreeSet<>();
  private final Set<String> urlKeys = new TreeSet<>();
  private final List<Secret> sensitive = new ArrayList<>();
  // Per key, the values its ${NAME} references expanded to: masked in that key's problems.
  private final Map<String, List<String>> fromEnvironment = new LinkedHashMap<>();

  SinkSettings(
      int entry,
      String where,
      JsonNode node,
      Map<String, String> env,
      List<SinkConfigException.Problem> problems) {
    this.entry = entry;
    this.where = where;
    this.node = node;
    this.env = env;
    this.problems = problems;
  }

  /** How problems name this sink, e.g. {@code sinks[1] 'oncall'}. */
  public String where() {
    return where;
  }

  int problemCount() {
    return problems.size();
  }

  /** Records a problem with {@code key}. */
  public void problem(String key, String message) {
    String text = message;
    for (String value : fromEnvironment.getOrDefault(key, List.of())) {
      if (!value.isEmpty()) {
        text = text.replace(value, Secret.MASK);
      }
    }
    problems.add(new SinkConfigException.Problem(entry, where + ": " + key + ": " + text, false));
  }

  /** The keys read as secrets, so that a printed configuration can mask exactly those. */
  Set<String> secretKeys() {
    return secretKeys;
  }

  /** The keys read as URLs, so that a printed configuration can show them as {@link Secret#url}. */
  Set<String> urlKeys() {
    return urlKeys;
  }

  /** Every value read that must never be printed, each with how it is shown instead. */
  List<Secret> sensitive() {
    return sensitive;
  }

  public boolean has(String key) {
    return node.hasNonNull(key);
  }

  /** A string (after substitution), or {@code fallback} when absent. */
  public String string(String key, String fallback) {
    String value = raw(key, false);
    return value != null ? value : fallback;
  }

  /** A string that must be present. */
  public String requiredString(String key) {
    String value = raw(key, false);
    if (value == null && !has(key)) {
      problem(key, "required");
    }
    return value;
  }

  /** A secret, or {@code null} when absent and not required. */
  public Secret secret(String key, boolean required) {
    secretKeys.add(key);
    String value = raw(key, true);
    if (value == null) {
      if (required && !has(key)) {
        problem(key, "required (write it as ${ENV_NAME} to take it from the environment)");
      }
      return null;
    }
    Secret secret = Secret.of(value);
    sensitive.add(secret);
    return secret;
  }

  /** An http(s) URL. */
  public URI url(String key, String fallback, boolean secret) {
    if (secret) {
      secretKeys.add(key);
    }
    urlKeys.add(key);
    String value = raw(key, secret);
    if (value == null) {
      if (fallback == null) {
        if (!has(key)) {
          problem(key, "required");
        }
        return null;
      }
      value = fallback;
    }
    // Every sink URL's path and query may carry a credential, whether or not the type says so.
    sensitive.add(Secret.url(value));
    try {
      URI uri = new URI(value);
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        problem(key, "must be an http or https URL" + (secret ? "" : ", got '" + value + "'"));
        return null;
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      problem(key, "is not a URL" + (secret ? "" : ": '" + value + "'"));
      return null;
    }
  }

  public int integer(String key, int fallback, int min, int max) {
    read.add(key);
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    String text = value.isTextual() ? substitute(key, value.asText(), false) : value.asText();
    try {
      int parsed = Integer.parseInt(text == null ? "" : text.trim());
      if (parsed < min || parsed > max) {
        problem(key, "must be between " + min + " and " + max + ", got " + parsed);
        return fallback;
      }
      return parsed;
    } catch (NumberFormatException e) {
      problem(key, "must be a whole number, got '" + text + "'");
      return fallback;
    }
  }

  public boolean bool(String key, boolean fallback) {
    read.add(key);
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    String text = value.asText().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    problem(key, "must be true or false, got '" + text + "'");
    return fallback;
  }

  /**
   * A duration in the configuration's one grammar ({@link Durations}: {@code 500ms}, {@code 30s},
   * {@code 5m}, {@code 1h}, {@code 2d} or {@code PT10S}), with the same message when it is not one.
   */
  public Duration duration(String key, Duration fallback) {
    String text = raw(key, false);
    if (text == null) {
      return fallback;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return fallback;
    }
  }

  /** A list of strings; a single string counts as a list of one. */
  public List<String> strings(String key) {
    read.add(key);
    JsonNode value = node.get(key);
    List<String> out = new ArrayList<>();
    if (value == null || value.isNull()) {
      return out;
    }
    if (value.isTextual()) {
      out.add(substitute(key, value.asText(), false));
    } else if (value.isArray()) {
      for (JsonNode item : value) {
        if (!item.isValueNode()) {
          problem(key, "must be a list of strings");
          return List.of();
        }
        out.add(substitute(key, item.asText(), false));
      }
    } else {
      problem(key, "must be a list of strings");
    }
    out.removeIf(java.util.Objects::isNull);
    return out;
  }

  /**
   * A map of string to string (e.g. custom headers). Values are treated as secrets, since headers
   * commonly carry credentials.
   */
  public Map<String, Secret> secretMap(String key) {
    read.add(key);
    secretKeys.add(key);
    JsonNode value = node.get(key);
    Map<String, Secret> out = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return out;
    }
    if (!value.isObject()) {
      problem(key, "must be a map of names to values");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode()) {
        problem(key + "." + e.getKey(), "must be a single value");
        continue;
      }
      String text = substitute(key + "." + e.getKey(), e.getValue().asText(), true);
      if (text != null) {
        Secret secret = Secret.of(text);
        sensitive.add(secret);
        out.put(e.getKey(), secret);
      }
    }
    return out;
  }

  /** Records a problem for every key of the entry that no getter asked for. */
  void rejectUnread() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!read.contains(key)) {
        problem(key, "unknown key for this sink type; known: " + read);
      }
    }
  }

  private String raw(String key, boolean secret) {
    read.add(key);
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      problem(key, "must be a single value");
      return null;
    }
    return substitute(key, value.asText(), secret);
  }

  private String substitute(String key, String text, boolean secret) {
    return EnvReferences.expand(
        text,
        env,
        (name, value) -> {
          if (value == null) {
            // Naming the variable is safe; its value is what must not leak.
            problems.add(
                new SinkConfigException.Problem(
                    entry,
                    where + ": " + key + ": environment variable " + name + " is not set",
                    true));
          } else {
            fromEnvironment.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            sensitive.add(Secret.of(value));
          }
        });
  }
}
