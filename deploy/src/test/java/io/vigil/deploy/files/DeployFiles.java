package io.vigil.deploy.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files under {@code deploy/} that run Vigil for real (docker, compose, k8s, dashboards,
 * prometheus, grafana), read as the tests need them: YAML (several documents a file) and JSON with
 * duplicate keys refused, and the Kubernetes resources that {@code k8s/kustomization.yaml} lists.
 */
final class DeployFiles {

  /** The directories this test suite owns, relative to the deploy module. */
  static final List<String> DIRECTORIES =
      List.of("docker", "compose", "k8s", "dashboards", "prometheus", "grafana");

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .build();
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private DeployFiles() {}

  /** The deploy module directory: Maven runs the tests there. */
  static Path root() {
    Path root = Path.of("").toAbsolutePath();
    assertThat(root.resolve("k8s/kustomization.yaml"))
        .as("the tests run in the deploy module directory (Maven's basedir)")
        .exists();
    return root;
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  /** Every file under the owned directories with one of the extensions, sorted. */
  static List<Path> files(String... extensions) {
    List<Path> found = new ArrayList<>();
    for (String dir : DIRECTORIES) {
      try (Stream<Path> walk = Files.walk(path(dir))) {
        walk.filter(Files::isRegularFile)
            .filter(
                p -> Stream.of(extensions).anyMatch(e -> p.getFileName().toString().endsWith(e)))
            .forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    found.sort(null);
    return found;
  }

  /** Every document of a YAML file, in order. */
  static List<JsonNode> yamlDocuments(Path file) {
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      List<JsonNode> out = new ArrayList<>();
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          out.add(doc);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  /** The single document of a YAML file. */
  static JsonNode yaml(String relative) {
    List<JsonNode> docs = yamlDocuments(path(relative));
    assertThat(docs).as(relative + " holds one document").hasSize(1);
    return docs.get(0);
  }

  static JsonNode json(String relative) {
    try {
      return JSON.readTree(path(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + relative + ": " + e.getMessage(), e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  static String text(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code NAME=value} lines of an env file, without comments and blank lines. */
  static Map<String, String> envFile(String relative) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : text(relative).lines().toList()) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      assertThat(eq).as(relative + ": NAME=value line: " + line).isPositive();
      env.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
    }
    return env;
  }

  /**
   * The resources {@code k8s/kustomization.yaml} (or another kustomization) lists, every document.
   */
  static List<JsonNode> kustomizeResources(String kustomizationDir) {
    JsonNode kustomization = yaml(kustomizationDir + "/kustomization.yaml");
    List<JsonNode> resources = new ArrayList<>();
    for (JsonNode resource : kustomization.path("resources")) {
      resources.addAll(yamlDocuments(path(kustomizationDir).resolve(resource.asText())));
    }
    return resources;
  }
}
