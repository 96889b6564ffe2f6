package io.vigil.sinks;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar by which configuration values take secrets from the environment: {@code
 * ${NAME}} is replaced by the variable's value, {@code $${} stands for a literal {@code ${}.
 */
public final class EnvReferences {

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private EnvReferences() {}

  /**
   * {@code text} with every reference replaced; {@code resolved} is told each variable's name and
   * value (so callers can keep the value out of what they print), and a variable that is not set is
   * named to {@code resolved} with a null value and makes the result null.
   */
  public static String expand(
      String text, Map<String, String> env, BiConsumer<String, String> resolved) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    boolean missing = false;
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "${";
      } else {
        replacement = env.get(m.group(1));
        resolved.accept(m.group(1), replacement);
        if (replacement == null) {
          missing = true;
          replacement = "";
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return missing ? null : out.toString();
  }
}
