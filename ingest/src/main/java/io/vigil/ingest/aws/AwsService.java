package io.vigil.ingest.aws;

/**
 * The AWS services ingest calls, each with the names the AWS SDK uses for its own endpoint
 * settings: the environment variable {@code AWS_ENDPOINT_URL_<SERVICE>} and the system property
 * {@code aws.endpointUrl<Service>}.
 */
public enum AwsService {
  S3("S3", "S3"),
  SQS("SQS", "Sqs"),
  KINESIS("Kinesis", "Kinesis");

  private final String displayName;
  private final String propertySuffix;

  AwsService(String displayName, String propertySuffix) {
    this.displayName = displayName;
    this.propertySuffix = propertySuffix;
  }

  /** As people write it: {@code S3}, {@code SQS}, {@code Kinesis}. */
  public String displayName() {
    return displayName;
  }

  /** The SDK's environment variable for this service's endpoint, e.g. AWS_ENDPOINT_URL_SQS. */
  public String endpointEnvironmentVariable() {
    return "AWS_ENDPOINT_URL_" + name();
  }

  /** The SDK's system property for this service's endpoint, e.g. aws.endpointUrlSqs. */
  public String endpointSystemProperty() {
    return "aws.endpointUrl" + propertySuffix;
  }
}
