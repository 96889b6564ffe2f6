package io.vigil.app.http;

import com.sun.net.httpserver.Headers;
import java.util.Locale;
import java.util.Map;

/**
 * The security headers of every HTML page the server gives (the console, its sign-in form, the HTML
 * compliance report): no script, style or connection but this server's, no framing, no MIME
 * sniffing, and a referrer only for this server. Added centrally when the response is sent, so that
 * no handler can forget them; a handler that sets one of them itself keeps its own value.
 */
public final class HtmlHeaders {

  /** Only this server's scripts, styles and connections; no inline script, no framing. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src"
          + " 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  /**
   * The origin goes to this server only: with {@code no-referrer} a browser sends {@code Origin:
   * null} even on the console's own POSTs, which {@link SameOrigin} must then refuse.
   */
  public static final String REFERRER_POLICY = "same-origin";

  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy",
          CONTENT_SECURITY_POLICY,
          "X-Content-Type-Options",
          "nosniff",
          "X-Frame-Options",
          "DENY",
          "Referrer-Policy",
          REFERRER_POLICY);

  private HtmlHeaders() {}

  /**
   * Sets every one of the headers, whatever the response's type: for the console, whose scripts and
   * styles need them (nosniff, above all) as much as its pages.
   */
  public static void setAll(Headers response) {
    HEADERS.forEach(response::set);
  }

  /** Adds the headers a response lacks, if it is HTML. */
  static void addTo(Headers response) {
    String type = response.getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith("text/html")) {
      return;
    }
    HEADERS.forEach(
        (name, value) -> {
          if (!response.containsKey(name)) {
            response.set(name, value);
          }
        });
  }
}
