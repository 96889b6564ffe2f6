package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.publish.Checkpoint;
import io.vigil.ingest.publish.PublishResult;
import io.vigil.ingest.publish.UnitBody;
import io.vigil.ingest.publish.UnitPublisher;
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

  private volatile String publisherProblem;

  // A stand-in for the Kafka publisher: only its problem is read here (TransactionalUnitPublisherIT
  // checks a real fenced publisher reports one).
  private final UnitPublisher publisher =
      new UnitPublisher() {
        @Override
        public Optional<Checkpoint> committed(String key) {
          return Optional.empty();
        }

        @Override
        public PublishResult publish(Checkpoint checkpoint, UnitBody body) {
          throw new UnsupportedOperationException("not published to in this test");
        }

        @Override
        public Optional<String> problem() {
          return Optional.ofNullable(publisherProblem);
        }

        @Override
        public void close() {}
      };

  @Test
  void aProblemMakesTheStartedSourceNotReadyButAliveUntilItClears() throws Exception {
    SourceComponent component =
        new SourceComponent(ComponentKind.S3_NOTIFICATIONS, source, publisher);
    assertThat(component.health()).isEqualTo(Health.starting("starting"));

    component.start();
    assertThat(component.health()).isEqualTo(Health.ready("running"));

    problem = "SQS ReceiveMessage on http://127.0.0.1:9000 (queue q) failed: HTTP 501";
    assertThat(component.health()).isEqualTo(new Health(false, true, problem));

    problem = null;
    assertThat(component.health()).isEqualTo(Health.ready("running"));
  }

  @Test
  void aFencedPublisherMakesTheSourceNotReadyWithItsReason() throws Exception {
    SourceComponent component = new SourceComponent(ComponentKind.KINESIS, source, publisher);
    component.start();

    publisherProblem = "publisher vigil-ingest-kinesis was fenced by a newer instance";
    assertThat(component.health()).isEqualTo(new Health(false, true, publisherProblem));
  }
}
