package io.vigil.sinks;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured value that must not be printed: a token, a routing key, a header value, a sink URL,
 * anything taken from the environment. This is the one home of the masking rule, by what a value is
 * rather than by its key's name: a URL is shown as its {@code scheme://host:port} and {@code /***}
 * (a webhook URL carries its secret in the path or the query), anything else as {@link #MASK}. Its
 * {@link #toString()} is that shown form, so that a secret logged or concatenated into a message by
 * mistake still does not leak; the value is read only where it goes on the wire, through {@link
 * #reveal()}.
 */
public final class Secret {

  /** What is shown in place of a secret. */
  public static final String MASK = "****";

  /** What is shown in place of a URL's path and query, and of a part of a secret echoed alone. */
  public static final String PART_MASK = "***";

  private static final Pattern URL =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(?:([^@/?#]*)@)?([^/?#]*)(.*)", Pattern.DOTALL);

  // A path segment or query value that looks like a credential (a webhook id, a signature), as
  // opposed to a word such as "services" or "collector": worth masking when echoed on its own.
  private static final int TOKEN_WITH_DIGITS = 8;
  private static final int TOKEN_ANY = 16;

  private final String value;
  private final String shown;
  private final List<String> parts;

  private Secret(String value, String shown, List<String> parts) {
    this.value = Objects.requireNonNull(value, "value");
    this.shown = shown;
    this.parts = List.copyOf(parts);
  }

  /** A secret shown as {@link #MASK}. */
  public static Secret of(String value) {
    return new Secret(value, MASK, List.of());
  }

  /**
   * A URL whose path, query and user information are secret: shown as {@link #maskedUrl}, and each
   * of those parts is masked wherever it appears on its own (a receiver echoing the request path).
   */
  public static Secret url(String url) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      return of(url);
    }
    List<String> parts = new ArrayList<>();
    if (m.group(2) != null) {
      parts.add(m.group(2));
    }
    String rest = m.group(4);
    addWithDecoded(parts, rest);
    int query = rest.indexOf('?');
    String path = query < 0 ? rest : rest.substring(0, query);
    addWithDecoded(parts, path);
    if (query >= 0) {
      addWithDecoded(parts, rest.substring(query + 1));
    }
    for (String piece : rest.split("[/?&=#;]")) {
      if (looksLikeToken(piece)) {
        addWithDecoded(parts, piece);
      }
    }
    return new Secret(url, maskedUrl(url), parts);
  }

  /**
   * How a URL is shown: {@code scheme://host:port} as written, then {@code /***} when it has a
   * path, a query or user information; {@link #MASK} for text that is not a URL.
   */
  public static String maskedUrl(String url) {
    Matcher m = URL.matcher(url.strip());
    if (!m.matches()) {
      return MASK;
    }
    String rest = m.group(4);
    boolean hidden = m.group(2) != null || !(rest.isEmpty() || rest.equals("/"));
    return m.group(1) + "://" + m.group(3) + (hidden ? "/" + PART_MASK : "");
  }

  /** The secret itself, for the request that needs it; never for logs or messages. */
  public String reveal() {
    return value;
  }

  /** What is printed in place of the secret. */
  public String shown() {
    return shown;
  }

  /**
   * Parts of the secret that are secret on their own (a URL's path, query, credential-like
   * segments), as written and URL-decoded: masked wherever they appear.
   */
  public List<String> parts() {
    return parts;
  }

  @Override
  public String toString() {
    return shown;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  private static boolean looksLikeToken(String piece) {
    return piece.length() >= TOKEN_ANY
        || piece.length() >= TOKEN_WITH_DIGITS && piece.chars().anyMatch(Character::isDigit);
  }

  private static void addWithDecoded(List<String> parts, String text) {
    if (text.isEmpty() || text.equals("/")) {
      return;
    }
    parts.add(text);
    try {
      String decoded = URLDecoder.decode(text, StandardCharsets.UTF_8);
      if (!decoded.equals(text)) {
        parts.add(decoded);
      }
    } catch (IllegalArgumentException e) {
      // Not valid percent-encoding: the text as written is all a receiver could echo.
    }
  }
}
