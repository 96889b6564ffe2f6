package io.vigil.streams.detection;

import io.vigil.streams.alerts.AlertSuppressor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How detection runs, from configuration: user rule paths (a rule with a built-in id replaces it),
 * disabled rule ids, Sigma placeholder values ({@code phi.buckets}, {@code phi.allowed_principals},
 * {@code threat_intel.cidrs}), the grace period for late events, alert suppression, how long event
 * ids are remembered for duplicate detection, the evidence fields masked as PHI, readable account
 * names by account id, the learning period of every new_terms rule when it is set (null: each
 * rule's own), and the bundled rule packs to load ({@link RulePack}).
 */
public record DetectionSettings(
    List<Path> userRulePaths,
    Set<String> disabledRules,
    Map<String, List<String>> placeholders,
    Duration grace,
    AlertSuppressor.Settings suppression,
    Duration dedupRetention,
    List<String> maskedEvidenceFields,
    Map<String, String> accountNames,
    Duration learning,
    List<String> packs) {

  /** The placeholders every built-in rule may use, empty unless configured. */
  public static final List<String> BUILT_IN_PLACEHOLDERS =
      List.of("phi.buckets", "phi.allowed_principals", "threat_intel.cidrs");

  public static final DetectionSettings DEFAULTS =
      new DetectionSettings(
          List.of(),
          Set.of(),
          Map.of(),
          Duration.ofMinutes(15),
          AlertSuppressor.Settings.DEFAULTS,
          Duration.ofHours(24),
          List.of(),
          Map.of(),
          null,
          RulePack.BUNDLED);

  public DetectionSettings {
    userRulePaths = List.copyOf(userRulePaths);
    disabledRules = Set.copyOf(disabledRules);
    placeholders = Map.copyOf(placeholders);
    maskedEvidenceFields = List.copyOf(maskedEvidenceFields);
    accountNames = Map.copyOf(accountNames);
    packs = List.copyOf(packs);
  }

  public DetectionSettings withPlaceholders(Map<String, List<String>> values) {
    return new DetectionSettings(
        userRulePaths,
        disabledRules,
        values,
        grace,
        suppression,
        dedupRetention,
        maskedEvidenceFields,
        accountNames,
        learning,
        packs);
  }

  public DetectionSettings withUserRulePaths(List<Path> paths) {
    return new DetectionSettings(
        paths,
        disabledRules,
        placeholders,
        grace,
        suppression,
        dedupRetention,
        maskedEvidenceFields,
        accountNames,
        learning,
        packs);
  }

  /** The same settings for an organization whose accounts are {@code names} (id to name). */
  public DetectionSettings withAccountNames(Map<String, String> names) {
    return new DetectionSettings(
        userRulePaths,
        disabledRules,
        placeholders,
        grace,
        suppression,
        dedupRetention,
        maskedEvidenceFields,
        names,
        learning,
        packs);
  }

  /**
   * The same settings with every new_terms rule learning for {@code period} (null: each rule's
   * own).
   */
  public DetectionSettings withLearning(Duration period) {
    return new DetectionSettings(
        userRulePaths,
        disabledRules,
        placeholders,
        grace,
        suppression,
        dedupRetention,
        maskedEvidenceFields,
        accountNames,
        period,
        packs);
  }

  /** The same settings loading these bundled rule packs ({@link RulePack#BUNDLED} names). */
  public DetectionSettings withPacks(List<String> names) {
    return new DetectionSettings(
        userRulePaths,
        disabledRules,
        placeholders,
        grace,
        suppression,
        dedupRetention,
        maskedEvidenceFields,
        accountNames,
        learning,
        names);
  }
}
