package io.vigil.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.cli.VigilCommand;
import io.vigil.deploy.VigilJar;
import io.vigil.schemas.Alert;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.FreePorts;
import io.vigil.testkit.HttpProbe;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's faults on a real cluster: three brokers ({@code tools/kafka-cluster/cluster}), two
 * {@code vigil run} processes, each with its own inbox, sharing the work. In the middle of
 * ingesting the 55 Invictus CloudTrail files, the leader of the busiest CloudTrail partition is
 * SIGKILLed, then one Vigil instance is SIGKILLed and started again, then the broker is restarted.
 * Afterwards both instances' {@code /api/alerts} hold exactly the alerts and counts {@code vigil
 * scan} finds in the same files, no inbox file went to {@code failed/}, and the webhook got every
 * alert publication on the topic, each key at least once. How long alerts stopped after each fault
 * is printed (it goes to docs/deployment.md).
 */
class ClusterFailoverIT {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private HttpServer receiver;
  private boolean clusterStarted;

  @AfterEach
  void stopEverything() throws Exception {
    processes.forEach(Process::destroyForcibly);
    if (receiver != null) {
      receiver.stop(0);
    }
    if (clusterStarted) {
      ClusterScript.run(dir.resolve("kafka"), "stop", dir.resolve("kafka").toString());
    }
  }

  @Test
  void brokerAndInstanceKilledMidIngestLoseNothingAndInflateNothing() throws Exception {
    List<Path> files;
    try (Stream<Path> listing = Files.list(TestData.path("invictus_aws_dataset/CloudTrail"))) {
      files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSize(55);
    Map<String, String> expected = scanSummary(files);
    assertThat(expected).as("the corpus raises alerts").hasSizeGreaterThan(10);

    Set<String> delivered = ConcurrentHashMap.newKeySet();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) {
              delivered.add(key);
            }
            exchange.sendResponseHeaders(200, -1);
          }
        });
    receiver.start();

    Path kafkaDir = Files.createDirectories(dir.resolve("kafka"));
    String bootstrap =
        ClusterScript.lastLine(ClusterScript.run(kafkaDir, "start", kafkaDir.toString(), "3"));
    clusterStarted = true;

    Instance a = new Instance("a", bootstrap);
    Instance b = new Instance("b", bootstrap);
    a.start();
    b.start();
    a.awaitReady();
    b.awaitReady();

    Progress progress = new Progress(a, List.of(a, b));
    progress.start();
    // The files arrive over ~25 s, half in each instance's inbox (each staged beside it and moved
    // in whole), so that ingest is under way at each fault and goes on after it.
    int leader = -1;
    int doneAtBrokerKill = 0;
    int doneAtInstanceKill = 0;
    long brokerKilled = 0;
    long instanceKilled = 0;
    for (int i = 0; i < files.size(); i++) {
      if (i == files.size() / 3) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
          leader = leaderOfBusiestPartition(admin, "vigil.cloudtrail");
        }
        doneAtBrokerKill = a.done() + b.done();
        brokerKilled = System.nanoTime();
        ClusterScript.run(kafkaDir, "kill", kafkaDir.toString(), Integer.toString(leader));
      }
      if (i == files.size() * 2 / 3) {
        doneAtInstanceKill = a.done() + b.done();
        instanceKilled = System.nanoTime();
        b.kill();
        b.start();
      }
      Instance to = i % 2 == 0 ? a : b;
      Path staged = to.dataDir.resolve("staged-" + i);
      Files.copy(files.get(i), staged);
      Files.move(staged, to.inbox().resolve(i + "-" + files.get(i).getFileName()));
      Thread.sleep(450);
    }
    b.awaitReady();
    ClusterScript.run(kafkaDir, "restart", kafkaDir.toString(), Integer.toString(leader));

    awaitDone(List.of(a, b), files.size(), Duration.ofSeconds(300));
    Map<String, String> onA = awaitSummary(a, expected);
    Map<String, String> onB = awaitSummary(b, expected);
    progress.stopSampling();

    assertThat(onA).as("alerts on instance a").isEqualTo(expected);
    assertThat(onB).as("alerts on instance b").isEqualTo(expected);
    assertThat(a.failed()).as("inbox files of a that failed").isEmpty();
    assertThat(b.failed()).as("inbox files of b that failed").isEmpty();

    Set<String> published = publications(bootstrap);
    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!delivered.containsAll(published) && System.nanoTime() < end) {
      Thread.sleep(250);
    }
    assertThat(delivered)
        .as("every alert publication on vigil.alerts reached the webhook")
        .containsAll(published);
    assertThat(published).containsAll(delivered);

    System.out.printf(
        "ClusterFailoverIT: %d threat alerts as the scan's, %d publications delivered; broker %d"
            + " killed at %d of %d files done: next file done %.1f s later, alerts grew %.1f s"
            + " later; instance b killed at %d done: next file done %.1f s later, alerts grew %.1f"
            + " s later%n",
        expected.size(),
        published.size(),
        leader,
        doneAtBrokerKill,
        files.size(),
        progress.ingestResumed(brokerKilled),
        progress.alertsResumed(brokerKilled),
        doneAtInstanceKill,
        progress.ingestResumed(instanceKilled),
        progress.alertsResumed(instanceKilled));
  }

  /** {@code vigil scan}'s final publication of each threat alert: rule, entity, count, times. */
  private static Map<String, String> scanSummary(List<Path> files) throws Exception {
    List<String> args = new ArrayList<>(List.of("scan", "--threads", "1"));
    files.forEach(f -> args.add(f.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        VigilCommand.execute(
            args.toArray(String[]::new),
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isIn(0, 1);
    Map<String, JsonNode> last = new HashMap<>();
    for (String line : out.toString().split("\n")) {
      if (line.startsWith("{")) {
        JsonNode alert = JSON.readTree(line);
        last.put(alert.get("dedup_key").asText(), alert);
      }
    }
    return summary(last.values());
  }

  private static Map<String, String> summary(Iterable<JsonNode> alerts) {
    Map<String, String> summary = new TreeMap<>();
    for (JsonNode alert : alerts) {
      if (!alert.get("source").asText().equals("posture")) {
        summary.put(
            alert.get("dedup_key").asText(),
            alert.get("rule_id").asText()
                + " "
                + alert.get("entity").asText()
                + " count="
                + alert.get("count").asLong()
                + " "
                + alert.get("first_seen").asText()
                + ".."
                + alert.get("last_seen").asText());
      }
    }
    return summary;
  }

  private static Map<String, String> awaitSummary(Instance instance, Map<String, String> expected)
      throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    Map<String, String> got = Map.of();
    while (System.nanoTime() < end) {
      got = summary(instance.alerts());
      if (got.equals(expected)) {
        break;
      }
      Thread.sleep(1000);
    }
    return got;
  }

  private static void awaitDone(List<Instance> instances, int count, Duration bound)
      throws Exception {
    long end = System.nanoTime() + bound.toNanos();
    int done = 0;
    while (System.nanoTime() < end) {
      done = 0;
      for (Instance instance : instances) {
        done += instance.done();
      }
      if (done >= count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("only " + done + " of " + count + " inbox files done");
  }

  private static int leaderOfBusiestPartition(Admin admin, String topic) throws Exception {
    TopicDescription description =
        admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartitionInfo p : description.partitions()) {
      latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
    }
    var offsets = admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
    TopicPartitionInfo busiest =
        description.partitions().stream()
            .max(
                Comparator.comparingLong(
                    p -> offsets.get(new TopicPartition(topic, p.partition())).offset()))
            .orElseThrow();
    return busiest.leader().id();
  }

  /** Every publication on vigil.alerts, as {@code <dedup_key>:<update>}. */
  private static Set<String> publications(String bootstrap) {
    VigilTopics topics = VigilTopics.defaults(SerdeFactory.fromSettings(Map.of()));
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "failover-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Set<String> keys = ConcurrentHashMap.newKeySet();
    try (KafkaConsumer<String, Alert> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), topics.alerts().valueSerde().deserializer())) {
      consumer.subscribe(List.of(topics.alerts().name()));
      long quietSince = System.nanoTime();
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < end
          && (keys.isEmpty() || System.nanoTime() - quietSince < 5_000_000_000L)) {
        var records = consumer.poll(Duration.ofMillis(500));
        if (!records.isEmpty()) {
          quietSince = System.nanoTime();
        }
        records.forEach(
            r -> {
              if (r.value() != null) {
                keys.add(r.value().getDedupKey() + ":" + r.value().getUpdate());
              }
            });
      }
    }
    return keys;
  }

  /**
   * Samples the inbox files done (both instances) and one instance's alert total (the sum of
   * counts), to time how long ingest and then alerts stopped after a fault.
   */
  private static final class Progress extends Thread {
    private final Instance view;
    private final List<Instance> inboxes;
    private final List<long[]> samples = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    Progress(Instance view, List<Instance> inboxes) {
      this.view = view;
      this.inboxes = inboxes;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!stopping) {
        try {
          long done = 0;
          for (Instance instance : inboxes) {
            done += instance.done();
          }
          long total = 0;
          for (JsonNode alert : view.alerts()) {
            total += alert.get("count").asLong();
          }
          samples.add(new long[] {System.nanoTime(), done, total});
          Thread.sleep(250);
        } catch (Exception e) {
          // unreachable for a moment (a rebalance, a restart): the next sample tells
        }
      }
    }

    void stopSampling() {
      stopping = true;
    }

    /** Seconds from {@code since} until the next inbox file was done. */
    double ingestResumed(long since) {
      return (grew(since, 1) - since) / 1e9;
    }

    /** Seconds from {@code since} until the alert total grew after ingest had resumed. */
    double alertsResumed(long since) {
      return (grew(grew(since, 1), 2) - since) / 1e9;
    }

    // The time of the first sample after `since` whose field grew past its value at `since`.
    private long grew(long since, int field) {
      long before = -1;
      for (long[] sample : samples) {
        if (sample[0] <= since) {
          before = sample[field];
        } else if (before >= 0 && sample[field] > before) {
          return sample[0];
        }
      }
      return Long.MAX_VALUE / 2;
    }
  }

  /** One {@code vigil run} process with its data dir, inbox and HTTP port. */
  private final class Instance {
    final String name;
    final Path dataDir;
    final int port;
    final List<String> args;
    Process process;
    int starts;

    Instance(String name, String bootstrap) throws IOException {
      this.name = name;
      this.dataDir = Files.createDirectories(dir.resolve(name));
      this.port = FreePorts.one();
      Files.createDirectories(inbox());
      this.args =
          List.of(
              "run",
              "--data-dir",
              dataDir.toString(),
              "--bootstrap-servers",
              bootstrap,
              "--set",
              "http.port=" + port,
              "--set",
              "http.host=127.0.0.1",
              "--set",
              "topics.partitions=6",
              "--set",
              "ingest.files.inbox=" + inbox(),
              "--set",
              "ingest.transactional.id=vigil-ingest-" + name,
              "--set",
              "kafka.group.instance.id=vigil-" + name,
              "--set",
              "alerts.update.interval=5s",
              "--set",
              "sinks=[{type: webhook, name: hook, url: 'http://127.0.0.1:"
                  + receiver.getAddress().getPort()
                  + "/'}]");
    }

    Path inbox() {
      return dataDir.resolve("inbox");
    }

    void start() throws IOException {
      process =
          VigilJar.start(args, Map.of(), "768m", dir.resolve(name + "-" + (starts++) + ".log"));
      processes.add(process);
    }

    void awaitReady() throws Exception {
      assertThat(HttpProbe.awaitReady(port, Duration.ofSeconds(180)))
          .as("instance %s ready", name)
          .isEqualTo(200);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no orderly close, no last commit
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    int done() throws IOException {
      return count(inbox().resolve("done"));
    }

    List<Path> failed() throws IOException {
      Path failed = inbox().resolve("failed");
      if (!Files.isDirectory(failed)) {
        return List.of();
      }
      try (Stream<Path> listing = Files.list(failed)) {
        return listing.toList();
      }
    }

    List<JsonNode> alerts() throws Exception {
      HttpResponse<String> response =
          CLIENT.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/api/alerts?limit=10000"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      List<JsonNode> alerts = new ArrayList<>();
      if (response.statusCode() == 200) {
        JSON.readTree(response.body()).get("alerts").forEach(alerts::add);
      }
      return alerts;
    }

    private int count(Path directory) throws IOException {
      if (!Files.isDirectory(directory)) {
        return 0;
      }
      try (Stream<Path> listing = Files.list(directory)) {
        return (int) listing.count();
      }
    }
  }
}
