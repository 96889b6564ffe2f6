package io.vigil.schemas;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Makes Avro 1.12 willing to instantiate Vigil's generated classes.
 *
 * <p>Avro refuses to load classes by name unless they are trusted, and reads the {@code
 * org.apache.avro.SERIALIZABLE_PACKAGES} property only once, when its validator class is
 * initialised; setting the property from code is therefore unreliable (too late if anything touched
 * Avro first). Instead the global predicate is widened with exactly the generated classes of this
 * module, whatever the property says, and nothing else is trusted.
 */
public final class AvroTrust {

  private AvroTrust() {}

  /**
   * Widens Avro's global class predicate with Vigil's generated classes, unless it trusts them
   * already: call before decoding a Vigil record outside the serdes (which call it themselves).
   */
  public static synchronized void ensureVigilClassesTrusted() {
    ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    if (current.isTrusted(CloudTrailEvent.class) && current.isTrusted(UserIdentity.class)) {
      return;
    }
    Map<String, org.apache.avro.Schema> named = new LinkedHashMap<>();
    SchemaCatalog.RECORD_TYPES.forEach(
        t -> SchemaCatalog.collectNamedTypes(SchemaCatalog.currentSchema(t), named));
    ClassSecurityValidator.Builder vigil = ClassSecurityValidator.builder();
    named.keySet().forEach(vigil::add);
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current, vigil.build()));
  }
}
