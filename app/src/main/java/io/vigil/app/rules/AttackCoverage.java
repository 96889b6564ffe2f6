package io.vigil.app.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.streams.alerts.ComplianceTags;
import io.vigil.streams.alerts.RuleInfo;
import io.vigil.streams.detection.DetectionEngine;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code vigil rules coverage} shows: the MITRE ATT&CK tactics and techniques the rules in
 * force cover, from their tags, with each rule's level and the evidence that it works: how its rule
 * tests went ({@code vigil rules test} files that expect it), when any were given.
 *
 * <p>Only rules that raise alerts count (a base rule that only feeds a correlation is covered by
 * the correlation); a tactic with no rule is listed as uncovered, so gaps show.
 */
public final class AttackCoverage {

  /** ATT&CK Enterprise tactics in the matrix's order: id and name. */
  static final Map<String, String> TACTICS = ComplianceTags.tactics();

  /** How a rule's tests went. */
  public record Tests(int passed, int failed) {
    static final Tests NONE = new Tests(0, 0);

    String summary() {
      if (passed == 0 && failed == 0) {
        return "untested";
      }
      return failed == 0 ? "tests pass (" + passed + ")" : "tests FAIL (" + failed + " failed)";
    }
  }

  /** A rule that raises alerts, with what it covers. */
  public record CoveringRule(
      String id, String title, String level, List<String> attack, Tests tests) {

    /** The id, or for a rule named by a UUID (SigmaHQ's) its title, which says more. */
    String name() {
      return id.matches("[0-9a-f]{8}-[0-9a-f-]{27}") ? "SigmaHQ \"" + title + "\"" : id;
    }
  }

  private final List<CoveringRule> rules;
  private final Map<String, CoverageEvidence.Evidence> evidence;
  private final Duration lookBack;

  private AttackCoverage(
      List<CoveringRule> rules,
      Map<String, CoverageEvidence.Evidence> evidence,
      Duration lookBack) {
    this.rules = List.copyOf(rules);
    this.evidence = Map.copyOf(evidence);
    this.lookBack = lookBack;
  }

  /** The ids of the covering rules, sorted. */
  public List<String> ruleIds() {
    return rules.stream().map(CoveringRule::id).toList();
  }

  /**
   * This coverage with a running pipeline's evidence for its rules ({@link CoverageEvidence}),
   * gathered looking back {@code lookBack}.
   */
  public AttackCoverage withEvidence(
      Map<String, CoverageEvidence.Evidence> evidence, Duration lookBack) {
    return new AttackCoverage(rules, evidence, lookBack);
  }

  /**
   * The coverage of the alerting rules of {@code set}, the posture rules and the ingest gap rule,
   * with the tests that ran ({@code tests}: rule id to its tests' outcome; empty when none ran).
   */
  public static AttackCoverage of(RuleSet set, Map<String, Tests> tests) {
    List<CoveringRule> rules = new ArrayList<>();
    for (SigmaRule rule : set.rules()) {
      if (set.raisesOwnAlerts(rule)) {
        rules.add(covering(rule.id(), rule.title(), rule.level().name(), rule.tags(), tests));
      }
    }
    for (SigmaCorrelation correlation : set.correlations()) {
      if (set.raisesOwnAlerts(correlation)) {
        rules.add(
            covering(
                correlation.id(),
                correlation.title(),
                correlation.level().name(),
                correlation.tags(),
                tests));
      }
    }
    for (RuleInfo posture : DetectionEngine.postureRules().values()) {
      rules.add(
          covering(
              posture.id(), posture.title(), posture.severity().name(), posture.tags(), tests));
    }
    for (RuleInfo ingest : DetectionEngine.ingestRules()) {
      rules.add(
          covering(ingest.id(), ingest.title(), ingest.severity().name(), ingest.tags(), tests));
    }
    rules.sort(Comparator.comparing(CoveringRule::id));
    return new AttackCoverage(rules, Map.of(), Duration.ZERO);
  }

  private static CoveringRule covering(
      String id, String title, String level, List<String> tags, Map<String, Tests> tests) {
    return new CoveringRule(
        id, title, level, ComplianceTags.attack(tags), tests.getOrDefault(id, Tests.NONE));
  }

  /**
   * Tactic id to technique id to the rules that cover it, in the matrix's order; a rule tagged with
   * a technique but no tactic is listed under {@code -}, a tactic without techniques under {@code
   * -} as technique.
   */
  public Map<String, Map<String, List<CoveringRule>>> matrix() {
    Map<String, Map<String, List<CoveringRule>>> matrix = new LinkedHashMap<>();
    TACTICS.keySet().forEach(t -> matrix.put(t, new TreeMap<>()));
    for (CoveringRule rule : rules) {
      List<String> tactics = rule.attack().stream().filter(TACTICS::containsKey).toList();
      List<String> techniques = rule.attack().stream().filter(a -> !a.startsWith("TA")).toList();
      for (String tactic : tactics.isEmpty() ? List.of("-") : tactics) {
        for (String technique : techniques.isEmpty() ? List.of("-") : techniques) {
          matrix
              .computeIfAbsent(tactic, t -> new TreeMap<>())
              .computeIfAbsent(technique, t -> new ArrayList<>())
              .add(rule);
        }
      }
    }
    return matrix;
  }

  /** The rules with no ATT&CK tag at all. */
  public List<String> untagged() {
    return rules.stream().filter(r -> r.attack().isEmpty()).map(CoveringRule::id).toList();
  }

  /** As a table: tactic, technique, the rules with level and tests; then the totals. */
  public void printTable(PrintWriter out) {
    out.printf("%-34s %-11s %s%n", "TACTIC", "TECHNIQUE", "RULES (LEVEL, TESTS)");
    int covered = 0;
    Set<String> techniques = new TreeSet<>();
    for (Map.Entry<String, Map<String, List<CoveringRule>>> tactic : matrix().entrySet()) {
      String name = tactic.getKey() + " " + TACTICS.getOrDefault(tactic.getKey(), "(no tactic)");
      if (tactic.getValue().isEmpty()) {
        out.printf("%-34s %-11s %s%n", name, "-", "(none)");
        continue;
      }
      if (TACTICS.containsKey(tactic.getKey())) {
        covered++;
      }
      for (Map.Entry<String, List<CoveringRule>> technique : tactic.getValue().entrySet()) {
        if (!technique.getKey().equals("-")) {
          techniques.add(technique.getKey());
        }
        List<String> cells = new ArrayList<>();
        for (CoveringRule rule : technique.getValue()) {
          cells.add(rule.id() + " (" + rule.level() + ", " + rule.tests().summary() + ")");
        }
        out.printf("%-34s %-11s %s%n", name, technique.getKey(), String.join(", ", cells));
        name = "";
      }
    }
    out.printf(
        "%n%d of %d tactics and %d techniques covered by %d rules; without an ATT&CK tag: %s%n",
        covered, TACTICS.size(), techniques.size(), rules.size(), untagged());
    if (!evidence.isEmpty()) {
      printEvidence(out);
    }
    out.flush();
  }

  /** The running pipeline's evidence, a row per rule, the rules whose events never came first. */
  private void printEvidence(PrintWriter out) {
    long days = lookBack.toDays();
    out.printf("%nEvidence from the running pipeline, last %d days:%n", days);
    out.printf(
        "%-42s %-9s %-21s %-21s %-7s %s%n",
        "RULE", "EVENTS", "LAST EVENT", "LAST FIRED", "ALERTS", "NEEDS");
    int seen = 0;
    int fired = 0;
    int needing = 0;
    List<CoveringRule> ordered = new ArrayList<>(rules);
    // Rules blind for lack of events first, then the quiet ones: they are the gaps to act on.
    ordered.sort(
        Comparator.comparingInt((CoveringRule r) -> Arrival.of(evidence.get(r.id())).place)
            .thenComparing(CoveringRule::id));
    for (CoveringRule rule : ordered) {
      CoverageEvidence.Evidence e = evidence.get(rule.id());
      if (e == null) {
        continue;
      }
      if (e.seen() != null) {
        needing++;
        seen += e.seen() ? 1 : 0;
      }
      fired += e.alerts() > 0 ? 1 : 0;
      out.printf(
          "%-42s %-9s %-21s %-21s %-7d %s%n",
          shorten(rule.name(), 42),
          Arrival.of(e).label,
          e.lastEvent() == null ? "never" : e.lastEvent().toString(),
          e.lastFired() == null ? "never" : e.lastFired().toString(),
          e.alerts(),
          e.telemetry() == null ? "(the ingest itself)" : e.telemetry());
    }
    out.printf(
        "%nEvents seen for %d of %d rules that need them; %d rules fired in the last %d days%n",
        seen, needing, fired, days);
  }

  private static String shorten(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }

  private static void putBoolean(ObjectNode node, String field, Boolean value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  /**
   * What arrived of the events a rule needs, with its label in the table and its place there: the
   * blind rules (neither their events nor their service's arrived) first, then the quiet ones (only
   * their service's did), then the rest.
   */
  private enum Arrival {
    NOT_SEEN("NOT SEEN", 0),
    QUIET("QUIET", 1),
    SEEN("seen", 2),
    NOT_NEEDED("-", 2);

    final String label;
    final int place;

    Arrival(String label, int place) {
      this.label = label;
      this.place = place;
    }

    static Arrival of(CoverageEvidence.Evidence e) {
      if (e == null || e.seen() == null) {
        return NOT_NEEDED;
      }
      if (e.seen()) {
        return SEEN;
      }
      return Boolean.TRUE.equals(e.serviceSeen()) ? QUIET : NOT_SEEN;
    }
  }

  /**
   * As one JSON object: {@code tactics} (each {@code id}, {@code name}, {@code techniques}: each
   * {@code id} and {@code rules}: {@code id}, {@code title}, {@code level}, {@code tests_passed},
   * {@code tests_failed}, and with a running pipeline's evidence {@code telemetry}, {@code
   * telemetry_seen}, {@code service_seen}, {@code last_event}, {@code last_fired}, {@code alerts}),
   * {@code evidence_days} with evidence, and {@code untagged}.
   */
  public String json() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ArrayNode tactics = root.putArray("tactics");
    for (Map.Entry<String, Map<String, List<CoveringRule>>> tactic : matrix().entrySet()) {
      ObjectNode t = tactics.addObject();
      t.put("id", tactic.getKey());
      t.put("name", TACTICS.getOrDefault(tactic.getKey(), null));
      ArrayNode techniques = t.putArray("techniques");
      for (Map.Entry<String, List<CoveringRule>> technique : tactic.getValue().entrySet()) {
        ObjectNode row = techniques.addObject();
        row.put("id", technique.getKey().equals("-") ? null : technique.getKey());
        ArrayNode list = row.putArray("rules");
        for (CoveringRule rule : technique.getValue()) {
          ObjectNode r =
              list.addObject()
                  .put("id", rule.id())
                  .put("title", rule.title())
                  .put("level", rule.level())
                  .put("tests_passed", rule.tests().passed())
                  .put("tests_failed", rule.tests().failed());
          CoverageEvidence.Evidence e = evidence.get(rule.id());
          if (e != null) {
            r.put("telemetry", e.telemetry());
            putBoolean(r, "telemetry_seen", e.seen());
            putBoolean(r, "service_seen", e.serviceSeen());
            r.put("last_event", e.lastEvent() == null ? null : e.lastEvent().toString());
            r.put("last_fired", e.lastFired() == null ? null : e.lastFired().toString());
            r.put("alerts", e.alerts());
          }
        }
      }
    }
    if (!evidence.isEmpty()) {
      root.put("evidence_days", lookBack.toDays());
    }
    ArrayNode untagged = root.putArray("untagged");
    untagged().forEach(untagged::add);
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
