package io.vigil.sinks.render;

import io.vigil.schemas.Alert;
import io.vigil.sinks.SinkSettings;
import io.vigil.sinks.delivery.DeliveryException;
import java.util.function.BiFunction;

/**
 * The {@code format} of a sink that can send any rendering, with the ASFF settings {@code
 * aws_account_id} (for alerts without an account), {@code aws_region} and {@code product_arn}
 * (default: the account's {@code default} product), and {@code triage} (default {@code true}):
 * whether a sink in a format with a triage state (OCSF, ASFF) also sends the finding again when an
 * analyst changes it.
 *
 * @param format the chosen rendering
 * @param productArn ASFF ProductArn override, or {@code null}
 * @param accountId ASFF account for alerts without one, or {@code null}
 * @param region ASFF region for alerts without one, or {@code null}
 * @param triage whether triage changes are sent where the format has a place for them
 */
public record RenderingConfig(
    AlertFormat format, String productArn, String accountId, String region, boolean triage) {

  /** Reads {@code format} (default {@code defaultFormat}), the ASFF keys and {@code triage}. */
  public static RenderingConfig parse(SinkSettings s, AlertFormat defaultFormat) {
    AlertFormat format = defaultFormat;
    String text = s.string("format", null);
    if (text != null) {
      try {
        format = AlertFormat.parse(text);
      } catch (IllegalArgumentException e) {
        s.problem("format", e.getMessage());
      }
    }
    String account = s.string("aws_account_id", null);
    if (account != null && !account.matches("\\d{12}")) {
      s.problem("aws_account_id", "must be 12 digits");
      account = null;
    }
    return new RenderingConfig(
        format,
        s.string("product_arn", null),
        account,
        s.string("aws_region", null),
        s.bool("triage", true));
  }

  /** Whether the sink sends analysts' triage changes: its format has a place for them. */
  public boolean followsTriage() {
    return triage && format.hasTriageState();
  }

  /** The renderer; an alert that cannot be rendered fails fatally (it never will be). */
  public AlertRendering renderer() {
    BiFunction<Alert, Workflow, String> render =
        format.renderer(new OcsfRenderer(), new AsffRenderer(productArn, accountId, region));
    return (alert, workflow) -> {
      try {
        return render.apply(alert, workflow);
      } catch (IllegalArgumentException e) {
        throw DeliveryException.fatal(
            "render_failed", "cannot render as " + format + ": " + e.getMessage());
      }
    };
  }

  /** Renders one alert, in its triage state, as one JSON document. */
  @FunctionalInterface
  public interface AlertRendering {
    String render(Alert alert, Workflow workflow) throws DeliveryException;
  }
}
