package io.vigil.sigma.match;

import io.vigil.sigma.event.EventView;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled part of a rule's detection: a field test, a keyword search, or a boolean combination
 * of them as the condition says. The rule loader builds the tree once; matching an event walks it
 * without parsing anything.
 */
public interface DetectionNode {

  /** True when the event satisfies this part of the detection. */
  boolean matches(EventView event);

  /**
   * The lower-cased values of {@code field} one of which every matching event must have, or null
   * when this node does not constrain the field that way. Lets the rule set skip rules whose
   * required eventName the event does not have.
   */
  default Set<String> requiredValues(String field) {
    return null;
  }

  /** All children must match; evaluated left to right, stopping at the first miss. */
  record And(List<DetectionNode> children) implements DetectionNode {
    @Override
    public boolean matches(EventView event) {
      for (DetectionNode child : children) {
        if (!child.matches(event)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Set<String> requiredValues(String field) {
      Set<String> narrowest = null;
      for (DetectionNode child : children) {
        Set<String> values = child.requiredValues(field);
        if (values != null && (narrowest == null || values.size() < narrowest.size())) {
          narrowest = values;
        }
      }
      return narrowest;
    }
  }

  /** Any child may match. */
  record Or(List<DetectionNode> children) implements DetectionNode {
    @Override
    public boolean matches(EventView event) {
      for (DetectionNode child : children) {
        if (child.matches(event)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Set<String> requiredValues(String field) {
      Set<String> union = new HashSet<>();
      for (DetectionNode child : children) {
        Set<String> values = child.requiredValues(field);
        if (values == null) {
          return null;
        }
        union.addAll(values);
      }
      return union;
    }
  }

  /** The child must not match. */
  record Not(DetectionNode child) implements DetectionNode {
    @Override
    public boolean matches(EventView event) {
      return !child.matches(event);
    }
  }

  /** A constant, for {@code x of pattern} forms that reduce to nothing. */
  record Constant(boolean value) implements DetectionNode {
    @Override
    public boolean matches(EventView event) {
      return value;
    }
  }

  /** {@code N of P}: at least {@code count} of the children match. */
  record AtLeast(int count, List<DetectionNode> children) implements DetectionNode {
    @Override
    public boolean matches(EventView event) {
      int hits = 0;
      for (DetectionNode child : children) {
        if (child.matches(event) && ++hits >= count) {
          return true;
        }
      }
      return false;
    }
  }
}
