package io.vigil.streams.detection;

import io.vigil.schemas.CloudTrailEvent;
import io.vigil.schemas.CorrelationHit;
import io.vigil.schemas.Durations;
import io.vigil.schemas.FlowRecord;
import io.vigil.schemas.RuleMatch;
import io.vigil.sigma.correlation.AbsenceEvaluator;
import io.vigil.sigma.correlation.CorrelationEvaluator;
import io.vigil.sigma.correlation.CorrelationFiring;
import io.vigil.sigma.correlation.CorrelationInput;
import io.vigil.sigma.correlation.GroupKey;
import io.vigil.sigma.correlation.NewTermsEvaluator;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.model.CorrelationType;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.sigma.parse.SigmaRuleLoader;
import io.vigil.streams.alerts.RuleInfo;
import io.vigil.streams.aws.AwsDerivedFields;
import io.vigil.streams.aws.CloudTrailEventView;
import io.vigil.streams.aws.FlowRecordView;
import io.vigil.streams.posture.PostureControls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rule engine as the detection topology and {@code vigil scan} both use it: the built-in
 * catalogue ({@code rules/cloudtrail}, {@code rules/vpcflow} on the classpath), the bundled rule
 * packs in force ({@link RulePack}, minus the rules their manifest turns off), plus user rules that
 * override by id, minus disabled ids, with the configured placeholders; the metadata of the posture
 * rules; and the turning of matches into {@link RuleMatch} and {@link CorrelationHit} records.
 *
 * <p>An event is evaluated once against every rule: single-event rules that raise their own alerts
 * become matches; rules that feed correlations become one hit per correlation. Immutable and
 * thread-safe once loaded.
 */
public final class DetectionEngine {

  static final List<String> BUILT_IN_FOLDERS = List.of("rules/cloudtrail", "rules/vpcflow");
  private static final int MAX_EVIDENCE_CHARS = 2048;

  private final RuleSet rules;
  private final Map<String, RuleInfo> infos;
  private final Map<String, CorrelationEvaluator> evaluators;
  private final Map<String, NewTermsEvaluator> newTerms;
  private final Map<String, AbsenceEvaluator> absences;

  /** What one event produced. */
  public record Evaluation(List<RuleMatch> matches, List<CorrelationHit> hits) {
    static final Evaluation NONE = new Evaluation(List.of(), List.of());

    public boolean isEmpty() {
      return matches.isEmpty() && hits.isEmpty();
    }
  }

  DetectionEngine(RuleSet rules, Map<String, RuleInfo> postureRules, DetectionSettings settings) {
    this.rules = rules;
    Map<String, RuleInfo> all = new HashMap<>(postureRules);
    ingestRules().forEach(rule -> all.put(rule.id(), rule));
    for (SigmaRule rule : rules.rules()) {
      all.put(
          rule.id(),
          new RuleInfo(
              rule.id(),
              rule.title(),
              rule.level(),
              rule.description(),
              rule.tags(),
              rule.author()));
    }
    Map<String, CorrelationEvaluator> byId = new HashMap<>();
    Map<String, NewTermsEvaluator> termsById = new HashMap<>();
    Map<String, AbsenceEvaluator> absencesById = new HashMap<>();
    for (SigmaCorrelation c : rules.correlations()) {
      all.put(
          c.id(),
          new RuleInfo(c.id(), c.title(), c.level(), c.description(), c.tags(), c.author()));
      if (c.type() == CorrelationType.NEW_TERMS) {
        Duration learning = settings.learning() != null ? settings.learning() : c.learning();
        termsById.put(c.id(), new NewTermsEvaluator(c, learning, settings.grace()));
      } else if (c.type() == CorrelationType.ABSENCE) {
        absencesById.put(c.id(), new AbsenceEvaluator(c, settings.grace()));
      } else {
        byId.put(
            c.id(),
            new CorrelationEvaluator(
                c, settings.grace(), CorrelationEvaluator.DEFAULT_MAX_ENTRIES));
      }
    }
    this.infos = Map.copyOf(all);
    this.evaluators = Map.copyOf(byId);
    this.newTerms = Map.copyOf(termsById);
    this.absences = Map.copyOf(absencesById);
  }

  /**
   * Loads the built-in rules and the user's, failing with every load error (file and line) when any
   * rule is broken: a detection that silently lost a rule would be worse than one that does not
   * start.
   */
  public static DetectionEngine load(DetectionSettings settings) {
    RuleSet rules = ruleSet(settings);
    if (!rules.loadErrors().isEmpty()) {
      throw new RuleLoadErrors(rules.loadErrors());
    }
    return new DetectionEngine(rules, postureRuleInfos(), settings);
  }

  /**
   * The rule set with its load errors, not thrown: for listing rules and what is wrong with them.
   */
  public static RuleSet ruleSet(DetectionSettings settings) {
    List<RulePack> packs = settings.packs().stream().map(RulePack::bundled).toList();
    Map<String, List<String>> placeholders = new HashMap<>();
    DetectionSettings.BUILT_IN_PLACEHOLDERS.forEach(p -> placeholders.put(p, List.of()));
    packs.forEach(pack -> pack.placeholders().forEach(p -> placeholders.put(p, List.of())));
    placeholders.putAll(settings.placeholders());
    SigmaRuleLoader loader =
        AwsDerivedFields.ruleLoader(placeholders, settings.accountNames().keySet());
    ClassLoader classLoader = DetectionEngine.class.getClassLoader();
    RuleSet.Builder builder = RuleSet.builder();
    var builtIns = loader.loadClasspath(classLoader, BUILT_IN_FOLDERS.get(0));
    for (String folder : BUILT_IN_FOLDERS.subList(1, BUILT_IN_FOLDERS.size())) {
      builtIns = builtIns.plus(loader.loadClasspath(classLoader, folder));
    }
    builder.add(builtIns);
    for (RulePack pack : packs) {
      builder.add(loader.loadClasspath(classLoader, pack.folder()));
    }
    List<LoadResult> userRules = settings.userRulePaths().stream().map(loader::loadPath).toList();
    userRules.forEach(builder::add);
    // A pack rule the operator gives again in their own rules runs: theirs replaces it.
    Set<String> userIds = new HashSet<>();
    userRules.forEach(
        layer -> {
          layer.rules().forEach(r -> userIds.add(r.id()));
          layer.correlations().forEach(c -> userIds.add(c.id()));
        });
    for (RulePack pack : packs) {
      Map<String, String> off = new LinkedHashMap<>(pack.off());
      off.keySet().removeAll(userIds);
      builder.turnOff(off);
    }
    return builder.disable(settings.disabledRules()).build();
  }

  /** The posture rules' metadata, by id. */
  public static Map<String, RuleInfo> postureRules() {
    return postureRuleInfos();
  }

  /**
   * The ingest rules' metadata: findings about the input itself, raised from dead letters ({@link
   * IngestGaps}, {@link MissingLogFiles}).
   */
  public static List<RuleInfo> ingestRules() {
    return List.of(IngestGaps.ruleInfo(), MissingLogFiles.ruleInfo());
  }

  /** The rule set in force. */
  public RuleSet rules() {
    return rules;
  }

  /** What alerts need to know about a rule, correlation or posture rule. */
  public Optional<RuleInfo> info(String ruleId) {
    return Optional.ofNullable(infos.get(ruleId));
  }

  /** The window evaluator of a correlation (not of a new_terms or absence one). */
  public Optional<CorrelationEvaluator> evaluator(String correlationId) {
    return Optional.ofNullable(evaluators.get(correlationId));
  }

  /** The evaluator of an absence correlation. */
  public Optional<AbsenceEvaluator> absenceEvaluator(String correlationId) {
    return Optional.ofNullable(absences.get(correlationId));
  }

  /**
   * The match of a first event its follow-up did not come for: the entity is the group, the event
   * the first one (its id, time and account), the evidence the group-by fields, the timespan, and
   * the rules that did not follow.
   */
  public RuleMatch absenceMatch(CorrelationHit first, AbsenceEvaluator evaluator) {
    SigmaCorrelation correlation = evaluator.correlation();
    Map<String, String> evidence = groupEvidence(correlation, first.getGroupValues());
    evidence.put("correlation.type", "absence");
    evidence.put("absence.first", first.getRuleId());
    List<String> ids = correlation.referencedIds();
    evidence.put("absence.missing", String.join(", ", ids.subList(1, ids.size())));
    evidence.put("absence.timespan", Durations.format(correlation.timespan()));
    return RuleMatch.newBuilder()
        .setRuleId(correlation.id())
        .setEntity(groupEntity(correlation, first.getGroupValues()))
        .setAccountId(first.getAccountId())
        .setRegion(first.getRegion())
        .setEventTime(first.getEventTime())
        .setFirstEventTime(first.getEventTime())
        .setEventIds(first.getEventRef() == null ? List.of() : List.of(first.getEventRef()))
        .setCount(1)
        .setEvidence(evidence)
        .setSource(first.getSource())
        .build();
  }

  /** The evaluator of a new_terms correlation. */
  public Optional<NewTermsEvaluator> newTermsEvaluator(String correlationId) {
    return Optional.ofNullable(newTerms.get(correlationId));
  }

  public Evaluation evaluate(CloudTrailEvent event) {
    return evaluate(
        new CloudTrailEventView(event),
        "cloudtrail",
        event.getRecipientAccountId(),
        event.getAwsRegion());
  }

  public Evaluation evaluate(FlowRecord record) {
    return evaluate(
        new FlowRecordView(record), "vpcflow", record.getAccountId(), record.getRegion());
  }

  private Evaluation evaluate(EventView view, String source, String account, String region) {
    List<SigmaRule> matching = rules.matching(view);
    if (matching.isEmpty()) {
      return Evaluation.NONE;
    }
    List<RuleMatch> matches = new ArrayList<>(1);
    List<CorrelationHit> hits = new ArrayList<>(0);
    Instant time = Instant.ofEpochMilli(view.timestampMillis());
    for (SigmaRule rule : matching) {
      if (rules.raisesOwnAlerts(rule)) {
        matches.add(
            RuleMatch.newBuilder()
                .setRuleId(rule.id())
                .setEntity(entity(rule, view, source))
                .setAccountId(account)
                .setRegion(region)
                .setEventTime(time)
                .setFirstEventTime(time)
                .setEventIds(List.of(view.eventRef()))
                .setCount(1)
                .setEvidence(evidence(rule, view))
                .setSource(source)
                .build());
      }
      for (SigmaCorrelation correlation : rules.correlationsFedBy(rule)) {
        GroupKey key = GroupKey.of(correlation, rule, view);
        CorrelationInput input = CorrelationInput.of(correlation, rule, view);
        // The all-arguments constructor: a builder validates and copies every field, and this
        // runs for every event a correlation's rule matches.
        hits.add(
            new CorrelationHit(
                correlation.id(),
                key.asString(),
                key.values(),
                rule.id(),
                input.value(),
                input.moreValues(),
                input.eventRef(),
                Instant.ofEpochMilli(input.timestamp()),
                account,
                region,
                source));
      }
    }
    return new Evaluation(matches, hits);
  }

  /**
   * Whether a firing of this correlation is an alert of its own: false for a correlation only
   * referenced by correlations over it that do not say {@code generate: true}.
   */
  public boolean raisesOwnAlerts(String correlationId) {
    return rules.correlation(correlationId).map(rules::raisesOwnAlerts).orElse(true);
  }

  /** Whether this correlation references correlations (its hits come after theirs). */
  public boolean overCorrelations(String correlationId) {
    return rules.correlation(correlationId).map(c -> !c.correlations().isEmpty()).orElse(false);
  }

  /**
   * The hits a firing of a correlation gives the correlations over it: one each, at the firing's
   * latest event time, in the group their group-by picks out of the firing's group values.
   */
  public List<CorrelationHit> chainedHits(CorrelationHit last, CorrelationFiring firing) {
    SigmaCorrelation inner = firing.correlation();
    List<SigmaCorrelation> outers = rules.correlationsFedBy(inner);
    if (outers.isEmpty()) {
      return List.of();
    }
    List<String> refs = firing.eventRefs();
    String ref = refs.isEmpty() ? last.getEventRef() : refs.get(refs.size() - 1);
    List<CorrelationHit> hits = new ArrayList<>(outers.size());
    for (SigmaCorrelation outer : outers) {
      GroupKey key = new GroupKey(outer.groupValues(inner, last.getGroupValues()));
      hits.add(
          CorrelationHit.newBuilder()
              .setCorrelationId(outer.id())
              .setGroupKey(key.asString())
              .setGroupValues(key.values())
              .setRuleId(inner.id())
              .setValue(null)
              .setEventRef(ref)
              .setEventTime(Instant.ofEpochMilli(firing.windowEnd()))
              .setAccountId(last.getAccountId())
              .setRegion(last.getRegion())
              .setSource(last.getSource())
              .build());
    }
    return hits;
  }

  /** The repartition key of a correlation hit: the correlation and its group. */
  public static String correlationKey(CorrelationHit hit) {
    return hit.getCorrelationId() + "|" + hit.getGroupKey();
  }

  /**
   * The store key of the correlation window of a hit that starts at {@code windowStart}: the
   * correlation id first (up to the first {@code |}), so that a key says which evaluator it is for.
   */
  public static String correlationWindowKey(CorrelationHit hit, long windowStart) {
    return hit.getCorrelationId() + "|" + windowStart + "|" + hit.getGroupKey();
  }

  /** The evaluator's view of a hit. */
  public static CorrelationInput input(CorrelationHit hit) {
    return new CorrelationInput(
        hit.getEventTime().toEpochMilli(),
        hit.getRuleId(),
        hit.getValue(),
        hit.getMoreValues(),
        hit.getEventRef());
  }

  /**
   * The match a correlation's firing raises: the entity is the group-by values, the count the
   * events in the window, the evidence the group-by fields and the measured value.
   */
  public RuleMatch firingMatch(CorrelationHit last, CorrelationFiring firing) {
    SigmaCorrelation correlation = firing.correlation();
    Map<String, String> evidence = groupEvidence(correlation, last.getGroupValues());
    evidence.put("correlation.type", correlation.type().name().toLowerCase(java.util.Locale.ROOT));
    evidence.put("correlation.value", Long.toString(firing.value()));
    evidence.put("correlation.timespan", correlation.timespan().toString());
    return RuleMatch.newBuilder()
        .setRuleId(correlation.id())
        .setEntity(groupEntity(correlation, last.getGroupValues()))
        .setAccountId(last.getAccountId())
        .setRegion(last.getRegion())
        .setEventTime(Instant.ofEpochMilli(firing.windowEnd()))
        .setFirstEventTime(Instant.ofEpochMilli(firing.windowStart()))
        .setEventIds(firing.eventRefs())
        .setCount(firing.events())
        .setEvidence(evidence)
        .setSource(last.getSource())
        .build();
  }

  /**
   * The match a new term raises: the entity is the term, the evidence its fields, the history it
   * was looked up in and the learning period in force; one event.
   */
  public RuleMatch newTermMatch(CorrelationHit hit, NewTermsEvaluator evaluator) {
    SigmaCorrelation correlation = evaluator.correlation();
    Map<String, String> evidence = groupEvidence(correlation, hit.getGroupValues());
    evidence.put("correlation.type", "new_terms");
    evidence.put("new_terms.history", Durations.format(correlation.timespan()));
    evidence.put("new_terms.learning", Durations.format(evaluator.learning()));
    return RuleMatch.newBuilder()
        .setRuleId(correlation.id())
        .setEntity(groupEntity(correlation, hit.getGroupValues()))
        .setAccountId(hit.getAccountId())
        .setRegion(hit.getRegion())
        .setEventTime(hit.getEventTime())
        .setFirstEventTime(hit.getEventTime())
        .setEventIds(hit.getEventRef() == null ? List.of() : List.of(hit.getEventRef()))
        .setCount(1)
        .setEvidence(evidence)
        .setSource(hit.getSource())
        .build();
  }

  /** The group-by fields of a correlation's alert and their values, in group-by order. */
  private static Map<String, String> groupEvidence(
      SigmaCorrelation correlation, List<String> values) {
    Map<String, String> evidence = new LinkedHashMap<>();
    List<String> groupBy = correlation.groupBy();
    for (int i = 0; i < groupBy.size() && i < values.size(); i++) {
      evidence.put(groupBy.get(i), String.valueOf(values.get(i)));
    }
    return evidence;
  }

  /** A correlation's alert is about its group: the values joined, or the rule without group-by. */
  private static String groupEntity(SigmaCorrelation correlation, List<String> values) {
    String entity =
        values.stream().map(v -> v == null ? "-" : v).collect(Collectors.joining(" / "));
    return entity.isEmpty() ? correlation.id() : entity;
  }

  private static String entity(SigmaRule rule, EventView view, String source) {
    List<String> candidates =
        rule.entityFields().isEmpty()
            ? ("vpcflow".equals(source)
                ? List.of("srcaddr", "interface_id")
                : List.of("userIdentity.arn", "userIdentity.principalId", "sourceIPAddress"))
            : rule.entityFields();
    for (String field : candidates) {
      for (Object value : rule.values(view, field)) {
        if (value != null && !value.toString().isEmpty()) {
          return value.toString();
        }
      }
    }
    return "unknown";
  }

  private static Map<String, String> evidence(SigmaRule rule, EventView view) {
    Map<String, String> evidence = new LinkedHashMap<>();
    for (String field : rule.fields()) {
      List<Object> values = rule.values(view, field);
      if (values.isEmpty()) {
        continue;
      }
      String text =
          values.size() == 1
              ? String.valueOf(values.get(0))
              : values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
      evidence.put(
          field,
          text.length() > MAX_EVIDENCE_CHARS ? text.substring(0, MAX_EVIDENCE_CHARS) + "…" : text);
    }
    return evidence;
  }

  /** The posture rules carry metadata only (their topology decides); read title, level and tags. */
  static Map<String, RuleInfo> postureRuleInfos() {
    Map<String, RuleInfo> infos = new HashMap<>();
    for (String id : PostureControls.ALL) {
      infos.put(
          id, BundledYaml.ruleInfo(id, "rules/posture/" + id + ".yml", "built-in posture rule"));
    }
    return infos;
  }
}
