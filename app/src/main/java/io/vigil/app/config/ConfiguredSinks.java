package io.vigil.app.config;

import io.vigil.sinks.SinkDefinition;
import java.util.List;

/**
 * The value of the {@code sinks} key: the sink definitions, checked when the configuration loaded,
 * and the list as written with its secrets masked, which is how it prints.
 *
 * <p>A {@code ${NAME}} reference to a variable that is not set is the one problem not reported at
 * load: one configuration file often serves processes that do not run the sinks and are rightly not
 * given their secrets (see deploy/compose and deploy/k8s). It is reported, with the entry and where
 * it was written, by {@link #definitions()}, which only a process that runs the sinks calls.
 */
public final class ConfiguredSinks {

  private final List<SinkDefinition> definitions;
  private final List<String> unsetVariables;
  private final String shown;

  ConfiguredSinks(List<SinkDefinition> definitions, List<String> unsetVariables, String shown) {
    this.definitions = List.copyOf(definitions);
    this.unsetVariables = List.copyOf(unsetVariables);
    this.shown = shown;
  }

  /**
   * The sinks to run, in the order written.
   *
   * @throws ConfigException naming each sink, key and unset environment variable, and where the
   *     sink was configured
   */
  public List<SinkDefinition> definitions() {
    if (!unsetVariables.isEmpty()) {
      throw new ConfigException(unsetVariables);
    }
    return definitions;
  }

  /**
   * The list as written, secrets masked ({@code ${NAME}} references are shown: they are not
   * secret).
   */
  @Override
  public String toString() {
    return shown;
  }
}
