package io.vigil.app.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.scan.OfflineScan;
import io.vigil.app.scan.ScanWorkers;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.schemas.Alert;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Stratus Red Team detonation logs against the default rules, as {@code vigil scan} of each
 * file sees them: which techniques raise an alert above info, and for each one that does not, why.
 * docs/stratus-coverage.md is generated from this test and checked to be current; regenerate it
 * with {@code -Dvigil.conformance.write=true}.
 */
class StratusCoverageTest {

  static final Path DOC = Path.of("..", "docs", "stratus-coverage.md");

  // Techniques no default rule catches yet, and what it would take.
  private static final Map<String, String> WHY_NOT =
      Map.of(
          "aws.credential-access.ec2-steal-instance-credentials",
          "the stolen role credentials are used from outside the instance: needs where an"
              + " instance role's sessions are normally used from (first-seen source address)",
          "aws.credential-access.ssm-retrieve-securestring-parameters",
          "`GetParameters` names up to 10 parameters a call and a correlation counts the first"
              + " name of each call, so 5 calls count 5: needs every name counted",
          "aws.execution.ssm-send-command",
          "routine for administrators: needs first-seen terms (principal + `SendCommand`)",
          "aws.execution.ssm-start-session",
          "routine for administrators: needs first-seen terms (principal + `StartSession`)",
          "aws.impact.bedrock-invoke-model",
          "needs first-seen terms (principal + `InvokeModel`)",
          "aws.lateral-movement.ec2-instance-connect",
          "routine for administrators: needs first-seen terms (principal + `SendSSHPublicKey`)",
          "aws.lateral-movement.ec2-serial-console-send-ssh-public-key",
          "needs first-seen terms (principal + `SendSerialConsoleSSHPublicKey`)",
          "aws.persistence.lambda-layer-extension",
          "a layer of the same account added to a function: needs first-seen terms (principal +"
              + " layer change)",
          "aws.persistence.lambda-overwrite-code",
          "deployments update code all day: needs first-seen terms (principal +"
              + " `UpdateFunctionCode`)");

  private static final DetectionEngine ENGINE = DetectionEngine.load(DetectionSettings.DEFAULTS);

  @Test
  void docsStratusCoverageMatchesWhatTheDefaultRulesRaise()
      throws IOException, InterruptedException {
    Map<String, TreeSet<String>> raised = new TreeMap<>();
    Path logs = TestData.path("stratus_red_team/docs/detonation-logs");
    List<Path> files;
    try (Stream<Path> list = Files.list(logs)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSize(35);
    for (Path file : files) {
      StringWriter out = new StringWriter();
      OfflineScan.scan(
          ENGINE,
          DetectionSettings.DEFAULTS,
          new AwsLogDecoder(),
          List.of(file),
          StratusCoverageTest::cell,
          false,
          1,
          ScanWorkers.Bounds.forThreads(1),
          new PrintWriter(out, true),
          new PrintWriter(new StringWriter(), true));
      raised.put(
          file.getFileName().toString().replaceFirst("\\.json$", ""),
          out.toString()
              .lines()
              .filter(l -> !l.isBlank())
              .collect(Collectors.toCollection(TreeSet::new)));
    }
    List<String> silent =
        raised.entrySet().stream()
            .filter(e -> e.getValue().isEmpty())
            .map(Map.Entry::getKey)
            .toList();
    assertThat(WHY_NOT.keySet())
        .as("a reason for each technique that raises nothing, and none for the others")
        .containsExactlyInAnyOrderElementsOf(silent);

    String doc = document(raised, files.size() - silent.size(), files.size());
    if (Boolean.getBoolean("vigil.conformance.write")) {
      Files.writeString(DOC, doc, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as(
            "docs/stratus-coverage.md is out of date: run ./mvnw -pl app test"
                + " -Dtest=StratusCoverageTest -Dvigil.conformance.write=true and commit it")
        .isEqualTo(doc);
  }

  private static String cell(Alert alert) {
    return "`" + alert.getRuleId() + "` (" + alert.getSeverity() + ")";
  }

  private static String document(Map<String, TreeSet<String>> raised, int covered, int all) {
    StringBuilder doc = new StringBuilder();
    doc.append("# Stratus Red Team: which techniques the default rules catch\n\n")
        .append("<!-- Generated by app/src/test/java/io/vigil/app/conformance/")
        .append("StratusCoverageTest.java; edit the test, not this file. -->\n\n")
        .append("Stratus Red Team's detonation logs (`testdata/stratus_red_team/docs/")
        .append("detonation-logs/`, one file per technique) scanned one file at a time with the")
        .append(" default rules, as `vigil scan FILE` does. **")
        .append(covered)
        .append(" of ")
        .append(all)
        .append(" techniques raise an alert.** Reproduce one row:\n\n")
        .append("```sh\njava -jar deploy/target/vigil.jar scan ")
        .append(
            "testdata/stratus_red_team/docs/detonation-logs/aws.exfiltration.ec2-share-ami.json")
        .append("\n```\n\n")
        .append("| technique | alerts raised (severity), or why none |\n|---|---|\n");
    raised.forEach(
        (technique, rules) ->
            doc.append("| ")
                .append(technique)
                .append(" | ")
                .append(
                    rules.isEmpty() ? "none: " + WHY_NOT.get(technique) : String.join(", ", rules))
                .append(" |\n"));
    return doc.toString();
  }
}
