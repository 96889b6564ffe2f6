package io.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The check against cross-site request forgery for requests that the console's cookie signs in: a
 * request that may change something (any method but GET, HEAD and OPTIONS) must name this server as
 * its {@code Origin} (or, from a browser that sends none, its {@code Referer}). Browsers set both
 * themselves and no page can forge them; a request with neither is refused too.
 *
 * <p>This server's origin is the one the request was addressed to: {@code Host}, and the scheme of
 * the connection. Behind a reverse proxy that rewrites the host or terminates TLS, {@code
 * X-Forwarded-Host} and {@code X-Forwarded-Proto} take their place when present. Trusting them is
 * sound here: a page on another site cannot make a browser send them (they are not CORS-safelisted,
 * and Vigil answers no preflight), so they can only come from the proxy or from a client that is
 * not a victim's browser, which gains nothing by lying to this check.
 */
final class SameOrigin {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  // What an origin may look like to be quoted back in a message; anything else is not repeated.
  private static final Pattern PRINTABLE_ORIGIN =
      Pattern.compile(
          "https?://[A-Za-z0-9.\\-]{1,253}(:[0-9]{1,5})?|https?://\\[[0-9a-fA-F:.]+\\](:[0-9]{1,5})?");

  private SameOrigin() {}

  /** Whether a request with {@code method} may change something. */
  static boolean mayChangeState(String method) {
    return !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
  }

  /** Why the request does not come from this server's own pages; empty when it does. */
  static Optional<String> refusal(HttpExchange exchange) {
    var headers = exchange.getRequestHeaders();
    String own = ownOrigin(exchange);
    String origin = headers.getFirst("Origin");
    String claimed;
    String header;
    if (origin != null) {
      claimed = origin.trim();
      header = "Origin";
    } else if (headers.getFirst("Referer") != null) {
      claimed = originOf(headers.getFirst("Referer").trim()).orElse("");
      header = "Referer";
    } else {
      return Optional.of(
          "a change made with the console's sign-in must come from the console's own page, and"
              + " this request names neither Origin nor Referer (scripts: send the token as"
              + " 'Authorization: Bearer <token>' instead)");
    }
    Optional<String> normalised = originOf(claimed);
    if (normalised.isPresent() && normalised.get().equals(own)) {
      return Optional.empty();
    }
    return Optional.of(
        "a change made with the console's sign-in must come from the console's own page: this"
            + " request's "
            + header
            + " is "
            + shown(claimed)
            + ", not this server's origin "
            + shown(own)
            + " (behind a proxy that changes the host or terminates TLS, have it send"
            + " X-Forwarded-Host and X-Forwarded-Proto)");
  }

  /** This server's origin as the request addresses it, e.g. {@code http://127.0.0.1:8080}. */
  static String ownOrigin(HttpExchange exchange) {
    var headers = exchange.getRequestHeaders();
    String scheme = firstOf(headers.getFirst("X-Forwarded-Proto"));
    if (scheme == null) {
      scheme = exchange instanceof HttpsExchange ? "https" : "http";
    }
    String host = firstOf(headers.getFirst("X-Forwarded-Host"));
    if (host == null) {
      host = headers.getFirst("Host") == null ? "" : headers.getFirst("Host").trim();
    }
    String own = scheme.toLowerCase(Locale.ROOT) + "://" + host;
    return originOf(own).orElse(own);
  }

  /**
   * {@code scheme://host:port} of an http(s) URL, in lower case and with the port always written,
   * so that equal origins compare equal as text; empty when {@code url} is no such URL.
   */
  static Optional<String> originOf(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        return Optional.empty();
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    } catch (java.net.URISyntaxException e) {
      return Optional.empty();
    }
  }

  // The first of a proxy chain's comma-separated values: the one the client addressed.
  private static String firstOf(String header) {
    if (header == null) {
      return null;
    }
    String first = header.split(",", 2)[0].trim();
    return first.isEmpty() ? null : first;
  }

  private static String shown(String origin) {
    if (origin.equals("null")) {
      return "'null' (another site's page, a sandboxed frame or a file)";
    }
    return PRINTABLE_ORIGIN.matcher(origin).matches()
        ? "'" + origin + "'"
        : "not an http(s) origin";
  }
}
