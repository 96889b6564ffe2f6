package io.vigil.streams.alerts;

import java.util.Optional;

/**
 * The mutes in force as an alert is published: which one, if any, covers an alert of this rule,
 * account and entity. A muted alert is still raised and kept, with {@code muted_by} set; the sinks
 * do not deliver it. {@code vigil scan} reads no mutes ({@link #NONE}).
 */
@FunctionalInterface
public interface AlertMutes {

  /** No mute covers anything. */
  AlertMutes NONE = (ruleId, accountId, entity) -> Optional.empty();

  /** The id of a mute in force now that covers such an alert. */
  Optional<String> mutedBy(String ruleId, String accountId, String entity);
}
