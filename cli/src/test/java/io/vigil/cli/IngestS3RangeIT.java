package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.S3ProxyEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
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
        S3Client s3 = client(emulator.endpoint())) {
      s3.createBucket(b -> b.bucket("exports"));
      s3.putObject(
          b -> b.bucket("exports").key("flows/2024-01-15/part-0.log"),
          RequestBody.fromString("version srcaddr\n2 10.0.0.1\n"));
      StringWriter err = new StringWriter();
      String identity = System.getProperty("aws.accessKeyId");
      String credential = System.getProperty("aws.secretAccessKey");
      System.setProperty("aws.accessKeyId", S3ProxyEmulator.IDENTITY);
      System.setProperty("aws.secretAccessKey", S3ProxyEmulator.CREDENTIAL);
      int code;
      try {
        code =
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
                new PrintWriter(err, true));
      } finally {
        restore("aws.accessKeyId", identity);
        restore("aws.secretAccessKey", credential);
      }

      assertThat(code).as(err.toString()).isEqualTo(2);
      assertThat(err.toString())
          .contains("vigil: ingest: cannot date objects under s3://exports/flows/")
          .contains("s3://exports/flows/2024-01-15/part-0.log")
          .contains("ingest without --from/--to")
          .doesNotContain("objects (");
    }
  }

  private static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyEmulator.IDENTITY, S3ProxyEmulator.CREDENTIAL)))
        .build();
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
