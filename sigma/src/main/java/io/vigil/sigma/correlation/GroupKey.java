package io.vigil.sigma.correlation;

import io.vigil.sigma.event.EventView;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The group-by values of one correlation group, in the order of the rule's {@code group-by}; a
 * value is null when the event lacks the field. {@link #asString()} is an unambiguous text form for
 * use as a Kafka key or a map key.
 */
public record GroupKey(List<String> values) {

  /** Copies the values; nulls stay nulls. */
  public GroupKey {
    values = Collections.unmodifiableList(new ArrayList<>(values));
  }

  /** The group of {@code correlation} that an event matched by {@code rule} belongs to. */
  public static GroupKey of(SigmaCorrelation correlation, SigmaRule rule, EventView event) {
    return new GroupKey(correlation.groupValues(rule, event));
  }

  /** A JSON-array spelling, e.g. {@code ["arn:aws:iam::1:user/a",null]}. */
  public String asString() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      String value = values.get(i);
      if (value == null) {
        text.append("null");
        continue;
      }
      text.append('"');
      for (int j = 0; j < value.length(); j++) {
        char c = value.charAt(j);
        if (c == '"' || c == '\\') {
          text.append('\\').append(c);
        } else if (c < 0x20) {
          text.append(String.format("\\u%04x", (int) c));
        } else {
          text.append(c);
        }
      }
      text.append('"');
    }
    return text.append(']').toString();
  }

  @Override
  public String toString() {
    return asString();
  }
}
