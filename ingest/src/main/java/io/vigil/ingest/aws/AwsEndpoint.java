package io.vigil.ingest.aws;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the client of one service is sent, and which setting said so.
 *
 * @param service the service
 * @param uri the endpoint override; empty: AWS's own endpoint for the region
 * @param origin what chose it, for logs: {@code configured for SQS}, {@code configured for every
 *     service}, the SDK's system property or environment variable by name, or {@code AWS}
 */
public record AwsEndpoint(AwsService service, Optional<URI> uri, String origin) {

  public AwsEndpoint {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(origin, "origin");
  }

  /** The endpoint as text for messages: the URI, or {@code AWS} for AWS's own. */
  public String describe() {
    return uri.map(URI::toString).orElse("AWS");
  }
}
