package io.vigil.app.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.vigil.app.http.AccessGuard;
import io.vigil.app.http.HtmlHeaders;
import io.vigil.app.http.HttpEndpoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's page and its static files ({@code /console}, {@code /console/<file>}), served from
 * the jar: plain HTML, CSS and JavaScript modules, nothing fetched from elsewhere, so the console
 * works on machines without internet. Every response forbids inline and foreign scripts (a
 * Content-Security-Policy of {@code 'self'}), framing and MIME sniffing.
 *
 * <p>With {@code http.token} set, the page and its files need the token: a browser without a live
 * sign-in gets the sign-in form ({@code /console/login}, a POST of the token), or opens {@code
 * /console?token=...} once; either starts a sign-in ({@link AccessGuard#signIn}) and redirects to
 * {@code /console/} (so the token leaves the address bar). {@code POST /console/logout} ends it.
 * Both POSTs must come from the console's own page (no other site may sign a browser in or out),
 * and wrong tokens are throttled per address (429 with {@code Retry-After}). Pages ask browsers to
 * send their origin only to this server ({@code Referrer-Policy: same-origin}): with {@code
 * no-referrer} a browser sends {@code Origin: null} even on the console's own POSTs.
 */
final class ConsolePages implements HttpHandler {

  // A file name as it is shipped: no directories, no dots but the extension, so no traversal.
  private static final Pattern ASSET = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(css|mjs|svg|html)");
  private static final Map<String, String> TYPES =
      Map.of(
          "css",
          "text/css; charset=utf-8",
          "mjs",
          "text/javascript; charset=utf-8",
          "svg",
          "image/svg+xml",
          "html",
          "text/html; charset=utf-8");
  private static final int MAX_FORM_BYTES = 8192;
  private static final String LOGIN_MESSAGE = "<!--message-->";
  private static final String WRONG_TOKEN = "That token is not one this server knows.";

  private final AccessGuard guard;
  private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

  ConsolePages(AccessGuard guard) {
    this.guard = guard;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    switch (path) {
      case "/console", "/console/", "/console/index.html" -> page(exchange, method);
      case "/console/login" -> login(exchange, method);
      case "/console/logout" -> logout(exchange, method);
      case "/console/login.css" -> file(exchange, method, "login.css");
      default -> {
        String name = path.startsWith("/console/") ? path.substring("/console/".length()) : "";
        if (guard.admits(exchange)) {
          file(exchange, method, name);
        } else {
          AccessGuard.deny(exchange);
        }
      }
    }
  }

  private void page(HttpExchange exchange, String method) throws IOException {
    if (guard.admits(exchange)) {
      file(exchange, method, "index.html");
      return;
    }
    Optional<String> token = queryParameter(exchange, "token");
    if (token.isPresent()) {
      signInWith(exchange, token.get());
    } else {
      loginPage(exchange, 401, null);
    }
  }

  private void login(HttpExchange exchange, String method) throws IOException {
    if (!guard.required()) {
      redirect(exchange, "/console/");
      return;
    }
    if ("POST".equals(method)) {
      if (guard.fromOwnPage(exchange)) {
        signInWith(exchange, formField(exchange, "token").orElse(""));
      }
    } else if (guard.admits(exchange)) {
      redirect(exchange, "/console/");
    } else {
      loginPage(exchange, 200, null);
    }
  }

  private void logout(HttpExchange exchange, String method) throws IOException {
    if (!"POST".equals(method)) {
      exchange.getResponseHeaders().set("Allow", "POST");
      HttpEndpoints.send(exchange, 405, "text/plain", "sign out with POST\n");
      return;
    }
    if (guard.required() && !guard.fromOwnPage(exchange)) {
      return;
    }
    guard.signOut(exchange);
    redirect(exchange, "/console/");
  }

  private void signInWith(HttpExchange exchange, String token) throws IOException {
    switch (guard.signIn(exchange, token)) {
      case ACCEPTED -> redirect(exchange, "/console/");
      case REFUSED -> loginPage(exchange, 401, WRONG_TOKEN);
      case THROTTLED -> {
        long seconds = guard.retryAfterSeconds(exchange);
        exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
        loginPage(
            exchange,
            429,
            "Too many wrong tokens came from your address: try again in " + seconds + " s.");
      }
    }
  }

  private void loginPage(HttpExchange exchange, int status, String message) throws IOException {
    String page = new String(load("login.html").orElseThrow(), StandardCharsets.UTF_8);
    // Only fixed texts of ours go into the page, never anything from the request.
    page =
        page.replace(
            LOGIN_MESSAGE, message == null ? "" : "<p class=\"error\">" + message + "</p>");
    send(
        exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), "GET");
  }

  private void file(HttpExchange exchange, String method, String name) throws IOException {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      HttpEndpoints.send(exchange, 405, "text/plain", "the console's files answer GET only\n");
      return;
    }
    Optional<byte[]> body = ASSET.matcher(name).matches() ? load(name) : Optional.empty();
    if (body.isEmpty()) {
      HttpEndpoints.send(exchange, 404, "text/plain", "no such console file\n");
      return;
    }
    send(exchange, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), body.get(), method);
  }

  private Optional<byte[]> load(String name) {
    return files.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = ConsolePages.class.getResourceAsStream(n)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's " + n + " from the jar", e);
          }
        });
  }

  private static void send(
      HttpExchange exchange, int status, String type, byte[] body, String method)
      throws IOException {
    try (exchange) {
      var headers = exchange.getResponseHeaders();
      headers.set("Content-Type", type);
      HtmlHeaders.setAll(headers);
      headers.set("Cache-Control", "no-cache");
      if ("HEAD".equals(method)) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.getResponseHeaders().set("Referrer-Policy", HtmlHeaders.REFERRER_POLICY);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    HttpEndpoints.send(exchange, 303, "text/plain", "see " + location + "\n");
  }

  private static Optional<String> queryParameter(HttpExchange exchange, String name) {
    return field(exchange.getRequestURI().getRawQuery(), name);
  }

  private static Optional<String> formField(HttpExchange exchange, String name) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_FORM_BYTES + 1);
    }
    if (body.length > MAX_FORM_BYTES) {
      return Optional.empty();
    }
    return field(new String(body, StandardCharsets.UTF_8), name);
  }

  /** A field of {@code application/x-www-form-urlencoded} text (a query string or a form body). */
  static Optional<String> field(String encoded, String name) {
    if (encoded == null) {
      return Optional.empty();
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(key).equals(name)) {
        return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return Optional.empty();
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return "";
    }
  }
}
