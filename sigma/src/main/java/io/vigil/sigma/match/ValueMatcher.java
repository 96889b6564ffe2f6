package io.vigil.sigma.match;

import io.vigil.sigma.event.ValueText;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * One compiled value of a selection: tests a single non-null event value. Everything a rule spells
 * is prepared when the rule loads (lower-cased constants, compiled patterns, parsed networks), so
 * matching an event does no parsing of rule text.
 */
public interface ValueMatcher {

  /** True when the (non-null) event value matches. */
  boolean matches(Object value);

  /**
   * The lower-cased text this matcher requires equality with, or null when it matches anything else
   * than one exact text (used to index rules by eventName).
   */
  default String exactText() {
    return null;
  }

  /** Compiles a wildcard string; case-insensitive unless {@code cased}. */
  static ValueMatcher of(SigmaString value, boolean cased) {
    List<SigmaString.Part> parts = value.parts();
    int wildcards = 0;
    boolean onlyStars = true;
    for (SigmaString.Part part : parts) {
      if (part.isWildcard()) {
        wildcards++;
        onlyStars &= part.wildcard() == '*';
      }
    }
    if (wildcards == 0) {
      String text = value.plainText();
      return cased ? new Exact(text, true) : new Exact(text.toLowerCase(Locale.ROOT), false);
    }
    if (onlyStars && parts.size() == 1) {
      return new AnyText();
    }
    if (onlyStars && parts.size() == 2) {
      String text = parts.get(0).isWildcard() ? parts.get(1).text() : parts.get(0).text();
      return parts.get(0).isWildcard() ? new EndsWith(text, cased) : new StartsWith(text, cased);
    }
    if (onlyStars && parts.size() == 3 && !parts.get(1).isWildcard()) {
      return new Contains(parts.get(1).text(), cased);
    }
    StringBuilder regex = new StringBuilder();
    for (SigmaString.Part part : parts) {
      if (part.isWildcard()) {
        regex.append(part.wildcard() == '*' ? ".*" : ".");
      } else {
        regex.append(Pattern.quote(part.text()));
      }
    }
    int flags = Pattern.DOTALL | (cased ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    return new Glob(Pattern.compile(regex.toString(), flags));
  }

  /** Equality with a text, case-insensitive unless cased. */
  record Exact(String text, boolean cased) implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      String actual = ValueText.of(value);
      return cased ? actual.equals(text) : actual.equalsIgnoreCase(text);
    }

    @Override
    public String exactText() {
      return text.toLowerCase(Locale.ROOT);
    }
  }

  /** A lone {@code *}: any value that is there. */
  record AnyText() implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      return true;
    }
  }

  /** {@code text*}. */
  record StartsWith(String text, boolean cased) implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      String actual = ValueText.of(value);
      return actual.regionMatches(!cased, 0, text, 0, text.length());
    }
  }

  /** {@code *text}. */
  record EndsWith(String text, boolean cased) implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      String actual = ValueText.of(value);
      int from = actual.length() - text.length();
      return from >= 0 && actual.regionMatches(!cased, from, text, 0, text.length());
    }
  }

  /** {@code *text*}. */
  record Contains(String text, boolean cased) implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      String actual = ValueText.of(value);
      if (cased) {
        return actual.contains(text);
      }
      if (text.isEmpty()) {
        return true;
      }
      int last = actual.length() - text.length();
      char first = Character.toLowerCase(text.charAt(0));
      for (int i = 0; i <= last; i++) {
        // A cheap first-character screen before the full case-insensitive comparison.
        if (Character.toLowerCase(actual.charAt(i)) == first
            && actual.regionMatches(true, i, text, 0, text.length())) {
          return true;
        }
      }
      return false;
    }
  }

  /** Any other wildcard pattern, anchored at both ends. */
  record Glob(Pattern pattern) implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      return pattern.matcher(ValueText.of(value)).matches();
    }
  }

  /**
   * The {@code re} modifier: a regular expression found anywhere in the value. A literal text every
   * match must contain, when the expression has one, is checked first: most values fail that cheap
   * test, and a pattern like {@code .+:assumed-role/aws:.+} costs a quadratic search on every value
   * that reaches it.
   */
  record Regex(Pattern pattern, Contains required) implements ValueMatcher {
    /** The expression, with the literal text it requires found here. */
    public Regex(Pattern pattern) {
      this(pattern, requiredText(pattern));
    }

    @Override
    public boolean matches(Object value) {
      String text = ValueText.of(value);
      if (required != null && !required.matches(text)) {
        return false;
      }
      return pattern.matcher(text).find();
    }

    private static Contains requiredText(Pattern pattern) {
      String literal = RegexLiteral.longestRequired(pattern.pattern());
      if (literal == null || literal.length() < 3) {
        return null;
      }
      boolean caseless = (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0;
      return new Contains(literal, !caseless);
    }
  }

  /** Several spellings of one rule value (base64offset, windash, expand): any may match. */
  record AnyOf(List<ValueMatcher> variants) implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      for (ValueMatcher variant : variants) {
        if (variant.matches(value)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The {@code cidr} modifier: an address inside a network. */
  record InNetwork(CidrRange range) implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      return value instanceof String s && range.contains(s);
    }
  }

  /** The {@code gt}, {@code gte}, {@code lt} and {@code lte} modifiers. */
  record Compare(Comparison comparison, BigDecimal bound) implements ValueMatcher {
    @Override
    public boolean matches(Object value) {
      BigDecimal actual = ValueText.number(value);
      return actual != null && comparison.holds(actual.compareTo(bound));
    }
  }

  /** How an event value must compare with the rule's number. */
  enum Comparison {
    GT(order -> order > 0),
    GTE(order -> order >= 0),
    LT(order -> order < 0),
    LTE(order -> order <= 0);

    private final IntPredicate holds;

    Comparison(IntPredicate holds) {
      this.holds = holds;
    }

    /** True when a value that compares with the bound as {@code order} says passes. */
    boolean holds(int order) {
      return holds.test(order);
    }
  }
}
