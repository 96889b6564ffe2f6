package io.vigil.broker;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the running broker accepts the credentials of {@code broker-credentials} over SCRAM,
 * and adds the SCRAM credential when it does not.
 *
 * <p>A storage formatted by this version holds the credential from its first metadata record (the
 * formatter's bootstrap records), so the check passes at once. A storage formatted by an older
 * Vigil has none (and one whose credentials file was deleted has another password). SCRAM
 * credentials live in the cluster metadata, and Kafka's Admin cannot write them to the controller
 * directly ("not yet supported when communicating directly with the controller quorum"), so {@link
 * EmbeddedKafkaBroker} starts the broker once more with SASL/PLAIN also enabled on its listener,
 * against the static user of its JAAS configuration (the same generated password), and {@link #add}
 * writes the credential through it. No listener is ever open without authentication.
 */
final class ScramLogin {

  private static final Logger log = LoggerFactory.getLogger(ScramLogin.class);
  private static final int ITERATIONS = 8192;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration APPLIED_WITHIN = Duration.ofSeconds(60);

  private ScramLogin() {}

  /**
   * Adds the SCRAM credential through a broker that also takes SASL/PLAIN, and returns once it
   * accepts SCRAM.
   */
  static void add(String brokerAddress, BrokerCredentials credentials) throws InterruptedException {
    Map<String, Object> props = new HashMap<>(credentials.plainClientSettings());
    props.put("bootstrap.servers", brokerAddress);
    try (Admin admin = Admin.create(props)) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      credentials.username(),
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS),
                      credentials.password())))
          .all()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot add the SCRAM credential to the embedded broker: " + e, e);
    }
    // The broker applies the controller's record asynchronously.
    long deadline = System.nanoTime() + APPLIED_WITHIN.toNanos();
    while (!accepted(brokerAddress, credentials)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the embedded broker did not accept its new SCRAM credential within " + APPLIED_WITHIN);
      }
      Thread.sleep(200);
    }
    log.info(
        "Added the SCRAM credential of {} to the embedded broker", BrokerCredentials.FILE_NAME);
  }

  /** Whether the broker accepts the credentials; any failure but a refused login is fatal. */
  static boolean accepted(String brokerAddress, BrokerCredentials credentials)
      throws InterruptedException {
    Map<String, Object> props = new HashMap<>(credentials.clientSettings());
    props.put("bootstrap.servers", brokerAddress);
    props.put("default.api.timeout.ms", (int) CALL_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().clusterId().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SaslAuthenticationException) {
        return false;
      }
      throw new IllegalStateException("cannot reach the embedded broker: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the embedded broker did not answer within " + CALL_TIMEOUT, e);
    }
  }
}
