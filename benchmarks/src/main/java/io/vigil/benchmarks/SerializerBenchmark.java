package io.vigil.benchmarks;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.SchemaCatalog;
import io.vigil.schemas.SingleObjectSerializer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Serializing the Invictus corpus's CloudTrail events as every Kafka write of Vigil does ({@code
 * SingleObjectSerializer}), beside Avro's own {@code BinaryMessageEncoder} writing the same bytes
 * (the baseline, and what the serializer used before). One operation = every event once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SerializerBenchmark {

  @Param("")
  public String corpus;

  private List<CloudTrailEvent> events;
  private final SingleObjectSerializer<CloudTrailEvent> serializer =
      new SingleObjectSerializer<>(CloudTrailEvent.class);
  private final BinaryMessageEncoder<CloudTrailEvent> avro =
      new BinaryMessageEncoder<>(
          SpecificData.getForClass(CloudTrailEvent.class),
          SchemaCatalog.currentSchema(CloudTrailEvent.class));

  @Setup
  public void setup() throws IOException {
    events = InvictusCorpus.decoded(InvictusCorpus.locate(corpus), 1);
    System.out.printf("%n%d CloudTrail events%n", events.size());
  }

  @Benchmark
  public void vigilSerializer(Blackhole bh) {
    for (CloudTrailEvent event : events) {
      bh.consume(serializer.serialize("vigil.cloudtrail", event));
    }
  }

  @Benchmark
  public void avroMessageEncoderBaseline(Blackhole bh) throws IOException {
    for (CloudTrailEvent event : events) {
      bh.consume(avro.encode(event));
    }
  }
}
