package io.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Vigil's version, from the runnable jar's manifest ({@code dev} when run from classes). */
public final class VersionInfo implements IVersionProvider {

  public static String vigil() {
    String version = VersionInfo.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /**
   * The Kafka client version, from the properties file kafka-clients ships (not its internal API).
   */
  public static String kafka() {
    try (InputStream in =
        VersionInfo.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"vigil " + vigil()};
  }
}
