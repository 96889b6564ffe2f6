package io.vigil.sigma.event;

import java.util.List;

/**
 * A field that is computed from an event rather than read from it, for judgements Sigma cannot
 * spell as value matches (say, whether a policy document makes a resource public: Sigma cannot tie
 * one statement's Effect, Principal and Condition together). Derived fields live in the {@code
 * vigil.} namespace; other Sigma tools do not know them.
 *
 * <p>The engine knows no derived field itself: whoever loads rules passes the ones it provides in a
 * {@link DerivedFields} registry, and rules naming any other {@code vigil.} field do not load.
 */
public interface DerivedField {

  /** The field's name as rules write it, e.g. {@code vigil.bucketPolicyPublic}. */
  String name();

  /**
   * The field's values for {@code event}, with the same types as {@link EventView#values} gives;
   * empty when the field does not apply to the event.
   */
  List<Object> values(EventView event);
}
