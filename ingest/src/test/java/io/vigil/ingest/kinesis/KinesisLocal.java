package io.vigil.ingest.kinesis;

import io.vigil.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Test fixture: the {@code kinesis-local} emulator (npm 0.6.2, a kinesis-mock build in pure JS) as
 * a child {@code node} process on free 127.0.0.1 ports, for one test class
 * ({@code @RegisterExtension static final KinesisLocal KINESIS = new KinesisLocal();}).
 *
 * <p>It is installed from the committed lockfile in {@code tools/kinesis-local} ({@code npm ci});
 * without it the tests fail saying so. The emulator always opens a TLS port with its self-signed
 * certificate ({@code KINESIS_MOCK_CERT_PATH} must point at the bundled {@code server.json}) and a
 * plain HTTP port: the tests talk plain HTTP, so no trust-all TLS setting is needed anywhere.
 * Stream and shard operations are made instant ({@code *_DURATION=0ms}) so that tests wait on their
 * own logic only. Any credentials do: the emulator checks that requests are signed, not by whom.
 */
public final class KinesisLocal implements BeforeAllCallback, AfterAllCallback {

  public static final String REGION = "us-east-1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path tool;
  private Process process;
  private Path log;
  private URI endpoint;
  private KinesisClient client;

  /** The emulator installed in the project's {@code tools/kinesis-local}. */
  public KinesisLocal() {
    this(null);
  }

  /**
   * The emulator installed in {@code tool} (a folder holding {@code node_modules/kinesis-local}).
   */
  KinesisLocal(Path tool) {
    this.tool = tool;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts the emulator and waits until it answers a Kinesis call. */
  void start() throws IOException, InterruptedException {
    Path tool = this.tool != null ? this.tool : projectRoot().resolve("tools/kinesis-local");
    Path main = tool.resolve("node_modules/kinesis-local/main.js");
    if (!Files.isRegularFile(main)) {
      throw new IllegalStateException(
          "kinesis-local is not installed in "
              + tool
              + "; run: (cd tools/kinesis-local && npm ci)");
    }
    int[] ports = FreePorts.distinct(2);
    int plainPort = ports[0];
    int tlsPort = ports[1];
    log = Files.createTempFile("kinesis-local-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", main.toString())
            .directory(tool.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("KINESIS_MOCK_CERT_PATH", main.resolveSibling("server.json").toString());
    env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort));
    env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
    env.put("AWS_REGION", REGION);
    env.put("SHOULD_PERSIST_DATA", "false");
    env.put("LOG_LEVEL", "WARN");
    for (String operation :
        new String[] {
          "CREATE_STREAM",
          "DELETE_STREAM",
          "SPLIT_SHARD",
          "MERGE_SHARDS",
          "UPDATE_SHARD_COUNT",
          "UPDATE_STREAM_MODE"
        }) {
      env.put(operation + "_DURATION", "0ms");
    }
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run node for kinesis-local (is Node.js installed?)", e);
    }
    endpoint = URI.create("http://127.0.0.1:" + plainPort);
    client = newClient();
    awaitReady();
  }

  void stop() {
    if (client != null) {
      client.close();
    }
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The client settings that reach the emulator. */
  KinesisSettings.Aws aws() {
    return new KinesisSettings.Aws(Optional.of(REGION), Optional.of(endpoint));
  }

  /** A shared client for test set-up (creating streams, putting records, splitting shards). */
  public KinesisClient client() {
    return client;
  }

  /** A new client with dummy static credentials; the caller closes it. */
  KinesisClient newClient() {
    return KinesisClients.create(
        aws(),
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAVIGILTESTKEY0001", "vigil-test-secret")));
  }

  /** Creates a provisioned stream and waits until it is ACTIVE. */
  public void createStream(String name, int shards) throws InterruptedException {
    client.createStream(r -> r.streamName(name).shardCount(shards));
    awaitActive(name);
  }

  /** Waits until the stream is ACTIVE again (after a create, split or merge). */
  void awaitActive(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client
            .describeStreamSummary(r -> r.streamName(name))
            .streamDescriptionSummary()
            .streamStatus()
        != StreamStatus.ACTIVE) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("stream " + name + " did not become ACTIVE");
      }
      Thread.sleep(50);
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    long started = System.nanoTime();
    long deadline = started + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "kinesis-local exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        client.listStreams();
        System.out.printf(
            "kinesis-local answering on %s after %d ms%n",
            endpoint, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return;
      } catch (SdkException notYet) {
        if (System.nanoTime() > deadline) {
          stop();
          throw new IllegalStateException(
              "kinesis-local did not answer on "
                  + endpoint
                  + " within "
                  + START_TIMEOUT
                  + ":\n"
                  + Files.readString(log),
              notYet);
        }
        Thread.sleep(100);
      }
    }
  }

  /** The Maven project root: the first directory up from here that holds tools/kinesis-local. */
  static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("tools/kinesis-local/package.json"))) {
        return d;
      }
    }
    throw new IllegalStateException("no tools/kinesis-local/package.json above " + dir);
  }
}
