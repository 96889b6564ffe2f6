package io.vigil.app.runtime;

import io.vigil.app.config.VigilConfig;
import io.vigil.schemas.Alert;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.Topic;
import io.vigil.schemas.VigilTopics;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a compliance report is built from: the alerts and resource states on {@code vigil.alerts}
 * and {@code vigil.posture} (read from the beginning to the current end, read_committed, the latest
 * value per key; a tombstone, such as the posture topology writes for a removed deleted resource,
 * removes its key), and the ids of the rules in force (which controls Vigil evaluates).
 */
public record ComplianceEvidence(
    Collection<Alert> alerts, Collection<ResourceState> posture, Set<String> enabledRules) {

  /** Reads both topics to their end through {@code connection}. */
  public static ComplianceEvidence read(
      KafkaConnection connection, VigilTopics topics, VigilConfig config) {
    return new ComplianceEvidence(
        latest(connection, topics.alerts()).values(),
        latest(connection, topics.posture()).values(),
        enabledRules(config));
  }

  /** The ids of every rule, correlation and posture rule in force under this configuration. */
  public static Set<String> enabledRules(VigilConfig config) {
    var settings = DetectionConfig.settings(config, List.of());
    return enabledRules(DetectionEngine.ruleSet(settings), settings);
  }

  /** As {@link #enabledRules(VigilConfig)}, for rules already loaded with {@code settings}. */
  public static Set<String> enabledRules(RuleSet rules, DetectionSettings settings) {
    Set<String> ids = new HashSet<>();
    rules.rules().stream().map(SigmaRule::id).forEach(ids::add);
    rules.correlations().stream().map(SigmaCorrelation::id).forEach(ids::add);
    DetectionEngine.postureRules().keySet().stream()
        .filter(id -> !settings.disabledRules().contains(id))
        .forEach(ids::add);
    return ids;
  }

  private static <V> Map<String, V> latest(KafkaConnection connection, Topic<String, V> topic) {
    Properties props = new Properties();
    props.putAll(connection.clientProperties());
    props.put("group.id", "vigil-report-" + UUID.randomUUID());
    props.put("enable.auto.commit", "false");
    props.put("isolation.level", "read_committed");
    Map<String, V> latest = new LinkedHashMap<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic.name(), Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end =
          new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            latest.remove(record.key());
          } else {
            latest.put(record.key(), record.value());
          }
        }
      }
    }
    return latest;
  }
}
