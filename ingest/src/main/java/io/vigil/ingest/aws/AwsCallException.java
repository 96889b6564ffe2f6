package io.vigil.ingest.aws;

import java.net.URI;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * A failed AWS call, told the way an operator needs it: the service, the operation, the endpoint
 * the client was sent to and what was asked, then the failure. For example {@code SQS
 * ReceiveMessage on http://localhost:9324 (queue http://localhost:9324/000000000000/logs) failed:
 * HTTP 501 NotImplemented: ...}. The one place that formats these for every source; the SDK's
 * exception stays the cause.
 */
public final class AwsCallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final AwsService service;
  private final String operation;
  private final String endpoint;

  private AwsCallException(
      AwsService service, String operation, String endpoint, String message, SdkException cause) {
    super(message, cause);
    this.service = service;
    this.operation = operation;
    this.endpoint = endpoint;
  }

  /**
   * The failure of {@code operation} on {@code client}.
   *
   * @param subject what the call was about, e.g. {@code queue <url>}, {@code s3://bucket/key},
   *     {@code stream logs}
   */
  public static AwsCallException of(
      AwsService service, String operation, SdkClient client, String subject, SdkException cause) {
    Objects.requireNonNull(cause, "cause");
    String endpoint = endpointOf(client);
    String message =
        service.displayName()
            + " "
            + operation
            + " on "
            + endpoint
            + (subject == null || subject.isEmpty() ? "" : " (" + subject + ")")
            + " failed: "
            + reason(cause);
    return new AwsCallException(service, operation, endpoint, message, cause);
  }

  public AwsService service() {
    return service;
  }

  public String operation() {
    return operation;
  }

  /** The endpoint as the message names it: a URI, or {@code AWS <region>} for AWS's own. */
  public String endpoint() {
    return endpoint;
  }

  @Override
  public synchronized SdkException getCause() {
    return (SdkException) super.getCause();
  }

  /**
   * The elements of {@code iterable}, a paginated SDK listing, with an {@link SdkException} thrown
   * while fetching a page turned into {@code wrap}'s exception.
   */
  public static <T> Iterable<T> translating(
      Iterable<T> iterable, Function<SdkException, AwsCallException> wrap) {
    return () -> {
      Iterator<T> pages;
      try {
        pages = iterable.iterator();
      } catch (SdkException e) {
        throw wrap.apply(e);
      }
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          try {
            return pages.hasNext();
          } catch (SdkException e) {
            throw wrap.apply(e);
          }
        }

        @Override
        public T next() {
          try {
            return pages.next();
          } catch (SdkException e) {
            throw wrap.apply(e);
          }
        }
      };
    };
  }

  /**
   * Where the client sends its calls, as far as it says: its endpoint override, else {@code AWS
   * <region>}.
   */
  public static String endpointOf(SdkClient client) {
    try {
      var configuration = client.serviceClientConfiguration();
      Optional<URI> override = configuration.endpointOverride();
      if (override.isPresent()) {
        return override.get().toString();
      }
      if (configuration instanceof AwsServiceClientConfiguration aws && aws.region() != null) {
        return "AWS " + aws.region().id();
      }
      return "AWS";
    } catch (RuntimeException e) {
      // A client that does not describe itself (a test double): the message still names the rest.
      return "an unknown endpoint";
    }
  }

  /** The SDK's failure in a line: the HTTP status and AWS error code when there was an answer. */
  static String reason(SdkException e) {
    if (e instanceof SdkServiceException service) {
      StringBuilder text = new StringBuilder("HTTP ").append(service.statusCode());
      AwsErrorDetails details = e instanceof AwsServiceException aws ? aws.awsErrorDetails() : null;
      if (details != null && details.errorCode() != null && !details.errorCode().isBlank()) {
        text.append(' ').append(details.errorCode());
      }
      String detail =
          details != null && details.errorMessage() != null
              ? details.errorMessage()
              : e.getMessage();
      // "Service returned HTTP status code 501" says again what the status said.
      if (detail != null && !detail.isBlank() && !detail.startsWith("Service returned HTTP")) {
        text.append(": ").append(detail);
      }
      return text.toString();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
