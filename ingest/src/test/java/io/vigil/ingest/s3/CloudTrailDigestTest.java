package io.vigil.ingest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CloudTrailDigestTest {

  // The shape of AWS's sample digest file ("CloudTrail digest file structure"), two log files.
  private static final String DIGEST =
      "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2015-08-17T14:01:31Z\","
          + "\"digestEndTime\":\"2015-08-17T15:01:31Z\",\"digestS3Bucket\":\"trail-bucket\","
          + "\"digestS3Object\":\"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/"
          + "111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20150817T150131Z.json.gz\","
          + "\"digestPublicKeyFingerprint\":\"31e8b5433410dfb61a9dc45cc65b22ff\","
          + "\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"newestEventTime\":"
          + "\"2015-08-17T14:52:27Z\",\"oldestEventTime\":\"2015-08-17T14:42:27Z\","
          + "\"previousDigestS3Bucket\":\"trail-bucket\",\"logFiles\":["
          + "{\"s3Bucket\":\"trail-bucket\",\"s3Object\":\"AWSLogs/111122223333/CloudTrail/"
          + "us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_a.json.gz\","
          + "\"hashValue\":\"9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6\","
          + "\"hashAlgorithm\":\"SHA-256\",\"newestEventTime\":\"2015-08-17T14:52:27Z\","
          + "\"oldestEventTime\":\"2015-08-17T14:42:27Z\"},"
          + "{\"s3Bucket\":\"other-bucket\",\"s3Object\":\"AWSLogs/111122223333/CloudTrail/"
          + "us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1450Z_b.json.gz\","
          + "\"hashValue\":\"00\",\"hashAlgorithm\":\"SHA-256\"}]}";

  @Test
  void aDeliveredDigestNamesItsHourAndEveryLogFileWithItsBucket() throws Exception {
    CloudTrailDigest digest = CloudTrailDigest.parse(gzip(DIGEST));

    assertThat(digest.accountId()).isEqualTo("111122223333");
    assertThat(digest.end()).isEqualTo(Instant.parse("2015-08-17T15:01:31Z"));
    assertThat(digest.logFiles())
        .extracting(S3ObjectRef::unitKey)
        .containsExactly(
            "s3://trail-bucket/AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/"
                + "111122223333_CloudTrail_us-east-2_20150817T1445Z_a.json.gz",
            "s3://other-bucket/AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/"
                + "111122223333_CloudTrail_us-east-2_20150817T1450Z_b.json.gz");
  }

  @Test
  void anHourWithoutDeliveriesListsNothingAndAnUnpackedDigestReadsAlike() throws Exception {
    CloudTrailDigest digest =
        CloudTrailDigest.parse(
            "{\"digestEndTime\":\"2026-12-05T02:00:00Z\",\"logFiles\":[]}"
                .getBytes(StandardCharsets.UTF_8));

    assertThat(digest.logFiles()).isEmpty();
    assertThat(digest.accountId()).isNull();
  }

  @Test
  void whatIsNotADigestIsRefusedWithTheReason() {
    assertThatThrownBy(() -> CloudTrailDigest.parse(gzip("{\"logFiles\":[")))
        .isInstanceOf(CloudTrailDigest.MalformedDigestException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> CloudTrailDigest.parse(gzip("{\"logFiles\":[]}")))
        .hasMessageContaining("digestEndTime");
    assertThatThrownBy(
            () ->
                CloudTrailDigest.parse(
                    gzip(
                        "{\"digestEndTime\":\"2026-12-05T02:00:00Z\","
                            + "\"logFiles\":[{\"s3Bucket\":\"b\"}]}")))
        .hasMessageContaining("without s3Bucket or s3Object");
    assertThatThrownBy(() -> CloudTrailDigest.parse(gzip("[1,2]")))
        .hasMessageContaining("not a JSON object");
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
