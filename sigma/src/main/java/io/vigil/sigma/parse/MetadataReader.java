package io.vigil.sigma.parse;

import io.vigil.schemas.Severity;
import io.vigil.sigma.model.RuleMetadata;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;

/**
 * Reads what every Sigma document says about itself, detection rule or correlation rule alike, into
 * a {@link RuleMetadata}; problems go to the document's {@link YamlNodes}.
 */
final class MetadataReader {

  private static final Set<String> STATUSES =
      Set.of("stable", "test", "experimental", "deprecated", "unsupported");

  private MetadataReader() {}

  /** The metadata of a detection rule, with the {@code fields} it suggests showing. */
  static RuleMetadata detectionRule(MappingNode root, YamlNodes nodes) {
    return read(root, nodes, true);
  }

  /** The metadata of a correlation rule; Vigil does not read a correlation's {@code fields}. */
  static RuleMetadata correlationRule(MappingNode root, YamlNodes nodes) {
    return read(root, nodes, false);
  }

  /**
   * Null when {@code title} or {@code id} is missing; the problem is then in {@code nodes}, and the
   * other attributes are still read, so that one load reports all of a document's problems.
   */
  private static RuleMetadata read(MappingNode root, YamlNodes nodes, boolean withFields) {
    String title = nodes.requiredText(root, "title", root);
    String id = nodes.requiredText(root, "id", root);
    String name = nodes.optionalText(root, "name");
    String status = status(root, nodes);
    String description = nodes.optionalText(root, "description");
    String author = nodes.optionalText(root, "author");
    List<String> references = nodes.textList(root, "references");
    List<String> tags = nodes.textList(root, "tags");
    List<String> falsePositives = nodes.textList(root, "falsepositives");
    List<String> fields = withFields ? nodes.textList(root, "fields") : List.of();
    Severity level = level(root, nodes);
    if (title == null || id == null) {
      return null;
    }
    return new RuleMetadata(
        id,
        name,
        title,
        status,
        description,
        author,
        references,
        tags,
        falsePositives,
        fields,
        level,
        nodes.source(),
        YamlNodes.line(root));
  }

  private static String status(MappingNode root, YamlNodes nodes) {
    String status = nodes.optionalText(root, "status");
    if (status != null && !STATUSES.contains(status)) {
      return nodes.fail(
          YamlNodes.get(root, "status"),
          "unknown status '"
              + status
              + "' (one of "
              + String.join(", ", new TreeSet<>(STATUSES))
              + ")");
    }
    return status;
  }

  private static Severity level(MappingNode root, YamlNodes nodes) {
    String level = nodes.optionalText(root, "level");
    if (level == null) {
      return null;
    }
    return switch (level.toLowerCase(Locale.ROOT)) {
      case "informational" -> Severity.info;
      case "low" -> Severity.low;
      case "medium" -> Severity.medium;
      case "high" -> Severity.high;
      case "critical" -> Severity.critical;
      default ->
          nodes.fail(
              YamlNodes.get(root, "level"),
              "unknown level '" + level + "' (one of informational, low, medium, high, critical)");
    };
  }
}
