package io.vigil.app.runtime;

import io.vigil.app.config.ConfigException;
import io.vigil.app.config.ConfigKeys;
import io.vigil.app.config.VigilConfig;
import io.vigil.sigma.match.CidrRange;
import io.vigil.streams.alerts.AlertSuppressor;
import io.vigil.streams.detection.DetectionEngine;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.detection.RuleLoadErrors;
import io.vigil.streams.detection.RulePack;
import io.vigil.streams.posture.PostureSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Detection and posture settings from the configuration, shared by {@code vigil run} and {@code
 * vigil scan}.
 */
public final class DetectionConfig {

  private DetectionConfig() {}

  /**
   * The settings, with extra rule paths given on the command line ({@code --rules}) after the
   * configured ones.
   *
   * @throws ConfigException when a threat-intelligence file cannot be read or holds a line that is
   *     not a network
   */
  public static DetectionSettings settings(VigilConfig config, List<Path> extraRulePaths) {
    List<Path> rulePaths = new ArrayList<>();
    config.get(ConfigKeys.DETECTION_RULES_DIRS).forEach(dir -> rulePaths.add(Path.of(dir)));
    rulePaths.addAll(extraRulePaths);
    Map<String, List<String>> placeholders = new LinkedHashMap<>();
    placeholders.put("phi.buckets", config.get(ConfigKeys.PHI_BUCKETS));
    placeholders.put("phi.allowed_principals", config.get(ConfigKeys.PHI_ALLOWED_PRINCIPALS));
    placeholders.put("threat_intel.cidrs", threatIntelCidrs(config));
    return new DetectionSettings(
        rulePaths,
        new HashSet<>(config.get(ConfigKeys.DETECTION_RULES_DISABLED)),
        placeholders,
        config.get(ConfigKeys.DETECTION_GRACE),
        new AlertSuppressor.Settings(
            config.get(ConfigKeys.ALERTS_SUPPRESSION_WINDOW),
            config.get(ConfigKeys.ALERTS_UPDATE_INTERVAL),
            AlertSuppressor.Settings.DEFAULTS.maxEventIds()),
        config.get(ConfigKeys.DETECTION_DEDUP_RETENTION),
        config.get(ConfigKeys.ALERTS_MASK_FIELDS),
        config.find(ConfigKeys.ACCOUNTS_NAMES).orElse(Map.of()),
        config.find(ConfigKeys.DETECTION_LEARNING).orElse(null),
        packs(config));
  }

  /**
   * The bundled rule packs {@code detection.rules.packs} names.
   *
   * @throws ConfigException naming the bundled packs, for one that is not
   */
  private static List<String> packs(VigilConfig config) {
    List<String> packs = config.get(ConfigKeys.DETECTION_RULES_PACKS);
    for (String pack : packs) {
      if (!RulePack.BUNDLED.contains(pack)) {
        throw config.invalid(
            ConfigKeys.DETECTION_RULES_PACKS,
            List.of(
                "no rule pack '"
                    + pack
                    + "' (bundled: "
                    + String.join(", ", RulePack.BUNDLED)
                    + "; [] for none)"));
      }
    }
    return packs;
  }

  /**
   * The detection engine for these settings (from {@link #settings}).
   *
   * @throws ConfigException when a rule does not load: each error with its file and line, worded
   *     after what brought the rule in (a {@code detection.rules.dirs} entry and where it was set,
   *     a {@code --rules} option, or the built-in rules with the configured placeholder values)
   */
  public static DetectionEngine engine(
      VigilConfig config, DetectionSettings settings, List<Path> extraRulePaths) {
    try {
      return DetectionEngine.load(settings);
    } catch (RuleLoadErrors e) {
      throw ruleLoadProblems(config, extraRulePaths, e);
    }
  }

  // A rule load error names the rule's file; the operator also needs the setting that brought it
  // in.
  private static ConfigException ruleLoadProblems(
      VigilConfig config, List<Path> extraRulePaths, RuleLoadErrors e) {
    List<Path> configured =
        config.get(ConfigKeys.DETECTION_RULES_DIRS).stream().map(Path::of).toList();
    List<String> fromConfig = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (var error : e.errors()) {
      Path source = error.source().startsWith("classpath:") ? null : Path.of(error.source());
      if (source != null && isUnder(source, configured)) {
        fromConfig.add(error.getMessage());
      } else if (source != null && isUnder(source, extraRulePaths)) {
        others.add("--rules: " + error.getMessage() + " (from option --rules)");
      } else {
        others.add(
            error.getMessage()
                + " (from the built-in rules, with the values of phi.buckets, "
                + "phi.allowed_principals and threat_intel.cidrs)");
      }
    }
    List<String> problems = new ArrayList<>();
    if (!fromConfig.isEmpty()) {
      problems.addAll(config.invalid(ConfigKeys.DETECTION_RULES_DIRS, fromConfig).problems());
    }
    problems.addAll(others);
    return ConfigException.of(problems);
  }

  private static boolean isUnder(Path source, List<Path> roots) {
    Path file = source.toAbsolutePath().normalize();
    return roots.stream().anyMatch(root -> file.startsWith(root.toAbsolutePath().normalize()));
  }

  // The JDK's messages for these are the bare path, which says nothing about what is wrong.
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return "not valid UTF-8";
    }
    return String.valueOf(e.getMessage());
  }

  public static PostureSettings posture(VigilConfig config) {
    return new PostureSettings(
        config.get(ConfigKeys.PHI_BUCKETS),
        PostureSettings.DEFAULT_MAX_EVENT_IDS,
        config.get(ConfigKeys.POSTURE_DELETED_RETENTION));
  }

  /**
   * Inline CIDRs (checked when the configuration loaded) plus those of the configured files, one
   * per line with {@code #} comments, each checked here with the rules' own network grammar so that
   * a bad line is reported with its file and line rather than as an error of a built-in rule.
   */
  static List<String> threatIntelCidrs(VigilConfig config) {
    List<String> cidrs = new ArrayList<>(config.get(ConfigKeys.THREAT_INTEL_CIDRS));
    List<String> problems = new ArrayList<>();
    for (String file : config.get(ConfigKeys.THREAT_INTEL_FILES)) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file));
      } catch (IOException e) {
        problems.add("cannot read " + file + ": " + reason(e));
        continue;
      }
      for (int i = 0; i < lines.size(); i++) {
        String cidr = lines.get(i).replaceFirst("#.*", "").trim();
        if (cidr.isEmpty()) {
          continue;
        }
        try {
          CidrRange.parse(cidr);
          cidrs.add(cidr);
        } catch (IllegalArgumentException e) {
          problems.add(file + ":" + (i + 1) + ": " + e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw config.invalid(ConfigKeys.THREAT_INTEL_FILES, problems);
    }
    return cidrs;
  }
}
