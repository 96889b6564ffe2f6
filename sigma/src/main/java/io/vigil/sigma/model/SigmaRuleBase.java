package io.vigil.sigma.model;

import io.vigil.schemas.Severity;
import java.util.List;
import java.util.Objects;

/**
 * What detection rules and correlation rules have in common: their {@link RuleMetadata} and where
 * they were loaded from. Lets a caller list, credit or alert on either kind alike.
 */
public abstract sealed class SigmaRuleBase permits SigmaRule, SigmaCorrelation {

  private final RuleMetadata metadata;

  SigmaRuleBase(RuleMetadata metadata) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
  }

  /** The metadata as written. */
  public RuleMetadata metadata() {
    return metadata;
  }

  /** Stable id; alerts and overrides key on it. */
  public String id() {
    return metadata.id();
  }

  /** The optional {@code name} correlation rules may reference; null when absent. */
  public String name() {
    return metadata.name();
  }

  public String title() {
    return metadata.title();
  }

  /** stable, test, experimental, deprecated or unsupported; null when absent. */
  public String status() {
    return metadata.status();
  }

  public String description() {
    return metadata.description();
  }

  /** The rule's author(s); SigmaHQ's licence (DRL 1.1) requires it on every alert. */
  public String author() {
    return metadata.author();
  }

  public List<String> references() {
    return metadata.references();
  }

  /** Tags as written, e.g. attack.t1562.008, cis.aws.4.5. */
  public List<String> tags() {
    return metadata.tags();
  }

  public List<String> falsePositives() {
    return metadata.falsePositives();
  }

  /** The severity of the alerts this rule raises. */
  public abstract Severity level();

  /** The file or resource the rule was loaded from. */
  public String source() {
    return metadata.source();
  }

  /** 1-based line where the rule's document starts in its source. */
  public int line() {
    return metadata.line();
  }
}
