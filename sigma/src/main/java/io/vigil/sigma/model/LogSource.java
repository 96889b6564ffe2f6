package io.vigil.sigma.model;

/**
 * A rule's {@code logsource}: which logs it is written for (e.g. product aws, service cloudtrail).
 * Any part may be null.
 */
public record LogSource(String product, String service, String category, String definition) {

  /** The log source of a rule that names none. */
  public static final LogSource ANY = new LogSource(null, null, null, null);

  /** True for CloudTrail rules (service cloudtrail). */
  public boolean isCloudTrail() {
    return "cloudtrail".equalsIgnoreCase(service);
  }

  /** True for VPC flow log rules (service vpcflowlogs, vpcflow or flowlogs). */
  public boolean isVpcFlow() {
    return isVpcFlow(service);
  }

  /** True for the service names of VPC flow logs; the rule set asks this of events too. */
  static boolean isVpcFlow(String service) {
    return service != null
        && (service.equalsIgnoreCase("vpcflowlogs")
            || service.equalsIgnoreCase("vpcflow")
            || service.equalsIgnoreCase("flowlogs"));
  }
}
