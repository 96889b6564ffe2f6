package io.vigil.streams.sigma;

import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Compiles one named selection of a detection into matchers: a mapping is the AND of its
 * fields, a list of mappings the OR of them, a list of plain values a keyword search. Each
 * {@code field|modifier|...} entry becomes a {@link FieldMatcher} (or an exists / fieldref
 * matcher) with everything precomputed.
 */
final class SelectionCompiler {

  private static final Pattern PLACEHOLDER = Pattern.compile("%([A-Za-z0-9_.\\-]+)%");
  private static final Set<Modifier> KINDS = EnumSet.of(Modifier.RE, Modifier.CIDR, Modifier.GT,
      Modifier.GTE, Modifier.LT, Modifier.LTE, Modifier.EXISTS, Modifier.FIELDREF);
  private static final Set<Modifier> POSITIONS =
      EnumSet.of(Modifier.CONTAINS, Modifier.STARTSWITH, Modifier.ENDSWITH);
  private static final Set<Modifier> REGEX_FLAGS =
      EnumSet.of(Modifier.IGNORECASE, Modifier.MULTILINE, Modifier.DOTALL);
  private static final Set<Modifier> ENCODINGS = EnumSet.of(Modifier.BASE64,
      Modifier.BASE64OFFSET, Modifier.WINDASH, Modifier.UTF16LE, Modifier.UTF16BE,
      Modifier.UTF16, Modifier.WIDE);

  private final YamlNodes yaml;
  private final Map<String, List<String>> placeholders;

  SelectionCompiler(YamlNodes yaml, Map<String, List<String>> placeholders) {
    this.yaml = yaml;
    this.placeholders = placeholders;
  }

  /** The selection's matcher, or null after reporting its problems. */
  DetectionNode compile(String name, Node value) {
    if (value instanceof MappingNode mapping) {
      return fieldsOf(mapping);
    }
    if (value instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      if (items.isEmpty()) {
        return yaml.fail(value, "selection '" + name + "' is an empty list");
      }
      if (items.stream().allMatch(MappingNode.class::isInstance)) {
        List<DetectionNode> alternatives = new ArrayList<>();
        for (Node item : items) {
          DetectionNode node = fieldsOf((MappingNode) item);
          if (node == null) {
            return null;
          }
          alternatives.add(node);
        }
        return alternatives.size() == 1 ? alternatives.get(0) : new DetectionNode.Or(alternatives);
      }
      if (items.stream().allMatch(ScalarNode.class::isInstance)) {
        return keywords(sequence, items);
      }
      return yaml.fail(value, "selection '" + name
          + "' mixes field maps and plain values in one list");
    }
    if (value instanceof ScalarNode scalar && !YamlNodes.isNull(scalar)) {
      return keywords(scalar, List.of(scalar));
    }
    return yaml.fail(value, "selection '" + name + "' must be a map of fields, a list of maps"
        + " or a list of keywords");
  }

  /** A keyword list: full-text search over the raw event, each keyword anywhere in it. */
  private DetectionNode keywords(Node at, List<Node> items) {
    List<ValueMatcher> matchers = new ArrayList<>();
    for (Node item : items) {
      String text = YamlNodes.text((ScalarNode) item);
      if (text == null) {
        return yaml.fail(item, "a keyword cannot be null");
      }
      matchers.add(ValueMatcher.of(
          SigmaString.parse(text).withLeadingStar().withTrailingStar(), false));
    }
    return new FieldMatcher(null, matchers, false, false);
  }

  private DetectionNode fieldsOf(MappingNode mapping) {
    if (!yaml.checkKeys(mapping)) {
      return null;
    }
    if (mapping.getValue().isEmpty()) {
      return yaml.fail(mapping, "a selection map has no fields");
    }
    List<DetectionNode> fields = new ArrayList<>();
    boolean ok = true;
    for (NodeTuple tuple : mapping.getValue()) {
      DetectionNode field = field((ScalarNode) tuple.getKeyNode(), tuple.getValueNode());
      if (field == null) {
        ok = false;
      } else {
        fields.add(field);
      }
    }
    if (!ok) {
      return null;
    }
    // Every field of a map must hold: an AND over all of them, never only the last one.
    return fields.size() == 1 ? fields.get(0) : new DetectionNode.And(fields);
  }

  private DetectionNode field(ScalarNode keyNode, Node valueNode) {
    String key = keyNode.getValue();
    String[] pieces = key.split("\\|", -1);
    String fieldName = pieces[0].strip();
    List<Modifier> modifiers = new ArrayList<>();
    for (int i = 1; i < pieces.length; i++) {
      String spelling = pieces[i].strip();
      Modifier modifier = Modifier.named(spelling).orElse(null);
      if (modifier == null) {
        return yaml.fail(keyNode, "unknown modifier '" + spelling + "' in '" + key
            + "' (known: " + Modifier.known() + ")");
      }
      if (modifiers.contains(modifier)) {
        return yaml.fail(keyNode, "modifier '" + spelling + "' is given twice in '" + key + "'");
      }
      modifiers.add(modifier);
    }
    FieldPath path = null;
    if (!fieldName.isEmpty()) {
      try {
        path = FieldPath.of(fieldName);
      } catch (IllegalArgumentException e) {
        return yaml.fail(keyNode, e.getMessage());
      }
      if (DerivedFields.derived(path) && !DerivedFields.NAMES.contains(fieldName)) {
        return yaml.fail(keyNode, "unknown derived field '" + fieldName + "'; Vigil derives "
            + DerivedFields.NAMES);
      }
    }
    if (!checkCombination(keyNode, key, modifiers, path)) {
      return null;
    }
    List<ScalarNode> valueNodes = scalars(valueNode, key);
    if (valueNodes == null) {
      return null;
    }
    boolean all = modifiers.contains(Modifier.ALL);
    boolean nullMatches = false;
    List<String> raws = new ArrayList<>();
    for (ScalarNode node : valueNodes) {
      String raw = YamlNodes.text(node);
      if (raw == null) {
        nullMatches = true;
      } else {
        raws.add(raw);
      }
    }
    if (nullMatches && modifiers.stream().anyMatch(KINDS::contains)) {
      return yaml.fail(valueNode, "'" + key + "' cannot take a null value");
    }
    if (modifiers.contains(Modifier.EXISTS)) {
      if (raws.size() != 1 || !(raws.get(0).equalsIgnoreCase("true")
          || raws.get(0).equalsIgnoreCase("false"))) {
        return yaml.fail(valueNode, "'" + key + "' needs true or false");
      }
      return new ExistsMatcher(path, Boolean.parseBoolean(raws.get(0).toLowerCase()));
    }
    if (modifiers.contains(Modifier.FIELDREF)) {
      List<FieldPath> references = new ArrayList<>();
      for (String raw : raws) {
        try {
          references.add(FieldPath.of(raw.strip()));
        } catch (IllegalArgumentException e) {
          return yaml.fail(valueNode, "'" + key + "': " + e.getMessage());
        }
      }
      Modifier mode = modifiers.stream().filter(POSITIONS::contains).findFirst()
          .orElse(Modifier.FIELDREF);
      return new FieldRefMatcher(path, references, mode, modifiers.contains(Modifier.CASED), all);
    }
    if (modifiers.contains(Modifier.EXPAND)) {
      List<String> expanded = new ArrayList<>();
      for (String raw : raws) {
        List<String> values = expand(raw, valueNode, key);
        if (values == null) {
          return null;
        }
        expanded.addAll(values);
      }
      // A placeholder stands for any of its values, whatever |all says about the list.
      raws = expanded;
      all = false;
    }
    List<ValueMatcher> matchers = new ArrayList<>();
    for (String raw : raws) {
      ValueMatcher matcher = value(raw, modifiers, valueNode, key);
      if (matcher == null) {
        return null;
      }
      matchers.add(matcher);
    }
    return new FieldMatcher(path, matchers, all, nullMatches);
  }

  private boolean checkCombination(ScalarNode at, String key, List<Modifier> modifiers,
      FieldPath path) {
    long kinds = modifiers.stream().filter(KINDS::contains).count();
    long positions = modifiers.stream().filter(POSITIONS::contains).count();
    if (kinds > 1) {
      yaml.fail(at, "'" + key + "' combines modifiers that exclude each other");
      return false;
    }
    if (positions > 1) {
      yaml.fail(at, "'" + key + "' combines more than one of contains, startswith, endswith");
      return false;
    }
    boolean regex = modifiers.contains(Modifier.RE);
    if (!regex && modifiers.stream().anyMatch(REGEX_FLAGS::contains)) {
      yaml.fail(at, "'" + key + "': the i, m and s modifiers only go with re");
      return false;
    }
    boolean typed = kinds == 1 && !modifiers.contains(Modifier.FIELDREF);
    if (typed && (positions > 0 || modifiers.stream().anyMatch(ENCODINGS::contains))) {
      yaml.fail(at, "'" + key + "': contains/startswith/endswith and encodings do not combine"
          + " with re, cidr, exists or numeric comparisons");
      return false;
    }
    if (modifiers.contains(Modifier.CASED) && typed) {
      yaml.fail(at, "'" + key + "': cased only applies to string matching");
      return false;
    }
    if (modifiers.contains(Modifier.FIELDREF)
        && modifiers.stream().anyMatch(ENCODINGS::contains)) {
      yaml.fail(at, "'" + key + "': fieldref does not combine with encodings");
      return false;
    }
    if (path == null && (modifiers.contains(Modifier.EXISTS)
        || modifiers.contains(Modifier.FIELDREF))) {
      yaml.fail(at, "'" + key + "' needs a field name");
      return false;
    }
    return true;
  }

  private List<ScalarNode> scalars(Node valueNode, String key) {
    if (valueNode instanceof ScalarNode scalar) {
      return List.of(scalar);
    }
    if (valueNode instanceof SequenceNode sequence) {
      if (sequence.getValue().isEmpty()) {
        return yaml.fail(valueNode, "'" + key + "' has an empty list of values");
      }
      List<ScalarNode> out = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        if (!(item instanceof ScalarNode scalar)) {
          return yaml.fail(item, "'" + key + "' values must be plain values, not maps or lists");
        }
        out.add(scalar);
      }
      return out;
    }
    return yaml.fail(valueNode, "'" + key + "' values must be plain values, not a map");
  }

  private List<String> expand(String raw, Node at, String key) {
    List<String> results = List.of(raw);
    Matcher matcher = PLACEHOLDER.matcher(raw);
    boolean any = false;
    while (matcher.find()) {
      any = true;
      String name = matcher.group(1);
      List<String> values = placeholders.get(name);
      if (values == null) {
        return yaml.fail(at, "'" + key + "' uses placeholder %" + name + "%, which has no values"
            + " configured (give the placeholder a list of values in the configuration)");
      }
      String token = matcher.group();
      List<String> next = new ArrayList<>();
      for (String partial : results) {
        for (String value : values) {
          next.add(partial.replace(token, value));
        }
      }
      results = next;
    }
    if (!any) {
      return yaml.fail(at, "'" + key + "' has the expand modifier but '" + raw
          + "' contains no %placeholder%");
    }
    return results;
  }

  private ValueMatcher value(String raw, List<Modifier> modifiers, Node at, String key) {
    if (modifiers.contains(Modifier.RE)) {
      int flags = 0;
      flags |= modifiers.contains(Modifier.IGNORECASE)
          ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
      flags |= modifiers.contains(Modifier.MULTILINE) ? Pattern.MULTILINE : 0;
      flags |= modifiers.contains(Modifier.DOTALL) ? Pattern.DOTALL : 0;
      try {
        return new ValueMatcher.Regex(Pattern.compile(raw, flags));
      } catch (PatternSyntaxException e) {
        return yaml.fail(at, "'" + key + "': invalid regular expression '" + raw + "': "
            + e.getDescription());
      }
    }
    if (modifiers.contains(Modifier.CIDR)) {
      try {
        return new ValueMatcher.InNetwork(CidrRange.parse(raw));
      } catch (IllegalArgumentException e) {
        return yaml.fail(at, "'" + key + "': " + e.getMessage());
      }
    }
    for (Modifier comparison : List.of(Modifier.GT, Modifier.GTE, Modifier.LT, Modifier.LTE)) {
      if (modifiers.contains(comparison)) {
        BigDecimal bound = ValueText.number(raw);
        if (bound == null) {
          return yaml.fail(at, "'" + key + "' needs a number, not '" + raw + "'");
        }
        return new ValueMatcher.Compare(comparison, bound);
      }
    }
    List<SigmaString> variants = new ArrayList<>(List.of(SigmaString.parse(raw)));
    Charset charset = StandardCharsets.UTF_8;
    boolean bom = false;
    boolean encodedSinceCharset = true;
    boolean base64 = false;
    for (Modifier modifier : modifiers) {
      switch (modifier) {
        case WIDE, UTF16LE -> {
          charset = StandardCharsets.UTF_16LE;
          bom = false;
          encodedSinceCharset = false;
        }
        case UTF16BE -> {
          charset = StandardCharsets.UTF_16BE;
          bom = false;
          encodedSinceCharset = false;
        }
        case UTF16 -> {
          charset = StandardCharsets.UTF_16LE;
          bom = true;
          encodedSinceCharset = false;
        }
        case BASE64, BASE64OFFSET -> {
          List<SigmaString> encoded = new ArrayList<>();
          for (SigmaString variant : variants) {
            if (variant.hasWildcards()) {
              return yaml.fail(at, "'" + key + "': a value with wildcards cannot be base64"
                  + " encoded ('" + raw + "')");
            }
            byte[] bytes = bytes(variant.plainText(), charset, bom);
            if (modifier == Modifier.BASE64) {
              encoded.add(SigmaString.literal(Base64.getEncoder().encodeToString(bytes)));
            } else {
              for (String offset : base64Offsets(bytes)) {
                encoded.add(SigmaString.literal(offset));
              }
            }
          }
          variants = encoded;
          base64 = true;
          charset = StandardCharsets.UTF_8;
          bom = false;
          encodedSinceCharset = true;
        }
        case WINDASH -> {
          List<SigmaString> dashed = new ArrayList<>();
          for (SigmaString variant : variants) {
            dashed.addAll(windash(variant));
          }
          variants = dashed;
        }
        case CONTAINS -> variants.replaceAll(v -> v.withLeadingStar().withTrailingStar());
        case STARTSWITH -> variants.replaceAll(SigmaString::withTrailingStar);
        case ENDSWITH -> variants.replaceAll(SigmaString::withLeadingStar);
        default -> {
          // all, cased, expand: handled by the caller.
        }
      }
    }
    if (!encodedSinceCharset) {
      // utf16le/wide without base64 after it: match the text as it would appear byte for byte.
      List<SigmaString> wide = new ArrayList<>();
      for (SigmaString variant : variants) {
        wide.add(wideText(variant, charset, bom));
      }
      variants = wide;
    }
    // Base64 text is case-sensitive: folding case would match other bytes.
    boolean cased = modifiers.contains(Modifier.CASED) || base64;
    if (variants.size() == 1) {
      return ValueMatcher.of(variants.get(0), cased);
    }
    List<ValueMatcher> matchers = new ArrayList<>();
    for (SigmaString variant : variants) {
      matchers.add(ValueMatcher.of(variant, cased));
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
   * The three spellings of {@code bytes} inside a longer base64 text, one per alignment: the
   * bytes are encoded after 0, 1 and 2 filler bytes, then the characters that depend on the
   * filler (the first 0, 2 or 3) or on what follows (the last one of an incomplete group, and
   * the padding) are cut off, leaving only the characters that are the same wherever the value
   * sits.
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
   * Windows command-line flags may start with any dash or a slash: every {@code -} or {@code /}
   * at the start of a word is replaced, all alike, by each of them.
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
