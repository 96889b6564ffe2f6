package io.vigil.sigma.match;

import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;

/**
 * The {@code exists} modifier: {@code field|exists: true} holds when the field has a non-null
 * value, {@code false} when it has none.
 */
public record ExistsMatcher(FieldPath path, DerivedFields derived, boolean expected)
    implements DetectionNode {

  @Override
  public boolean matches(EventView event) {
    boolean present = false;
    for (Object value : derived.values(event, path)) {
      if (value != null) {
        present = true;
        break;
      }
    }
    return present == expected;
  }
}
