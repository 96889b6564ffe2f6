package io.vigil.deploy.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vigil.deploy.config.ConfigKeys;
import io.vigil.deploy.config.VigilConfig;
import io.vigil.streams.alerts.AlertSuppressor;
import io.vigil.streams.detection.DetectionSettings;
import io.vigil.streams.posture.PostureSettings;

/** Detection and posture settings from the configuration, shared by {@code vigil run} and {@code vigil scan}. */
public final class DetectionConfig {

  private DetectionConfig() {
  }

  /** The settings, with extra rule paths given on the command line ({@code --rules}) after the configured ones. */
  public static DetectionSettings settings(VigilConfig config, List<Path> extraRulePaths) {
    List<Path> rulePaths = new ArrayList<>();
    config.get(ConfigKeys.DETECTION_RULES_DIRS).forEach(dir -> rulePaths.add(Path.of(dir)));
    rulePaths.addAll(extraRulePaths);
    Map<String, List<String>> placeholders = new LinkedHashMap<>();
    placeholders.put("phi.buckets", config.get(ConfigKeys.PHI_BUCKETS));
    placeholders.put("phi.allowed_principals", config.get(ConfigKeys.PHI_ALLOWED_PRINCIPALS));
    placeholders.put("threat_intel.cidrs", threatIntelCidrs(config));
    return new DetectionSettings(rulePaths, new HashSet<>(config.get(ConfigKeys.DETECTION_RULES_DISABLED)),
        placeholders, config.get(ConfigKeys.DETECTION_GRACE),
        new AlertSuppressor.Settings(config.get(ConfigKeys.ALERTS_SUPPRESSION_WINDOW),
            config.get(ConfigKeys.ALERTS_UPDATE_INTERVAL), AlertSuppressor.Settings.DEFAULTS.maxEventIds()),
        config.get(ConfigKeys.DETECTION_DEDUP_RETENTION), config.get(ConfigKeys.ALERTS_MASK_FIELDS),
        accountNames(config));
  }

  /** {@code accounts.names}: account id to name; an entry that is not text is an error naming it. */
  static Map<String, String> accountNames(VigilConfig config) {
    Map<String, String> names = new LinkedHashMap<>();
    config.find(ConfigKeys.ACCOUNTS_NAMES).ifPresent(node -> {
      if (!node.isObject()) {
        throw new IllegalArgumentException("accounts.names: expected a map of account id to name");
      }
      node.fields().forEachRemaining(e -> {
        if (!e.getValue().isValueNode()) {
          throw new IllegalArgumentException("accounts.names." + e.getKey() + ": expected a name");
        }
        names.put(e.getKey(), e.getValue().asText());
      });
    });
    return names;
  }

  public static PostureSettings posture(VigilConfig config) {
    return new PostureSettings(config.get(ConfigKeys.PHI_BUCKETS), PostureSettings.DEFAULT_MAX_EVENT_IDS,
        config.get(ConfigKeys.POSTURE_DELETED_RETENTION));
  }

  /** Inline CIDRs plus those of the configured files (one per line, {@code #} comments). */
  static List<String> threatIntelCidrs(VigilConfig config) {
    List<String> cidrs = new ArrayList<>(config.get(ConfigKeys.THREAT_INTEL_CIDRS));
    for (String file : config.get(ConfigKeys.THREAT_INTEL_FILES)) {
      try {
        for (String line : Files.readAllLines(Path.of(file))) {
          String cidr = line.replaceFirst("#.*", "").trim();
          if (!cidr.isEmpty()) {
            cidrs.add(cidr);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("threat_intel.files: cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return cidrs;
  }
}
