package io.vigil.streams.posture;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.RuleMatch;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the events of one resource (keyed by ARN after the repartition) to its stored facts and
 * state, and forwards the new state with the findings it raises. Keeps two stores per ARN: the
 * queryable {@link ResourceState} and the facts with the event time of each, which the
 * last-writer-wins ordering needs and the published state does not carry.
 */
final class PostureProcessor implements Processor<String, CloudTrailEvent, String, PostureProcessor.Update> {

  /** A new state and the findings of the rules it newly fails; never leaves the process. */
  record Update(ResourceState state, List<RuleMatch> findings) {
  }

  private final PostureSettings settings;
  private ProcessorContext<String, Update> context;
  private KeyValueStore<String, ResourceState> states;
  private KeyValueStore<String, String> facts;

  PostureProcessor(PostureSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Update> context) {
    this.context = context;
    this.states = context.getStateStore(PostureTopology.STORE);
    this.facts = context.getStateStore(PostureTopology.FACTS_STORE);
  }

  @Override
  public void process(Record<String, CloudTrailEvent> record) {
    String arn = record.key();
    if (arn == null) {
      return;
    }
    // The change is derived again from the event here: the same pure function that keyed it.
    for (StateChange change : PostureChanges.of(record.value())) {
      if (!change.arn().equals(arn)) {
        continue;
      }
      ResourceState previous = states.get(arn);
      Map<String, PostureFold.Fact> known = PostureFold.fromJson(facts.get(arn));
      Optional<PostureFold.Result> result = PostureFold.apply(previous, known, change, settings);
      if (result.isEmpty()) {
        continue;
      }
      facts.put(arn, PostureFold.toJson(result.get().facts()));
      states.put(arn, result.get().state());
      context.forward(record.withValue(new Update(result.get().state(), result.get().findings())));
    }
  }
}
