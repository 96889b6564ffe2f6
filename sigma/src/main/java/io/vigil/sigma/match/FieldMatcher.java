package io.vigil.sigma.match;

import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code field|modifiers: values} entry of a selection, compiled. With several values any one
 * may match (all of them with the {@code all} modifier); a {@code null} value matches an absent
 * field or a JSON null. Over an array, any element may supply the match. Without a field (a keyword
 * list, or a key that is only modifiers) the target is the event's raw text.
 */
public final class FieldMatcher implements DetectionNode {

  private final FieldPath path;
  private final DerivedFields derived;
  private final List<ValueMatcher> values;
  private final boolean all;
  private final boolean nullMatches;

  /**
   * @param path the field, or null for a keyword search over the raw event
   * @param derived the derived fields the rule was loaded with, read instead of the event's
   * @param values compiled non-null values
   * @param all true when every value must match ({@code |all})
   * @param nullMatches true when the rule lists {@code null} among the values
   */
  public FieldMatcher(
      FieldPath path,
      DerivedFields derived,
      List<ValueMatcher> values,
      boolean all,
      boolean nullMatches) {
    this.path = path;
    this.derived = derived;
    this.values = List.copyOf(values);
    this.all = all;
    this.nullMatches = nullMatches;
  }

  @Override
  public boolean matches(EventView event) {
    List<Object> actual = path == null ? List.of(event.rawText()) : derived.values(event, path);
    if (all) {
      if (nullMatches && !absentOrNull(actual)) {
        return false;
      }
      for (ValueMatcher value : values) {
        if (!anyMatches(value, actual)) {
          return false;
        }
      }
      return true;
    }
    if (nullMatches && absentOrNull(actual)) {
      return true;
    }
    for (ValueMatcher value : values) {
      if (anyMatches(value, actual)) {
        return true;
      }
    }
    return false;
  }

  private static boolean absentOrNull(List<Object> actual) {
    if (actual.isEmpty()) {
      return true;
    }
    for (Object value : actual) {
      if (value == null) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyMatches(ValueMatcher matcher, List<Object> actual) {
    for (int i = 0; i < actual.size(); i++) {
      Object value = actual.get(i);
      if (value != null && matcher.matches(value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Set<String> requiredValues(String field) {
    if (path == null || nullMatches || !path.dotted().equals(field)) {
      return null;
    }
    if (all && values.size() > 1) {
      return null;
    }
    Set<String> required = new HashSet<>();
    for (ValueMatcher value : values) {
      String text = value.exactText();
      if (text == null) {
        return null;
      }
      required.add(text);
    }
    return required;
  }

  @Override
  public String toString() {
    return (path == null ? "<keywords>" : path.dotted()) + (all ? "|all " : " ") + values;
  }
}
