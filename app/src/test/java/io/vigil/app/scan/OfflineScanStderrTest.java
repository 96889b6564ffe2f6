package io.vigil.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.schemas.Alert;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code vigil scan} reports each rejected record on stderr with its file name and the decoder's
 * message, both of which the writer of the logs chose: a newline in them cannot forge a line, and
 * an escape sequence cannot drive the terminal.
 */
class OfflineScanStderrTest {

  private static final DetectionEngine ENGINE = DetectionEngine.load(DetectionSettings.DEFAULTS);

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aRejectionLineShowsControlCharactersEscaped(int threads) throws Exception {
    Path file = dir.resolve("trail\nrejected forged: all clear\u001b[2J.jsonl");
    Files.writeString(file, "{\"eventID\":\"x\u001b[31m\",\"not\":\"an event\"}\n");
    StringWriter err = new StringWriter();

    OfflineScan.scan(
        ENGINE,
        DetectionSettings.DEFAULTS,
        new AwsLogDecoder(),
        List.of(file),
        Alert::getRuleId,
        false,
        threads,
        ScanWorkers.Bounds.forThreads(threads),
        new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true));

    List<String> rejections =
        err.toString().lines().filter(line -> line.startsWith("rejected")).toList();
    assertThat(rejections).hasSize(1);
    assertThat(rejections.get(0))
        .contains("trail\\nrejected forged: all clear\\u001B[2J.jsonl")
        .doesNotContain("\u001b");
    assertThat(err.toString()).doesNotContain("\nrejected forged");
  }
}
