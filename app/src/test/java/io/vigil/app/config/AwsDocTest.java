package io.vigil.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ingest.s3.S3Notification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/aws.md true where it is cheap: its YAML blocks load with the real configuration
 * loader, its JSON blocks parse, and each example notification (a JSON block right after a {@code
 * <!-- notification objects=N -->} or {@code <!-- notification test-event -->} comment) parses with
 * {@link S3Notification} into what the comment says. Also that the local walkthrough's
 * configuration shown there is the one in {@code tools/aws-local/vigil.yaml}.
 *
 * <p>Like {@link ConfigDocsTest}, it relies on surefire running it from the app module directory.
 */
@DisplayName("docs/aws.md: YAML loads, JSON parses, notification examples parse as stated")
class AwsDocTest {

  private static final Path DOC = Path.of("..", "docs", "aws.md");
  private static final Path LOCAL_CONFIG = Path.of("..", "tools", "aws-local", "vigil.yaml");
  private static final Pattern FENCE =
      Pattern.compile(
          "(?:<!-- (notification[^>]*) -->\\n)?```(\\w*)\\n(.*?)\\n```", Pattern.DOTALL);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Block(String language, String marker, String body, int line) {}

  private static List<Block> blocks() throws IOException {
    String doc = Files.readString(DOC);
    List<Block> blocks = new ArrayList<>();
    Matcher m = FENCE.matcher(doc);
    while (m.find()) {
      int line = (int) doc.substring(0, m.start()).lines().count() + 1;
      blocks.add(new Block(m.group(2), m.group(1), m.group(3), line));
    }
    return blocks;
  }

  private static List<Block> blocks(String language) throws IOException {
    List<Block> found = blocks().stream().filter(b -> b.language().equals(language)).toList();
    assertThat(found).as("```%s blocks in %s", language, DOC.toAbsolutePath()).isNotEmpty();
    return found;
  }

  private static VigilConfig load(Path file) {
    return VigilConfig.load(Optional.of(file), Map.of(), Map.of());
  }

  @Test
  void everyYamlBlockLoadsWithTheRealLoader(@TempDir Path dir) throws IOException {
    for (Block block : blocks("yaml")) {
      Path file = Files.writeString(dir.resolve("line-" + block.line() + ".yaml"), block.body());
      assertThatCode(() -> load(file))
          .as("the YAML block at docs/aws.md line %d", block.line())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void theLocalConfigurationShownIsTheOneInToolsAwsLocal(@TempDir Path dir) throws IOException {
    VigilConfig shipped = load(LOCAL_CONFIG);
    List<Block> local =
        blocks("yaml").stream().filter(b -> b.body().contains("localhost:9324")).toList();
    assertThat(local).as("the walkthrough's YAML block (it names localhost:9324)").hasSize(1);
    VigilConfig shown = load(Files.writeString(dir.resolve("shown.yaml"), local.get(0).body()));
    for (ConfigKey<?> key : KeyIndex.standard().keys()) {
      assertThat(shown.find(key))
          .as("%s in docs/aws.md and in tools/aws-local/vigil.yaml", key.name())
          .isEqualTo(shipped.find(key));
    }
    assertThat(shipped.find(ConfigKeys.INGEST_S3_QUEUE_URL)).isPresent();
  }

  @Test
  void everyJsonBlockParses() throws IOException {
    for (Block block : blocks("json")) {
      assertThatCode(() -> JSON.readTree(block.body()))
          .as("the JSON block at docs/aws.md line %d", block.line())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void theNotificationExamplesParseIntoWhatTheySay() throws Exception {
    List<Block> examples = blocks("json").stream().filter(b -> b.marker() != null).toList();
    assertThat(examples).as("notification examples").hasSizeGreaterThanOrEqualTo(5);
    for (Block example : examples) {
      String where = "the notification at docs/aws.md line " + example.line();
      S3Notification parsed = S3Notification.parse(example.body());
      Matcher objects = Pattern.compile("notification objects=(\\d+)").matcher(example.marker());
      if (objects.matches()) {
        assertThat(parsed.testEvent()).as(where).isFalse();
        assertThat(parsed.objects()).as(where).hasSize(Integer.parseInt(objects.group(1)));
        parsed
            .objects()
            .forEach(
                o -> {
                  assertThat(o.bucket()).as(where).isEqualTo("example-org-logs");
                  // URL-encoded keys come out decoded: Hive prefixes have their '='.
                  assertThat(o.key()).as(where).startsWith("AWSLogs/").doesNotContain("%");
                });
      } else if (example.marker().equals("notification test-event")) {
        assertThat(parsed.testEvent()).as(where).isTrue();
        assertThat(parsed.objects()).as(where).isEmpty();
      } else {
        fail("%s: unknown marker <!-- %s -->", where, example.marker());
      }
    }
  }
}
