package io.vigil.streams.alerts;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertSource;
import io.vigil.schemas.AlertState;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Builds the {@link Alert} record (docs/rules.md, "Alerts") from an alert's state and its rule: the
 * alert topic's value and the JSON line of {@code vigil scan}. Evidence passes through the {@link
 * EvidenceMasker} (PHI masking) on the way out, and the account gets its configured name.
 */
public final class AlertRenderer {

  private final EvidenceMasker masker;
  private final Map<String, String> accountNames;
  private final AlertMutes mutes;

  public AlertRenderer(EvidenceMasker masker) {
    this(masker, Map.of());
  }

  /** {@code accountNames}: readable names by account id, for the alert's {@code account_name}. */
  public AlertRenderer(EvidenceMasker masker, Map<String, String> accountNames) {
    this(masker, accountNames, AlertMutes.NONE);
  }

  /** As above; {@code mutes} set each publication's {@code muted_by}. */
  public AlertRenderer(EvidenceMasker masker, Map<String, String> accountNames, AlertMutes mutes) {
    this.masker = masker;
    this.accountNames = Map.copyOf(accountNames);
    this.mutes = mutes;
  }

  public Alert render(AlertState state, RuleInfo rule) {
    return Alert.newBuilder()
        .setAlertId(state.getAlertId())
        .setRuleId(rule.id())
        .setTitle(rule.title())
        .setSeverity(rule.severity())
        .setAccountId(state.getAccountId())
        .setRegion(state.getRegion())
        .setEntity(state.getEntity())
        .setFirstSeen(iso(state.getFirstSeen()))
        .setLastSeen(iso(state.getLastSeen()))
        .setCount(state.getCount())
        .setEventIds(state.getEventIds())
        .setCompliance(ComplianceTags.compliance(rule.tags()))
        .setAttack(ComplianceTags.attack(rule.tags()))
        .setDedupKey(state.getDedupKey())
        .setDescription(rule.description())
        .setEvidence(masker.mask(Map.copyOf(state.getEvidence())))
        .setUpdate(state.getUpdate())
        .setRuleAuthor(rule.author())
        .setSource(AlertSource.valueOf(state.getSource()))
        .setAccountName(
            state.getAccountId() == null ? null : accountNames.get(state.getAccountId()))
        .setMutedBy(mutes.mutedBy(rule.id(), state.getAccountId(), state.getEntity()).orElse(null))
        .build();
  }

  static String iso(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
