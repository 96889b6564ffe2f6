package io.vigil.deploy.runtime;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.deploy.config.VigilConfig;
import io.vigil.schemas.VigilTopics;

/**
 * What every component is given: the configuration, the Kafka connection, the topics with their
 * serdes, the data directory and the metrics registry. Components get nothing else from the
 * runtime, and nothing from each other.
 */
public record PipelineContext(VigilConfig config, KafkaConnection kafka, VigilTopics topics,
               Path dataDir, MeterRegistry metrics) {
}
