package io.vigil.ingest.kinesis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;

/**
 * Test double, test code only: a {@link KinesisClient} whose GetRecords answers (responses or
 * exceptions) are scripted in order, for stepping a {@link ShardReader} through throttling, expired
 * iterators and shard ends deterministically. It implements only the two calls a reader makes; the
 * real wire protocol is exercised by the ITs against the emulator.
 */
final class ScriptedKinesis implements KinesisClient {

  private final Deque<Supplier<GetRecordsResponse>> answers = new ArrayDeque<>();
  final List<GetShardIteratorRequest> iteratorRequests = new ArrayList<>();
  final List<GetRecordsRequest> recordRequests = new ArrayList<>();

  ScriptedKinesis answer(GetRecordsResponse response) {
    answers.add(() -> response);
    return this;
  }

  ScriptedKinesis fail(RuntimeException e) {
    answers.add(
        () -> {
          throw e;
        });
    return this;
  }

  @Override
  public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
    iteratorRequests.add(request);
    return GetShardIteratorResponse.builder()
        .shardIterator("it-" + iteratorRequests.size())
        .build();
  }

  @Override
  public GetRecordsResponse getRecords(GetRecordsRequest request) {
    recordRequests.add(request);
    if (answers.isEmpty()) {
      throw new AssertionError("no scripted GetRecords answer left");
    }
    return answers.poll().get();
  }

  @Override
  public String serviceName() {
    return "kinesis";
  }

  @Override
  public void close() {}
}
