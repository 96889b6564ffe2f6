package io.vigil.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decoder's throughput on gzip CloudTrail ({@code Records} of the Invictus corpus, repeated)
 * and gzip VPC flow log text (generated version 5 lines), each beside its ceiling measured in the
 * same run: plain {@code GZIPInputStream} plus Jackson streaming ({@code nextToken} to the end) for
 * JSON, plain {@code GZIPInputStream} plus a newline scan for flow text. One operation decodes the
 * whole object; the setup prints its compressed size and record count, so ops/s converts to MB/s
 * and records/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DecoderBenchmark {

  /**
   * The folder holding {@code invictus_aws_dataset/}; by default the repository's {@code
   * testdata/}.
   */
  @Param("")
  public String corpus;

  /** How many copies of the Invictus events go into the one large CloudTrail object. */
  @Param("4")
  public int copies;

  private static final SourceRef SOURCE = SourceRef.s3("bench", "AWSLogs/object.json.gz");
  private final AwsLogDecoder decoder = new AwsLogDecoder();
  private final JsonFactory json = new JsonFactory();
  private byte[] cloudTrailGz;
  private byte[] flowGz;

  @Setup
  public void setup() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode all = mapper.createArrayNode();
    List<Path> files;
    try (Stream<Path> list =
        Files.list(InvictusCorpus.locate(corpus).resolve("invictus_aws_dataset/CloudTrail"))) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (int i = 0; i < copies; i++) {
      for (Path file : files) {
        for (JsonNode event : mapper.readTree(file.toFile()).get("Records")) {
          all.add(event);
        }
      }
    }
    byte[] records = mapper.writeValueAsBytes(mapper.createObjectNode().set("Records", all));
    cloudTrailGz = InvictusCorpus.gzip(records);
    System.out.printf(
        "%nCloudTrail object: %d events, %d bytes gzip, %d bytes plain%n",
        all.size(), cloudTrailGz.length, records.length);

    StringBuilder text =
        new StringBuilder(
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
                + " start end action log-status vpc-id subnet-id instance-id tcp-flags type"
                + " pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id"
                + " pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n");
    Random random = new Random(42);
    String[] actions = {"ACCEPT", "ACCEPT", "ACCEPT", "REJECT"};
    String[] services = {"-", "-", "AMAZON", "S3", "EC2"};
    int lines = 100_000;
    long start = 1_700_000_000L;
    for (int i = 0; i < lines; i++) {
      boolean egress = random.nextBoolean();
      String local = "10.0." + random.nextInt(4) + "." + (1 + random.nextInt(250));
      String remote =
          (1 + random.nextInt(223))
              + "."
              + random.nextInt(256)
              + "."
              + random.nextInt(256)
              + "."
              + (1 + random.nextInt(254));
      long t = start + i / 50;
      int packets = 1 + random.nextInt(500);
      text.append("5 123456789012 eni-0")
          .append(Integer.toHexString(0x1a2b3c + random.nextInt(16)))
          .append(' ')
          .append(egress ? local : remote)
          .append(' ')
          .append(egress ? remote : local)
          .append(' ')
          .append(egress ? 32768 + random.nextInt(28000) : 443)
          .append(' ')
          .append(egress ? 443 : 32768 + random.nextInt(28000))
          .append(' ')
          .append(random.nextInt(10) == 0 ? 17 : 6)
          .append(' ')
          .append(packets)
          .append(' ')
          .append(packets * (40 + random.nextInt(1400)))
          .append(' ')
          .append(t)
          .append(' ')
          .append(t + 60)
          .append(' ')
          .append(actions[random.nextInt(actions.length)])
          .append(" OK vpc-0abc1234 subnet-0def5678 i-0")
          .append(Long.toHexString(0x123456789abcdefL + random.nextInt(32)))
          .append(' ')
          .append(egress ? 18 : 2)
          .append(" IPv4 ")
          .append(egress ? local : remote)
          .append(' ')
          .append(egress ? remote : local)
          .append(" us-east-1 use1-az2 - - ")
          .append(services[random.nextInt(services.length)])
          .append(' ')
          .append(services[random.nextInt(services.length)])
          .append(egress ? " egress 8\n" : " ingress -\n");
    }
    byte[] flowText = text.toString().getBytes(StandardCharsets.US_ASCII);
    flowGz = InvictusCorpus.gzip(flowText);
    System.out.printf(
        "Flow log object: %d lines, %d bytes gzip, %d bytes plain%n",
        lines, flowGz.length, flowText.length);
  }

  @Benchmark
  public DecodeSummary cloudTrailDecoder(Blackhole bh) throws IOException {
    return decoder.decode(new ByteArrayInputStream(cloudTrailGz), SOURCE, new Sink(bh));
  }

  @Benchmark
  public long cloudTrailBaseline() throws IOException {
    long tokens = 0;
    try (JsonParser p =
        json.createParser(new GZIPInputStream(new ByteArrayInputStream(cloudTrailGz), 64 * 1024))) {
      while (p.nextToken() != null) {
        tokens++;
      }
    }
    return tokens;
  }

  @Benchmark
  public DecodeSummary flowDecoder(Blackhole bh) throws IOException {
    return decoder.decode(new ByteArrayInputStream(flowGz), SOURCE, new Sink(bh));
  }

  @Benchmark
  public long flowBaseline() throws IOException {
    long newlines = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(flowGz), 64 * 1024)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            newlines++;
          }
        }
      }
    }
    return newlines;
  }

  /** Consumes what the decoder finds, so that the JIT cannot drop the work. */
  private static final class Sink implements DecodeListener {
    private final Blackhole bh;

    Sink(Blackhole bh) {
      this.bh = bh;
    }

    @Override
    public void cloudTrail(CloudTrailEvent event, String position) {
      bh.consume(event);
    }

    @Override
    public void flow(FlowRecord record, String position) {
      bh.consume(record);
    }

    @Override
    public void rejected(Rejected rejected) {
      bh.consume(rejected);
    }
  }
}
