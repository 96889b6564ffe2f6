package io.vigil.streams.detection;

import io.vigil.sigma.model.RuleLoadException;
import java.util.List;
import java.util.stream.Collectors;

/** Rules that could not be loaded: every error with its file and line, never a silent skip. */
public final class RuleLoadErrors extends RuntimeException {

  private final transient List<RuleLoadException> errors;

  public RuleLoadErrors(List<RuleLoadException> errors) {
    super(
        errors.size()
            + " rule load error(s):\n"
            + errors.stream().map(Throwable::getMessage).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<RuleLoadException> errors() {
    return errors;
  }
}
