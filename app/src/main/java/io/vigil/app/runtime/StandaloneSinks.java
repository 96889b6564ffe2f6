package io.vigil.app.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.app.triage.TriageLog;
import io.vigil.sinks.SinkDefinition;
import io.vigil.sinks.SinksService;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code vigil sinks} runs: only the alert sinks, against the configured cluster (or the
 * embedded broker of a running {@code vigil run} on the same data dir), so that delivery can be
 * scaled and restarted apart from the Streams application. Each sink resumes from its consumer
 * group's committed offsets.
 */
public final class StandaloneSinks {

  private static final Logger log = LoggerFactory.getLogger(StandaloneSinks.class);

  private StandaloneSinks() {}

  /**
   * Runs the sinks of {@code definitions} (see {@link SinksComponent#definitions}) until {@code
   * stop} is counted down, then stops them.
   */
  public static void run(VigilConfig config, List<SinkDefinition> definitions, CountDownLatch stop)
      throws InterruptedException {
    try (KafkaSession kafka = KafkaSession.open(config);
        TriageLog triage =
            new TriageLog(
                kafka.connection().clientProperties(),
                config.get(ConfigKeys.STREAMS_APPLICATION_ID) + "-sinks-triage",
                kafka.topics().triage())) {
      // The OCSF and ASFF renderings carry the alerts' triage states.
      triage.start(VigilRuntime.TRIAGE_CATCH_UP);
      run(config, definitions, kafka, triage, stop);
    }
  }

  private static void run(
      VigilConfig config,
      List<SinkDefinition> definitions,
      KafkaSession kafka,
      TriageLog triage,
      CountDownLatch stop)
      throws InterruptedException {
    try (SinksService sinks =
        SinksService.start(
            definitions,
            kafka.connection().clientProperties(),
            kafka.topics(),
            config.get(ConfigKeys.STREAMS_APPLICATION_ID),
            new SimpleMeterRegistry(),
            SinksService.Options.defaults()
                .withGroupInstanceId(kafka.connection().groupInstance().orElse(null))
                .withWorkflows(triage.workflows()))) {
      log.info("Sinks running: {}", sinks.health().keySet());
      stop.await();
      log.info("Stopping the sinks");
    }
  }
}
