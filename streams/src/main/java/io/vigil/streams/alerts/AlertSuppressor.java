package io.vigil.streams.alerts;

import io.vigil.schemas.AlertState;
import io.vigil.schemas.RuleMatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Alert deduplication, as pure functions over {@link AlertState}: one alert per (rule, entity,
 * account) per suppression window (default 15 min of event time, aligned: {@code [k * window, (k +
 * 1) * window)}), emitted when it opens, then updated (same {@code dedup_key}, new {@code count},
 * {@code last_seen}, {@code event_ids}) at most once per update interval rather than on every
 * match. Held-back changes are emitted by {@link #flush}. A match belongs to the window of its
 * first event time, so each match is counted in exactly one alert whatever order the matches come
 * in, and each window has a state of its own ({@link #stateKey}): a match of a new window never
 * touches an older window's held-back update. Used by the Kafka Streams processor and by the
 * offline scan alike, so that both give the same alerts for the same input.
 */
public final class AlertSuppressor {

  /** How alerts are grouped and how often they are re-emitted. */
  public record Settings(Duration window, Duration updateInterval, int maxEventIds) {

    public static final Settings DEFAULTS =
        new Settings(Duration.ofMinutes(15), Duration.ofMinutes(1), 20);

    public Settings {
      if (window.isNegative()
          || window.isZero()
          || updateInterval.isNegative()
          || maxEventIds < 1) {
        throw new IllegalArgumentException(
            "alert suppression settings must be positive: "
                + window
                + ", "
                + updateInterval
                + ", "
                + maxEventIds);
      }
    }
  }

  /** The state after a match, and whether this version is to be emitted now. */
  public record Outcome(AlertState state, boolean emit) {}

  private final Settings settings;

  public AlertSuppressor(Settings settings) {
    this.settings = settings;
  }

  public Duration updateInterval() {
    return settings.updateInterval();
  }

  /** The group of a match: matches with the same group key share suppression windows. */
  public static String groupKey(RuleMatch match) {
    return match.getRuleId() + "|" + nullToEmpty(match.getAccountId()) + "|" + match.getEntity();
  }

  /** The state-store key of a match's alert: its group and its window. */
  public String stateKey(RuleMatch match) {
    return groupKey(match) + "|" + windowStart(match).toEpochMilli();
  }

  /** Start of the suppression window a match belongs to: that of its first event time. */
  public Instant windowStart(RuleMatch match) {
    long window = settings.window().toMillis();
    return Instant.ofEpochMilli(
        Math.floorDiv(match.getFirstEventTime().toEpochMilli(), window) * window);
  }

  /**
   * Folds one match into the state of its window ({@link #stateKey}): empty when the window has
   * none yet.
   */
  public Outcome apply(Optional<AlertState> current, RuleMatch match) {
    Instant eventTime = match.getEventTime();
    if (current.isEmpty()) {
      return new Outcome(open(match), true);
    }
    AlertState state = copyOf(current.get());
    state.setCount(state.getCount() + match.getCount());
    if (eventTime.isAfter(state.getLastSeen())) {
      state.setLastSeen(eventTime);
      state.setEvidence(match.getEvidence());
    }
    if (match.getFirstEventTime().isBefore(state.getFirstSeen())) {
      state.setFirstSeen(match.getFirstEventTime()); // a late event inside the open window
    }
    state.setEventIds(appendBounded(state.getEventIds(), match.getEventIds()));
    if (!eventTime.isBefore(state.getLastEmittedAt().plus(settings.updateInterval()))) {
      markEmitted(state, eventTime);
      return new Outcome(state, true);
    }
    state.setPending(true);
    return new Outcome(state, false);
  }

  /** Emits held-back changes, if any: the state to emit, or empty when nothing is pending. */
  public Optional<AlertState> flush(AlertState state, Instant now) {
    if (!state.getPending()) {
      return Optional.empty();
    }
    AlertState flushed = copyOf(state);
    markEmitted(flushed, now.isAfter(state.getLastSeen()) ? now : state.getLastSeen());
    return Optional.of(flushed);
  }

  /** Whether a pending update is due by the update interval at {@code now}. */
  public boolean flushDue(AlertState state, Instant now) {
    return state.getPending() && !now.isBefore(dueAt(state));
  }

  /**
   * When a pending update of {@code state} becomes due by the update interval, in epoch millis;
   * {@code Long.MAX_VALUE} when nothing is pending.
   */
  public long flushDueMillis(AlertState state) {
    return state.getPending() ? dueAt(state).toEpochMilli() : Long.MAX_VALUE;
  }

  private Instant dueAt(AlertState state) {
    return state.getLastEmittedAt().plus(settings.updateInterval());
  }

  /** Whether the state can be dropped: its window closed and nothing is left to emit. */
  public static boolean expired(AlertState state, Instant streamTime, Duration grace) {
    return !state.getPending() && streamTime.isAfter(state.getWindowEnd().plus(grace));
  }

  private AlertState open(RuleMatch match) {
    Instant start = windowStart(match);
    String dedupKey = dedupKey(match.getRuleId(), match.getAccountId(), match.getEntity(), start);
    return AlertState.newBuilder()
        .setAlertId(UUID.nameUUIDFromBytes(dedupKey.getBytes(StandardCharsets.UTF_8)).toString())
        .setDedupKey(dedupKey)
        .setRuleId(match.getRuleId())
        .setEntity(match.getEntity())
        .setAccountId(match.getAccountId())
        .setRegion(match.getRegion())
        .setSource(match.getSource())
        .setFirstSeen(match.getFirstEventTime())
        .setLastSeen(match.getEventTime())
        .setCount(match.getCount())
        .setEventIds(appendBounded(List.of(), match.getEventIds()))
        .setEvidence(match.getEvidence())
        .setWindowEnd(start.plus(settings.window()))
        .setUpdate(0)
        .setLastEmittedAt(match.getEventTime())
        .setPending(false)
        .build();
  }

  /**
   * A shallow copy: a builder's copy is deep (every list, map and time converted), and this runs
   * for every match; the lists and maps of a state are replaced on change, never changed in place.
   */
  private static AlertState copyOf(AlertState s) {
    return new AlertState(
        s.getAlertId(),
        s.getDedupKey(),
        s.getRuleId(),
        s.getEntity(),
        s.getAccountId(),
        s.getRegion(),
        s.getSource(),
        s.getFirstSeen(),
        s.getLastSeen(),
        s.getCount(),
        s.getEventIds(),
        s.getEvidence(),
        s.getWindowEnd(),
        s.getUpdate(),
        s.getLastEmittedAt(),
        s.getPending());
  }

  private static void markEmitted(AlertState state, Instant at) {
    state.setUpdate(state.getUpdate() + 1);
    state.setLastEmittedAt(at);
    state.setPending(false);
  }

  /** Keeps the most recent event ids, in arrival order, without duplicates. */
  private List<String> appendBounded(List<String> existing, List<String> added) {
    List<String> ids = new ArrayList<>(existing);
    for (String id : added) {
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids.size() <= settings.maxEventIds()
        ? ids
        : new ArrayList<>(ids.subList(ids.size() - settings.maxEventIds(), ids.size()));
  }

  /**
   * {@code <rule>:<hash of account and entity>:<window start, epoch seconds>}: stable for the same
   * window (so a replay gives the same key), readable enough to grep, and bounded in length
   * whatever the entity (an ARN can be long).
   */
  static String dedupKey(String ruleId, String accountId, String entity, Instant windowStart) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((nullToEmpty(accountId) + "|" + entity).getBytes(StandardCharsets.UTF_8));
      return ruleId
          + ":"
          + HexFormat.of().formatHex(digest, 0, 8)
          + ":"
          + windowStart.getEpochSecond();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
