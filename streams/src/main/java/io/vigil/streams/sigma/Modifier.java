package io.vigil.streams.sigma;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The Sigma value modifiers Vigil understands, as written after {@code |} in a field name. */
enum Modifier {
  CONTAINS("contains"),
  STARTSWITH("startswith"),
  ENDSWITH("endswith"),
  ALL("all"),
  CASED("cased"),
  RE("re"),
  IGNORECASE("i"),
  MULTILINE("m"),
  DOTALL("s"),
  CIDR("cidr"),
  EXISTS("exists"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte"),
  BASE64("base64"),
  BASE64OFFSET("base64offset"),
  WINDASH("windash"),
  UTF16LE("utf16le"),
  UTF16BE("utf16be"),
  UTF16("utf16"),
  WIDE("wide"),
  EXPAND("expand"),
  FIELDREF("fieldref");

  private final String spelling;

  Modifier(String spelling) {
    this.spelling = spelling;
  }

  String spelling() {
    return spelling;
  }

  static Optional<Modifier> named(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    // The regular expression flags have long spellings in the specification too.
    switch (lower) {
      case "ignorecase":
        return Optional.of(IGNORECASE);
      case "multiline":
        return Optional.of(MULTILINE);
      case "dotall":
        return Optional.of(DOTALL);
      default:
        break;
    }
    return Arrays.stream(values()).filter(m -> m.spelling.equals(lower)).findFirst();
  }

  static String known() {
    return Arrays.stream(values()).map(Modifier::spelling).collect(Collectors.joining(", "));
  }
}
