package io.vigil.ingest.decode;

import io.vigil.schemas.FlowRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * The VPC flow log fields that have a typed {@link FlowRecord} field (versions 2 to 8): the name a
 * flow log header uses, the record field it fills, and whether its text is a number.
 */
enum FlowField {
  VERSION("version", Kind.INT),
  ACCOUNT_ID("account-id", Kind.STRING),
  INTERFACE_ID("interface-id", Kind.STRING),
  SRCADDR("srcaddr", Kind.STRING),
  DSTADDR("dstaddr", Kind.STRING),
  SRCPORT("srcport", Kind.INT),
  DSTPORT("dstport", Kind.INT),
  PROTOCOL("protocol", Kind.INT),
  PACKETS("packets", Kind.LONG),
  BYTES("bytes", Kind.LONG),
  START("start", Kind.LONG),
  END("end", Kind.LONG),
  ACTION("action", Kind.STRING),
  LOG_STATUS("log-status", Kind.STRING),
  VPC_ID("vpc-id", Kind.STRING),
  SUBNET_ID("subnet-id", Kind.STRING),
  INSTANCE_ID("instance-id", Kind.STRING),
  TCP_FLAGS("tcp-flags", Kind.INT),
  TYPE("type", Kind.STRING),
  PKT_SRCADDR("pkt-srcaddr", Kind.STRING),
  PKT_DSTADDR("pkt-dstaddr", Kind.STRING),
  REGION("region", Kind.STRING),
  AZ_ID("az-id", Kind.STRING),
  SUBLOCATION_TYPE("sublocation-type", Kind.STRING),
  SUBLOCATION_ID("sublocation-id", Kind.STRING),
  PKT_SRC_AWS_SERVICE("pkt-src-aws-service", Kind.STRING),
  PKT_DST_AWS_SERVICE("pkt-dst-aws-service", Kind.STRING),
  FLOW_DIRECTION("flow-direction", Kind.STRING),
  TRAFFIC_PATH("traffic-path", Kind.INT),
  ECS_CLUSTER_ARN("ecs-cluster-arn", Kind.STRING),
  ECS_CLUSTER_NAME("ecs-cluster-name", Kind.STRING),
  ECS_CONTAINER_INSTANCE_ARN("ecs-container-instance-arn", Kind.STRING),
  ECS_CONTAINER_INSTANCE_ID("ecs-container-instance-id", Kind.STRING),
  ECS_CONTAINER_ID("ecs-container-id", Kind.STRING),
  ECS_SECOND_CONTAINER_ID("ecs-second-container-id", Kind.STRING),
  ECS_SERVICE_NAME("ecs-service-name", Kind.STRING),
  ECS_TASK_DEFINITION_ARN("ecs-task-definition-arn", Kind.STRING),
  ECS_TASK_ARN("ecs-task-arn", Kind.STRING),
  ECS_TASK_ID("ecs-task-id", Kind.STRING),
  REJECT_REASON("reject-reason", Kind.STRING);

  enum Kind {
    STRING,
    INT,
    LONG
  }

  /**
   * The default format (version 2), used when there is no header: CloudWatch Logs and Kinesis
   * deliveries.
   */
  static final String DEFAULT_HEADER =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start"
          + " end action log-status";

  private static final Map<String, FlowField> BY_NAME = new HashMap<>();

  static {
    for (FlowField f : values()) {
      BY_NAME.put(f.headerName, f);
    }
  }

  final String headerName;
  final Kind kind;

  /** Position of the typed field in {@link FlowRecord}, for {@code put(int, Object)}. */
  final int position;

  FlowField(String headerName, Kind kind) {
    this.headerName = headerName;
    this.kind = kind;
    this.position = FlowRecord.SCHEMA$.getField(headerName.replace('-', '_')).pos();
  }

  /**
   * The field a header name stands for (hyphens or underscores); null for a field without a typed
   * one.
   */
  static FlowField byHeaderName(String name) {
    return BY_NAME.get(name.replace('_', '-'));
  }
}
