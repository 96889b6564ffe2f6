package io.vigil.ingest.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KinesisLocalTest {

  @Test
  void missingInstallFailsWithTheCommandThatInstallsIt(@TempDir Path emptyTool) {
    assertThatThrownBy(() -> new KinesisLocal(emptyTool).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run: (cd tools/kinesis-local && npm ci)");
  }

  @Test
  void projectRootIsFoundFromTheModuleDirectory() {
    assertThat(
            Files.isRegularFile(
                KinesisLocal.projectRoot().resolve("tools/kinesis-local/package-lock.json")))
        .isTrue();
  }
}
