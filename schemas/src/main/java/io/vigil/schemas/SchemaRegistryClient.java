package io.vigil.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A small client for the Confluent Schema Registry REST API, enough for the serdes: register a
 * schema under a subject, look one up, fetch one by id. Ids are cached both ways, so a schema costs
 * one HTTP call per subject and an id one call per process.
 *
 * <p>Vigil has its own client because Confluent's artifacts are not available to this build; the
 * REST API it speaks is public and stable, and any Confluent-compatible registry serves it.
 */
public final class SchemaRegistryClient {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final String shownUrl;
  private final Optional<String> authorization;
  private final Duration timeout;
  private final HttpClient http;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  /**
   * @param baseUrl the registry's base URL, e.g. {@code http://registry:8081}
   * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, if the registry needs it
   * @param timeout per-request timeout
   */
  public SchemaRegistryClient(URI baseUrl, Optional<String> basicAuthUserInfo, Duration timeout) {
    this(
        baseUrl,
        basicAuthUserInfo,
        timeout,
        HttpClient.newBuilder()
            // Registries speak HTTP/1.1; skipping the h2c upgrade attempt saves a round trip.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build());
  }

  SchemaRegistryClient(
      URI baseUrl, Optional<String> basicAuthUserInfo, Duration timeout, HttpClient http) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String url = baseUrl.toString();
    this.baseUrl = URI.create(url.endsWith("/") ? url : url + "/");
    this.shownUrl = withoutUserInfo(this.baseUrl);
    this.authorization =
        basicAuthUserInfo
            .filter(s -> !s.isBlank())
            .map(
                s ->
                    "Basic "
                        + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
    this.timeout = timeout;
    this.http = http;
  }

  /**
   * Registers {@code schema} under {@code subject} (idempotent in the registry) and returns its id.
   */
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode body =
        send(
            "POST",
            "subjects/" + encode(subject) + "/versions",
            schemaBody(schema),
            "register a schema under subject '" + subject + "'");
    return remember(subject, schema, body.path("id"));
  }

  /** The id of {@code schema} already registered under {@code subject}; an error when it is not. */
  public int lookup(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode body =
        send(
            "POST",
            "subjects/" + encode(subject),
            schemaBody(schema),
            "look up the schema of subject '" + subject + "'");
    return remember(subject, schema, body.path("id"));
  }

  /** The schema with this registry id. */
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String what = "fetch schema id " + id;
    JsonNode body = send("GET", "schemas/ids/" + id, null, what);
    String text = body.path("schema").asText(null);
    if (text == null) {
      throw new SchemaRegistryException(
          "cannot " + what + " from " + shownUrl + ": response has no schema", 200, -1, null);
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(
          "cannot " + what + " from " + shownUrl + ": not an Avro schema (" + e.getMessage() + ")",
          200,
          -1,
          e);
    }
    schemasById.put(id, schema);
    return schema;
  }

  private Integer cachedId(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.get(subject);
    return ids == null ? null : ids.get(schema);
  }

  private int remember(String subject, Schema schema, JsonNode idNode) {
    if (!idNode.canConvertToInt()) {
      throw new SchemaRegistryException(
          "registry " + shownUrl + " returned no schema id for subject '" + subject + "'",
          200,
          -1,
          null);
    }
    int id = idNode.asInt();
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private JsonNode send(String method, String path, String body, String what) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(baseUrl.resolve(path))
            .timeout(timeout)
            .header("Accept", CONTENT_TYPE)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    authorization.ifPresent(value -> request.header("Authorization", value));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "cannot " + what + ": schema registry at " + shownUrl + " is unreachable (" + e + ")",
          -1,
          -1,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "interrupted while trying to " + what + " at " + shownUrl, -1, -1, e);
    }
    return RegistryResponses.parse(response.statusCode(), response.body(), what, shownUrl);
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The URL as it may appear in messages: credentials embedded in it are dropped. */
  static String withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
