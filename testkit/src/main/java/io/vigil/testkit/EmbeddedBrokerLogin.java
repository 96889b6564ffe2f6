package io.vigil.testkit;

import io.vigil.broker.EmbeddedKafkaBroker;
import io.vigil.broker.EmbeddedKafkaBroker.Endpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a test reaches the embedded broker of a {@code vigil run} (or of a one-shot command) on a
 * data dir, as Vigil's own commands there do: its address and the credentials the broker keeps in
 * that data dir. For tests that use raw Kafka clients or point a command elsewhere at that broker.
 */
public final class EmbeddedBrokerLogin {

  private EmbeddedBrokerLogin() {}

  /** Properties for a raw Kafka client of the broker running on {@code dataDir}. */
  public static Map<String, Object> clientProperties(Path dataDir) {
    Endpoint endpoint = endpoint(dataDir);
    Map<String, Object> props = new HashMap<>(endpoint.clientSettings());
    props.put("bootstrap.servers", endpoint.bootstrapServers());
    return props;
  }

  /**
   * {@code --set kafka.*=...} arguments that point a {@code vigil} command with another data dir at
   * the broker running on {@code dataDir}, as an external cluster with its login.
   */
  public static List<String> setFlags(Path dataDir) {
    Endpoint endpoint = endpoint(dataDir);
    List<String> args = new ArrayList<>();
    args.add("--set");
    args.add("kafka.bootstrap.servers=" + endpoint.bootstrapServers());
    new TreeMap<>(endpoint.clientSettings())
        .forEach(
            (key, value) -> {
              args.add("--set");
              args.add("kafka." + key + "=" + value);
            });
    return args;
  }

  private static Endpoint endpoint(Path dataDir) {
    return EmbeddedKafkaBroker.runningOn(dataDir.toAbsolutePath().normalize())
        .orElseThrow(() -> new IllegalStateException("no embedded broker runs on " + dataDir));
  }
}
