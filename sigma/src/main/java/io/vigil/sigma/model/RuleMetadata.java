package io.vigil.sigma.model;

import io.vigil.schemas.Severity;
import java.util.List;
import java.util.Objects;

/**
 * What every Sigma document says about itself, detection rule and correlation rule alike: read by
 * one reader for both, held by {@link SigmaRuleBase}.
 *
 * @param id stable id; alerts and overrides key on it
 * @param name the optional {@code name} correlation rules may reference; null when absent
 * @param title the title, never null
 * @param status stable, test, experimental, deprecated or unsupported; null when absent
 * @param description null when absent
 * @param author the author(s); null when absent
 * @param references as written
 * @param tags as written, e.g. attack.t1562.008, cis.aws.4.5
 * @param falsePositives as written
 * @param fields the fields a detection rule suggests showing with an alert; empty for a correlation
 *     rule, whose {@code fields} Vigil does not read
 * @param level the level as an alert severity (informational becomes info); null when absent
 * @param source the file or resource the document was loaded from
 * @param line 1-based line where the document starts in its source
 */
public record RuleMetadata(
    String id,
    String name,
    String title,
    String status,
    String description,
    String author,
    List<String> references,
    List<String> tags,
    List<String> falsePositives,
    List<String> fields,
    Severity level,
    String source,
    int line) {

  /** Checks the id and title and copies the lists. */
  public RuleMetadata {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    references = List.copyOf(references);
    tags = List.copyOf(tags);
    falsePositives = List.copyOf(falsePositives);
    fields = List.copyOf(fields);
  }
}
