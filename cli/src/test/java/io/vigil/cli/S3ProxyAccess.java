package io.vigil.cli;

import io.vigil.testkit.EmbeddedBrokerLogin;
import io.vigil.testkit.S3ProxyEmulator;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What the cli's ITs need to reach S3Proxy: a client for set-up, and credentials for Vigil. */
final class S3ProxyAccess {

  private S3ProxyAccess() {}

  /** A path-style client of the emulator with its keys, for creating buckets and objects. */
  static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyEmulator.IDENTITY, S3ProxyEmulator.CREDENTIAL)))
        .build();
  }

  /**
   * The arguments of {@code vigil ingest} reading the emulator at {@code endpoint} into the broker
   * of the {@code vigil run} whose data dir is {@code runDataDir} (as an external cluster with its
   * login), then {@code targets}: the S3 URLs and their flags.
   */
  static String[] ingestArgs(Path runDataDir, URI endpoint, String... targets) {
    List<String> args =
        new ArrayList<>(List.of("ingest", "--data-dir", runDataDir.resolve("ingest").toString()));
    args.addAll(EmbeddedBrokerLogin.setFlags(runDataDir));
    args.addAll(
        List.of(
            "--set",
            "aws.region=us-east-1",
            "--set",
            "aws.s3.endpoint=" + endpoint,
            "--set",
            "aws.s3.path.style=true"));
    args.addAll(List.of(targets));
    return args.toArray(String[]::new);
  }

  /**
   * Runs {@code command} (a vigil command, a runtime) with the emulator's keys as the SDK's
   * system-property credentials, then puts the properties back (kinesis-local takes any keys).
   */
  static int withCredentials(IntSupplier command) {
    String identity = System.getProperty("aws.accessKeyId");
    String credential = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", S3ProxyEmulator.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyEmulator.CREDENTIAL);
    try {
      return command.getAsInt();
    } finally {
      restore("aws.accessKeyId", identity);
      restore("aws.secretAccessKey", credential);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
