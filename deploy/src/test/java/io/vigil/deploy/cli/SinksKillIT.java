package io.vigil.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.deploy.VigilJar;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.SerdeFactory;
import io.vigil.schemas.Severity;
import io.vigil.schemas.VigilTopics;
import io.vigil.testkit.InProcessKafkaExtension;
import io.vigil.testkit.KafkaCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil sinks} as its own process, killed with SIGKILL in the middle of delivering and
 * started again: every alert still reaches the receiver (offsets are committed only after
 * delivery), and what arrives twice carries the same idempotency key, so the receiver can drop it.
 */
@ExtendWith(InProcessKafkaExtension.class)
class SinksKillIT {

  private static final int ALERTS = 150;

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private HttpServer receiver;

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void sinkKilledMidBatchAndRestartedLosesNothing(KafkaCluster kafka) throws Exception {
    Set<String> keys = ConcurrentHashMap.newKeySet();
    AtomicInteger requests = new AtomicInteger();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            sleep(20); // a receiver slow enough for the kill to land mid-way
            if (key != null) {
              keys.add(key);
            }
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
          }
        });
    receiver.start();

    String prefix = "kill-" + System.nanoTime();
    String alertsTopic = prefix + ".alerts";
    VigilTopics topics =
        VigilTopics.create(
            Map.of("alerts", alertsTopic, "dlq", prefix + ".dlq"),
            SerdeFactory.fromSettings(Map.of()));
    List<String> args =
        List.of(
            "sinks",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--data-dir",
            dir.toString(),
            "--set",
            "topics.alerts=" + alertsTopic,
            "--set",
            "topics.dlq=" + prefix + ".dlq",
            "--set",
            "streams.application.id=" + prefix,
            "--set",
            "topics.partitions=1",
            "--set",
            "sinks=[{type: webhook, name: hook, url: 'http://127.0.0.1:"
                + receiver.getAddress().getPort()
                + "/'}]");

    Process first = start(args, dir.resolve("first.log"));
    produce(kafka, topics, ALERTS);
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (requests.get() < ALERTS / 3 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(requests.get()).as("deliveries before the kill").isBetween(1, ALERTS - 1);
    first.destroyForcibly(); // SIGKILL: no orderly close, no last commit
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

    start(args, dir.resolve("second.log"));
    // Generous: the loop ends as soon as every key is in; on a loaded 2-core machine the restarted
    // JVM, its group join and the redelivery took longer than 90 s once.
    end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (keys.size() < ALERTS && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(keys).as("every alert delivered, once per idempotency key").hasSize(ALERTS);
    assertThat(requests.get())
        .as("at least once: repeats only around the kill")
        .isGreaterThanOrEqualTo(ALERTS);
  }

  private Process start(List<String> args, Path log) throws IOException {
    Process process = VigilJar.start(args, Map.of(), "256m", log);
    processes.add(process);
    return process;
  }

  private static void produce(KafkaCluster kafka, VigilTopics topics, int count) {
    var alerts = topics.alerts();
    try (KafkaProducer<String, Alert> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            alerts.keySerde().serializer(),
            alerts.valueSerde().serializer())) {
      for (int i = 0; i < count; i++) {
        String dedupKey = "aws-root-account-usage:k" + i + ":1764324000";
        producer.send(
            new ProducerRecord<>(
                alerts.name(),
                dedupKey,
                Alert.newBuilder()
                    .setAlertId("a" + i)
                    .setRuleId("aws-root-account-usage")
                    .setTitle("Root account used")
                    .setSeverity(Severity.high)
                    .setEntity("e" + i)
                    .setFirstSeen("2026-11-28T10:00:00Z")
                    .setLastSeen("2026-11-28T10:00:00Z")
                    .setCount(1)
                    .setEventIds(List.of("ev" + i))
                    .setDedupKey(dedupKey)
                    .setSource(AlertSource.cloudtrail)
                    .build()));
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
