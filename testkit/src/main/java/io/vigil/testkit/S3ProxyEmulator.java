package io.vigil.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The S3 emulator of the ITs: S3Proxy 4.1.0 with its transient (in-memory) backend, run as a
 * separate {@code java -jar} process on a free loopback port and reached path-style through the
 * real AWS SDK. The jar is copied into {@code target/emulators} by the build of the module whose
 * ITs use it (maven-dependency-plugin, see ingest's and sinks' poms); its path arrives in the
 * {@code vigil.s3proxy.jar} system property.
 */
public final class S3ProxyEmulator implements AutoCloseable {

  /** The emulator's access key id and secret: any client signing with them is accepted. */
  public static final String IDENTITY = "local-identity";

  public static final String CREDENTIAL = "local-credential";

  private final Process process;
  private final URI endpoint;
  private final Path workDir;

  private S3ProxyEmulator(Process process, URI endpoint, Path workDir) {
    this.process = process;
    this.endpoint = endpoint;
    this.workDir = workDir;
  }

  public static S3ProxyEmulator start() throws IOException, InterruptedException {
    String jar = System.getProperty("vigil.s3proxy.jar", "target/emulators/s3proxy.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "S3Proxy jar not found at "
              + jar
              + "; run the ITs through Maven (pre-integration-test copies it)");
    }
    int port = FreePorts.one();
    Path workDir = Files.createTempDirectory("vigil-s3proxy-");
    Path properties =
        Files.writeString(
            workDir.resolve("s3proxy.properties"),
            String.join(
                "\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                // Signatures are the SDK's business, not what these tests are about.
                "s3proxy.authorization=none",
                "jclouds.provider=transient",
                "jclouds.identity=" + IDENTITY,
                "jclouds.credential=" + CREDENTIAL,
                ""));
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m",
                    "-jar",
                    jar,
                    "--properties",
                    properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("s3proxy.log").toFile())
            .start();
    S3ProxyEmulator server =
        new S3ProxyEmulator(process, URI.create("http://127.0.0.1:" + port), workDir);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!accepts(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException(
            "S3Proxy did not start; see " + workDir.resolve("s3proxy.log"));
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

  /** Where the emulator answers, path-style. */
  public URI endpoint() {
    return endpoint;
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
