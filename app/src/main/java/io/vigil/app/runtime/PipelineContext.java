package io.vigil.app.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.app.config.VigilConfig;
import io.vigil.schemas.VigilTopics;
import io.vigil.sinks.render.Workflow;
import io.vigil.streams.alerts.AlertMutes;
import java.nio.file.Path;

/**
 * What every component is given: the configuration, the Kafka connection, the topics with their
 * serdes, the data directory, the metrics registry and the {@code host:port} where this instance's
 * HTTP API answers (for Kafka Streams' {@code application.server}, so that interactive queries can
 * say which instance holds a key), the mutes in force (for the detection's alert publications) and
 * the alerts' triage states (for the sinks' OCSF and ASFF renderings). Components get nothing else
 * from the runtime, and nothing from each other.
 */
public record PipelineContext(
    VigilConfig config,
    KafkaConnection kafka,
    VigilTopics topics,
    Path dataDir,
    MeterRegistry metrics,
    String httpAdvertised,
    AlertMutes mutes,
    Workflow.Lookup workflows) {}
