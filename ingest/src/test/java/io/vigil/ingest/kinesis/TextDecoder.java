package io.vigil.ingest.kinesis;

import io.vigil.ingest.decode.DecodeListener;
import io.vigil.ingest.decode.DecodeSummary;
import io.vigil.ingest.decode.LogDecoder;
import io.vigil.ingest.decode.LogFormat;
import io.vigil.ingest.decode.SourceRef;
import io.vigil.schemas.FlowRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Test double, test code only: a {@link LogDecoder} standing in for the real decoders being built
 * in parallel (package {@code io.vigil.ingest.decode}). Each input, gunzipped when it starts with
 * the gzip magic bytes, becomes one {@link FlowRecord} whose {@code record_ref} is its text, so
 * that tests of the Kinesis loop can see exactly which Kinesis records were published, and in which
 * order, without depending on the decoders' behaviour.
 */
final class TextDecoder implements LogDecoder {

  @Override
  public DecodeSummary decode(InputStream in, SourceRef source, DecodeListener listener)
      throws IOException {
    byte[] bytes = in.readAllBytes();
    byte[] text = bytes;
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        text = gunzip.readAllBytes();
      }
    }
    listener.flow(
        FlowRecord.newBuilder().setRecordRef(new String(text, StandardCharsets.UTF_8)).build(),
        source.location());
    return new DecodeSummary(LogFormat.VPC_FLOW_LOG, 1, 0, bytes.length, text.length);
  }
}
