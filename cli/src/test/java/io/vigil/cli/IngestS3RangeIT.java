package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.S3ProxyEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code vigil ingest s3://... --from --to} over keys it cannot date: refused with exit 2 and the
 * key named, nothing published, against S3Proxy and the embedded broker of a fresh data dir.
 */
class IngestS3RangeIT {

  @TempDir Path dataDir;

  @Test
  void aRangeOverKeysOfNoKnownLayoutExitsTwoNamingTheKey() throws Exception {
    try (S3ProxyEmulator emulator = S3ProxyEmulator.start();
        S3Client s3 = S3ProxyAccess.client(emulator.endpoint())) {
      s3.createBucket(b -> b.bucket("exports"));
      s3.putObject(
          b -> b.bucket("exports").key("flows/2024-01-15/part-0.log"),
          RequestBody.fromString("version srcaddr\n2 10.0.0.1\n"));
      StringWriter err = new StringWriter();
      int code =
          S3ProxyAccess.withCredentials(
              () ->
                  VigilCommand.execute(
                      new String[] {
                        "ingest",
                        "--data-dir",
                        dataDir.toString(),
                        "--set",
                        "kafka.embedded.port=0",
                        "--set",
                        "aws.region=us-east-1",
                        "--set",
                        "aws.endpoint=" + emulator.endpoint(),
                        "--set",
                        "aws.s3.path.style=true",
                        "s3://exports/flows/",
                        "--from",
                        "2024-01-15",
                        "--to",
                        "2024-01-15"
                      },
                      Map.of(),
                      new PrintWriter(Writer.nullWriter()),
                      new PrintWriter(err, true)));

      assertThat(code).as(err.toString()).isEqualTo(2);
      assertThat(err.toString())
          .contains("vigil: ingest: cannot date objects under s3://exports/flows/")
          .contains("s3://exports/flows/2024-01-15/part-0.log")
          .contains("ingest without --from/--to")
          .doesNotContain("objects (");
    }
  }
}
