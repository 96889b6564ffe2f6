package io.vigil.reports;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A compliance framework as Vigil maps it: the controls Vigil evaluates, each cited to the
 * framework's section and evaluated by the rules whose compliance tags name it, and the controls
 * Vigil does not evaluate, each with the reason. Loaded from {@code frameworks/<id>.yml} on the
 * classpath, data files kept beside the rules so that the mapping is reviewed like the rules are.
 *
 * @param id the framework id used on the command line and in URLs, e.g. {@code cis-aws}
 * @param name the framework's full name
 * @param version the framework version the control numbers refer to
 * @param tagPrefix the prefix of the rules' tags for this framework, e.g. {@code cis.aws.}
 * @param controls the controls Vigil evaluates, in the framework's order
 * @param notEvaluated the framework's controls (or areas) Vigil does not evaluate
 */
public record Framework(
    String id,
    String name,
    String version,
    String tagPrefix,
    List<Control> controls,
    List<UncoveredControl> notEvaluated) {

  /** The ids of the frameworks shipped with Vigil, in the order the CLI lists them. */
  public static final List<String> IDS = List.of("cis-aws", "pci-dss", "hipaa", "soc2", "gdpr");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          // A misspelt key in a mapping file should fail the build, not drop a control's rules.
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Framework {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    controls = controls == null ? List.of() : List.copyOf(controls);
    notEvaluated = notEvaluated == null ? List.of() : List.copyOf(notEvaluated);
  }

  /**
   * A control Vigil evaluates.
   *
   * @param id the control's number in the framework, as auditors cite it, e.g. {@code 4.3}, {@code
   *     164.312(b)}, {@code CC7.2}, {@code Art. 32}
   * @param title the control's title in the framework
   * @param section the citation of the framework section, e.g. "CIS AWS Foundations Benchmark
   *     v1.4.0, 4.3"
   * @param evaluation what Vigil checks for this control, in one sentence
   * @param rules the ids of the Vigil rules that evaluate it (rules tagged with this control)
   */
  public record Control(
      String id, String title, String section, String evaluation, List<String> rules) {
    public Control {
      Objects.requireNonNull(id, "id");
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /**
   * A control or area of the framework that Vigil does not evaluate.
   *
   * @param id the control's number (or range) in the framework
   * @param title its title
   * @param reason why Vigil cannot evaluate it from the logs it reads
   */
  public record UncoveredControl(String id, String title, String reason) {}

  /** Loads a shipped framework by id ({@link #IDS}). */
  public static Framework load(String id) {
    String resource = "frameworks/" + id + ".yml";
    try (InputStream in = Framework.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("Unknown framework " + id + "; known: " + IDS);
      }
      return YAML.readValue(in, Framework.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  /** The shipped frameworks, in {@link #IDS} order. */
  public static List<Framework> all() {
    return IDS.stream().map(Framework::load).toList();
  }

  /**
   * The control id a rule tag of this framework names, the way alerts' compliance references write
   * it ({@code cis.aws.4.3} is {@code 4.3}, {@code hipaa.164.312.a.2.iv} is {@code
   * 164.312(a)(2)(iv)}, {@code hipaa.164.308.a.1.ii.d} is {@code 164.308(a)(1)(ii)(D)}, {@code
   * soc2.cc7.2} is {@code CC7.2}, {@code gdpr.32} is {@code Art. 32}); null when the tag is not of
   * this framework.
   */
  public String controlIdOfTag(String tag) {
    String lower = tag.toLowerCase(Locale.ROOT);
    if (tagPrefix == null || !lower.startsWith(tagPrefix)) {
      return null;
    }
    String rest = lower.substring(tagPrefix.length());
    switch (id) {
      case "hipaa":
        {
          String[] parts = rest.split("\\.");
          if (parts.length < 2) {
            return rest;
          }
          StringBuilder out = new StringBuilder(parts[0]).append('.').append(parts[1]);
          for (int i = 2; i < parts.length; i++) {
            // CFR paragraph levels: (a), (1), (i), then (A): the fourth is an upper-case letter,
            // which Sigma tags cannot carry.
            String paragraph = i == 5 ? parts[i].toUpperCase(Locale.ROOT) : parts[i];
            out.append('(').append(paragraph).append(')');
          }
          return out.toString();
        }
      case "soc2":
        return rest.toUpperCase(Locale.ROOT);
      case "gdpr":
        return "Art. " + rest.replaceFirst("^art", "");
      default:
        return rest;
    }
  }
}
