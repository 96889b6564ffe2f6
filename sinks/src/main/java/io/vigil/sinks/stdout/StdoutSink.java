package io.vigil.sinks.stdout;

import io.vigil.schemas.Alert;
import io.vigil.schemas.TriageChange;
import io.vigil.sinks.SinkConfig;
import io.vigil.sinks.SinkContext;
import io.vigil.sinks.SinkSettings;
import io.vigil.sinks.delivery.DeliveryException;
import io.vigil.sinks.delivery.FindingSink;
import io.vigil.sinks.delivery.Sink;
import io.vigil.sinks.delivery.TriageFindings;
import io.vigil.sinks.render.AlertFormat;
import io.vigil.sinks.render.Finding;
import io.vigil.sinks.render.RenderingConfig;
import io.vigil.sinks.render.Workflow;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes each alert as one line of JSON to standard output: Vigil's alert JSON (the shape of {@code
 * vigil scan}) or, with {@code format}, the OCSF or ASFF rendering. For containers whose log
 * collector ships stdout, and for trying Vigil out.
 */
public final class StdoutSink implements FindingSink {

  private static final int MAX_BATCH = 500;

  private final PrintStream out;
  private final RenderingConfig.AlertRendering rendering;
  private final Workflow.Lookup workflows;

  StdoutSink(PrintStream out, RenderingConfig rendering, Workflow.Lookup workflows) {
    this.out = out;
    this.rendering = rendering.renderer();
    this.workflows = workflows;
  }

  @Override
  public Workflow.Lookup workflows() {
    return workflows;
  }

  @Override
  public int maxBatch() {
    return MAX_BATCH;
  }

  @Override
  public void send(List<Finding> findings) throws DeliveryException {
    StringBuilder lines = new StringBuilder();
    for (Finding finding : findings) {
      lines.append(rendering.render(finding.alert(), finding.workflow())).append('\n');
    }
    // One write per batch: lines from one batch are never interleaved with other output.
    synchronized (out) {
      out.print(lines);
      out.flush();
    }
    if (out.checkError()) {
      throw DeliveryException.retryable("stdout_error", "writing to standard output failed", null);
    }
  }

  /**
   * Settings of a {@code stdout} sink: {@code format} (default {@code alert}) and the ASFF keys.
   */
  public record Config(RenderingConfig rendering) implements SinkConfig {

    public static Config parse(SinkSettings s) {
      return new Config(RenderingConfig.parse(s, AlertFormat.ALERT));
    }

    @Override
    public Sink<Alert> open(SinkContext context) {
      return new StdoutSink(context.stdout(), rendering, context.workflows());
    }

    @Override
    public Sink<TriageChange> openTriage(SinkContext context) {
      return rendering.followsTriage()
          ? new TriageFindings(new StdoutSink(context.stdout(), rendering, context.workflows()))
          : null;
    }
  }
}
