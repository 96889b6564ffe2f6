package io.vigil.app.demo;

import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.SourceType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * One run's log records of a scenario, as the bytes a log source would deliver: a CloudTrail file
 * ({@code {"Records":[...]}}) and/or VPC flow log text, either null when the scenario has none.
 *
 * @param addresses the fresh address drawn for each of the scenario's named ranges
 */
public record RenderedScenario(
    Scenario scenario, byte[] cloudTrail, byte[] flowLog, Map<String, String> addresses) {

  public RenderedScenario {
    addresses = Map.copyOf(addresses);
  }

  /** Where the records say they came from, on rejections and in the ingest checkpoint. */
  public SourceRef source() {
    // Bundled in the jar: "file" is the closest kind of source the schema knows.
    return new SourceRef(SourceType.file, "demo:" + scenario.name());
  }

  /** Decodes the records with the ingest decoder, as a log source would, into {@code listener}. */
  public void decode(LogDecoder decoder, DecodeListener listener) throws IOException {
    if (cloudTrail != null) {
      decoder.decode(new ByteArrayInputStream(cloudTrail), source(), listener);
    }
    if (flowLog != null) {
      decoder.decode(new ByteArrayInputStream(flowLog), source(), listener);
    }
  }
}
