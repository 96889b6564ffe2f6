package io.vigil.broker;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The one user and password of the embedded broker, kept in {@code <data.dir>/kafka/}{@value
 * #FILE_NAME} (owner-only): generated at its first start, read by every {@code vigil} command that
 * finds the broker in that data dir. The password is never part of {@link #toString()}.
 */
public final class BrokerCredentials {

  /** The file, in the broker's storage directory. */
  public static final String FILE_NAME = "broker-credentials";

  static final String USER = "vigil";
  static final String MECHANISM = "SCRAM-SHA-512";
  private static final int PASSWORD_BYTES = 32;
  // The password is written into JAAS strings and the storage formatter's arguments: an alphabet
  // without quotes, commas or brackets needs no escaping anywhere.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{20,}");

  private final String username;
  private final String password;

  private BrokerCredentials(String username, String password) {
    this.username = username;
    this.password = password;
  }

  /** Reads the credentials in {@code kafkaDir}, generating them first if there are none. */
  static BrokerCredentials loadOrCreate(Path kafkaDir) {
    Path file = kafkaDir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        try {
          OwnerOnlyFiles.writeNew(file, "username=" + USER + "\npassword=" + newPassword() + "\n");
        } catch (FileAlreadyExistsException e) {
          // another command on the same data dir generated them first: use theirs
        }
      }
      OwnerOnlyFiles.restrict(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded broker's credentials " + file, e);
    }
    return read(kafkaDir).orElseThrow();
  }

  /** The credentials in {@code kafkaDir}, if it has any. */
  public static Optional<BrokerCredentials> read(Path kafkaDir) {
    Path file = kafkaDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the embedded broker's credentials " + file, e);
    }
    String user = p.getProperty("username", "");
    String pass = p.getProperty("password", "");
    if (!NAME.matcher(user).matches() || !TOKEN.matcher(pass).matches()) {
      throw new IllegalStateException(
          file
              + ": expected a 'username' and a 'password' of at least 20 characters, both of A-Z,"
              + " a-z, 0-9, '_' or '-' (delete the file while no vigil command runs on this data"
              + " dir to generate new credentials at the next start)");
    }
    return Optional.of(new BrokerCredentials(user, pass));
  }

  /** The settings a Kafka client needs to authenticate to the embedded broker. */
  public Map<String, String> clientSettings() {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        MECHANISM,
        "sasl.jaas.config",
        scramJaas());
  }

  /** The settings of a SASL/PLAIN client: of the controller, and of the broker while upgrading. */
  Map<String, String> plainClientSettings() {
    return Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required" + login() + ";");
  }

  String username() {
    return username;
  }

  String password() {
    return password;
  }

  /** The JAAS line of a SCRAM client (and of the broker as its own inter-broker client). */
  String scramJaas() {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required" + login() + ";";
  }

  /** A SASL/PLAIN listener's JAAS line: its one user, and the broker's login as that user. */
  String plainJaas() {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + login()
        + " user_"
        + username
        + "=\""
        + password
        + "\";";
  }

  /** The storage formatter's argument that adds the SCRAM credential to the first metadata. */
  String formatArgument() {
    return MECHANISM + "=[name=" + username + ",password=" + password + "]";
  }

  private String login() {
    return " username=\"" + username + "\" password=\"" + password + "\"";
  }

  private static String newPassword() {
    byte[] bytes = new byte[PASSWORD_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "embedded broker credentials of user '" + username + "' (password hidden)";
  }
}
