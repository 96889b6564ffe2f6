package io.vigil.sigma.parse;

import io.vigil.sigma.match.SigmaString;
import io.vigil.sigma.match.ValueMatcher;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One text value of a rule on its way to matchers: the spellings it has so far and the character
 * encoding they are to be matched in. The modifiers rewrite it in the order they are written
 * ({@link Modifier#apply}); {@link #matcher(boolean)} then compiles what is left.
 */
final class RuleValue {

  /** A value that cannot be compiled, with the message for the rule's author. */
  static final class InvalidValue extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidValue(String message) {
      super(message);
    }
  }

  private final String raw;
  private final String key;
  private List<SigmaString> variants;
  private Charset charset = StandardCharsets.UTF_8;
  private boolean bom;
  private boolean encodedSinceCharset = true;
  private boolean base64;

  /**
   * @param raw the value as written
   * @param key the field and modifiers as written, for messages
   */
  RuleValue(String raw, String key) {
    this.raw = raw;
    this.key = key;
    this.variants = new ArrayList<>(List.of(SigmaString.parse(raw)));
  }

  /** Places every spelling in the value (contains, startswith, endswith). */
  void place(UnaryOperator<SigmaString> position) {
    variants.replaceAll(position);
  }

  /** The text is matched as encoded in {@code charset} (utf16le, utf16be, utf16, wide). */
  void charset(Charset charset, boolean bom) {
    this.charset = charset;
    this.bom = bom;
    encodedSinceCharset = false;
  }

  /** Replaces every spelling by its spellings (windash). */
  void respell(Function<SigmaString, List<SigmaString>> spellings) {
    List<SigmaString> next = new ArrayList<>();
    for (SigmaString variant : variants) {
      next.addAll(spellings.apply(variant));
    }
    variants = next;
  }

  /**
   * Encodes every spelling's bytes in the current charset as base64 texts (base64, base64offset);
   * the result is plain UTF-8 text again.
   */
  void base64(Function<byte[], List<String>> encode) throws InvalidValue {
    List<SigmaString> encoded = new ArrayList<>();
    for (SigmaString variant : variants) {
      if (variant.hasWildcards()) {
        throw new InvalidValue(
            "'" + key + "': a value with wildcards cannot be base64" + " encoded ('" + raw + "')");
      }
      for (String text : encode.apply(bytes(variant.plainText(), charset, bom))) {
        encoded.add(SigmaString.literal(text));
      }
    }
    variants = encoded;
    base64 = true;
    charset = StandardCharsets.UTF_8;
    bom = false;
    encodedSinceCharset = true;
  }

  /** The matcher of the value as rewritten; case-insensitive unless {@code cased}. */
  ValueMatcher matcher(boolean cased) {
    List<SigmaString> spellings = variants;
    if (!encodedSinceCharset) {
      // utf16le/wide without base64 after it: match the text as it would appear byte for byte.
      spellings = new ArrayList<>();
      for (SigmaString variant : variants) {
        spellings.add(wideText(variant, charset, bom));
      }
    }
    // Base64 text is case-sensitive: folding case would match other bytes.
    boolean exactCase = cased || base64;
    if (spellings.size() == 1) {
      return ValueMatcher.of(spellings.get(0), exactCase);
    }
    List<ValueMatcher> matchers = new ArrayList<>();
    for (SigmaString spelling : spellings) {
      matchers.add(ValueMatcher.of(spelling, exactCase));
    }
    return new ValueMatcher.AnyOf(matchers);
  }

  private static byte[] bytes(String text, Charset charset, boolean bom) {
    byte[] body = text.getBytes(charset);
    if (!bom) {
      return body;
    }
    byte[] withBom = new byte[body.length + 2];
    withBom[0] = (byte) 0xff;
    withBom[1] = (byte) 0xfe;
    System.arraycopy(body, 0, withBom, 2, body.length);
    return withBom;
  }

  /**
   * The three spellings of {@code bytes} inside a longer base64 text, one per alignment: the bytes
   * are encoded after 0, 1 and 2 filler bytes, then the characters that depend on the filler (the
   * first 0, 2 or 3) or on what follows (the last one of an incomplete group, and the padding) are
   * cut off, leaving only the characters that are the same wherever the value sits.
   */
  static List<String> base64Offsets(byte[] bytes) {
    int[] leading = {0, 2, 3};
    List<String> out = new ArrayList<>(3);
    for (int shift = 0; shift < 3; shift++) {
      byte[] shifted = new byte[bytes.length + shift];
      System.arraycopy(bytes, 0, shifted, shift, bytes.length);
      String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      int end = encoded.length() - (shifted.length % 3 == 0 ? 0 : 1);
      int start = leading[shift];
      out.add(start < end ? encoded.substring(start, end) : "");
    }
    return out;
  }

  /**
   * Windows command-line flags may start with any dash or a slash: every {@code -} or {@code /} at
   * the start of a word is replaced, all alike, by each of them.
   */
  static List<SigmaString> windash(SigmaString value) {
    List<SigmaString> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (String dash : new String[] {"-", "/", "\u2013", "\u2014", "\u2015"}) {
      List<SigmaString.Part> parts = new ArrayList<>();
      boolean wordStart = true;
      for (SigmaString.Part part : value.parts()) {
        if (part.isWildcard()) {
          parts.add(part);
          wordStart = false;
          continue;
        }
        StringBuilder text = new StringBuilder(part.text().length());
        for (int i = 0; i < part.text().length(); i++) {
          char c = part.text().charAt(i);
          text.append((c == '-' || c == '/') && wordStart ? dash : String.valueOf(c));
          wordStart = Character.isWhitespace(c);
        }
        parts.add(new SigmaString.Part(text.toString(), '\0'));
      }
      SigmaString spelled = SigmaString.of(parts);
      String key = spelled.parts().toString();
      if (!seen.contains(key)) {
        seen.add(key);
        out.add(spelled);
      }
    }
    return out;
  }

  private static SigmaString wideText(SigmaString value, Charset charset, boolean bom) {
    StringBuilder raw = new StringBuilder();
    boolean first = true;
    for (SigmaString.Part part : value.parts()) {
      if (part.isWildcard()) {
        raw.append(part.wildcard());
      } else {
        byte[] encoded = bytes(part.text(), charset, bom && first);
        String latin = new String(encoded, StandardCharsets.ISO_8859_1);
        raw.append(latin.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?"));
      }
      first = false;
    }
    return SigmaString.parse(raw.toString());
  }
}
