package io.vigil.streams.alerts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a rule's Sigma tags into the alert's {@code compliance} and {@code attack} lists: Vigil's
 * compliance tags ({@code cis.aws.4.3}, {@code pci-dss.10.2.4}, {@code hipaa.164.312.a.2.iv},
 * {@code soc2.cc7.2}, {@code gdpr.32}) become the references auditors read ({@code CIS-AWS 4.3},
 * {@code HIPAA 164.312(a)(2)(iv)}, ...), and ATT&CK tags become MITRE ids ({@code T1078.004},
 * {@code TA0005}). Sigma tags allow only {@code [a-z0-9._-]}, hence the translation.
 */
public final class ComplianceTags {

  /** MITRE ATT&CK Enterprise tactics, by the tag names Sigma uses, in the matrix's order. */
  private static final Map<String, String> TACTICS = tacticsByTag();

  private static Map<String, String> tacticsByTag() {
    Map<String, String> tactics = new LinkedHashMap<>();
    tactics.put("reconnaissance", "TA0043");
    tactics.put("resource_development", "TA0042");
    tactics.put("initial_access", "TA0001");
    tactics.put("execution", "TA0002");
    tactics.put("persistence", "TA0003");
    tactics.put("privilege_escalation", "TA0004");
    tactics.put("defense_evasion", "TA0005");
    tactics.put("credential_access", "TA0006");
    tactics.put("discovery", "TA0007");
    tactics.put("lateral_movement", "TA0008");
    tactics.put("collection", "TA0009");
    tactics.put("command_and_control", "TA0011");
    tactics.put("exfiltration", "TA0010");
    tactics.put("impact", "TA0040");
    return Collections.unmodifiableMap(tactics);
  }

  /** The ATT&CK Enterprise tactics in the matrix's order: id to name ({@code initial access}). */
  public static Map<String, String> tactics() {
    Map<String, String> byId = new LinkedHashMap<>();
    TACTICS.forEach((tag, id) -> byId.put(id, tag.replace('_', ' ')));
    return Collections.unmodifiableMap(byId);
  }

  private ComplianceTags() {}

  /** The compliance references of these tags, in tag order, without duplicates. */
  public static List<String> compliance(List<String> tags) {
    Set<String> out = new LinkedHashSet<>();
    for (String raw : tags) {
      String tag = raw.toLowerCase(Locale.ROOT);
      if (tag.startsWith("cis.aws.")) {
        out.add("CIS-AWS " + tag.substring("cis.aws.".length()));
      } else if (tag.startsWith("pci-dss.")) {
        out.add("PCI-DSS " + tag.substring("pci-dss.".length()));
      } else if (tag.startsWith("hipaa.")) {
        out.add("HIPAA " + hipaaSection(tag.substring("hipaa.".length())));
      } else if (tag.startsWith("soc2.")) {
        out.add("SOC2 " + tag.substring("soc2.".length()).toUpperCase(Locale.ROOT));
      } else if (tag.startsWith("gdpr.")) {
        out.add("GDPR Art. " + tag.substring("gdpr.".length()).replaceFirst("^art", ""));
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * The MITRE ATT&CK ids of these tags: techniques as {@code T1234(.001)}, tactics as {@code
   * TA00nn}.
   */
  public static List<String> attack(List<String> tags) {
    Set<String> out = new LinkedHashSet<>();
    for (String raw : tags) {
      String tag = raw.toLowerCase(Locale.ROOT);
      if (!tag.startsWith("attack.")) {
        continue;
      }
      String value = tag.substring("attack.".length());
      if (value.matches("t\\d{4}(\\.\\d{3})?")) {
        out.add(value.toUpperCase(Locale.ROOT));
      } else if (TACTICS.containsKey(value)) {
        out.add(TACTICS.get(value));
      }
    }
    return new ArrayList<>(out);
  }

  /** {@code 164.312.a.2.iv} -> {@code 164.312(a)(2)(iv)}: the part and section, then paragraphs. */
  static String hipaaSection(String dotted) {
    String[] parts = dotted.split("\\.");
    if (parts.length < 2) {
      return dotted;
    }
    StringBuilder out = new StringBuilder(parts[0]).append('.').append(parts[1]);
    for (int i = 2; i < parts.length; i++) {
      out.append('(').append(parts[i]).append(')');
    }
    return out.toString();
  }
}
