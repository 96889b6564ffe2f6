package io.vigil.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * An in-process stand-in for a Confluent-compatible schema registry, on the JDK's HttpServer at
 * 127.0.0.1 on a free port.
 *
 * <p>It is a stand-in because Confluent's registry (and any other registry server) is not available
 * to this build. It implements only the documented endpoints {@link SchemaRegistryClient} uses,
 * with the documented status codes and error bodies: {@code POST /subjects/{subject}/versions}
 * (register, BACKWARD compatibility against the latest version: 409 when incompatible, 422 when the
 * schema does not parse), {@code POST /subjects/{subject}} (look up: 404 when absent) and {@code
 * GET /schemas/ids/{id}}; optionally HTTP basic auth (401). It is not a registry: no config
 * endpoints, no deletes, no references, nothing persisted.
 */
final class SchemaRegistryStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes headers and body separately; with Nagle on, each response waits for
    // the client's delayed ACK (~40 ms). Read once, when the first HttpServer starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final String requiredAuthorization;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> authorizationHeaders = new ArrayList<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
  private int nextId = 1;

  private SchemaRegistryStandIn(String basicAuthUserInfo) throws IOException {
    this.requiredAuthorization =
        basicAuthUserInfo == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  static SchemaRegistryStandIn start() throws IOException {
    return new SchemaRegistryStandIn(null);
  }

  static SchemaRegistryStandIn startWithBasicAuth(String userInfo) throws IOException {
    return new SchemaRegistryStandIn(userInfo);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int requestCount() {
    return requests.get();
  }

  synchronized List<String> authorizationHeaders() {
    return List.copyOf(authorizationHeaders);
  }

  /** Registers directly, bypassing HTTP, e.g. to prepare a subject's history. */
  synchronized int registerDirectly(String subject, Schema schema) {
    return register(subject, schema);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      synchronized (this) {
        authorizationHeaders.add(auth);
      }
      if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
        respond(exchange, 401, error(401, "Unauthorized"));
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      String[] parts = path.substring(1).split("/");
      if (method.equals("GET")
          && parts.length == 3
          && parts[0].equals("schemas")
          && parts[1].equals("ids")) {
        getById(exchange, parts[2]);
      } else if (method.equals("POST")
          && parts[0].equals("subjects")
          && (parts.length == 2 || (parts.length == 3 && parts[2].equals("versions")))) {
        String subject = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        Schema schema = parseBody(exchange);
        if (schema == null) {
          return;
        }
        if (parts.length == 3) {
          registerOverHttp(exchange, subject, schema);
        } else {
          lookup(exchange, subject, schema);
        }
      } else {
        respond(exchange, 404, error(404, "HTTP 404 Not Found"));
      }
    }
  }

  private Schema parseBody(HttpExchange exchange) throws IOException {
    try {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (IOException | SchemaParseException e) {
      respond(exchange, 422, error(42201, "Invalid schema: " + e.getMessage()));
      return null;
    }
  }

  private void getById(HttpExchange exchange, String idText) throws IOException {
    Schema schema = null;
    try {
      schema = schemasById.get(Integer.parseInt(idText));
    } catch (NumberFormatException e) {
      // falls through to 404 like an unknown id
    }
    if (schema == null) {
      respond(exchange, 404, error(40403, "Schema " + idText + " not found"));
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    respond(exchange, 200, body);
  }

  private void registerOverHttp(HttpExchange exchange, String subject, Schema schema)
      throws IOException {
    int id;
    synchronized (this) {
      List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
      if (!versions.isEmpty() && !versions.contains(idOf(schema))) {
        Schema latest = schemasById.get(versions.get(versions.size() - 1));
        var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
          respond(
              exchange,
              409,
              error(
                  409,
                  "Schema being registered is incompatible with an"
                      + " earlier schema for subject \""
                      + subject
                      + "\", details: "
                      + result.getResult().getIncompatibilities()));
          return;
        }
      }
      id = register(subject, schema);
    }
    respond(exchange, 200, JSON.createObjectNode().put("id", id));
  }

  private void lookup(HttpExchange exchange, String subject, Schema schema) throws IOException {
    Integer id;
    int version;
    synchronized (this) {
      List<Integer> versions = versionsBySubject.get(subject);
      if (versions == null) {
        respond(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
        return;
      }
      id = idOf(schema);
      version = id == null ? -1 : versions.indexOf(id) + 1;
    }
    if (id == null || version <= 0) {
      respond(exchange, 404, error(40403, "Schema not found"));
      return;
    }
    respond(
        exchange,
        200,
        JSON.createObjectNode()
            .put("subject", subject)
            .put("id", id)
            .put("version", version)
            .put("schema", schema.toString()));
  }

  private int register(String subject, Schema schema) {
    Integer id = idOf(schema);
    if (id == null) {
      id = nextId++;
      schemasById.put(id, schema);
    }
    List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  private Integer idOf(Schema schema) {
    return schemasById.entrySet().stream()
        .filter(e -> e.getValue().equals(schema))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  private static ObjectNode error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message);
  }

  private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
