package io.vigil.sigma.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What loading a file, a directory or a classpath folder produced: the rules and correlation rules
 * that loaded, and an error for every one that did not. A broken rule never hides: it is in {@link
 * #errors()}.
 */
public record LoadResult(
    List<SigmaRule> rules, List<SigmaCorrelation> correlations, List<RuleLoadException> errors) {

  /** Copies the lists. */
  public LoadResult {
    rules = List.copyOf(rules);
    correlations = List.copyOf(correlations);
    errors = List.copyOf(errors);
  }

  /** Nothing loaded, nothing wrong. */
  public static LoadResult empty() {
    return new LoadResult(List.of(), List.of(), List.of());
  }

  /** This result followed by {@code other}, in order. */
  public LoadResult plus(LoadResult other) {
    List<SigmaRule> allRules = new ArrayList<>(rules);
    allRules.addAll(other.rules);
    List<SigmaCorrelation> allCorrelations = new ArrayList<>(correlations);
    allCorrelations.addAll(other.correlations);
    List<RuleLoadException> allErrors = new ArrayList<>(errors);
    allErrors.addAll(other.errors);
    return new LoadResult(allRules, allCorrelations, allErrors);
  }

  /** True when nothing failed. */
  public boolean ok() {
    return errors.isEmpty();
  }

  /** Throws the first error (the others attached as suppressed) when any rule failed to load. */
  public LoadResult orThrow() throws RuleLoadException {
    if (errors.isEmpty()) {
      return this;
    }
    RuleLoadException first = errors.get(0);
    RuleLoadException thrown =
        new RuleLoadException(
            first.source(),
            first.line(),
            first.problem()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more errors)" : ""),
            first);
    for (int i = 1; i < errors.size(); i++) {
      thrown.addSuppressed(errors.get(i));
    }
    throw thrown;
  }
}
