package io.vigil.streams.detection;

import io.vigil.schemas.Severity;
import io.vigil.streams.alerts.RuleInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML files bundled in the jar beside the code: rule metadata and rule pack manifests. */
final class BundledYaml {

  private BundledYaml() {}

  /**
   * The top-level map of the bundled {@code resource}; a missing one is a packaging error, named as
   * {@code what} (e.g. "built-in rule").
   */
  static Map<String, Object> read(String resource, String what) {
    try (InputStream in = BundledYaml.class.getClassLoader().getResourceAsStream(resource)) {
      Objects.requireNonNull(in, () -> "missing " + what + " " + resource);
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /**
   * The metadata (title, level, description, tags, author) of a rule whose bundled file carries
   * metadata only, its findings being decided by code: the posture and ingest gap rules.
   */
  static RuleInfo ruleInfo(String id, String resource, String what) {
    Map<String, Object> yaml = read(resource, what);
    @SuppressWarnings("unchecked")
    List<String> tags = (List<String>) yaml.getOrDefault("tags", List.of());
    return new RuleInfo(
        id,
        (String) yaml.get("title"),
        Severity.valueOf(String.valueOf(yaml.get("level"))),
        (String) yaml.get("description"),
        tags,
        (String) yaml.get("author"));
  }
}
