package io.vigil.sigma.match;

import io.vigil.sigma.event.DerivedFields;
import io.vigil.sigma.event.EventView;
import io.vigil.sigma.event.FieldPath;
import io.vigil.sigma.event.ValueText;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@code fieldref} modifier: compares a field with another field of the same event (equality,
 * or with {@code contains}/{@code startswith}/{@code endswith}), case-insensitive unless {@code
 * cased}. With several referenced fields any one may match ({@code all}: every one).
 *
 * @param position how a referenced value is placed in the pattern: as is for equality, or with
 *     wildcards around it for contains, startswith and endswith
 */
public record FieldRefMatcher(
    FieldPath path,
    List<FieldPath> references,
    UnaryOperator<SigmaString> position,
    boolean cased,
    boolean all,
    DerivedFields derived)
    implements DetectionNode {

  @Override
  public boolean matches(EventView event) {
    List<Object> actual = derived.values(event, path);
    for (FieldPath reference : references) {
      boolean found = matchesReference(actual, derived.values(event, reference));
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
        SigmaString pattern = position.apply(SigmaString.literal(other));
        if (ValueMatcher.of(pattern, cased).matches(value)) {
          return true;
        }
      }
    }
    return false;
  }
}
