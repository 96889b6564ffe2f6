package io.vigil.sigma.parse;

import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.FieldPath;
import io.vigil.sigma.match.DetectionNode;
import io.vigil.sigma.model.CorrelationCondition;
import io.vigil.sigma.model.CorrelationType;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.LogSource;
import io.vigil.sigma.model.RuleLoadException;
import io.vigil.sigma.model.RuleMetadata;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads Sigma rules and Sigma correlation rules from YAML: single files, directories (every {@code
 * .yml}/{@code .yaml} below, in name order), classpath folders (in a jar or on disk) and text. A
 * file may hold several YAML documents, each a rule or a correlation rule.
 *
 * <p>Each rule is compiled once into matchers. Every problem (bad YAML, a missing title, id,
 * detection or condition, an unknown modifier, a condition naming no selection, a pattern matching
 * no selection, an unknown placeholder, the unsupported v1 {@code count()} aggregation) becomes a
 * {@link RuleLoadException} with the source and line, collected in the {@link LoadResult}; the
 * other rules still load.
 *
 * <p>Placeholders for the {@code expand} modifier ({@code %name%}) are filled from the map given at
 * construction; a rule naming a placeholder the map lacks does not load. So are the derived fields
 * ({@code vigil.}) rules may name: a rule naming one the loader was not given does not load, and
 * the rules it loads compute the ones it was given when they match.
 */
public final class SigmaRuleLoader {

  private static final Pattern TIMESPAN = Pattern.compile("(\\d{1,9})([smhdw])");
  private static final Set<String> CONDITION_KEYS =
      Set.of("gt", "gte", "lt", "lte", "eq", "field", "percentile");
  private static final Set<String> CORRELATION_KEYS =
      Set.of(
          "type",
          "rules",
          "group-by",
          "timespan",
          "timeframe",
          "condition",
          "generate",
          "aliases",
          "learning");

  /** A new_terms rule's history when it names no timespan. */
  static final Duration DEFAULT_NEW_TERMS_HISTORY = Duration.ofDays(14);

  /** A new_terms rule's learning period when it names none. */
  static final Duration DEFAULT_NEW_TERMS_LEARNING = Duration.ofDays(7);

  private final Map<String, List<String>> placeholders;
  private final DerivedFields derived;

  /**
   * A loader without placeholder values or derived fields: rules using {@code expand} or a {@code
   * vigil.} field fail to load.
   */
  public SigmaRuleLoader() {
    this(Map.of());
  }

  /** A loader filling {@code %name%} placeholders from {@code placeholders}, no derived fields. */
  public SigmaRuleLoader(Map<String, List<String>> placeholders) {
    this(placeholders, DerivedFields.none());
  }

  /**
   * A loader filling {@code %name%} placeholders from {@code placeholders}, whose rules may name
   * the derived fields in {@code derived}.
   */
  public SigmaRuleLoader(Map<String, List<String>> placeholders, DerivedFields derived) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    placeholders.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    this.placeholders = Map.copyOf(copy);
    this.derived = Objects.requireNonNull(derived, "derived");
  }

  /**
   * The usual assembly: the built-in rules from a classpath folder, then each user path (file or
   * directory) overriding by id, minus the disabled ids. Load errors are in the result, not thrown:
   * check {@link RuleSet#loadErrors()}.
   */
  public RuleSet loadRuleSet(
      ClassLoader classLoader,
      String builtinFolder,
      List<Path> userPaths,
      Collection<String> disabled) {
    RuleSet.Builder builder = RuleSet.builder();
    if (builtinFolder != null) {
      builder.add(loadClasspath(classLoader, builtinFolder));
    }
    for (Path path : userPaths) {
      builder.add(loadPath(path));
    }
    return builder.disable(disabled).build();
  }

  /** A file or, for a directory, every rule file below it. */
  public LoadResult loadPath(Path path) {
    return Files.isDirectory(path) ? loadDirectory(path) : loadFile(path);
  }

  /** Every {@code .yml} and {@code .yaml} file below {@code directory}, in path order. */
  public LoadResult loadDirectory(Path directory) {
    return loadTree(directory, directory.toString());
  }

  /** One rule file, which may hold several YAML documents. */
  public LoadResult loadFile(Path file) {
    String source = file.toString();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return load(source, reader);
    } catch (IOException e) {
      return failure(new RuleLoadException(source, 0, "cannot read rule file: " + e, e));
    }
  }

  /**
   * Every rule file below a classpath folder (e.g. {@code rules}), whether the folder is in a jar
   * or a directory. Sources are named {@code classpath:folder/file.yml}.
   */
  public LoadResult loadClasspath(ClassLoader classLoader, String folder) {
    String trimmed = folder.replaceAll("^/+|/+$", "");
    String source = "classpath:" + trimmed;
    URL url = classLoader.getResource(trimmed);
    if (url == null) {
      return failure(new RuleLoadException(source, 0, "no such classpath folder"));
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem jar;
        try {
          jar = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          jar = FileSystems.getFileSystem(uri);
        }
        return loadTree(jar.getPath(trimmed), source);
      }
      return loadTree(Path.of(uri), source);
    } catch (URISyntaxException | IOException | RuntimeException e) {
      return failure(new RuleLoadException(source, 0, "cannot list classpath folder: " + e, e));
    }
  }

  /** Rules from text, e.g. a test or a configuration value; {@code source} names it in errors. */
  public LoadResult loadText(String source, String yaml) {
    return load(source, new StringReader(yaml));
  }

  private LoadResult loadTree(Path root, String sourcePrefix) {
    if (!Files.isDirectory(root)) {
      return failure(new RuleLoadException(sourcePrefix, 0, "not a directory"));
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files =
          walk.filter(Files::isRegularFile).filter(SigmaRuleLoader::isRuleFile).sorted().toList();
    } catch (IOException | RuntimeException e) {
      return failure(new RuleLoadException(sourcePrefix, 0, "cannot list rule directory: " + e, e));
    }
    LoadResult result = LoadResult.empty();
    for (Path file : files) {
      String source = sourcePrefix + "/" + root.relativize(file).toString().replace('\\', '/');
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        result = result.plus(load(source, reader));
      } catch (IOException e) {
        result =
            result.plus(
                failure(new RuleLoadException(source, 0, "cannot read rule file: " + e, e)));
      }
    }
    return result;
  }

  private static boolean isRuleFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yml") || name.endsWith(".yaml");
  }

  private static LoadResult failure(RuleLoadException error) {
    return new LoadResult(List.of(), List.of(), List.of(error));
  }

  private LoadResult load(String source, Reader reader) {
    LoaderOptions options = new LoaderOptions();
    // Rules are small; these bounds keep a hostile file from exhausting memory.
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(4 * 1024 * 1024);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    List<SigmaRule> rules = new ArrayList<>();
    List<SigmaCorrelation> correlations = new ArrayList<>();
    List<RuleLoadException> errors = new ArrayList<>();
    try {
      for (Node document : yaml.composeAll(reader)) {
        if (document == null || YamlNodes.isNull(document)) {
          continue;
        }
        YamlNodes nodes = new YamlNodes(source);
        if (!(document instanceof MappingNode mapping)) {
          nodes.fail(document, "a rule document must be a map");
        } else if (YamlNodes.get(mapping, "correlation") != null) {
          SigmaCorrelation correlation = correlation(mapping, nodes);
          if (correlation != null && nodes.problems().isEmpty()) {
            correlations.add(correlation);
          }
        } else {
          SigmaRule rule = rule(mapping, nodes);
          if (rule != null && nodes.problems().isEmpty()) {
            rules.add(rule);
          }
        }
        errors.addAll(nodes.problems());
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      errors.add(new RuleLoadException(source, line, "invalid YAML: " + problem, e));
    } catch (YAMLException e) {
      errors.add(new RuleLoadException(source, 0, "invalid YAML: " + e.getMessage(), e));
    }
    return new LoadResult(rules, correlations, errors);
  }

  private SigmaRule rule(MappingNode root, YamlNodes nodes) {
    nodes.checkKeys(root);
    if (YamlNodes.get(root, "action") != null) {
      return nodes.fail(
          root,
          "rule collections ('action: global' and similar) are not"
              + " supported; write each rule as a complete document");
    }
    if (YamlNodes.get(root, "filter") != null && YamlNodes.get(root, "detection") == null) {
      return nodes.fail(root, "Sigma filter rules are not supported");
    }
    RuleMetadata metadata = MetadataReader.detectionRule(root, nodes);
    LogSource logSource = logSource(root, nodes);
    DetectionNode detection = detection(root, nodes);
    if (!nodes.problems().isEmpty() || metadata == null || detection == null) {
      return null;
    }
    return new SigmaRule(metadata, logSource, entityFields(root, nodes), detection, derived);
  }

  /**
   * Vigil's custom attribute {@code vigil.entity}: the fields whose first present value is what an
   * alert is about. Other Sigma tools ignore custom top-level attributes.
   */
  private static List<String> entityFields(MappingNode root, YamlNodes nodes) {
    Node vigil = YamlNodes.get(root, "vigil");
    if (vigil == null || YamlNodes.isNull(vigil)) {
      return List.of();
    }
    if (!(vigil instanceof MappingNode vigilMap)) {
      nodes.fail(
          vigil,
          "'vigil' must be a map of Vigil's custom attributes, such as"
              + " {entity: [userIdentity.arn]}");
      return List.of();
    }
    return nodes.textList(vigilMap, "entity");
  }

  private static LogSource logSource(MappingNode root, YamlNodes nodes) {
    Node node = YamlNodes.get(root, "logsource");
    if (node == null || YamlNodes.isNull(node)) {
      return LogSource.ANY;
    }
    if (!(node instanceof MappingNode mapping)) {
      nodes.fail(node, "'logsource' must be a map");
      return LogSource.ANY;
    }
    return new LogSource(
        nodes.optionalText(mapping, "product"),
        nodes.optionalText(mapping, "service"),
        nodes.optionalText(mapping, "category"),
        nodes.optionalText(mapping, "definition"));
  }

  private DetectionNode detection(MappingNode root, YamlNodes nodes) {
    Node node = YamlNodes.get(root, "detection");
    if (node == null || YamlNodes.isNull(node)) {
      return nodes.fail(root, "'detection' is missing");
    }
    if (!(node instanceof MappingNode detection)) {
      return nodes.fail(node, "'detection' must be a map of selections and a condition");
    }
    if (!nodes.checkKeys(detection)) {
      return null;
    }
    Node condition = YamlNodes.get(detection, "condition");
    if (condition == null || YamlNodes.isNull(condition)) {
      return nodes.fail(detection, "'detection' has no 'condition'");
    }
    SelectionCompiler compiler = new SelectionCompiler(nodes, placeholders, derived);
    Map<String, DetectionNode> selections = new LinkedHashMap<>();
    boolean ok = true;
    for (NodeTuple tuple : detection.getValue()) {
      String selectionName = ((ScalarNode) tuple.getKeyNode()).getValue();
      if (selectionName.equals("condition")) {
        continue;
      }
      if (selectionName.equals("timeframe")) {
        if (conditionTexts(condition).stream().noneMatch(c -> c.contains("|"))) {
          nodes.fail(
              tuple.getKeyNode(),
              "'timeframe' is part of the Sigma v1 aggregation"
                  + " syntax, which is not supported; to relate events within "
                  + (tuple.getValueNode() instanceof ScalarNode span
                      ? span.getValue()
                      : "a timespan")
                  + ", write a Sigma correlation"
                  + " rule (temporal or event_count) with that timespan, referencing this rule");
          ok = false;
        }
        continue;
      }
      DetectionNode selection = compiler.compile(selectionName, tuple.getValueNode());
      if (selection == null) {
        ok = false;
      } else {
        selections.put(selectionName, selection);
      }
    }
    List<String> conditions = conditionTexts(condition);
    if (conditions.isEmpty()) {
      return nodes.fail(condition, "'condition' must be a text or a list of texts");
    }
    List<DetectionNode> parsed = new ArrayList<>();
    for (String text : conditions) {
      try {
        parsed.add(ConditionParser.parse(text, selections));
      } catch (ConditionParser.ConditionException e) {
        // A condition naming a selection that failed to compile is reported once, there.
        if (ok) {
          nodes.fail(condition, e.getMessage());
        }
        return null;
      }
    }
    if (!ok) {
      return null;
    }
    // Several conditions (a list, deprecated in Sigma v2) are alternatives.
    return parsed.size() == 1 ? parsed.get(0) : new DetectionNode.Or(parsed);
  }

  private static List<String> conditionTexts(Node condition) {
    List<String> out = new ArrayList<>();
    if (condition instanceof ScalarNode scalar && !YamlNodes.isNull(scalar)) {
      out.add(scalar.getValue());
    } else if (condition instanceof SequenceNode sequence) {
      for (Node item : sequence.getValue()) {
        if (!(item instanceof ScalarNode scalar) || YamlNodes.isNull(scalar)) {
          return List.of();
        }
        out.add(scalar.getValue());
      }
    }
    return out;
  }

  private SigmaCorrelation correlation(MappingNode root, YamlNodes nodes) {
    nodes.checkKeys(root);
    RuleMetadata metadata = MetadataReader.correlationRule(root, nodes);
    Node node = YamlNodes.get(root, "correlation");
    if (!(node instanceof MappingNode body)) {
      return nodes.fail(node, "'correlation' must be a map");
    }
    if (!nodes.checkKeys(body)) {
      return null;
    }
    for (NodeTuple tuple : body.getValue()) {
      String key = ((ScalarNode) tuple.getKeyNode()).getValue();
      if (!CORRELATION_KEYS.contains(key)) {
        nodes.fail(
            tuple.getKeyNode(),
            "unknown correlation key '"
                + key
                + "' (known: "
                + String.join(", ", new TreeSet<>(CORRELATION_KEYS))
                + ")");
      }
    }
    String typeName = nodes.requiredText(body, "type", body);
    CorrelationType type = typeName == null ? null : CorrelationType.named(typeName).orElse(null);
    if (typeName != null && type == null) {
      nodes.fail(
          YamlNodes.get(body, "type"),
          "unknown correlation type '"
              + typeName
              + "' (one of "
              + Arrays.stream(CorrelationType.values())
                  .map(CorrelationType::spelling)
                  .collect(Collectors.joining(", "))
              + ")");
    }
    List<String> rules = nodes.textList(body, "rules");
    if (rules.isEmpty()) {
      nodes.fail(body, "a correlation needs 'rules': the ids or names of the rules it combines");
    }
    List<String> groupBy = nodes.textList(body, "group-by");
    for (String field : groupBy) {
      try {
        FieldPath.of(field);
      } catch (IllegalArgumentException e) {
        nodes.fail(YamlNodes.get(body, "group-by"), e.getMessage());
      }
    }
    boolean newTerms = type == CorrelationType.NEW_TERMS;
    Duration timespan =
        newTerms
                && YamlNodes.get(body, "timespan") == null
                && YamlNodes.get(body, "timeframe") == null
            ? DEFAULT_NEW_TERMS_HISTORY
            : timespan(body, nodes, "timespan");
    Duration learning = null;
    if (newTerms) {
      learning =
          YamlNodes.get(body, "learning") == null
              ? DEFAULT_NEW_TERMS_LEARNING
              : duration(body, nodes, "learning", true);
      if (groupBy.isEmpty()) {
        nodes.fail(
            body,
            "a new_terms correlation needs 'group-by': the fields that form a term, e.g."
                + " [userIdentity.arn, eventName]");
      }
    } else if (YamlNodes.get(body, "learning") != null) {
      nodes.fail(
          YamlNodes.get(body, "learning"), "'learning' only applies to new_terms correlations");
    }
    Map<String, Map<String, String>> aliases = aliases(body, nodes);
    boolean generate = flag(body, "generate", nodes) || flag(root, "generate", nodes);
    CorrelationCondition condition = null;
    String valueField = null;
    Node conditionNode = YamlNodes.get(body, "condition");
    if (conditionNode instanceof MappingNode conditionMap) {
      condition = condition(conditionMap, nodes);
      valueField = nodes.optionalText(conditionMap, "field");
    } else if (conditionNode != null && !YamlNodes.isNull(conditionNode)) {
      nodes.fail(conditionNode, "a correlation 'condition' must be a map such as {gte: 10}");
    }
    Integer percentile = null;
    if (conditionNode instanceof MappingNode conditionMap) {
      String text = nodes.optionalText(conditionMap, "percentile");
      if (text != null && type != CorrelationType.VALUE_PERCENTILE) {
        nodes.fail(conditionNode, "'percentile' only applies to value_percentile correlations");
      } else if (text != null && !text.strip().matches("[1-9][0-9]?")) {
        nodes.fail(conditionNode, "'percentile' needs a whole number from 1 to 99");
      } else if (text != null) {
        percentile = Integer.valueOf(text.strip());
      } else if (type == CorrelationType.VALUE_PERCENTILE) {
        nodes.fail(conditionNode, "a value_percentile condition needs 'percentile', e.g. 95");
      }
    }
    if (type == CorrelationType.EVENT_COUNT || (type != null && type.readsField())) {
      if (condition == null && conditionNode == null) {
        nodes.fail(body, "a " + typeName + " correlation needs a 'condition' such as {gte: 10}");
      }
    }
    if (type == CorrelationType.ABSENCE && conditionNode != null) {
      nodes.fail(
          conditionNode,
          "an absence correlation has no 'condition': it fires when the follow-up does not come");
    }
    if (type == CorrelationType.ABSENCE && rules.size() < 2) {
      nodes.fail(
          body,
          "an absence correlation needs 'rules': the first event, then the rules of which one"
              + " must follow it");
    }
    if (newTerms && conditionNode != null) {
      nodes.fail(
          conditionNode,
          "a new_terms correlation has no 'condition': a term is new when the history holds none");
    }
    if (type == CorrelationType.VALUE_COUNT && valueField == null && condition != null) {
      nodes.fail(
          conditionNode,
          "a value_count condition needs 'field': the field whose"
              + " distinct values are counted");
    }
    if (type != null && type.isMetric() && valueField == null && condition != null) {
      nodes.fail(
          conditionNode,
          "a " + typeName + " condition needs 'field': the numeric field that is measured");
    }
    if (type != null && !type.readsField() && valueField != null) {
      nodes.fail(
          conditionNode,
          "'field' only applies to value_count, value_sum, value_avg, value_percentile and"
              + " value_median correlations");
    }
    if (!nodes.problems().isEmpty()
        || metadata == null
        || type == null
        || timespan == null
        || (newTerms && learning == null)) {
      return null;
    }
    return new SigmaCorrelation(
        metadata,
        type,
        rules,
        groupBy,
        aliases,
        timespan,
        condition,
        valueField,
        percentile,
        generate,
        learning,
        derived);
  }

  private static Duration timespan(MappingNode body, YamlNodes nodes, String key) {
    return YamlNodes.get(body, key) == null && YamlNodes.get(body, "timeframe") != null
        ? duration(body, nodes, "timeframe", false)
        : duration(body, nodes, key, false);
  }

  /** A duration key of a correlation, in the timespan grammar; zero only where {@code zeroOk}. */
  private static Duration duration(MappingNode body, YamlNodes nodes, String key, boolean zeroOk) {
    Node node = YamlNodes.get(body, key);
    if (!(node instanceof ScalarNode scalar) || YamlNodes.isNull(scalar)) {
      return nodes.fail(
          node == null ? body : node,
          "a correlation needs a '" + key + "' such as" + " 5m (s, m, h, d or w)");
    }
    Matcher matcher = TIMESPAN.matcher(scalar.getValue().strip());
    if (!matcher.matches() || (!zeroOk && Long.parseLong(matcher.group(1)) == 0)) {
      return nodes.fail(
          node,
          "'"
              + scalar.getValue()
              + "' is no "
              + (zeroOk ? "duration" : "timespan")
              + " (write e.g. 30s, 5m, 1h, 2d, 1w)");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> Duration.ofDays(7 * amount);
    };
  }

  private static CorrelationCondition condition(MappingNode node, YamlNodes nodes) {
    if (!nodes.checkKeys(node)) {
      return null;
    }
    Long[] bounds = new Long[5];
    List<String> names = List.of("gt", "gte", "lt", "lte", "eq");
    for (NodeTuple tuple : node.getValue()) {
      String key = ((ScalarNode) tuple.getKeyNode()).getValue();
      if (!CONDITION_KEYS.contains(key)) {
        nodes.fail(
            tuple.getKeyNode(),
            "unknown condition operator '" + key + "' (gt, gte, lt, lte, eq, field, percentile)");
        continue;
      }
      if (key.equals("field") || key.equals("percentile")) {
        continue;
      }
      Node value = tuple.getValueNode();
      if (!(value instanceof ScalarNode scalar)
          || !scalar.getValue().strip().matches("\\d{1,18}")) {
        nodes.fail(value, "'" + key + "' needs a whole number");
        continue;
      }
      bounds[names.indexOf(key)] = Long.parseLong(scalar.getValue().strip());
    }
    if (bounds[0] == null
        && bounds[1] == null
        && bounds[2] == null
        && bounds[3] == null
        && bounds[4] == null) {
      return nodes.fail(
          node, "a correlation condition needs at least one of gt, gte, lt, lte," + " eq");
    }
    return new CorrelationCondition(bounds[0], bounds[1], bounds[2], bounds[3], bounds[4]);
  }

  private static Map<String, Map<String, String>> aliases(MappingNode body, YamlNodes nodes) {
    Node node = YamlNodes.get(body, "aliases");
    Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
    if (node == null || YamlNodes.isNull(node)) {
      return aliases;
    }
    if (!(node instanceof MappingNode mapping) || !nodes.checkKeys(mapping)) {
      nodes.fail(node, "'aliases' must map an alias to {rule: field}");
      return aliases;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      String alias = ((ScalarNode) tuple.getKeyNode()).getValue();
      if (!(tuple.getValueNode() instanceof MappingNode perRule) || !nodes.checkKeys(perRule)) {
        nodes.fail(tuple.getValueNode(), "alias '" + alias + "' must map rules to fields");
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (NodeTuple entry : perRule.getValue()) {
        if (entry.getValueNode() instanceof ScalarNode field && !YamlNodes.isNull(field)) {
          fields.put(((ScalarNode) entry.getKeyNode()).getValue(), field.getValue());
        } else {
          nodes.fail(entry.getValueNode(), "alias '" + alias + "' must map rules to fields");
        }
      }
      aliases.put(alias, fields);
    }
    return aliases;
  }

  private static boolean flag(MappingNode mapping, String key, YamlNodes nodes) {
    String text = nodes.optionalText(mapping, key);
    if (text == null) {
      return false;
    }
    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
      nodes.fail(YamlNodes.get(mapping, key), "'" + key + "' must be true or false");
      return false;
    }
    return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
  }
}
