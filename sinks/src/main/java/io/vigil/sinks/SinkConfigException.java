package io.vigil.sinks;

import java.util.List;

/**
 * The {@code sinks:} configuration is invalid. The message has one line per problem, each naming
 * the sink and the key; it never contains a secret value.
 */
public final class SinkConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * One problem of the {@code sinks} list.
   *
   * @param entry the index of the entry it is about, or {@code -1} for the list as a whole
   * @param text the problem, naming the sink and the key, e.g. {@code sinks[1] 'oncall':
   *     routing_key: required}
   * @param unsetVariable whether it is only a {@code ${NAME}} reference to a variable that is not
   *     set: the configuration system defers those to the processes that run the sinks, since one
   *     file often serves processes that do not (and lack the sinks' secrets)
   */
  public record Problem(int entry, String text, boolean unsetVariable) {}

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
