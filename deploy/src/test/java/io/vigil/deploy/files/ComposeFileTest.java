package io.vigil.deploy.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.ConfiguredSinks;
import io.vigil.app.config.VigilConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose/compose.yaml against the code: every Vigil container's environment and config file
 * load with the real loader, ports and bootstrap servers line up, the broker is set for
 * exactly-once on one node, and secrets come from env files that exist as examples.
 */
class ComposeFileTest {

  private static final String DIR = "compose/";

  private final JsonNode compose = DeployFiles.yaml(DIR + "compose.yaml");
  private final JsonNode services = compose.get("services");

  @Test
  void servicesAreKafkaBothVigilRolesPrometheusAndGrafana() {
    assertThat(fieldNames(services))
        .containsExactlyInAnyOrder("kafka", "vigil", "vigil-sinks", "prometheus", "grafana");
    assertThat(services.at("/kafka/image").asText()).startsWith("apache/kafka:");
  }

  @Test
  void everyVigilContainerLoadsItsEnvironmentAndConfigFileWithTheRealLoader() {
    for (String name : vigilServices()) {
      VigilConfig config = load(name);
      assertThat(config.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).as(name).isPresent();
    }
  }

  @Test
  void vigilSplitsIntoStreamsAndSinksRolesThatTogetherRunEverythingButTheInbox() {
    List<String> main = load("vigil").get(ConfigKeys.RUN_COMPONENTS);
    List<String> sinks = load("vigil-sinks").get(ConfigKeys.RUN_COMPONENTS);

    assertThat(main).contains("detection", "aggregates", "alert-view").doesNotContain("sinks");
    assertThat(sinks).containsExactly("sinks");
  }

  @Test
  void bootstrapServersAreTheBrokersAdvertisedListener() {
    String advertised = services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText();
    for (String name : vigilServices()) {
      String bootstrap = load(name).get(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
      assertThat(advertised).as(name).contains("://" + bootstrap);
    }
  }

  @Test
  void singleNodeBrokerHasTheReplicationAndMinIsrThatExactlyOnceNeeds() {
    JsonNode env = services.at("/kafka/environment");

    for (String variable :
        List.of(
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
            "KAFKA_DEFAULT_REPLICATION_FACTOR",
            "KAFKA_MIN_INSYNC_REPLICAS")) {
      assertThat(env.path(variable).asText()).as(variable).isEqualTo("1");
    }
    assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
    assertThat(env.path("CLUSTER_ID").asText()).hasSize(22);
    assertThat(load("vigil").get(ConfigKeys.TOPICS_REPLICATION_FACTOR)).isEqualTo(1);
    assertThat(load("vigil").get(ConfigKeys.STREAMS_PROCESSING_GUARANTEE))
        .isEqualTo("exactly_once_v2");
    assertThat(services.at("/kafka/volumes/0").asText())
        .endsWith(":" + env.path("KAFKA_LOG_DIRS").asText());
  }

  @Test
  void publishedPortsReachTheConfiguredHttpPort() {
    for (String name : vigilServices()) {
      String port = services.at("/" + name + "/ports/0").asText();
      assertThat(port.substring(port.lastIndexOf(':') + 1))
          .as(name)
          .isEqualTo(String.valueOf(load(name).get(ConfigKeys.HTTP_PORT)));
    }
  }

  @Test
  void streamsStateLivesOnANamedVolumeAtTheImagesDataDirectory() {
    Path dataDir =
        Path.of(Dockerfile.read().last("WORKDIR").orElseThrow())
            .resolve(load("vigil").get(ConfigKeys.DATA_DIR))
            .normalize();

    assertThat(services.at("/vigil/volumes"))
        .anySatisfy(
            volume -> {
              String[] parts = volume.asText().split(":");
              assertThat(compose.at("/volumes").has(parts[0]))
                  .as("a named volume: " + volume)
                  .isTrue();
              assertThat(dataDir.startsWith(Path.of(parts[1]))).isTrue();
            });
  }

  @Test
  void sinkSecretsResolveFromTheSinksEnvFileAndNoOtherContainerGetsThem() {
    // Loaded with the vigil-sinks container's environment, so its references resolve from
    // sinks.env.
    ConfiguredSinks sinks = load("vigil-sinks").find(ConfigKeys.SINKS).orElseThrow();

    assertThat(sinks.definitions()).extracting(d -> d.name()).contains("console", "soar");
    assertThat(sinks.toString()).contains("${WEBHOOK_URL}").doesNotContain("https://");
    for (String other : List.of("vigil", "grafana", "kafka", "prometheus")) {
      assertThat(environment(other)).as(other).doesNotContainKeys("WEBHOOK_URL", "WEBHOOK_SECRET");
    }
    assertThat(DeployFiles.text(DIR + ".gitignore")).contains("*.env");
  }

  @Test
  void grafanaProvisionsPrometheusAndTheDashboardDirectory() {
    JsonNode datasource =
        DeployFiles.yaml("grafana/provisioning/datasources/prometheus.yaml").at("/datasources/0");
    String dashboardsPath =
        DeployFiles.yaml("grafana/provisioning/dashboards/vigil.yaml")
            .at("/providers/0/options/path")
            .asText();

    assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    assertThat(services.at("/grafana/volumes"))
        .extracting(JsonNode::asText)
        .contains(
            "../dashboards:" + dashboardsPath + ":ro",
            "../grafana/provisioning:/etc/grafana/provisioning:ro");
  }

  @Test
  void prometheusScrapesEveryVigilContainerOnItsManagementPortAndLoadsTheAlertRules() {
    JsonNode prometheus = DeployFiles.yaml("prometheus/prometheus.yml");
    List<String> targets =
        prometheus.at("/scrape_configs/0/static_configs").findValues("targets").stream()
            .flatMap(t -> java.util.stream.StreamSupport.stream(t.spliterator(), false))
            .map(JsonNode::asText)
            .toList();

    assertThat(targets)
        .containsExactlyInAnyOrderElementsOf(
            vigilServices().stream()
                .map(
                    name ->
                        name
                            + ":"
                            + load(name)
                                .find(ConfigKeys.HTTP_MANAGEMENT_PORT)
                                .orElseThrow(
                                    () ->
                                        new AssertionError(
                                            name
                                                + ": no http.management.port, so the scrape"
                                                + " would need http.token once it is set")))
                .toList());
    assertThat(prometheus.at("/scrape_configs/0/metrics_path").asText()).isEqualTo("/metrics");
    assertThat(prometheus.at("/rule_files/0").asText()).isEqualTo("alerts.yml");
    assertThat(services.at("/prometheus/volumes"))
        .extracting(JsonNode::asText)
        .contains("../prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
  }

  @Test
  void stopGracePeriodLeavesRoomForTheOrderlyShutdown() {
    for (String name : vigilServices()) {
      long grace =
          java.time.Duration.parse(
                  "PT" + services.at("/" + name + "/stop_grace_period").asText().toUpperCase())
              .toSeconds();
      assertThat(grace)
          .as(name)
          .isGreaterThan(load(name).get(ConfigKeys.SHUTDOWN_TIMEOUT).toSeconds() + 2);
    }
  }

  private List<String> vigilServices() {
    return fieldNames(services).stream()
        .filter(name -> services.get(name).path("image").asText().startsWith("vigil:"))
        .toList();
  }

  /**
   * The container's environment as compose gives it: env_file entries (from the examples), then
   * environment.
   */
  private Map<String, String> environment(String service) {
    JsonNode definition = services.get(service);
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode file : definition.path("env_file")) {
      assertThat(DeployFiles.path(DIR + file.asText()))
          .as("env files are never committed")
          .doesNotExist();
      env.putAll(DeployFiles.envFile(DIR + file.asText() + ".example"));
    }
    definition
        .path("environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  private VigilConfig load(String service) {
    Map<String, String> env = environment(service);
    String configPath = env.get("VIGIL_CONFIG");
    assertThat(configPath).as(service + " sets VIGIL_CONFIG").isNotNull();
    String source = null;
    for (JsonNode volume : services.get(service).path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts[1].equals(configPath)) {
        source = parts[0];
      }
    }
    assertThat(source).as(service + " mounts " + configPath).isNotNull();
    return VigilConfig.load(Optional.of(DeployFiles.path(DIR + source)), env, Map.of());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
