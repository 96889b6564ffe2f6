package io.vigil.ingest.decode;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.Rejected;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** What a decode passed to its listener, in order, for the tests. */
final class Collected implements DecodeListener {

  final List<CloudTrailEvent> events = new ArrayList<>();
  final List<FlowRecord> flows = new ArrayList<>();
  final List<Rejected> rejected = new ArrayList<>();
  final List<String> positions = new ArrayList<>();
  DecodeSummary summary;

  static final SourceRef SOURCE = SourceRef.s3("logs", "AWSLogs/obj");

  static Collected decode(byte[] bytes) {
    return decode(new AwsLogDecoder(), bytes);
  }

  static Collected decode(String text) {
    return decode(text.getBytes(StandardCharsets.UTF_8));
  }

  static Collected decode(AwsLogDecoder decoder, byte[] bytes) {
    Collected c = new Collected();
    try {
      c.summary = decoder.decode(new ByteArrayInputStream(bytes), SOURCE, c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return c;
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gzip(String text) {
    return gzip(text.getBytes(StandardCharsets.UTF_8));
  }

  List<String> reasons() {
    return rejected.stream().map(Rejected::getReason).toList();
  }

  List<String> rejectedAt() {
    return rejected.stream().map(Rejected::getSourceLocation).toList();
  }

  @Override
  public void cloudTrail(CloudTrailEvent event, String position) {
    events.add(event);
    positions.add(position);
  }

  @Override
  public void flow(FlowRecord record, String position) {
    flows.add(record);
    positions.add(position);
  }

  @Override
  public void rejected(Rejected r) {
    rejected.add(r);
  }
}
