package io.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.vigil.app.access.Role;
import io.vigil.app.access.User;
import io.vigil.app.access.Users;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.ConfigType;
import io.vigil.app.config.VigilConfig;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may read the security data, and who may change it: with {@code http.users} or {@code
 * http.token} set, a request to the console or the API must carry a user's token as {@code
 * Authorization: Bearer <token>} (scripts, curl), or the cookie of a console sign-in (browsers:
 * {@code EventSource} cannot send headers, and a token in the stream's URL would end up in proxy
 * logs); it is then made as that user ({@link #userOf}). A request that may change something (any
 * method but GET and HEAD) needs the role {@code analyst} or {@code admin}: a viewer gets 403.
 * Without users or a token, everything is open and every request is made as {@link User#ANONYMOUS}.
 *
 * <p>A sign-in ({@link Sessions}) is a random id with an absolute and an idle expiry, ended at once
 * by signing out; a response still being written to a sign-in that ends (the alert stream) is cut
 * off. A request signed in by the cookie that may change something must come from the console's own
 * page ({@link SameOrigin}); a bearer token needs no such check (no other site can make a browser
 * send it). Tokens are compared in constant time (digests of equal length, {@link
 * MessageDigest#isEqual}), and wrong ones are counted per client address ({@link LoginThrottle}):
 * after a few, that address gets 429 for a growing while.
 */
public final class AccessGuard {

  /** The console's session cookie. */
  public static final String SESSION_COOKIE = "vigil_session";

  /** What became of a token presented to sign in. */
  public enum SignIn {
    ACCEPTED,
    REFUSED,
    THROTTLED
  }

  private enum AccessKind {
    OPEN,
    TOKEN,
    SESSION,
    DENIED,
    THROTTLED
  }

  // Where a protected handler finds who made the request.
  private static final String USER_ATTRIBUTE = "io.vigil.user";

  private final Users users;
  private final Sessions sessions;
  private final LoginThrottle throttle;

  private AccessGuard(Users users, Sessions sessions, LoginThrottle throttle) {
    this.users = users;
    this.sessions = sessions;
    this.throttle = throttle;
  }

  /** Lets every request through, made as {@link User#ANONYMOUS}. */
  public static AccessGuard open() {
    return new AccessGuard(Users.none(), null, null);
  }

  /**
   * Requires the token of one of {@code users}, with sign-ins as {@code sessions} says; open when
   * there are none.
   */
  public static AccessGuard requiringOneOf(Users users, Sessions.Settings sessions) {
    return users.isEmpty()
        ? open()
        : new AccessGuard(users, new Sessions(sessions), new LoginThrottle());
  }

  /** Requires {@code token}, with sign-ins of the default {@code http.session.*}. */
  public static AccessGuard requiring(String token) {
    return requiring(token, Sessions.Settings.DEFAULTS);
  }

  /**
   * Requires {@code token}, with sign-ins as {@code sessions} says.
   *
   * @throws IllegalArgumentException for a blank token, one with spaces or control characters
   *     (which an {@code Authorization} header cannot carry as one token), or one shorter than
   *     {@link ConfigType#TOKEN_MIN_CHARS} characters
   */
  public static AccessGuard requiring(String token, Sessions.Settings sessions) {
    return requiringOneOf(Users.of(List.of(tokenUser(token))), sessions);
  }

  /**
   * The admin whose token is {@code http.token}.
   *
   * @throws IllegalArgumentException as {@link #requiring(String, Sessions.Settings)}
   */
  private static User tokenUser(String token) {
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
    return new User(Users.TOKEN_USER, Role.ADMIN, Users.sha256(token));
  }

  /**
   * The guard {@code http.users}, {@code http.token} and {@code http.session.*} ask for.
   *
   * @throws IllegalArgumentException naming the key of a value out of range, or when {@code
   *     http.token} is also one of the users' tokens
   */
  public static AccessGuard from(VigilConfig config) {
    Users users = config.find(ConfigKeys.HTTP_USERS).orElse(Users.none()).requireResolved();
    Optional<String> token = config.find(ConfigKeys.HTTP_TOKEN);
    if (token.isPresent()) {
      User tokenUser = tokenUser(token.get());
      try {
        users = users.plus(tokenUser);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("http.token and http.users: " + e.getMessage(), e);
      }
    }
    Optional<String> peerToken = config.find(ConfigKeys.HTTP_PEER_TOKEN);
    if (peerToken.isPresent() && users.withToken(peerToken.get()).isEmpty()) {
      throw new IllegalArgumentException(
          "http.peer_token: is not the token of an http.users entry or http.token, so the other"
              + " instances would refuse it");
    }
    return requiringOneOf(users, Sessions.Settings.from(config));
  }

  /** Whether a token is required at all. */
  public boolean required() {
    return !users.isEmpty();
  }

  /**
   * Who made a request that a handler behind {@link #protect} is serving: the user of its token or
   * sign-in, or {@link User#ANONYMOUS} when the API is open. A request that did not pass {@link
   * #protect} is made by {@link User#NOBODY}, who may only read.
   */
  public static User userOf(HttpExchange exchange) {
    return exchange.getAttribute(USER_ATTRIBUTE) instanceof User user ? user : User.NOBODY;
  }

  /**
   * Whether the request carries the token (header) or a live sign-in's cookie; always true when
   * open. A wrong token in the header counts against the client's address.
   */
  public boolean admits(HttpExchange exchange) {
    AccessKind kind = access(exchange).kind();
    return kind == AccessKind.OPEN || kind == AccessKind.TOKEN || kind == AccessKind.SESSION;
  }

  /** The user whose token {@code presented} is, compared in constant time. */
  public Optional<User> userWithToken(String presented) {
    return users.withToken(presented);
  }

  /**
   * Checks a token presented to sign in (the console's form) and, when it is a user's, starts that
   * user's sign-in (see {@link #signIn}). Wrong tokens count against the client's address, and none
   * is even compared while that address must wait.
   */
  public SignIn signIn(HttpExchange exchange, String presented) {
    if (!required()) {
      return SignIn.ACCEPTED;
    }
    Attempt attempt = tryToken(exchange, presented);
    if (attempt.outcome() == SignIn.ACCEPTED) {
      signIn(exchange, attempt.user());
    }
    return attempt.outcome();
  }

  private record Attempt(SignIn outcome, User user) {}

  private Attempt tryToken(HttpExchange exchange, String presented) {
    InetAddress client = client(exchange);
    if (throttle.wait(client).isPresent()) {
      return new Attempt(SignIn.THROTTLED, null);
    }
    Optional<User> user = userWithToken(presented);
    if (user.isPresent()) {
      throttle.succeeded(client);
      return new Attempt(SignIn.ACCEPTED, user.get());
    }
    throttle.failed(client);
    return new Attempt(SignIn.REFUSED, null);
  }

  /** How long the client of {@code exchange} must wait before it may present a token again. */
  private Optional<Duration> retryAfter(HttpExchange exchange) {
    return required() ? throttle.wait(client(exchange)) : Optional.empty();
  }

  /**
   * Starts a sign-in and adds its cookie to the response: not readable by scripts, sent by other
   * sites' pages only when they link to the console (SameSite=Lax: a link from an alert in Slack
   * opens the console signed in; GETs change nothing, and any other method must also pass {@link
   * SameOrigin}, which SameSite alone does not do for sibling subdomains), and {@code Secure} when
   * the request came over HTTPS (as a TLS-terminating proxy reports with {@code
   * X-Forwarded-Proto}). It lasts until the browser closes; the server ends it before that.
   */
  private void signIn(HttpExchange exchange, User user) {
    exchange
        .getResponseHeaders()
        .add(
            "Set-Cookie",
            SESSION_COOKIE
                + "="
                + sessions.open(user)
                + "; Path=/; HttpOnly; SameSite=Lax"
                + secure(exchange));
  }

  /** Ends the sign-in of the request's cookie, if any, and tells the browser to drop the cookie. */
  public void signOut(HttpExchange exchange) {
    if (required()) {
      cookies(exchange.getRequestHeaders().get("Cookie"), SESSION_COOKIE).forEach(sessions::revoke);
    }
    exchange
        .getResponseHeaders()
        .add(
            "Set-Cookie",
            SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" + secure(exchange));
  }

  /**
   * Whether the request, which may change something, comes from the console's own page; if not,
   * answers 403 with the reason. Requests with a bearer token need not call it.
   */
  public boolean fromOwnPage(HttpExchange exchange) throws IOException {
    Optional<String> refusal = SameOrigin.refusal(exchange);
    if (refusal.isPresent()) {
      HttpEndpoints.send(exchange, 403, "text/plain", "403: " + refusal.get() + "\n");
      return false;
    }
    return true;
  }

  /**
   * {@code handler}, for requests with a user's token or a live sign-in (and, for a sign-in, from
   * the console's own page when the request may change something), made as that user; the others
   * get 401, 403 (a viewer's change, or a change from another site) or 429.
   */
  public HttpHandler protect(HttpHandler handler) {
    if (!required()) {
      return exchange -> {
        exchange.setAttribute(USER_ATTRIBUTE, User.ANONYMOUS);
        handler.handle(exchange);
      };
    }
    return exchange -> {
      Access access = access(exchange);
      switch (access.kind()) {
        case TOKEN -> {
          if (mayDo(exchange, access.user())) {
            handler.handle(exchange);
          }
        }
        case SESSION -> {
          if ((!SameOrigin.mayChangeState(exchange.getRequestMethod()) || fromOwnPage(exchange))
              && mayDo(exchange, access.user())) {
            bindToSession(exchange);
            handler.handle(exchange);
          }
        }
        case THROTTLED -> tooManyAttempts(exchange);
        default -> deny(exchange);
      }
    };
  }

  // Viewers read; every change needs an analyst or an admin. Answers 403 otherwise.
  private static boolean mayDo(HttpExchange exchange, User user) throws IOException {
    exchange.setAttribute(USER_ATTRIBUTE, user);
    if (SameOrigin.mayChangeState(exchange.getRequestMethod())
        && !user.role().atLeast(Role.ANALYST)) {
      forbid(exchange, user, Role.ANALYST);
      return false;
    }
    return true;
  }

  /**
   * Whether the request's user has at least {@code role}; if not, answers 403 saying so. For
   * handlers behind {@link #protect} whose changes need more than an analyst.
   */
  public static boolean requireRole(HttpExchange exchange, Role role) throws IOException {
    User user = userOf(exchange);
    if (user.role().atLeast(role)) {
      return true;
    }
    forbid(exchange, user, role);
    return false;
  }

  private static void forbid(HttpExchange exchange, User user, Role needed) throws IOException {
    HttpEndpoints.send(
        exchange,
        403,
        "text/plain",
        "403: "
            + user.name()
            + " is a "
            + user.role().label()
            + "; this needs the role "
            + needed.label()
            + (needed == Role.ADMIN ? "" : " or admin")
            + "\n");
  }

  /** Answers 401 with the challenge of RFC 6750. */
  public static void deny(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vigil\"");
    HttpEndpoints.send(
        exchange,
        401,
        "text/plain",
        "401: this needs a user's token (http.users or http.token), as 'Authorization: Bearer"
            + " <token>' (or sign in at /console)\n");
  }

  /** Answers 429 with {@code Retry-After}: the client presented too many wrong tokens. */
  private void tooManyAttempts(HttpExchange exchange) throws IOException {
    long seconds = retryAfterSeconds(exchange);
    exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
    HttpEndpoints.send(
        exchange,
        429,
        "text/plain",
        "429: too many wrong tokens from this address; try again in "
            + seconds
            + " s (the wait grows with each further wrong token)\n");
  }

  /** Whole seconds to wait (at least 1), as {@code Retry-After} says them. */
  public long retryAfterSeconds(HttpExchange exchange) {
    Duration wait = retryAfter(exchange).orElse(Duration.ZERO);
    return Math.max(1, wait.plusMillis(999).getSeconds());
  }

  private record Access(AccessKind kind, User user) {}

  private Access access(HttpExchange exchange) {
    if (!required()) {
      return new Access(AccessKind.OPEN, User.ANONYMOUS);
    }
    Optional<String> bearer = bearer(exchange.getRequestHeaders().get("Authorization"));
    if (bearer.isPresent()) {
      Attempt attempt = tryToken(exchange, bearer.get());
      switch (attempt.outcome()) {
        case ACCEPTED -> {
          return new Access(AccessKind.TOKEN, attempt.user());
        }
        case THROTTLED -> {
          return new Access(AccessKind.THROTTLED, null);
        }
        default -> {
          // a wrong header: a valid cookie beside it still counts
        }
      }
    }
    for (String id : cookies(exchange.getRequestHeaders().get("Cookie"), SESSION_COOKIE)) {
      Optional<User> user = sessions.use(id);
      if (user.isPresent()) {
        return new Access(AccessKind.SESSION, user.get());
      }
    }
    return new Access(AccessKind.DENIED, null);
  }

  private Optional<String> sessionOf(HttpExchange exchange) {
    return cookies(exchange.getRequestHeaders().get("Cookie"), SESSION_COOKIE).stream()
        .filter(id -> sessions.use(id).isPresent())
        .findFirst();
  }

  // A response written over a long time (the alert stream) is written for a sign-in: each write
  // counts as use of it, and once it has ended (signed out, expired) the next write fails, which
  // ends the response as if the browser had gone.
  private void bindToSession(HttpExchange exchange) {
    String id = sessionOf(exchange).orElseThrow();
    OutputStream body = exchange.getResponseBody();
    // The request body is passed back as it is: some servers' exchanges take null for "none".
    exchange.setStreams(
        exchange.getRequestBody(),
        new FilterOutputStream(body) {
          @Override
          public void write(int b) throws IOException {
            live();
            out.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            live();
            out.write(b, off, len);
          }

          private void live() throws IOException {
            if (sessions.use(id).isEmpty()) {
              throw new IOException("the console sign-in of this response has ended");
            }
          }
        });
  }

  private static InetAddress client(HttpExchange exchange) {
    InetSocketAddress remote = exchange.getRemoteAddress();
    // No IP peer (a Unix socket): all such clients count as one, the loopback.
    return remote == null || remote.getAddress() == null
        ? InetAddress.getLoopbackAddress()
        : remote.getAddress();
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
        .flatMap(h -> Arrays.stream(h.split(";")))
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
}
