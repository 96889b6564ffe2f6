package io.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.vigil.app.config.ConfigType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may read the security data: with {@code http.token} set, a request to the console or the API
 * must carry that token, as {@code Authorization: Bearer <token>} (scripts, curl) or as the
 * console's session cookie (browsers: {@code EventSource} cannot send headers, and a token in the
 * stream's URL would end up in proxy logs). The cookie holds an HMAC of the token, never the token:
 * it is the same on every instance and across restarts, and stops working when the token changes.
 * Tokens are compared in constant time (digests of equal length, {@link MessageDigest#isEqual}).
 * Without a token, everything is open.
 */
public final class AccessGuard {

  /** The console's session cookie. */
  public static final String SESSION_COOKIE = "vigil_session";

  private static final String SESSION_LABEL = "vigil console session v1";

  private final byte[] tokenDigest;
  private final byte[] sessionDigest;
  private final String session;

  private AccessGuard(String token) {
    if (token == null) {
      tokenDigest = null;
      sessionDigest = null;
      session = null;
    } else {
      tokenDigest = sha256(token);
      session = hmac(token, SESSION_LABEL);
      sessionDigest = sha256(session);
    }
  }

  /** Lets every request through. */
  public static AccessGuard open() {
    return new AccessGuard(null);
  }

  /**
   * Requires {@code token}.
   *
   * @throws IllegalArgumentException for a blank token, one with spaces or control characters
   *     (which an {@code Authorization} header cannot carry as one token), or one shorter than
   *     {@link ConfigType#TOKEN_MIN_CHARS} characters
   */
  public static AccessGuard requiring(String token) {
    if (token.isBlank()) {
      throw new IllegalArgumentException(
          "http.token: expected a token, got an empty value (unset it to leave the API open)");
    }
    if (token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException(
          "http.token: expected a token without spaces or control characters");
    }
    if (token.length() < ConfigType.TOKEN_MIN_CHARS) {
      throw new IllegalArgumentException(
          "http.token: expected "
              + ConfigType.TOKEN_EXPECTED
              + ", got a token of "
              + token.length()
              + " characters");
    }
    return new AccessGuard(token);
  }

  /** Whether a token is required at all. */
  public boolean required() {
    return tokenDigest != null;
  }

  /**
   * Whether the request carries the token (header) or the session cookie; always true when open.
   */
  public boolean admits(HttpExchange exchange) {
    if (!required()) {
      return true;
    }
    Optional<String> bearer = bearer(exchange.getRequestHeaders().get("Authorization"));
    if (bearer.isPresent() && matches(bearer.get())) {
      return true;
    }
    return cookies(exchange.getRequestHeaders().get("Cookie"), SESSION_COOKIE).stream()
        .anyMatch(value -> MessageDigest.isEqual(sha256(value), sessionDigest));
  }

  /** Whether {@code presented} is the token, compared in constant time. */
  public boolean matches(String presented) {
    return required() && presented != null && MessageDigest.isEqual(sha256(presented), tokenDigest);
  }

  /**
   * The {@code Set-Cookie} value that signs a browser in for this browser session: not readable by
   * scripts, sent by other sites' pages only when they link to the console (SameSite=Lax: the API
   * only reads, so a link can change nothing), and {@code Secure} when the request came over HTTPS
   * (as a TLS-terminating proxy reports with {@code X-Forwarded-Proto}).
   */
  public String sessionCookie(HttpExchange exchange) {
    return SESSION_COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Lax" + secure(exchange);
  }

  /** The {@code Set-Cookie} value that signs a browser out. */
  public String expiredCookie(HttpExchange exchange) {
    return SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" + secure(exchange);
  }

  /** {@code handler}, answering 401 to requests that {@link #admits} refuses. */
  public HttpHandler protect(HttpHandler handler) {
    if (!required()) {
      return handler;
    }
    return exchange -> {
      if (admits(exchange)) {
        handler.handle(exchange);
      } else {
        deny(exchange);
      }
    };
  }

  /** Answers 401 with the challenge of RFC 6750. */
  public static void deny(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vigil\"");
    HttpEndpoints.send(
        exchange,
        401,
        "text/plain",
        "401: this needs the token of http.token, as 'Authorization: Bearer <token>' (or sign in at"
            + " /console)\n");
  }

  static Optional<String> bearer(List<String> authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    for (String value : authorization) {
      String trimmed = value.trim();
      int space = trimmed.indexOf(' ');
      if (space > 0 && trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
        return Optional.of(trimmed.substring(space + 1).trim());
      }
    }
    return Optional.empty();
  }

  static List<String> cookies(List<String> headers, String name) {
    if (headers == null) {
      return List.of();
    }
    return headers.stream()
        .flatMap(h -> java.util.Arrays.stream(h.split(";")))
        .map(String::trim)
        .filter(pair -> pair.startsWith(name + "="))
        .map(pair -> pair.substring(name.length() + 1))
        .toList();
  }

  private static String secure(HttpExchange exchange) {
    String proto = exchange.getRequestHeaders().getFirst("X-Forwarded-Proto");
    boolean https =
        exchange instanceof com.sun.net.httpserver.HttpsExchange
            || (proto != null && proto.trim().equalsIgnoreCase("https"));
    return https ? "; Secure" : "";
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String hmac(String key, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
