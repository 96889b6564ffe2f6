package io.vigil.sinks.render;

import java.util.regex.Pattern;

/**
 * What an alert's entity is (an ARN, an IP address, or another principal name), and what the
 * finding formats call that kind of resource.
 */
enum EntityKind {
  IAM_USER("AWS IAM User", "AwsIamUser"),
  IAM_ROLE("AWS IAM Role", "AwsIamRole"),
  S3_BUCKET("AWS S3 Bucket", "AwsS3Bucket"),
  EC2_INSTANCE("AWS EC2 Instance", "AwsEc2Instance"),
  SECURITY_GROUP("AWS EC2 Security Group", "AwsEc2SecurityGroup"),
  OTHER_ARN("AWS Resource", "Other"),
  IP_ADDRESS("IP Address", "Other"),
  PRINCIPAL("Principal", "Other");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final String ocsfType;
  private final String asffType;

  EntityKind(String ocsfType, String asffType) {
    this.ocsfType = ocsfType;
    this.asffType = asffType;
  }

  String ocsfType() {
    return ocsfType;
  }

  String asffType() {
    return asffType;
  }

  static EntityKind of(String entity) {
    if (entity.startsWith("arn:")) {
      String[] parts = entity.split(":", 6);
      String service = parts.length > 2 ? parts[2] : "";
      String resource = parts.length > 5 ? parts[5] : "";
      if (service.equals("iam") && resource.startsWith("user/")) {
        return IAM_USER;
      }
      if ((service.equals("iam") && resource.startsWith("role/"))
          || (service.equals("sts") && resource.startsWith("assumed-role/"))) {
        return IAM_ROLE;
      }
      if (service.equals("s3") && !resource.contains("/")) {
        return S3_BUCKET;
      }
      if (service.equals("ec2") && resource.startsWith("instance/")) {
        return EC2_INSTANCE;
      }
      if (service.equals("ec2") && resource.startsWith("security-group/")) {
        return SECURITY_GROUP;
      }
      return OTHER_ARN;
    }
    if (IPV4.matcher(entity).matches()
        || (entity.contains(":") && entity.matches("[0-9a-fA-F:]+"))) {
      return IP_ADDRESS;
    }
    return PRINCIPAL;
  }
}
