package io.vigil.deploy.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The series of a Prometheus text exposition ({@code /metrics}): label sets by metric name. */
final class PrometheusText {

  private final Map<String, List<Map<String, String>>> series = new LinkedHashMap<>();
  private final Map<String, List<Double>> values = new LinkedHashMap<>();

  private PrometheusText() {}

  static PrometheusText parse(String text) {
    PrometheusText out = new PrometheusText();
    for (String line : text.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        parseLabels(line.substring(brace + 1, line.lastIndexOf('}')), labels);
      } else {
        name = line.substring(0, line.indexOf(' '));
      }
      out.series.computeIfAbsent(name, n -> new ArrayList<>()).add(labels);
      out.values
          .computeIfAbsent(name, n -> new ArrayList<>())
          .add(parseValue(line.substring(space + 1)));
    }
    return out;
  }

  Set<String> names() {
    return series.keySet();
  }

  List<Map<String, String>> series(String name) {
    return series.getOrDefault(name, List.of());
  }

  List<Double> values(String name) {
    return values.getOrDefault(name, List.of());
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  // name="value",name="value" with \" \\ \n escapes in values.
  private static void parseLabels(String text, Map<String, String> labels) {
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf('=', i);
      String name = text.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (text.charAt(j) != '"') {
        char c = text.charAt(j);
        if (c == '\\') {
          char next = text.charAt(j + 1);
          value.append(next == 'n' ? '\n' : next);
          j += 2;
        } else {
          value.append(c);
          j++;
        }
      }
      labels.put(name, value.toString());
      i = j + 1;
      if (i < text.length() && text.charAt(i) == ',') {
        i++;
      }
    }
  }
}
