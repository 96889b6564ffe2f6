package io.vigil.streams.alerts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Masks evidence fields that may carry protected health information before an alert leaves the
 * detection topology: every evidence field whose path equals, or ends with, one of the configured
 * field names ({@code alerts.mask.fields}, e.g. {@code requestParameters.key} for object keys that
 * embed patient ids) is replaced by {@code "****"}. Matching ignores case.
 */
public final class EvidenceMasker {

  public static final String MASK = "****";
  public static final EvidenceMasker NONE = new EvidenceMasker(List.of());

  private final List<String> fields;

  public EvidenceMasker(List<String> fields) {
    this.fields = fields.stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
  }

  public Map<String, String> mask(Map<String, String> evidence) {
    if (fields.isEmpty()) {
      return evidence;
    }
    Map<String, String> out = new LinkedHashMap<>();
    evidence.forEach((path, value) -> out.put(path, masked(path) ? MASK : value));
    return out;
  }

  private boolean masked(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    for (String f : fields) {
      if (p.equals(f) || p.endsWith("." + f)) {
        return true;
      }
    }
    return false;
  }
}
