package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a source's problem shows in its health: not ready with the reason, ready again after. */
class SourceComponentTest {

  private volatile String problem;

  private final SourceComponent.Source source =
      new SourceComponent.Source() {
        @Override
        public void start() {}

        @Override
        public Optional<String> problem() {
          return Optional.ofNullable(problem);
        }

        @Override
        public void close() {}
      };

  @Test
  void aProblemMakesTheStartedSourceNotReadyButAliveUntilItClears() throws Exception {
    SourceComponent component = new SourceComponent(ComponentKind.S3_NOTIFICATIONS, source, null);
    assertThat(component.health()).isEqualTo(Health.starting("starting"));

    component.start();
    assertThat(component.health()).isEqualTo(Health.ready("running"));

    problem = "SQS ReceiveMessage on http://127.0.0.1:9000 (queue q) failed: HTTP 501";
    assertThat(component.health()).isEqualTo(new Health(false, true, problem));

    problem = null;
    assertThat(component.health()).isEqualTo(Health.ready("running"));
  }
}
