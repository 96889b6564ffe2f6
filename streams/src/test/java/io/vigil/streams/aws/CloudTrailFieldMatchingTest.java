package io.vigil.streams.aws;

import io.vigil.sigma.event.EventView;
import io.vigil.sigma.match.FieldMatchingTest;

/**
 * The engine's field matching cases over the Avro-backed CloudTrail view, as the detection engine
 * sees events: each case must hold here too, and agree with the JSON view.
 */
class CloudTrailFieldMatchingTest extends FieldMatchingTest {

  @Override
  protected EventView event(String json) {
    return CloudTrailRecords.view(json);
  }
}
