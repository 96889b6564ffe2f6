package io.vigil.sinks;

import java.util.List;

/**
 * The {@code sinks:} configuration is invalid. The message has one line per problem, each naming
 * the sink and the key; it never contains a secret value.
 */
public final class SinkConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public SinkConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem. */
  public List<String> problems() {
    return problems;
  }
}
