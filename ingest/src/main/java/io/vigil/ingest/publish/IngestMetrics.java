package io.vigil.ingest.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ingest meters, counted when a unit commits (records that were aborted never arrived).
 *
 * <p>Tags are bounded sets only: the source kind ({@code s3}, {@code kinesis}, {@code file}, {@code
 * sqs}), the log type ({@code cloudtrail}, {@code vpcflow}) and the decoder's reason code. Never a
 * principal, address, event id, bucket or key: those would make one series per value.
 */
public final class IngestMetrics {

  public static final String RECORDS = "vigil.ingest.records";
  public static final String BYTES = "vigil.ingest.bytes";
  public static final String REJECTS = "vigil.ingest.rejects";
  public static final String UNITS = "vigil.ingest.units";
  public static final String BATCH_LATENCY = "vigil.ingest.batch.latency";
  public static final String DELIVERY_DELAY = "vigil.ingest.delivery.delay";

  // A reason is a decoder's code; anything else (a message by mistake) must not become a series.
  private static final Pattern REASON_CODE = Pattern.compile("[a-z0-9_.-]{1,40}");

  private final MeterRegistry registry;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void committed(
      String source,
      Map<String, long[]> recordsAndBytesByLogType,
      Map<String, Long> rejectsByReason,
      Duration latency,
      Map<String, Duration> deliveryDelayByLogType) {
    recordsAndBytesByLogType.forEach(
        (logType, counts) -> {
          counter(RECORDS, "Records published, by source and log type", source, "log_type", logType)
              .increment(counts[0]);
          Counter.builder(BYTES)
              .baseUnit("bytes")
              .description("Encoded bytes of the records published, by source and log type")
              .tags("source", source, "log_type", logType)
              .register(registry)
              .increment(counts[1]);
        });
    rejectsByReason.forEach(
        (reason, count) ->
            counter(
                    REJECTS,
                    "Records rejected to the DLQ, by source and reason",
                    source,
                    "reason",
                    REASON_CODE.matcher(reason).matches() ? reason : "other")
                .increment(count));
    counter(UNITS, "Units of ingest by outcome", source, "outcome", "committed").increment();
    Timer.builder(BATCH_LATENCY)
        .description("Time to decode and commit one unit (object, batch, file)")
        .tags("source", source)
        .register(registry)
        .record(latency);
    deliveryDelayByLogType.forEach(
        (logType, delay) ->
            Timer.builder(DELIVERY_DELAY)
                .description("Commit time minus the newest event time of a unit")
                .tags("source", source, "log_type", logType)
                .register(registry)
                .record(delay.isNegative() ? Duration.ZERO : delay));
  }

  void aborted(String source) {
    counter(UNITS, "Units of ingest by outcome", source, "outcome", "aborted").increment();
  }

  private Counter counter(
      String name, String description, String source, String tag, String value) {
    return Counter.builder(name)
        .description(description)
        .tags("source", source, tag, value)
        .register(registry);
  }
}
