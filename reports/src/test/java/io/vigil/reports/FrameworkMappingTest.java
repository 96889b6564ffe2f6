package io.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The framework mapping files and the rules' compliance tags must agree: a rule tagged with a
 * control is listed under that control, and a control lists only rules that carry its tag. Reads
 * the built-in rules from the streams module's sources, so that a new tag fails this build until
 * the mapping (and its citation) is written.
 */
class FrameworkMappingTest {

  private static final Path RULES = Path.of("..", "streams", "src", "main", "resources", "rules");

  /** Rule id to tags, for every rule that raises alerts. */
  private static Map<String, List<String>> ruleTags;

  @BeforeAll
  static void readRules() throws IOException {
    ruleTags = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(RULES)) {
      files = walk.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(files).as("rule files under %s", RULES.toAbsolutePath()).hasSizeGreaterThan(30);
    for (Path file : files) {
      List<Map<String, Object>> docs = new ArrayList<>();
      try (Reader reader = Files.newBufferedReader(file)) {
        for (Object doc : new Yaml().loadAll(reader)) {
          if (doc instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> rule = (Map<String, Object>) map;
            docs.add(rule);
          }
        }
      }
      // Base rules of a correlation raise no alerts of their own (Sigma: generate defaults to
      // false), so no control can fail through them; only the correlation is mapped.
      Set<String> silentBases = new HashSet<>();
      for (Map<String, Object> doc : docs) {
        if (doc.get("correlation") instanceof Map<?, ?> correlation
            && !Boolean.TRUE.equals(correlation.get("generate"))) {
          Object bases = correlation.get("rules");
          if (bases instanceof List<?> list) {
            list.forEach(base -> silentBases.add(String.valueOf(base)));
          } else if (bases != null) {
            silentBases.add(String.valueOf(bases));
          }
        }
      }
      for (Map<String, Object> doc : docs) {
        String id = String.valueOf(doc.get("id"));
        if (!silentBases.contains(id)) {
          List<String> tags = new ArrayList<>();
          if (doc.get("tags") instanceof List<?> list) {
            list.forEach(tag -> tags.add(String.valueOf(tag)));
          }
          ruleTags.put(id, tags);
        }
      }
    }
  }

  static Stream<String> frameworks() {
    return Framework.IDS.stream();
  }

  @ParameterizedTest
  @MethodSource("frameworks")
  void mappingAndRuleTagsAgree(String id) {
    Framework framework = Framework.load(id);
    Set<String> fromTags = new TreeSet<>();
    ruleTags.forEach(
        (rule, tags) ->
            tags.forEach(
                tag -> {
                  String control = framework.controlIdOfTag(tag);
                  if (control != null) {
                    fromTags.add(control + " <- " + rule);
                  }
                }));
    Set<String> fromMapping = new TreeSet<>();
    framework
        .controls()
        .forEach(c -> c.rules().forEach(rule -> fromMapping.add(c.id() + " <- " + rule)));

    assertThat(fromTags).as("rule tags of %s", id).isNotEmpty();
    assertThat(fromMapping).as("%s mapping vs the rules' tags", id).isEqualTo(fromTags);
  }

  @ParameterizedTest
  @MethodSource("frameworks")
  void everyControlIsCitedAndListedOnce(String id) {
    Framework framework = Framework.load(id);

    assertThat(framework.id()).isEqualTo(id);
    assertThat(framework.name()).isNotBlank();
    assertThat(framework.version()).isNotBlank();
    List<String> ids = new ArrayList<>();
    framework
        .controls()
        .forEach(
            c -> {
              assertThat(c.title()).as(c.id()).isNotBlank();
              assertThat(c.section()).as(c.id()).isNotBlank().contains(c.id().replace("Art. ", ""));
              assertThat(c.evaluation()).as(c.id()).isNotBlank();
              assertThat(c.rules()).as(c.id()).isNotEmpty().doesNotHaveDuplicates();
              assertThat(ruleTags)
                  .as("rules of %s", c.id())
                  .containsKeys(c.rules().toArray(String[]::new));
              ids.add(c.id());
            });
    framework
        .notEvaluated()
        .forEach(
            c -> {
              assertThat(c.title()).as(c.id()).isNotBlank();
              assertThat(c.reason()).as(c.id()).isNotBlank();
              ids.add(c.id());
            });
    assertThat(ids).as("control ids of %s", id).doesNotHaveDuplicates();
  }

  @Test
  void cisAwsListsTheWholeBenchmark() {
    Framework cis = Framework.load("cis-aws");
    Set<String> all = new TreeSet<>();
    cis.controls().forEach(c -> all.add(c.id()));
    cis.notEvaluated().forEach(c -> all.add(c.id()));
    // CIS AWS Foundations Benchmark v1.4.0: 21 + 7 + 11 + 16 + 5 recommendations.
    assertThat(all).hasSize(60);
  }
}
