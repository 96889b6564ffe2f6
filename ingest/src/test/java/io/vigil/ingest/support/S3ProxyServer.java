package io.vigil.ingest.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.vigil.ingest.aws.AwsClientSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The S3 emulator of the ITs: S3Proxy 4.1.0 with its transient (in-memory) backend, run as a
 * separate {@code java -jar} process on a free loopback port and reached path-style through the
 * real AWS SDK. The jar is copied into {@code target/emulators} by the build (see the pom); its
 * path arrives in the {@code vigil.s3proxy.jar} system property.
 */
public final class S3ProxyServer implements AutoCloseable {

  private final Process process;
  private final URI endpoint;
  private final Path workDir;

  private S3ProxyServer(Process process, URI endpoint, Path workDir) {
    this.process = process;
    this.endpoint = endpoint;
    this.workDir = workDir;
  }

  public static S3ProxyServer start() throws IOException, InterruptedException {
    String jar = System.getProperty("vigil.s3proxy.jar", "target/emulators/s3proxy.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("S3Proxy jar not found at " + jar
          + "; run the ITs through Maven (pre-integration-test copies it)");
    }
    int port = FreePort.find();
    Path workDir = Files.createTempDirectory("vigil-s3proxy-");
    Path properties = Files.writeString(workDir.resolve("s3proxy.properties"), String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        // Signatures are the SDK's business, not what these tests are about.
        "s3proxy.authorization=none",
        "jclouds.provider=transient",
        "jclouds.identity=local-identity",
        "jclouds.credential=local-credential",
        ""));
    Process process = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-jar", jar, "--properties", properties.toString()))
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("s3proxy.log").toFile())
        .start();
    S3ProxyServer server = new S3ProxyServer(process, URI.create("http://127.0.0.1:" + port), workDir);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!accepts(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("S3Proxy did not start; see " + workDir.resolve("s3proxy.log"));
      }
      Thread.sleep(50);
    }
    return server;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Client settings that reach this emulator: its endpoint, path-style, dummy credentials. */
  public AwsClientSettings clientSettings() {
    return AwsClientSettings.defaults().withRegion("us-east-1").withEndpoint(endpoint, true)
        .withCredentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("local-identity", "local-credential")));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(workDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
