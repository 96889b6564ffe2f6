package io.vigil.sigma.parse;

import io.vigil.sigma.event.ValueText;
import io.vigil.sigma.match.CidrRange;
import io.vigil.sigma.match.SigmaString;
import io.vigil.sigma.match.ValueMatcher;
import io.vigil.sigma.match.ValueMatcher.Comparison;
import io.vigil.sigma.parse.RuleValue.InvalidValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The Sigma value modifiers Vigil understands, as written after {@code |} in a field name. Each
 * constant carries all the compiler needs of it: its spellings, its {@link Role} (which decides
 * what it combines with) and what it does to a value, so that a new modifier is a constant here
 * plus, when it needs one, its matcher.
 */
enum Modifier {
  CONTAINS(value -> value.withLeadingStar().withTrailingStar(), "contains"),
  STARTSWITH(SigmaString::withTrailingStar, "startswith"),
  ENDSWITH(SigmaString::withLeadingStar, "endswith"),
  ALL(Role.OPTION, "all"),
  CASED(Role.OPTION, "cased"),
  RE(Role.TYPE, "re") {
    @Override
    ValueMatcher typed(String raw, int regexFlags, String key) throws InvalidValue {
      try {
        return new ValueMatcher.Regex(Pattern.compile(raw, regexFlags));
      } catch (PatternSyntaxException e) {
        throw new InvalidValue(
            "'" + key + "': invalid regular expression '" + raw + "': " + e.getDescription());
      }
    }
  },
  // The regular expression flags have long spellings in the specification too.
  IGNORECASE(Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE, "i", "ignorecase"),
  MULTILINE(Pattern.MULTILINE, "m", "multiline"),
  DOTALL(Pattern.DOTALL, "s", "dotall"),
  CIDR(Role.TYPE, "cidr") {
    @Override
    ValueMatcher typed(String raw, int regexFlags, String key) throws InvalidValue {
      try {
        return new ValueMatcher.InNetwork(CidrRange.parse(raw));
      } catch (IllegalArgumentException e) {
        throw new InvalidValue("'" + key + "': " + e.getMessage());
      }
    }
  },
  /** Tests the field itself, not its values: compiled to an exists matcher. */
  EXISTS(Role.TYPE, "exists"),
  GT(Comparison.GT, "gt"),
  GTE(Comparison.GTE, "gte"),
  LT(Comparison.LT, "lt"),
  LTE(Comparison.LTE, "lte"),
  BASE64(Role.ENCODING, "base64") {
    @Override
    void apply(RuleValue value) throws InvalidValue {
      value.base64(bytes -> List.of(Base64.getEncoder().encodeToString(bytes)));
    }
  },
  BASE64OFFSET(Role.ENCODING, "base64offset") {
    @Override
    void apply(RuleValue value) throws InvalidValue {
      value.base64(RuleValue::base64Offsets);
    }
  },
  WINDASH(Role.ENCODING, "windash") {
    @Override
    void apply(RuleValue value) {
      value.respell(RuleValue::windash);
    }
  },
  UTF16LE(Role.ENCODING, "utf16le") {
    @Override
    void apply(RuleValue value) {
      value.charset(StandardCharsets.UTF_16LE, false);
    }
  },
  UTF16BE(Role.ENCODING, "utf16be") {
    @Override
    void apply(RuleValue value) {
      value.charset(StandardCharsets.UTF_16BE, false);
    }
  },
  UTF16(Role.ENCODING, "utf16") {
    @Override
    void apply(RuleValue value) {
      value.charset(StandardCharsets.UTF_16LE, true);
    }
  },
  WIDE(Role.ENCODING, "wide") {
    @Override
    void apply(RuleValue value) {
      value.charset(StandardCharsets.UTF_16LE, false);
    }
  },
  /** Fills {@code %placeholders%} from configuration before anything else. */
  EXPAND(Role.OPTION, "expand"),
  /** The value names another field: compiled to a fieldref matcher. */
  FIELDREF(Role.REFERENCE, "fieldref");

  /** What part of matching a modifier decides, and so which modifiers it combines with. */
  enum Role {
    /**
     * What the value is when it is no wildcard text (re, cidr, exists, the comparisons): at most
     * one per field, not with a position, an encoding or cased.
     */
    TYPE,
    /** The value names another field of the event (fieldref); not with a type or an encoding. */
    REFERENCE,
    /** Where the text sits in the value (contains, startswith, endswith); at most one. */
    POSITION,
    /** A flag of {@code re} (i, m, s); only with it. */
    REGEX_FLAG,
    /** A rewriting of the text before it is matched, in the order written (base64, ...). */
    ENCODING,
    /** How the values are read (all, expand) or compared (cased). */
    OPTION
  }

  private final Role role;
  private final List<String> spellings;
  private final UnaryOperator<SigmaString> position;
  private final int regexFlags;
  private final Comparison comparison;

  Modifier(Role role, String... spellings) {
    this(role, UnaryOperator.identity(), 0, null, spellings);
  }

  Modifier(UnaryOperator<SigmaString> position, String... spellings) {
    this(Role.POSITION, position, 0, null, spellings);
  }

  Modifier(int regexFlags, String... spellings) {
    this(Role.REGEX_FLAG, UnaryOperator.identity(), regexFlags, null, spellings);
  }

  Modifier(Comparison comparison, String... spellings) {
    this(Role.TYPE, UnaryOperator.identity(), 0, comparison, spellings);
  }

  Modifier(
      Role role,
      UnaryOperator<SigmaString> position,
      int regexFlags,
      Comparison comparison,
      String... spellings) {
    this.role = role;
    this.position = position;
    this.regexFlags = regexFlags;
    this.comparison = comparison;
    this.spellings = List.of(spellings);
  }

  /** The spelling error messages list. */
  String spelling() {
    return spellings.get(0);
  }

  Role role() {
    return role;
  }

  /** True for the modifiers that decide what kind of test a field gets; at most one applies. */
  boolean isKind() {
    return role == Role.TYPE || role == Role.REFERENCE;
  }

  /** For a position, how it places the text in the value; identity for the others. */
  UnaryOperator<SigmaString> position() {
    return position;
  }

  /** For a flag of {@code re}, its {@link Pattern} flags; 0 for the others. */
  int regexFlags() {
    return regexFlags;
  }

  /**
   * The matcher of one value, for the value types: the comparisons here, {@code re} and {@code
   * cidr} in their constants.
   *
   * @param regexFlags the {@link Pattern} flags of the field's regular expression flags
   * @param key the field and modifiers as written, for the message
   * @throws InvalidValue when the value is not one of this type
   */
  ValueMatcher typed(String raw, int regexFlags, String key) throws InvalidValue {
    if (comparison == null) {
      throw new IllegalStateException(this + " compiles no value by itself");
    }
    BigDecimal bound = ValueText.number(raw);
    if (bound == null) {
      throw new InvalidValue("'" + key + "' needs a number, not '" + raw + "'");
    }
    return new ValueMatcher.Compare(comparison, bound);
  }

  /** Applies this modifier to a text value, in the order the modifiers are written. */
  void apply(RuleValue value) throws InvalidValue {
    if (role == Role.POSITION) {
      value.place(position);
    }
  }

  /** The modifier with this spelling, in any case. */
  static Optional<Modifier> named(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.spellings.contains(lower)).findFirst();
  }

  /** Every modifier's spelling, for error messages. */
  static String known() {
    return Arrays.stream(values()).map(Modifier::spelling).collect(Collectors.joining(", "));
  }
}
