package io.vigil.streams.sigma;

/**
 * The {@code exists} modifier: {@code field|exists: true} holds when the field has a non-null
 * value, {@code false} when it has none.
 */
record ExistsMatcher(FieldPath path, boolean expected) implements DetectionNode {

  @Override
  public boolean matches(EventView event) {
    boolean present = false;
    for (Object value : event.values(path)) {
      if (value != null) {
        present = true;
        break;
      }
    }
    return present == expected;
  }
}
