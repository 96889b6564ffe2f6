package io.vigil.app.rules;

import io.vigil.app.config.VigilConfig;
import io.vigil.app.runtime.DetectionConfig;
import io.vigil.sigma.model.RuleLoadException;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.streams.alerts.RuleInfo;
import io.vigil.streams.detection.DetectionEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code vigil rules list} runs: every rule in force (built-in, the operator's own, posture,
 * the ingest gap rule) with its type, level, title, source and tags, as a table; then the rules of
 * the packs that are off with the reason; then the load errors and the totals.
 */
public final class RuleCatalog {

  private RuleCatalog() {}

  /**
   * Prints the rules in force under the configuration and the extra rule paths to {@code out}, the
   * load errors and totals to {@code err}. True when every rule loaded.
   */
  public static boolean list(
      VigilConfig config, List<Path> rules, PrintWriter out, PrintWriter err) {
    RuleSet set = DetectionEngine.ruleSet(DetectionConfig.settings(config, rules));
    out.printf("%-40s %-12s %-9s %-44s %s%n", "ID", "TYPE", "LEVEL", "TITLE", "SOURCE / TAGS");
    for (SigmaRule rule : set.rules()) {
      String type = set.raisesOwnAlerts(rule) ? "rule" : "feeds-corr";
      out.printf(
          "%-40s %-12s %-9s %-44s %s:%d %s%n",
          rule.id(),
          type,
          rule.level(),
          clip(rule.title()),
          rule.source(),
          rule.line(),
          rule.tags());
    }
    for (SigmaCorrelation c : set.correlations()) {
      out.printf(
          "%-40s %-12s %-9s %-44s %s:%d %s%n",
          c.id(),
          set.raisesOwnAlerts(c) ? c.type().name().toLowerCase(Locale.ROOT) : "feeds-corr",
          c.level(),
          clip(c.title()),
          c.source(),
          c.line(),
          c.tags());
    }
    for (RuleInfo posture :
        DetectionEngine.postureRules().values().stream()
            .sorted(Comparator.comparing(RuleInfo::id))
            .toList()) {
      out.printf(
          "%-40s %-12s %-9s %-44s %s %s%n",
          posture.id(),
          "posture",
          posture.severity(),
          clip(posture.title()),
          "classpath:rules/posture/" + posture.id() + ".yml",
          posture.tags());
    }
    for (RuleInfo ingest : DetectionEngine.ingestRules()) {
      out.printf(
          "%-40s %-12s %-9s %-44s %s %s%n",
          ingest.id(),
          "ingest",
          ingest.severity(),
          clip(ingest.title()),
          "classpath:rules/ingest/" + ingest.id() + ".yml",
          ingest.tags());
    }
    for (Map.Entry<String, String> off : set.off().entrySet()) {
      out.printf("%-40s %-12s %s%n", off.getKey(), "off", off.getValue());
    }
    out.flush();
    for (RuleLoadException e : set.loadErrors()) {
      err.println("error: " + e.getMessage());
    }
    err.printf(
        "%d rules, %d correlations, %d posture rules, %d off, %d load errors%n",
        set.rules().size(),
        set.correlations().size(),
        DetectionEngine.postureRules().size(),
        set.off().size(),
        set.loadErrors().size());
    return set.loadErrors().isEmpty();
  }

  private static String clip(String title) {
    return title.length() <= 44 ? title : title.substring(0, 43) + "…";
  }
}
