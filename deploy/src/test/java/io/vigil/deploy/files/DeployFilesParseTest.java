package io.vigil.deploy.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every YAML and JSON file of deploy/ parses, with no duplicate keys and no empty document. */
class DeployFilesParseTest {

  @Test
  void everyYamlFileParsesIntoNonEmptyDocuments() {
    List<Path> files = DeployFiles.files(".yaml", ".yml");

    assertThat(files)
        .extracting(p -> DeployFiles.root().relativize(p).toString())
        .contains(
            "compose/compose.yaml",
            "k8s/kustomization.yaml",
            "k8s/streams.yaml",
            "prometheus/alerts.yml",
            "grafana/provisioning/dashboards/vigil.yaml");
    for (Path file : files) {
      assertThat(DeployFiles.yamlDocuments(file))
          .as(file.toString())
          .isNotEmpty()
          .allSatisfy(doc -> assertThat(doc.isObject()).as(file + ": a mapping").isTrue());
    }
  }

  @Test
  void everyJsonFileParses() {
    List<Path> files = DeployFiles.files(".json");

    assertThat(files).extracting(p -> p.getFileName().toString()).contains("vigil.json");
    for (Path file : files) {
      assertThat(DeployFiles.json(file).isObject()).as(file.toString()).isTrue();
    }
  }

  @Test
  void everyKubernetesDocumentNamesItsApiVersionKindAndName() {
    for (Path file : DeployFiles.files(".yaml")) {
      if (!DeployFiles.root().relativize(file).startsWith("k8s")
          || file.getFileName().toString().equals("kustomization.yaml")
          || file.getParent().getFileName().toString().equals("config")) {
        continue;
      }
      for (var doc : DeployFiles.yamlDocuments(file)) {
        assertThat(doc.path("apiVersion").asText()).as(file.toString()).isNotBlank();
        assertThat(doc.path("kind").asText()).as(file.toString()).isNotBlank();
        assertThat(doc.at("/metadata/name").asText()).as(file.toString()).isNotBlank();
      }
    }
  }
}
