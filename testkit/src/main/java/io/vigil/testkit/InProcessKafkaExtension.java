package io.vigil.testkit;

import io.vigil.broker.EmbeddedKafkaBroker;
import io.vigil.broker.EmbeddedKafkaBroker.BrokerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the in-process KRaft broker once per test JVM and hands it to tests as a {@link
 * KafkaCluster} parameter (constructor, lifecycle or test method).
 *
 * <p>One broker for the whole run keeps the suite fast on two cores: tests isolate themselves by
 * using their own topic names and group ids. The broker stops, and its temporary data directory is
 * deleted, when the JUnit root context closes.
 */
public final class InProcessKafkaExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(InProcessKafkaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return sharedBroker(context);
  }

  /** The shared broker, started on first use. */
  public static KafkaCluster sharedBroker(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class);
  }

  /** The JUnit store closes {@link AutoCloseable} values when the root context ends. */
  static final class SharedBroker implements KafkaCluster, AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final Path dataDir;

    private SharedBroker(EmbeddedKafkaBroker broker, Path dataDir) {
      this.broker = broker;
      this.dataDir = dataDir;
    }

    static SharedBroker start() {
      try {
        Path dataDir = Files.createTempDirectory("vigil-test-kafka-");
        return new SharedBroker(
            EmbeddedKafkaBroker.start(BrokerSettings.forTests(dataDir)), dataDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String bootstrapServers() {
      return broker.bootstrapServers();
    }

    @Override
    public void close() throws IOException {
      broker.close();
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }

    @Override
    public String toString() {
      return "in-process KRaft broker at " + bootstrapServers();
    }
  }
}
