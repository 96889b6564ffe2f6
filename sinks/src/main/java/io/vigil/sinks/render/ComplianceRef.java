package io.vigil.sinks.render;

/**
 * Reads the standard out of a compliance reference such as {@code CIS-AWS 4.3} or {@code GDPR Art.
 * 32}.
 */
final class ComplianceRef {

  private ComplianceRef() {}

  static String standard(String reference) {
    int space = reference.indexOf(' ');
    return space > 0 ? reference.substring(0, space) : reference;
  }
}
