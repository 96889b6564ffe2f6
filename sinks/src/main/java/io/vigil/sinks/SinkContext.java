package io.vigil.sinks;

import io.vigil.sinks.render.Workflow;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;

/**
 * What a sink may use when it opens: the shared HTTP client, the clock, the Kafka client settings
 * of the pipeline (for the {@code kafka} sink), the stream the {@code stdout} sink writes to and
 * the alerts' triage states.
 *
 * @param name the sink's configured name
 * @param http one HTTP client shared by the HTTP sinks (it pools connections per host)
 * @param clock wall clock, replaceable in tests
 * @param kafkaClientProperties bootstrap servers and security settings of the pipeline's cluster
 * @param stdout where the {@code stdout} sink writes
 * @param workflows where alerts stand in triage, for the formats that carry it (OCSF, ASFF)
 */
public record SinkContext(
    String name,
    HttpClient http,
    Clock clock,
    Map<String, Object> kafkaClientProperties,
    PrintStream stdout,
    Workflow.Lookup workflows) {}
