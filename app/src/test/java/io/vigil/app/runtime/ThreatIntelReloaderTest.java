package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.RuleMatch;
import io.vigil.streams.detection.DetectionEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreatIntelReloaderTest {

  @TempDir Path dir;

  @Test
  void changedThreatListIsUsedForTheNextEventsAndABrokenOneKeepsThePrevious() throws Exception {
    Path list = dir.resolve("threats.txt");
    Files.writeString(list, "# feed A\n203.0.113.0/24\n");
    VigilConfig config =
        VigilConfig.load(Optional.empty(), Map.of(), Map.of("threat_intel.files", list.toString()));
    try (ThreatIntelReloader reloader =
        new ThreatIntelReloader(
            DetectionEngine.load(DetectionConfig.settings(config, List.of())),
            List.of(list),
            () -> DetectionEngine.load(DetectionConfig.settings(config, List.of())),
            Duration.ofHours(1))) {
      assertThat(threatIntelHits(reloader, "203.0.113.9")).isOne();
      assertThat(threatIntelHits(reloader, "198.51.100.9")).isZero();
      assertThat(reloader.reloadIfChanged()).as("nothing changed").isFalse();

      Files.writeString(list, "# feed B, a longer file\n198.51.100.0/24\n");
      assertThat(reloader.reloadIfChanged()).isTrue();
      assertThat(threatIntelHits(reloader, "198.51.100.9")).isOne();
      assertThat(threatIntelHits(reloader, "203.0.113.9")).isZero();

      Files.delete(list);
      assertThat(reloader.reloadIfChanged()).as("an unreadable list is not swapped in").isFalse();
      assertThat(threatIntelHits(reloader, "198.51.100.9")).isOne();
    }
  }

  private static long threatIntelHits(ThreatIntelReloader reloader, String sourceIp) {
    Instant at = Instant.parse("2026-11-28T10:00:00Z");
    CloudTrailEvent event =
        CloudTrailEvent.newBuilder()
            .setEventID("e-" + sourceIp)
            .setEventTime(at.toString())
            .setEventTimeMillis(at)
            .setEventSource("sts.amazonaws.com")
            .setEventName("GetCallerIdentity")
            .setSourceIPAddress(sourceIp)
            .setRawJson("{}")
            .build();
    return reloader.current().get().evaluate(event).matches().stream()
        .map(RuleMatch::getRuleId)
        .filter("aws-threat-intel-source-ip"::equals)
        .count();
  }
}
