package io.vigil.sinks.archive;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The S3 emulator of the archive IT, started the way ingest's ITs start it: S3Proxy 4.1.0 with
 * its transient backend as a separate {@code java -jar} process on a free loopback port, the jar
 * copied into {@code target/emulators} by the build (path in {@code vigil.s3proxy.jar}).
 */
final class S3ProxyProcess implements AutoCloseable {

  private final Process process;
  private final URI endpoint;
  private final Path workDir;

  private S3ProxyProcess(Process process, URI endpoint, Path workDir) {
    this.process = process;
    this.endpoint = endpoint;
    this.workDir = workDir;
  }

  static S3ProxyProcess start() throws IOException, InterruptedException {
    String jar = System.getProperty("vigil.s3proxy.jar", "target/emulators/s3proxy.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("S3Proxy jar not found at " + jar
          + "; run the ITs through Maven (pre-integration-test copies it)");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path workDir = Files.createTempDirectory("vigil-sinks-s3proxy-");
    Path properties = Files.writeString(workDir.resolve("s3proxy.properties"), String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
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
    S3ProxyProcess server = new S3ProxyProcess(process, URI.create("http://127.0.0.1:" + port), workDir);
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

  URI endpoint() {
    return endpoint;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
