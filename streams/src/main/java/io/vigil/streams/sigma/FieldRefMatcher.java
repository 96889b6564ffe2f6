package io.vigil.streams.sigma;

import java.util.List;

/**
 * The {@code fieldref} modifier: compares a field with another field of the same event
 * (equality, or with {@code contains}/{@code startswith}/{@code endswith}), case-insensitive
 * unless {@code cased}. With several referenced fields any one may match ({@code all}: every
 * one).
 */
record FieldRefMatcher(FieldPath path, List<FieldPath> references, Modifier mode, boolean cased,
    boolean all) implements DetectionNode {

  @Override
  public boolean matches(EventView event) {
    List<Object> actual = event.values(path);
    for (FieldPath reference : references) {
      boolean found = matchesReference(actual, event.values(reference));
      if (found && !all) {
        return true;
      }
      if (!found && all) {
        return false;
      }
    }
    return all;
  }

  private boolean matchesReference(List<Object> actual, List<Object> referenced) {
    for (Object left : actual) {
      if (left == null) {
        continue;
      }
      String value = ValueText.of(left);
      for (Object right : referenced) {
        if (right == null) {
          continue;
        }
        String other = ValueText.of(right);
        SigmaString literal = SigmaString.literal(other);
        SigmaString pattern = switch (mode) {
          case CONTAINS -> literal.withLeadingStar().withTrailingStar();
          case STARTSWITH -> literal.withTrailingStar();
          case ENDSWITH -> literal.withLeadingStar();
          default -> literal;
        };
        if (ValueMatcher.of(pattern, cased).matches(value)) {
          return true;
        }
      }
    }
    return false;
  }
}
