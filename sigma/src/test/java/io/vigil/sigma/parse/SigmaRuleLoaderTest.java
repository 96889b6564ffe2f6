package io.vigil.sigma.parse;

import static io.vigil.sigma.testing.SigmaRules.document;
import static io.vigil.sigma.testing.SigmaRules.errors;
import static io.vigil.sigma.testing.SigmaRules.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.Severity;
import io.vigil.sigma.event.DerivedField;
import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.model.CorrelationType;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.LogSource;
import io.vigil.sigma.model.RuleLoadException;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.sigma.testing.SigmaRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigmaRuleLoaderTest {

  private static final String GOOD =
      """
      title: Good
      id: good-rule
      status: stable
      description: A rule that loads.
      author: Jane Doe, John Roe
      references:
        - https://example.org/rule
      tags:
        - attack.defense-evasion
        - attack.t1562.008
        - cis.aws.4.5
      logsource:
        product: aws
        service: cloudtrail
      detection:
        selection:
          eventName: StopLogging
        condition: selection
      fields:
        - userIdentity.arn
      falsepositives:
        - Planned maintenance
      level: informational
      """;

  @Test
  void metadataIsLoadedAsWritten() {
    LoadResult result = new SigmaRuleLoader().loadText("good.yml", GOOD);
    assertThat(result.errors()).isEmpty();
    SigmaRule rule = result.rules().get(0);
    assertThat(rule.id()).isEqualTo("good-rule");
    assertThat(rule.title()).isEqualTo("Good");
    assertThat(rule.status()).isEqualTo("stable");
    assertThat(rule.description()).isEqualTo("A rule that loads.");
    assertThat(rule.author()).isEqualTo("Jane Doe, John Roe");
    assertThat(rule.references()).containsExactly("https://example.org/rule");
    assertThat(rule.tags())
        .containsExactly("attack.defense-evasion", "attack.t1562.008", "cis.aws.4.5");
    assertThat(rule.logSource()).isEqualTo(new LogSource("aws", "cloudtrail", null, null));
    assertThat(rule.fields()).containsExactly("userIdentity.arn");
    assertThat(rule.falsePositives()).containsExactly("Planned maintenance");
    assertThat(rule.level()).isEqualTo(Severity.info);
    assertThat(rule.source()).isEqualTo("good.yml");
    assertThat(rule.line()).isEqualTo(1);
  }

  @Test
  void levelsMapToSeverities() {
    for (var level :
        Map.of(
                "low",
                Severity.low,
                "medium",
                Severity.medium,
                "high",
                Severity.high,
                "critical",
                Severity.critical)
            .entrySet()) {
      LoadResult result =
          new SigmaRuleLoader()
              .loadText("l.yml", GOOD.replace("level: informational", "level: " + level.getKey()));
      assertThat(result.rules().get(0).level()).isEqualTo(level.getValue());
    }
  }

  @Test
  void anUnknownModifierIsAnErrorAtItsLine() {
    List<RuleLoadException> errors =
        errors(
            """
              selection:
                eventName|contians: Stop
              condition: selection
            """);
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("test.yml");
              assertThat(e.line()).isEqualTo(9);
              assertThat(e.problem()).contains("unknown modifier 'contians'");
              assertThat(e.getMessage()).startsWith("test.yml:9: ");
            });
  }

  @Test
  void anUnknownDerivedFieldIsAnErrorNamingTheKnownOnes() {
    DerivedField known =
        new DerivedField() {
          @Override
          public String name() {
            return "vigil.policyPublic";
          }

          @Override
          public List<Object> values(EventView event) {
            return List.of(true);
          }
        };
    List<RuleLoadException> errors =
        new SigmaRuleLoader(Map.of(), DerivedFields.of(known))
            .loadText(
                "test.yml",
                document(
                    """
                      selection:
                        vigil.policyPubic: true
                      condition: selection
                    """))
            .errors();
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(9);
              assertThat(e.problem())
                  .isEqualTo(
                      "unknown derived field 'vigil.policyPubic'; Vigil derives"
                          + " [vigil.policyPublic]");
            });
    assertThat(
            errors(
                """
                  selection:
                    vigil.policyPublic: true
                  condition: selection
                """))
        .singleElement()
        .extracting(RuleLoadException::problem)
        .asString()
        .contains("unknown derived field 'vigil.policyPublic'", "knows no derived fields");
  }

  @Test
  void malformedRulesAreErrorsNeverSkips() {
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("missing detection", "title: t\nid: i\n"),
            Map.entry("missing condition", "title: t\nid: i\ndetection:\n  sel:\n    a: b\n"),
            Map.entry("missing title", "id: i\ndetection:\n  sel:\n    a: b\n  condition: sel\n"),
            Map.entry("missing id", "title: t\ndetection:\n  sel:\n    a: b\n  condition: sel\n"),
            Map.entry("unknown level", GOOD.replace("level: informational", "level: severe")),
            Map.entry("unknown status", GOOD.replace("status: stable", "status: beta")),
            Map.entry(
                "duplicate key",
                GOOD.replace(
                    "eventName: StopLogging",
                    "eventName: StopLogging\n    eventName: DeleteTrail")),
            Map.entry("detection not a map", "title: t\nid: i\ndetection: [a]\n"),
            Map.entry(
                "nested map value",
                GOOD.replace("eventName: StopLogging", "eventName:\n      nested: x")),
            Map.entry("empty value list", GOOD.replace("eventName: StopLogging", "eventName: []")),
            Map.entry("bad regex", GOOD.replace("eventName: StopLogging", "eventName|re: '(['")),
            Map.entry(
                "bad cidr", GOOD.replace("eventName: StopLogging", "sourceIPAddress|cidr: x")),
            Map.entry(
                "conflicting modifiers",
                GOOD.replace("eventName: StopLogging", "eventName|contains|startswith: x")),
            Map.entry("non-numeric gt", GOOD.replace("eventName: StopLogging", "bytes|gt: many")),
            Map.entry(
                "exists without boolean",
                GOOD.replace("eventName: StopLogging", "bytes|exists: maybe")),
            Map.entry(
                "base64 of wildcard", GOOD.replace("eventName: StopLogging", "a|base64: 'x*'")),
            Map.entry(
                "expand without placeholder",
                GOOD.replace("eventName: StopLogging", "a|expand: 'x'")),
            Map.entry("not a map", "- a\n- b\n"),
            Map.entry(
                "timeframe without aggregation",
                GOOD.replace("condition: selection", "timeframe: 5m\n  condition: selection")));
    cases.forEach(
        (name, yaml) -> {
          LoadResult result = new SigmaRuleLoader().loadText("bad.yml", yaml);
          assertThat(result.rules()).as(name).isEmpty();
          assertThat(result.errors())
              .as(name)
              .isNotEmpty()
              .allSatisfy(e -> assertThat(e.source()).isEqualTo("bad.yml"));
        });
  }

  @Test
  void invalidYamlIsAnErrorWithTheLineOfTheProblem() {
    LoadResult result =
        new SigmaRuleLoader()
            .loadText(
                "broken.yml", "title: t\nid: i\ndetection:\n  sel:\n    a: [b\n  condition: sel\n");
    assertThat(result.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.problem()).startsWith("invalid YAML");
              assertThat(e.line()).isBetween(5, 7);
            });
  }

  @Test
  void aMissingPlaceholderIsAnErrorNamingIt() {
    List<RuleLoadException> errors =
        errors(
            """
              selection:
                userIdentity.arn|expand: '%admins%'
              condition: selection
            """);
    assertThat(errors)
        .singleElement()
        .extracting(RuleLoadException::problem)
        .asString()
        .contains("%admins%", "no values configured");
  }

  @Test
  void aDirectoryReportsEveryBrokenFileAndLoadsTheRest(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a_good.yml"), GOOD);
    Files.createDirectories(dir.resolve("nested"));
    Files.writeString(
        dir.resolve("nested/b_bad.yaml"),
        GOOD.replace("id: good-rule", "id: bad-1")
            .replace("eventName: StopLogging", "eventName|nope: x"));
    Files.writeString(
        dir.resolve("c_bad.yml"),
        GOOD.replace("id: good-rule", "id: bad-2")
            .replace("condition: selection", "condition: selection and missing"));
    Files.writeString(dir.resolve("readme.txt"), "not a rule");
    LoadResult result = new SigmaRuleLoader().loadDirectory(dir);
    assertThat(result.rules()).extracting(SigmaRule::id).containsExactly("good-rule");
    assertThat(result.errors()).hasSize(2);
    assertThat(result.errors())
        .extracting(RuleLoadException::source)
        .containsExactly(dir + "/c_bad.yml", dir + "/nested/b_bad.yaml");
    assertThat(result.errors().get(0).line()).isEqualTo(18);
    assertThat(result.errors().get(1).line()).isEqualTo(17);
    assertThatThrownBy(result::orThrow)
        .isInstanceOf(RuleLoadException.class)
        .hasMessageContaining("c_bad.yml:18")
        .hasMessageContaining("and 1 more");
  }

  @Test
  void aMultiDocumentFileHoldsRulesAndCorrelations() {
    String yaml =
        GOOD
            + """
            ---
            title: Many stops
            id: many-stops
            author: Vigil
            correlation:
              type: event_count
              rules:
                - good-rule
              group-by:
                - userIdentity.arn
              timespan: 10m
              condition:
                gte: 3
            level: critical
            """;
    LoadResult result = new SigmaRuleLoader().loadText("multi.yml", yaml);
    assertThat(result.errors()).isEmpty();
    assertThat(result.rules()).extracting(SigmaRule::id).containsExactly("good-rule");
    assertThat(result.correlations())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(CorrelationType.EVENT_COUNT);
              assertThat(c.line()).isEqualTo(25);
              assertThat(c.condition().gte()).isEqualTo(3L);
            });
  }

  private static final String NEW_TERMS =
      GOOD
          + """
          ---
          title: First stop
          id: first-stop
          correlation:
            type: new_terms
            rules:
              - good-rule
            group-by:
              - userIdentity.arn
              - eventName
            timespan: 30d
            learning: 0s
          level: medium
          """;

  @Test
  void aNewTermsCorrelationTakesItsHistoryFromTheTimespanAndALearningPeriod() {
    LoadResult result = new SigmaRuleLoader().loadText("first.yml", NEW_TERMS);
    assertThat(result.errors()).isEmpty();
    assertThat(result.correlations())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(CorrelationType.NEW_TERMS);
              assertThat(c.groupBy()).containsExactly("userIdentity.arn", "eventName");
              assertThat(c.timespan()).isEqualTo(java.time.Duration.ofDays(30));
              assertThat(c.learning()).isEqualTo(java.time.Duration.ZERO);
            });
  }

  @Test
  void aNewTermsCorrelationThatCannotWorkIsAnErrorSayingWhy() {
    Map<String, String> cases =
        Map.of(
            "a new_terms correlation needs 'group-by'",
            NEW_TERMS.replace("  group-by:\n    - userIdentity.arn\n    - eventName\n", ""),
            "a new_terms correlation has no 'condition'",
            NEW_TERMS.replace("learning: 0s", "learning: 0s\n  condition:\n    gte: 1"),
            "'soon' is no duration",
            NEW_TERMS.replace("learning: 0s", "learning: soon"),
            "'learning' only applies to new_terms correlations",
            NEW_TERMS.replace("type: new_terms", "type: temporal"),
            "(one of event_count, value_count, value_sum, value_avg, value_percentile,"
                + " value_median, temporal, temporal_ordered, new_terms, absence)",
            NEW_TERMS.replace("type: new_terms", "type: first_seen"));
    SigmaRules.assertCorrelationsRefused(cases);
  }

  @Test
  void builtinsLoadFromTheClasspathAndUserRulesOverrideThemById(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("override.yml"),
        """
        title: Root usage, our way
        id: test-root-usage
        author: Us
        level: low
        logsource:
          product: aws
          service: cloudtrail
        detection:
          selection:
            userIdentity.type: Root
            eventType: AwsApiCall
          condition: selection
        """);
    Files.writeString(dir.resolve("extra.yml"), GOOD);
    SigmaRuleLoader loader = new SigmaRuleLoader();
    RuleSet rules =
        loader.loadRuleSet(
            getClass().getClassLoader(), "sigma/builtin", List.of(dir), Set.of("good-rule"));
    assertThat(rules.loadErrors()).isEmpty();
    assertThat(rules.rules())
        .extracting(SigmaRule::id)
        .containsExactlyInAnyOrder("test-root-usage", "test-stop-logging");
    assertThat(rules.rule("test-root-usage").orElseThrow().level()).isEqualTo(Severity.low);
    assertThat(rules.rule("test-root-usage").orElseThrow().source()).contains("override.yml");
    assertThat(rules.rule("test-stop-logging").orElseThrow().source())
        .isEqualTo("classpath:sigma/builtin/stop_logging.yml");
    assertThat(rules.rule("good-rule")).isEmpty();
  }

  @Test
  void builtinsLoadFromAClasspathFolderInsideAJar(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("rules.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.jar.JarEntry("vigil-rules/"));
      out.closeEntry();
      out.putNextEntry(new java.util.jar.JarEntry("vigil-rules/good.yml"));
      out.write(GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    try (var classLoader =
        new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
      LoadResult result = new SigmaRuleLoader().loadClasspath(classLoader, "vigil-rules");
      assertThat(result.errors()).isEmpty();
      assertThat(result.rules())
          .singleElement()
          .extracting(SigmaRule::source)
          .isEqualTo("classpath:vigil-rules/good.yml");
      // A second load reuses the jar's file system.
      assertThat(new SigmaRuleLoader().loadClasspath(classLoader, "vigil-rules").rules())
          .hasSize(1);
    }
  }

  @Test
  void aMissingClasspathFolderIsAnError() {
    LoadResult result = new SigmaRuleLoader().loadClasspath(getClass().getClassLoader(), "nope");
    assertThat(result.errors())
        .singleElement()
        .extracting(RuleLoadException::source)
        .isEqualTo("classpath:nope");
  }

  @Test
  void duplicateIdsInOneLayerAreAnError() {
    LoadResult twice = new SigmaRuleLoader().loadText("twice.yml", GOOD + "---\n" + GOOD);
    RuleSet rules = RuleSet.builder().add(twice).build();
    assertThat(rules.rules()).hasSize(1);
    assertThat(rules.loadErrors())
        .singleElement()
        .extracting(RuleLoadException::problem)
        .asString()
        .contains("used twice");
  }

  @Test
  void loadedRulesMatchEvents() {
    SigmaRule rule = new SigmaRuleLoader().loadText("good.yml", GOOD).rules().get(0);
    assertThat(
            rule.matches(
                event(
                    """
                    {"eventID": "1", "eventName": "StopLogging", "eventSource": "cloudtrail.amazonaws.com"}
                    """)))
        .isTrue();
  }
}
