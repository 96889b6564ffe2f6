package io.vigil.deploy.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.ingest.kinesis.ShardLeases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s against the code: each workload's environment and the ConfigMap's config file load
 * with the real loader, probes ask /health and /ready on the configured port, the roles together
 * run every component, pods are locked down and write only to volumes, and every Secret or service
 * account a pod names is there.
 */
class KubernetesManifestsTest {

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private final List<JsonNode> resources = DeployFiles.kustomizeResources("k8s");
  private final JsonNode kustomization = DeployFiles.yaml("k8s/kustomization.yaml");

  @Test
  void kustomizationListsEveryManifestButTheSecretExample() throws IOException {
    List<String> listed = new ArrayList<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    List<String> present;
    try (Stream<Path> files = Files.list(DeployFiles.path("k8s"))) {
      present =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .filter(n -> !n.equals("kustomization.yaml") && !n.equals("secret.example.yaml"))
              .sorted()
              .toList();
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
    assertThat(kustomization.at("/configMapGenerator/0/name").asText()).isEqualTo("vigil-config");
  }

  @Test
  void
      kafkaStreamsRunsAsAStatefulSetWithAStateVolumeTheIngestersWithStableNamesAndTheRestAsDeployments() {
    JsonNode streams = workload("StatefulSet", "vigil-streams");
    String dataVolume = streams.at("/spec/volumeClaimTemplates/0/metadata/name").asText();

    assertThat(components(streams))
        .containsExactly("detection", "aggregates", "alert-view", "events");
    assertThat(mountPath(streams, dataVolume)).isPresent();
    assertThat(dataDir(streams).startsWith(Path.of(mountPath(streams, dataVolume).orElseThrow())))
        .isTrue();
    assertThat(workloads())
        .filteredOn(
            w ->
                !Set.of("vigil-streams", "vigil-ingest-s3", "vigil-ingest-kinesis")
                    .contains(name(w)))
        .allSatisfy(w -> assertThat(w.path("kind").asText()).isEqualTo("Deployment"));
    // Stable pod names are stable transactional ids: a replacement pod fences a crashed one's
    // producer and aborts its open transaction at once.
    for (String ingester : List.of("vigil-ingest-s3", "vigil-ingest-kinesis")) {
      JsonNode set = workload("StatefulSet", ingester);
      assertThat(set.at("/spec/serviceName").asText())
          .isEqualTo(resource("Service", ingester).at("/metadata/name").asText());
      assertThat(set.at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
      assertThat(set.at("/spec").has("volumeClaimTemplates")).isFalse();
    }
    assertThat(streams.at("/spec/serviceName").asText())
        .isEqualTo(resource("Service", "vigil-streams").at("/metadata/name").asText());
    assertThat(resource("Service", "vigil-streams").at("/spec/clusterIP").asText())
        .isEqualTo("None");
  }

  @Test
  void theRolesTogetherRunEveryComponentExceptTheLocalFileInbox() {
    Set<String> running = new HashSet<>();
    workloads().forEach(w -> running.addAll(components(w)));

    assertThat(running)
        .containsExactlyInAnyOrderElementsOf(
            ConfigKeys.RUN_COMPONENT_NAMES.stream().filter(c -> !c.equals("file-inbox")).toList());
  }

  @Test
  void everyWorkloadsEnvironmentAndConfigFileLoadWithTheRealLoader() {
    for (JsonNode workload : workloads()) {
      VigilConfig config = config(workload);
      assertThat(config.find(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)).as(name(workload)).isPresent();
      assertThat(config.passthrough("kafka."))
          .as(name(workload))
          .containsEntry("security.protocol", "SASL_SSL")
          .containsKey("sasl.jaas.config");
    }
  }

  @Test
  void probesAndTheScrapeUseTheManagementPortWhichNeedsNoToken() {
    assertThat(
            DeployFiles.yaml("k8s/monitoring/podmonitor.yaml")
                .at("/spec/podMetricsEndpoints/0/port")
                .asText())
        .isEqualTo("management");
    for (JsonNode workload : workloads()) {
      JsonNode container = container(workload);
      int port =
          config(workload)
              .find(ConfigKeys.HTTP_MANAGEMENT_PORT)
              .orElseThrow(
                  () ->
                      new AssertionError(
                          name(workload)
                              + ": no http.management.port, so probes and the scrape would need"
                              + " http.token once it is set"));
      assertThat(containerPort(container, "management")).as(name(workload)).isEqualTo(port);
      assertThat(container.at("/livenessProbe/httpGet/path").asText())
          .as(name(workload))
          .isEqualTo("/health");
      assertThat(container.at("/readinessProbe/httpGet/path").asText())
          .as(name(workload))
          .isEqualTo("/ready");
      for (String probe : List.of("livenessProbe", "readinessProbe")) {
        assertThat(containerPort(container, container.at("/" + probe + "/httpGet/port").asText()))
            .as(name(workload) + " " + probe)
            .isEqualTo(port);
      }
      JsonNode annotations = workload.at("/spec/template/metadata/annotations");
      assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(port));
      assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
    }
  }

  @Test
  void podsRunAsTheImagesNonRootUserWithAReadOnlyRootAndWritableVolumesForDataAndTmp() {
    long uid = Dockerfile.read().uid();
    for (JsonNode workload : workloads()) {
      JsonNode pod = workload.at("/spec/template/spec");
      JsonNode container = container(workload);
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name(workload)).isTrue();
      assertThat(pod.at("/securityContext/runAsUser").asLong()).as(name(workload)).isEqualTo(uid);
      assertThat(pod.at("/securityContext/seccompProfile/type").asText())
          .isEqualTo("RuntimeDefault");
      assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
          .as(name(workload))
          .isTrue();
      assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
          .isFalse();
      assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
      assertThat(mountedDirectories(workload))
          .as(name(workload))
          .anySatisfy(dir -> assertThat(dataDir(workload).startsWith(dir)).isTrue())
          .contains(Path.of("/tmp"));
    }
  }

  @Test
  void everyContainerHasRequestsAndAMemoryLimitAndTimeToStopInOrder() {
    for (JsonNode workload : workloads()) {
      JsonNode resources = container(workload).path("resources");
      assertThat(resources.at("/requests/cpu").isMissingNode()).as(name(workload)).isFalse();
      assertThat(resources.at("/requests/memory").asText())
          .as(name(workload))
          .isEqualTo(resources.at("/limits/memory").asText());
      long grace = workload.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
      assertThat(grace)
          .as(name(workload))
          .isGreaterThan(config(workload).get(ConfigKeys.SHUTDOWN_TIMEOUT).toSeconds() + 2);
    }
  }

  @Test
  void scaledIngestersPublishUnderTransactionalIdsOfTheirOwn() {
    JsonNode s3 = workload("StatefulSet", "vigil-ingest-s3");
    JsonNode kinesis = workload("StatefulSet", "vigil-ingest-kinesis");

    for (JsonNode ingester : List.of(s3, kinesis)) {
      assertThat(ingester.at("/spec/replicas").asInt()).as(name(ingester)).isGreaterThan(1);
      assertThat(config(ingester).get(ConfigKeys.INGEST_TRANSACTIONAL_ID))
          .isEqualTo(name(ingester) + "-pod-0");
      assertThat(rawEnv(ingester).get("VIGIL_INGEST_TRANSACTIONAL_ID")).contains("$(POD_NAME)");
    }
    assertThat(kinesis.at("/spec/replicas").asInt())
        .as("no more readers than the stream's shard leases")
        .isLessThanOrEqualTo(ShardLeases.LEASE_PARTITIONS);
    assertThat(config(s3).find(ConfigKeys.INGEST_S3_QUEUE_URL)).isPresent();
    assertThat(config(kinesis).find(ConfigKeys.INGEST_KINESIS_STREAM)).isPresent();
  }

  @Test
  void streamsReplicasDoNotExceedThePartitionsTheyShare() {
    JsonNode streams = workload("StatefulSet", "vigil-streams");
    VigilConfig config = config(streams);

    assertThat(streams.at("/spec/replicas").asInt())
        .isLessThanOrEqualTo(config.get(ConfigKeys.TOPICS_PARTITIONS));
    assertThat(config.get(ConfigKeys.TOPICS_REPLICATION_FACTOR)).isEqualTo(3);
    assertThat(config.get(ConfigKeys.STREAMS_PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
  }

  @Test
  void sinkSecretsComeFromTheSecretAndResolveEverySinkReference() {
    JsonNode sinks = workload("Deployment", "vigil-sinks");
    VigilConfig config = config(sinks);
    String raw = config.find(ConfigKeys.SINKS).orElseThrow().toString();

    // config(sinks) loads with the pod's environment, so the references resolve from the Secret.
    assertThat(config.find(ConfigKeys.SINKS).orElseThrow().definitions())
        .extracting(d -> d.name())
        .containsExactly("soar", "secops");
    Matcher reference = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(raw);
    while (reference.find()) {
      assertThat(container(sinks).path("env"))
          .as("${" + reference.group(1) + "} from a Secret")
          .anySatisfy(
              e -> {
                assertThat(e.path("name").asText()).isEqualTo(reference.group(1));
                assertThat(e.at("/valueFrom/secretKeyRef/name").asText())
                    .isEqualTo("vigil-sink-secrets");
              });
    }
  }

  @Test
  void everySecretKeyAPodNamesIsInTheSecretExample() {
    Map<String, Set<String>> example = new LinkedHashMap<>();
    for (JsonNode secret : DeployFiles.yamlDocuments(DeployFiles.path("k8s/secret.example.yaml"))) {
      Set<String> keys = new HashSet<>();
      secret.path("stringData").fieldNames().forEachRemaining(keys::add);
      example.put(secret.at("/metadata/name").asText(), keys);
    }
    for (JsonNode workload : workloads()) {
      for (JsonNode env : container(workload).path("env")) {
        JsonNode ref = env.at("/valueFrom/secretKeyRef");
        if (!ref.isMissingNode()) {
          assertThat(example.get(ref.path("name").asText()))
              .as(name(workload) + " " + env.path("name").asText())
              .contains(ref.path("key").asText());
        }
      }
    }
  }

  @Test
  void onlyTheRolesThatCallAwsHaveAnIamRole() {
    String annotation = "eks.amazonaws.com/role-arn";
    assertThat(
            serviceAccount(workload("StatefulSet", "vigil-ingest-s3"))
                .at("/metadata/annotations")
                .has(annotation))
        .isTrue();
    assertThat(
            serviceAccount(workload("StatefulSet", "vigil-ingest-kinesis"))
                .at("/metadata/annotations")
                .has(annotation))
        .isTrue();
    assertThat(
            serviceAccount(workload("StatefulSet", "vigil-streams"))
                .at("/metadata/annotations")
                .has(annotation))
        .isFalse();
    for (JsonNode workload : workloads()) {
      assertThat(workload.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true))
          .isFalse();
    }
  }

  @Test
  void servicesAndDisruptionBudgetsSelectPodsThatExist() {
    List<JsonNode> selecting =
        resources.stream()
            .filter(r -> Set.of("Service", "PodDisruptionBudget").contains(r.path("kind").asText()))
            .toList();
    assertThat(selecting).extracting(r -> r.path("kind").asText()).contains("PodDisruptionBudget");
    for (JsonNode r : selecting) {
      JsonNode selector =
          r.path("kind").asText().equals("Service")
              ? r.at("/spec/selector")
              : r.at("/spec/selector/matchLabels");
      assertThat(workloads())
          .as(r.path("kind").asText() + " " + r.at("/metadata/name").asText())
          .anySatisfy(
              w ->
                  selector
                      .fields()
                      .forEachRemaining(
                          label ->
                              assertThat(
                                      w.at("/spec/template/metadata/labels")
                                          .path(label.getKey())
                                          .asText())
                                  .isEqualTo(label.getValue().asText())));
    }
    for (JsonNode workload : workloads()) {
      workload
          .at("/spec/selector/matchLabels")
          .fields()
          .forEachRemaining(
              label ->
                  assertThat(
                          workload
                              .at("/spec/template/metadata/labels")
                              .path(label.getKey())
                              .asText())
                      .isEqualTo(label.getValue().asText()));
    }
  }

  @Test
  void prometheusRuleCarriesExactlyTheAlertRulesOfThePrometheusDirectory() {
    JsonNode rule = DeployFiles.yaml("k8s/monitoring/prometheusrule.yaml");

    assertThat(rule.path("spec")).isEqualTo(DeployFiles.yaml("prometheus/alerts.yml"));
    assertThat(DeployFiles.yaml("k8s/monitoring/podmonitor.yaml").at("/spec/jobLabel").asText())
        .isEqualTo("app.kubernetes.io/name");
  }

  // --- the workloads as the tests see them

  private List<JsonNode> workloads() {
    return resources.stream()
        .filter(r -> Set.of("Deployment", "StatefulSet").contains(r.path("kind").asText()))
        .toList();
  }

  private JsonNode workload(String kind, String name) {
    return resource(kind, name);
  }

  private JsonNode resource(String kind, String name) {
    return resources.stream()
        .filter(r -> r.path("kind").asText().equals(kind) && name(r).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private JsonNode serviceAccount(JsonNode workload) {
    return resource(
        "ServiceAccount", workload.at("/spec/template/spec/serviceAccountName").asText());
  }

  private static String name(JsonNode resource) {
    return resource.at("/metadata/name").asText();
  }

  private static JsonNode container(JsonNode workload) {
    JsonNode containers = workload.at("/spec/template/spec/containers");
    assertThat(containers).as(name(workload)).hasSize(1);
    return containers.get(0);
  }

  private static int containerPort(JsonNode container, String nameOrNumber) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(nameOrNumber)
          || port.path("containerPort").asText().equals(nameOrNumber)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no container port " + nameOrNumber);
  }

  /** The env entries as written: literal values, or null for values from a Secret or the pod. */
  private static Map<String, String> rawEnv(JsonNode workload) {
    Map<String, String> env = new LinkedHashMap<>();
    container(workload)
        .path("env")
        .forEach(
            e ->
                env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : null));
    return env;
  }

  /**
   * The environment as the kubelet makes it: Secret values are placeholders, the pod name is {@code
   * <workload>-pod-0}, and {@code $(VAR)} refers to an earlier variable.
   */
  private static Map<String, String> resolvedEnv(JsonNode workload) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container(workload).path("env")) {
      String value;
      if (e.has("value")) {
        Matcher ref = ENV_REFERENCE.matcher(e.path("value").asText());
        StringBuilder out = new StringBuilder();
        while (ref.find()) {
          assertThat(env)
              .as(name(workload) + ": $(" + ref.group(1) + ") is defined before use")
              .containsKey(ref.group(1));
          ref.appendReplacement(out, Matcher.quoteReplacement(env.get(ref.group(1))));
        }
        ref.appendTail(out);
        value = out.toString();
      } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
        value = name(workload) + "-pod-0";
      } else if (!e.at("/valueFrom/secretKeyRef").isMissingNode()) {
        value = "https://secret.example/" + e.at("/valueFrom/secretKeyRef/key").asText();
      } else {
        throw new AssertionError(name(workload) + ": unexpected env source " + e);
      }
      env.put(e.path("name").asText(), value);
    }
    return env;
  }

  private VigilConfig config(JsonNode workload) {
    Map<String, String> env = resolvedEnv(workload);
    Path configFile = Path.of(env.get("VIGIL_CONFIG"));
    String volume =
        container(workload).path("volumeMounts").findValues("name").stream()
            .map(JsonNode::asText)
            .filter(n -> mountPath(workload, n).map(p -> configFile.startsWith(p)).orElse(false))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError(name(workload) + ": nothing mounted at " + configFile));
    JsonNode source =
        workload.at("/spec/template/spec/volumes").findParents("name").stream()
            .filter(v -> v.path("name").asText().equals(volume))
            .findFirst()
            .orElseThrow();
    assertThat(source.at("/configMap/name").asText()).isEqualTo("vigil-config");
    String fileInConfigMap =
        Path.of(mountPath(workload, volume).orElseThrow()).relativize(configFile).toString();
    Path local = null;
    for (JsonNode file : kustomization.at("/configMapGenerator/0/files")) {
      String[] keyAndPath = file.asText().split("=", 2);
      if (keyAndPath[0].equals(fileInConfigMap)) {
        local = DeployFiles.path("k8s").resolve(keyAndPath[1]);
      }
    }
    assertThat(local).as(name(workload) + ": the ConfigMap has " + fileInConfigMap).isNotNull();
    return VigilConfig.load(Optional.of(local), env, Map.of());
  }

  private List<String> components(JsonNode workload) {
    return config(workload).get(ConfigKeys.RUN_COMPONENTS);
  }

  private Path dataDir(JsonNode workload) {
    return Path.of(Dockerfile.read().last("WORKDIR").orElseThrow())
        .resolve(config(workload).get(ConfigKeys.DATA_DIR))
        .normalize();
  }

  private static Optional<String> mountPath(JsonNode workload, String volume) {
    for (JsonNode mount : container(workload).path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume)) {
        return Optional.of(mount.path("mountPath").asText());
      }
    }
    return Optional.empty();
  }

  /** Writable directories: mounts of emptyDir volumes and of the StatefulSet's volume claims. */
  private static List<Path> mountedDirectories(JsonNode workload) {
    Set<String> writable = new HashSet<>();
    workload
        .at("/spec/template/spec/volumes")
        .forEach(
            v -> {
              if (v.has("emptyDir")) {
                writable.add(v.path("name").asText());
              }
            });
    workload
        .at("/spec/volumeClaimTemplates")
        .forEach(t -> writable.add(t.at("/metadata/name").asText()));
    List<Path> dirs = new ArrayList<>();
    for (JsonNode mount : container(workload).path("volumeMounts")) {
      if (writable.contains(mount.path("name").asText())
          && !mount.path("readOnly").asBoolean(false)) {
        dirs.add(Path.of(mount.path("mountPath").asText()));
      }
    }
    return dirs;
  }
}
