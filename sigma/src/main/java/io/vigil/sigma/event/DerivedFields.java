package io.vigil.sigma.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The derived fields a rule loader knows (see {@link DerivedField}): the loader refuses a rule
 * naming a {@code vigil.} field that is not here, and the rules it compiles read fields through
 * {@link #values(EventView, FieldPath)}, so that a derived field has the same values wherever a
 * rule names it (selection, fieldref, correlation group-by). Immutable.
 */
public final class DerivedFields {

  /** The first segment of every derived field. */
  public static final String NAMESPACE = "vigil";

  private static final DerivedFields NONE = new DerivedFields(Map.of());

  private final Map<String, DerivedField> byName;
  private final Set<String> names;

  private DerivedFields(Map<String, DerivedField> byName) {
    this.byName = Map.copyOf(byName);
    this.names = Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
  }

  /** No derived fields: every {@code vigil.} field is unknown. */
  public static DerivedFields none() {
    return NONE;
  }

  /**
   * A registry of the given fields.
   *
   * @throws IllegalArgumentException when a name is outside the {@code vigil.} namespace, is no
   *     valid field path, or is given twice
   */
  public static DerivedFields of(DerivedField... fields) {
    Map<String, DerivedField> byName = new LinkedHashMap<>();
    for (DerivedField field : fields) {
      FieldPath path = FieldPath.of(field.name());
      if (!inNamespace(path) || path.size() < 2) {
        throw new IllegalArgumentException(
            "derived field '" + field.name() + "' is not in the '" + NAMESPACE + ".' namespace");
      }
      if (byName.putIfAbsent(field.name(), field) != null) {
        throw new IllegalArgumentException("derived field '" + field.name() + "' is given twice");
      }
    }
    return new DerivedFields(byName);
  }

  /** Whether {@code path} is in the derived namespace, known or not. */
  public static boolean inNamespace(FieldPath path) {
    return path.head().equals(NAMESPACE);
  }

  /** Whether {@code path} names one of these derived fields. */
  public boolean contains(FieldPath path) {
    return byName.containsKey(path.dotted());
  }

  /** The names of these fields, sorted. */
  public Set<String> names() {
    return names;
  }

  /**
   * The values of {@code path} in {@code event}: computed for a derived field, none for an unknown
   * one in the derived namespace, and read from the event for every other path.
   */
  public List<Object> values(EventView event, FieldPath path) {
    if (!inNamespace(path)) {
      return event.values(path);
    }
    DerivedField field = byName.get(path.dotted());
    return field == null ? List.of() : field.values(event);
  }

  @Override
  public String toString() {
    return names.toString();
  }
}
