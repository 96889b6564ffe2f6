package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCredentialsTest {

  @TempDir Path kafkaDir;

  @Test
  void generatedOnceOwnerOnlyAndReadBackTheSame() throws Exception {
    BrokerCredentials first = BrokerCredentials.loadOrCreate(kafkaDir);
    BrokerCredentials again = BrokerCredentials.loadOrCreate(kafkaDir);
    assertThat(again.password()).isEqualTo(first.password()).hasSizeGreaterThanOrEqualTo(43);
    assumeThat(Files.getFileAttributeView(kafkaDir, PosixFileAttributeView.class)).isNotNull();
    Path file = kafkaDir.resolve(BrokerCredentials.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void widenedFileIsNarrowedAgainAtStart() throws Exception {
    assumeThat(Files.getFileAttributeView(kafkaDir, PosixFileAttributeView.class)).isNotNull();
    BrokerCredentials.loadOrCreate(kafkaDir);
    Path file = kafkaDir.resolve(BrokerCredentials.FILE_NAME);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    BrokerCredentials.loadOrCreate(kafkaDir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void passwordIsInTheClientSettingsButNeverInToString() {
    BrokerCredentials credentials = BrokerCredentials.loadOrCreate(kafkaDir);
    assertThat(credentials.clientSettings())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(credentials.clientSettings().get("sasl.jaas.config"))
        .contains("password=\"" + credentials.password() + "\"");
    assertThat(credentials.toString()).doesNotContain(credentials.password());
  }

  @Test
  void malformedFileIsRefusedWithItsNameAndTheWayOut() throws Exception {
    Files.writeString(
        kafkaDir.resolve(BrokerCredentials.FILE_NAME), "username=vigil\npassword=a\"b\n");
    assertThatThrownBy(() -> BrokerCredentials.read(kafkaDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(BrokerCredentials.FILE_NAME)
        .hasMessageContaining("at least 20 characters")
        .hasMessageContaining("delete the file");
  }
}
