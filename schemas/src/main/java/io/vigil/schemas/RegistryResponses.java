package io.vigil.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Turns a registry HTTP response into its JSON body or a {@link SchemaRegistryException}. */
final class RegistryResponses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryResponses() {}

  static JsonNode parse(int status, String body, String what, String shownUrl) {
    JsonNode json = readJson(body);
    if (status >= 200 && status < 300) {
      if (json == null) {
        throw new SchemaRegistryException(
            "cannot " + what + ": registry at " + shownUrl + " sent a body that is not JSON",
            status,
            -1,
            null);
      }
      return json;
    }
    int errorCode = json == null ? -1 : json.path("error_code").asInt(-1);
    String registryMessage = json == null ? null : json.path("message").asText(null);
    String detail = registryMessage == null ? "" : ": " + registryMessage;
    String meaning =
        switch (status) {
          case 401 -> "not authenticated (HTTP 401); check schema.registry.basic.auth.user.info";
          case 403 -> "not authorized (HTTP 403)";
          case 404 -> "not found (HTTP 404)";
          case 409 -> "schema is incompatible with the subject's earlier versions (HTTP 409)";
          case 422 -> "schema is invalid (HTTP 422)";
          default -> "registry error (HTTP " + status + ")";
        };
    throw new SchemaRegistryException(
        "cannot " + what + " at " + shownUrl + ": " + meaning + detail, status, errorCode, null);
  }

  private static JsonNode readJson(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
