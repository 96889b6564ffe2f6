package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testkit.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil rules backtest} on the Invictus recording: a candidate rule (the unauthorized-calls
 * rule at a threshold of 3 instead of 10) against the rules in force, and a baseline rule that the
 * candidate lacks.
 */
class RulesBacktestTest {

  private static final Path INVICTUS = TestData.path("invictus_aws_dataset/CloudTrail");
  private static final Path BUILT_IN_RULE =
      Path.of("..", "streams", "src", "main", "resources", "rules", "cloudtrail");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int vigil(String... args) {
    return VigilCommand.execute(
        args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** The built-in unauthorized-calls rule with its threshold lowered to 3, in {@code dir}. */
  private static Path lowerThreshold(Path dir) throws Exception {
    String rule =
        Files.readString(BUILT_IN_RULE.resolve("aws-unauthorized-api-calls.yml"))
            .replace("gte: 10", "gte: 3");
    assertThat(rule).contains("gte: 3");
    Files.writeString(dir.resolve("aws-unauthorized-api-calls.yml"), rule);
    return dir;
  }

  @Test
  void aLowerThresholdShowsTheAlertsItAddsPerRuleAndDay(@TempDir Path dir) throws Exception {
    int exit =
        vigil(
            "rules",
            "backtest",
            "--rules",
            lowerThreshold(dir).toString(),
            "--json",
            INVICTUS.toString());

    assertThat(exit).as(err.toString()).isZero();
    JsonNode result = new ObjectMapper().readTree(out.toString());
    assertThat(result.get("records").asLong()).isEqualTo(2900);
    JsonNode row = null;
    for (JsonNode rule : result.get("rules")) {
      if (rule.get("rule_id").asText().equals("aws-unauthorized-api-calls")) {
        row = rule;
      }
      if (!rule.get("rule_id").asText().equals("aws-unauthorized-api-calls")) {
        assertThat(rule.get("candidate").asInt())
            .as(rule.get("rule_id").asText())
            .isEqualTo(rule.get("baseline").asInt());
      }
    }
    assertThat(row).isNotNull();
    assertThat(row.get("candidate").asInt()).isGreaterThan(row.get("baseline").asInt());
    assertThat(row.get("candidate_by_day").get("2023-07-10").asInt())
        .isEqualTo(row.get("candidate").asInt());
    assertThat(result.get("added"))
        .hasSize(row.get("candidate").asInt() - row.get("baseline").asInt());
    assertThat(result.get("added"))
        .allSatisfy(
            a -> assertThat(a.get("rule_id").asText()).isEqualTo("aws-unauthorized-api-calls"));
    assertThat(result.get("removed")).isEmpty();
  }

  @Test
  void aRuleOnlyTheBaselineHasIsRemovedInTheTable(@TempDir Path dir) throws Exception {
    Path baseline = Files.createDirectories(dir.resolve("baseline"));
    Files.writeString(
        baseline.resolve("every-trail-change.yml"),
        """
        title: Every trail change
        id: every-trail-change
        logsource:
          product: aws
          service: cloudtrail
        detection:
          selection:
            eventSource: cloudtrail.amazonaws.com
            eventName:
              - CreateTrail
              - DeleteTrail
          condition: selection
        level: low
        """);

    int exit = vigil("rules", "backtest", "--baseline", baseline.toString(), INVICTUS.toString());

    assertThat(exit).as(err.toString()).isZero();
    String table = out.toString();
    assertThat(table).contains("backtest over 55 files, 2900 records");
    assertThat(table).containsPattern("every-trail-change\\s+\\d+\\s+0\\s+-\\d+");
    assertThat(table).containsPattern("removed \\([1-9]\\d*\\)");
    assertThat(table).contains("added (0)");
  }

  @Test
  void aMissingPathIsAUsageError() {
    assertThat(vigil("rules", "backtest", "no/such/dir")).isEqualTo(2);
    assertThat(err.toString()).contains("no such file or directory: no/such/dir");
  }
}
