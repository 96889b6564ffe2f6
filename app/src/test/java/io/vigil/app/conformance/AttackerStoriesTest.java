package io.vigil.app.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.scan.OfflineScan;
import io.vigil.app.scan.ScanWorkers;
import io.vigil.ingest.decode.AwsLogDecoder;
import io.vigil.schemas.Alert;
import io.vigil.schemas.Severity;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.testkit.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacker stories, each beside its benign twin (testdata/stories/, described in its README), as a
 * new user would try them: each file scanned alone, as {@code vigil scan FILE} does, with the
 * default rules on a fresh install and {@code accounts.names} naming the organization's two
 * accounts. Each attack raises, above low, the rules its story is about; each benign twin raises
 * nothing above low, but for what is raised by design and said so below. docs/attacker-stories.md
 * is generated from this test and checked to be current; regenerate it with {@code
 * -Dvigil.conformance.write=true}.
 */
class AttackerStoriesTest {

  static final Path DOC = Path.of("..", "docs", "attacker-stories.md");

  static final String PROD = "111122223333";
  static final String BACKUP = "444455556666";

  static final DetectionSettings NAMED =
      DetectionSettings.DEFAULTS.withAccountNames(Map.of(PROD, "prod", BACKUP, "backup"));

  /** One story: its folder under testdata/stories, what it is, the rules its attack must raise. */
  record Story(String dir, String what, Set<String> rules) {}

  private static final List<Story> STORIES =
      List.of(
          new Story(
              "01-ebs-snapshot-shared",
              "EBS snapshot shared with an outside account | with the own backup account",
              Set.of("aws-storage-shared-outside")),
          new Story(
              "02-ami-made-public",
              "AMI made public | shared with the own backup account",
              Set.of("aws-storage-shared-outside")),
          new Story(
              "03-rds-snapshot-shared",
              "RDS snapshot shared with an outside account | with the own backup account",
              Set.of("aws-storage-shared-outside")),
          new Story(
              "04-credentials-for-another-user",
              "Access key and console password made for another user | a user rotates her own key",
              Set.of("aws-iam-credentials-for-another-user")),
          new Story(
              "05-role-trusts-outside-account",
              "Role trust policy admits an outside account | admits the own backup account",
              Set.of("aws-role-trusts-outside-account")),
          new Story(
              "06-secrets-read-burst",
              "Stolen instance credentials read 16 secrets and 3 parameters in 5 minutes"
                  + " | a service reads its two secrets every half hour",
              Set.of("aws-secrets-read-burst")),
          new Story(
              "07-ssm-command-first-seen",
              "SSM command and session by a principal never seen doing so, after 9 days of history"
                  + " | the ops role's nightly patch command only",
              Set.of("aws-ssm-remote-execution-first-seen")),
          new Story(
              "08-console-login-after-brute-force",
              "Console sign-in after 10 failures from one address | one mistyped password, then"
                  + " MFA",
              Set.of("aws-console-login-after-brute-force", "aws-console-brute-force")),
          new Story(
              "09-cloudtrail-stopped",
              "Trail stopped and never started again | stopped for 5 minutes, then started",
              Set.of("aws-cloudtrail-stopped-not-restarted", "aws-cloudtrail-logging-disabled")),
          new Story(
              "10-lambda-permission-outside",
              "Lambda function opened to an outside account | to S3 (own source account) and the"
                  + " own backup account",
              Set.of("aws-lambda-public-permission")),
          new Story(
              "11-gpu-instance-launch",
              "GPU instances (p4d denied, g5 launched) with a stolen key | a t3.micro",
              Set.of("aws-ec2-unusual-instance-launch")),
          new Story(
              "12-federation-token",
              "Federation token with an allow-all policy requested by an IAM user"
                  + " | an MFA session token",
              Set.of("aws-sts-federation-token")),
          new Story(
              "13-log-sources-disabled",
              "VPC flow log deleted and S3 access logging turned off | S3 access logs moved to a"
                  + " new prefix",
              Set.of("aws-log-source-deleted")),
          new Story(
              "14-user-data-changed",
              "Instance stopped, user data replaced, started | the same instance resized",
              Set.of("aws-ec2-user-data-changed")));

  // What a benign twin raises above low on purpose, by rule, and why.
  private static final Map<String, Map<String, String>> BENIGN_BY_DESIGN =
      Map.of(
          "09-cloudtrail-stopped",
          Map.of(
              "aws-cloudtrail-logging-disabled",
              "CIS AWS 3.1/4.5: every stop of a trail pages at once, however short",
              "aws-cloudtrail-config-change",
              "CIS AWS 4.5: every StartLogging is a trail configuration change"));

  // Files whose expectation the default rules do not meet yet ("story/attack" or "story/benign"),
  // and why. Keep the files honest; a miss is written down here, not hidden.
  private static final Map<String, String> KNOWN_MISSES = Map.of();

  private static final Set<String> SHARING_STORIES =
      Set.of(
          "01-ebs-snapshot-shared",
          "02-ami-made-public",
          "03-rds-snapshot-shared",
          "05-role-trusts-outside-account",
          "10-lambda-permission-outside");

  /** One alert as the scan printed it. */
  record Raised(String ruleId, Severity severity, String title, String accountName) {

    static Raised parse(String line) {
      String[] cells = line.split("\t", -1);
      return new Raised(cells[0], Severity.valueOf(cells[1]), cells[2], cells[3]);
    }

    boolean aboveLow() {
      return severity.compareTo(Severity.low) > 0;
    }

    // SigmaHQ's rules are named by a UUID: their title says more.
    String cell() {
      boolean packRule = ruleId.matches("[0-9a-f]{8}-[0-9a-f-]{27}");
      return packRule
          ? "SigmaHQ \"" + title + "\" (" + severity + ")"
          : "`" + ruleId + "` (" + severity + ")";
    }
  }

  private static Map<String, List<Raised>> attacks;
  private static Map<String, List<Raised>> twins;

  @BeforeAll
  static void scanEveryFile() throws IOException, InterruptedException {
    DetectionEngine engine = DetectionEngine.load(NAMED);
    attacks = new LinkedHashMap<>();
    twins = new LinkedHashMap<>();
    for (Story story : STORIES) {
      attacks.put(story.dir(), scan(engine, NAMED, file(story, "attack")));
      twins.put(story.dir(), scan(engine, NAMED, file(story, "benign")));
    }
  }

  @Test
  void everyStoryFolderIsDeclaredHere() throws IOException {
    List<String> folders;
    try (Stream<Path> list = Files.list(TestData.path("stories"))) {
      folders =
          list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(folders).containsExactlyElementsOf(STORIES.stream().map(Story::dir).toList());
  }

  @Test
  void eachAttackRaisesItsRulesAboveLowAndEachTwinNothingAboveLow() {
    List<String> misses = new ArrayList<>();
    for (Story story : STORIES) {
      List<Raised> attack = attacks.get(story.dir());
      List<Raised> twin = twins.get(story.dir());
      Set<String> attackAboveLow = ruleIds(attack.stream().filter(Raised::aboveLow));
      if (!attackAboveLow.containsAll(story.rules())) {
        misses.add(story.dir() + "/attack");
      }
      Map<String, String> byDesign = BENIGN_BY_DESIGN.getOrDefault(story.dir(), Map.of());
      Set<String> twinAboveLow = ruleIds(twin.stream().filter(Raised::aboveLow));
      twinAboveLow.removeAll(byDesign.keySet());
      Set<String> twinStoryRules = ruleIds(twin.stream());
      twinStoryRules.retainAll(story.rules());
      twinStoryRules.removeAll(byDesign.keySet());
      if (!twinAboveLow.isEmpty() || !twinStoryRules.isEmpty()) {
        misses.add(story.dir() + "/benign");
      }
      assertThat(ruleIds(twin.stream()))
          .as("%s: what the twin raises by design, it does raise", story.dir())
          .containsAll(byDesign.keySet());
      assertThat(Stream.concat(attack.stream(), twin.stream()).map(Raised::accountName))
          .as("%s: every alert names the prod account by its name", story.dir())
          .containsOnly("prod");
    }
    assertThat(misses)
        .as("the files whose expectation is not met are exactly the known misses")
        .containsExactlyInAnyOrderElementsOf(KNOWN_MISSES.keySet());
  }

  @Test
  void withoutTheBackupAccountNamedTheSharingTwinsRaiseTheirStoryRule()
      throws IOException, InterruptedException {
    // The twins of the sharing and trust stories grant to the backup account: named, it is one of
    // the organization's, and that alone keeps them quiet.
    DetectionSettings prodOnly = DetectionSettings.DEFAULTS.withAccountNames(Map.of(PROD, "prod"));
    DetectionEngine engine = DetectionEngine.load(prodOnly);
    for (Story story : STORIES) {
      if (SHARING_STORIES.contains(story.dir())) {
        assertThat(ruleIds(scan(engine, prodOnly, file(story, "benign")).stream()))
            .as("%s: the twin, with only prod named", story.dir())
            .containsAll(story.rules());
      }
    }
  }

  @Test
  void docsAttackerStoriesMatchesWhatTheDefaultRulesRaise() throws IOException {
    String doc = document();
    GeneratedDoc.assertCurrent(DOC, doc, AttackerStoriesTest.class);
  }

  private static Path file(Story story, String variant) {
    return TestData.path("stories/" + story.dir() + "/" + variant + ".json");
  }

  /** What a scan of the file alone raises, each alert once, in its final state. */
  private static List<Raised> scan(DetectionEngine engine, DetectionSettings settings, Path file)
      throws InterruptedException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    OfflineScan.Totals totals =
        OfflineScan.scan(
            engine,
            settings,
            new AwsLogDecoder(),
            List.of(file),
            AttackerStoriesTest::line,
            false,
            1,
            ScanWorkers.Bounds.forThreads(1),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(err.toString()).as("%s: nothing rejected or unreadable", file).isEmpty();
    assertThat(totals.records()).as("%s: records read", file).isPositive();
    assertThat(totals.duplicates()).as("%s: event ids are unique", file).isZero();
    return out.toString().lines().filter(l -> !l.isBlank()).map(Raised::parse).toList();
  }

  private static String line(Alert alert) {
    return String.join(
        "\t",
        alert.getRuleId(),
        alert.getSeverity().name(),
        alert.getTitle(),
        String.valueOf(alert.getAccountName()));
  }

  private static TreeSet<String> ruleIds(Stream<Raised> raised) {
    return raised.map(Raised::ruleId).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String cells(List<Raised> raised) {
    return raised.isEmpty()
        ? "nothing"
        : String.join(
            ", ", raised.stream().map(Raised::cell).collect(Collectors.toCollection(TreeSet::new)));
  }

  private static String document() {
    StringBuilder doc = new StringBuilder();
    doc.append("# Attacker stories beside their benign twins\n\n")
        .append("<!-- Generated by app/src/test/java/io/vigil/app/conformance/")
        .append("AttackerStoriesTest.java; edit the test, not this file. -->\n\n")
        .append("Short intrusions written as CloudTrail delivers them, each beside the closest")
        .append(" legitimate variant (`testdata/stories/`, what each one tells and where the event")
        .append(" shapes come from in its README.md), scanned one file at a time with the default")
        .append(" rules on a fresh install, as `vigil scan FILE` does, with `accounts.names`")
        .append(" naming the organization's two accounts (")
        .append(PROD)
        .append(" prod, ")
        .append(BACKUP)
        .append(" backup). Each attack raises the rules of its story above low; each twin")
        .append(" raises nothing above low, except where said. Reproduce one row:\n\n")
        .append("```sh\njava -jar deploy/target/vigil.jar scan --set 'accounts.names={\"")
        .append(PROD)
        .append("\": prod, \"")
        .append(BACKUP)
        .append("\": backup}' testdata/stories/01-ebs-snapshot-shared/attack.json\n```\n\n")
        .append("| story | attack \\| benign twin | the story's rules |")
        .append(" the attack raised (severity) | the benign twin raised (severity) |\n")
        .append("|---|---|---|---|---|\n");
    for (Story story : STORIES) {
      Map<String, String> byDesign = BENIGN_BY_DESIGN.getOrDefault(story.dir(), Map.of());
      String twin = cells(twins.get(story.dir()));
      if (!byDesign.isEmpty()) {
        twin +=
            byDesign.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> "`" + e.getKey() + "` by design: " + e.getValue())
                .collect(Collectors.joining("; ", " (", ")"));
      }
      String attack = cells(attacks.get(story.dir()));
      String attackMiss = KNOWN_MISSES.get(story.dir() + "/attack");
      String twinMiss = KNOWN_MISSES.get(story.dir() + "/benign");
      doc.append("| ")
          .append(story.dir())
          .append(" | ")
          .append(story.what().replace("|", "\\|"))
          .append(" | ")
          .append(
              story.rules().stream()
                  .sorted()
                  .map(r -> "`" + r + "`")
                  .collect(Collectors.joining(", ")))
          .append(" | ")
          .append(attackMiss == null ? attack : attack + " (known miss: " + attackMiss + ")")
          .append(" | ")
          .append(twinMiss == null ? twin : twin + " (known miss: " + twinMiss + ")")
          .append(" |\n");
    }
    doc.append("\nWith only prod named in `accounts.names`, the twins of ")
        .append(
            STORIES.stream()
                .map(Story::dir)
                .filter(SHARING_STORIES::contains)
                .collect(Collectors.joining(", ")))
        .append(" raise their story's rule: the backup account is then outside the organization,")
        .append(" and naming it is what keeps them quiet.\n");
    return doc.toString();
  }
}
