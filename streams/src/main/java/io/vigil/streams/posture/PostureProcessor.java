package io.vigil.streams.posture;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.ResourceState;
import io.vigil.schemas.RuleMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the events of one resource (keyed by ARN after the repartition) to its stored facts and
 * state, and forwards the new state with the findings it raises. Keeps two stores per ARN: the
 * queryable {@link ResourceState} and the facts with the event time of each, which the
 * last-writer-wins ordering needs and the published state does not carry. A third store indexes the
 * deleted resources by deletion time, so that the sweep that removes them once {@link
 * PostureSettings#deletedRetention()} has passed reads only the entries that are due.
 */
final class PostureProcessor
    implements Processor<String, CloudTrailEvent, String, PostureProcessor.Update> {

  /**
   * A new state and the findings of the rules it newly fails; never leaves the process. A null
   * state is the removal of a deleted resource: the tombstone of its ARN.
   */
  record Update(ResourceState state, List<RuleMatch> findings) {

    static Update removal() {
      return new Update(null, List.of());
    }
  }

  /**
   * How often the sweep looks for deleted resources whose retention has passed, in wall-clock time,
   * so that it runs on a quiet stream too. Each run is one range read of the deletion index up to
   * the cut-off: cheap when nothing is due, whatever the number of resources.
   */
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);

  /**
   * Removals per sweep, at most: a replay that expires a million deletions at once removes them
   * over several sweeps rather than holding the stream thread in one punctuation.
   */
  static final int MAX_REMOVALS_PER_SWEEP = 10_000;

  private final PostureSettings settings;
  private final RetentionClock clock = new RetentionClock();
  private ProcessorContext<String, Update> context;
  private KeyValueStore<String, ResourceState> states;
  private KeyValueStore<String, String> facts;
  private KeyValueStore<String, String> deletions;

  PostureProcessor(PostureSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Update> context) {
    this.context = context;
    this.states = context.getStateStore(PostureTopology.STORE);
    this.facts = context.getStateStore(PostureTopology.FACTS_STORE);
    this.deletions = context.getStateStore(PostureTopology.DELETIONS_STORE);
    // Wall-clock punctuation, measuring in event time: see RetentionClock for why both.
    context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, CloudTrailEvent> record) {
    clock.observe(context.currentStreamTimeMs(), context.currentSystemTimeMs());
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
      ResourceState state = result.get().state();
      facts.put(arn, PostureFold.toJson(result.get().facts()));
      states.put(arn, state);
      index(
          arn,
          PostureFold.deletedAt(previous, known),
          PostureFold.deletedAt(state, result.get().facts()));
      context.forward(record.withValue(new Update(state, result.get().findings())));
    }
  }

  /**
   * Moves the resource's deletion-index entry when its deletion time changed (deleted, re-created).
   */
  private void index(String arn, OptionalLong before, OptionalLong after) {
    if (before.equals(after)) {
      return;
    }
    before.ifPresent(at -> deletions.delete(DeletionIndex.key(at, arn)));
    after.ifPresent(at -> deletions.put(DeletionIndex.key(at, arn), arn));
  }

  /**
   * Removes the deleted resources whose retention has passed: a tombstone, then both stores
   * cleared.
   */
  private void sweep(long wallClock) {
    clock.observe(context.currentStreamTimeMs(), wallClock);
    OptionalLong now = clock.now(wallClock);
    if (now.isEmpty()) {
      return;
    }
    long retention = settings.deletedRetention().toMillis();
    if (now.getAsLong() < retention) {
      return;
    }
    long cutoff = now.getAsLong() - retention;
    // Collected first, removed after: no store is written under an open iterator.
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> entries =
        deletions.range(DeletionIndex.FIRST, DeletionIndex.after(cutoff))) {
      while (entries.hasNext() && due.size() < MAX_REMOVALS_PER_SWEEP) {
        due.add(entries.next());
      }
    }
    for (KeyValue<String, String> entry : due) {
      deletions.delete(entry.key);
      remove(entry.value, entry.key, now.getAsLong());
    }
  }

  private void remove(String arn, String indexKey, long now) {
    ResourceState state = states.get(arn);
    OptionalLong deletedAt = PostureFold.deletedAt(state, PostureFold.fromJson(facts.get(arn)));
    // An index entry is only ever moved in step with the state; this guards against a stale one
    // removing a resource that exists again.
    if (deletedAt.isEmpty() || !DeletionIndex.key(deletedAt.getAsLong(), arn).equals(indexKey)) {
      return;
    }
    states.delete(arn);
    facts.delete(arn);
    context.forward(new Record<>(arn, Update.removal(), now));
  }
}
