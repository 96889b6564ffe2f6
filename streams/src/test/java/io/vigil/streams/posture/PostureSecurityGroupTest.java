package io.vigil.streams.posture;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.ResourceState;
import org.junit.jupiter.api.Test;

class PostureSecurityGroupTest extends PostureTopologyTestBase {

  private static final String GROUP = "sg-04cfb7a4712d75b00";
  private static final String ARN = groupArn(GROUP);

  /** The nested request shape, as the Stratus "open port" detonation recorded it. */
  private Event authorizeNested(int port, String cidr, String ruleId) {
    return event("ec2", "AuthorizeSecurityGroupIngress")
        .request(
            """
            {"groupId": "%s", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": %d, "toPort": %d,
              "groups": {}, "ipRanges": {"items": [{"cidrIp": "%s", "description": "TLS from Internet"}]},
              "ipv6Ranges": {}, "prefixListIds": {}}]}}\
            """
                .formatted(GROUP, port, port, cidr))
        .response(
            """
            {"requestId": "0c897921-eded-4cdf-ac2a-c0e5ed5f397d", "_return": true, "securityGroupRuleSet": {"items": [
              {"groupOwnerId": "%s", "groupId": "%s", "securityGroupRuleId": "%s", "isEgress": false,
               "ipProtocol": "tcp", "fromPort": %d, "toPort": %d, "cidrIpv4": "%s"}]}}\
            """
                .formatted(ACCOUNT, GROUP, ruleId, port, port, cidr));
  }

  /**
   * The flat request shape (cidrIp/ipProtocol/fromPort/toPort), as recorded by the same detonation.
   */
  private Event flat(String name, int port, String cidr) {
    return event("ec2", name)
        .request(
            """
            {"groupId": "%s", "ipPermissions": {}, "ipProtocol": "tcp", "fromPort": %d, "toPort": %d, "cidrIp": "%s"}\
            """
                .formatted(GROUP, port, port, cidr))
        .response("{\"requestId\": \"d7ba453f-54ce-4c38-98a1-01757c45994e\", \"_return\": true}");
  }

  @Test
  void createSecurityGroupRecordsAGroupWithoutIngress() {
    send(
        event("ec2", "CreateSecurityGroup")
            .request(
                """
                {"groupName": "stratus-red-team-open-sg-sg", "groupDescription": "Allow TLS inbound traffic",
                 "vpcId": "vpc-0e568b18707c87afa"}\
                """)
            .response(
                """
                {"requestId": "0298451a-830a-419e-ab4b-4861bd336b68", "_return": true, "groupId": "%s"}\
                """
                    .formatted(GROUP)));

    ResourceState state = state(ARN);
    assertThat(state.getResourceType()).isEqualTo("AWS::EC2::SecurityGroup");
    assertThat(state.getAttributes())
        .containsEntry("ingress_rules", "[]")
        .containsEntry("open_to_world_ports", "[]");
    assertThat(state.getFailingControls()).isEmpty();
  }

  @Test
  void nestedShapeIngressFromEverywhereOpensThePortToTheWorld() {
    send(authorizeNested(443, "0.0.0.0/0", "sgr-0bb31cddb2c27f401"));

    assertThat(attributes(ARN))
        .containsEntry(
            "ingress_rules", "[{\"protocol\":\"tcp\",\"ports\":\"443\",\"source\":\"0.0.0.0/0\"}]")
        .containsEntry("open_to_world_ports", "[\"tcp/443\"]");
    assertThat(findingIds()).containsExactly("posture-security-group-open-to-world");
    assertThat(findings.get(0).getEvidence()).containsEntry("open_to_world_ports", "[\"tcp/443\"]");
  }

  @Test
  void flatShapeIngressFromEverywhereOpensThePortToTheWorld() {
    send(flat("AuthorizeSecurityGroupIngress", 22, "0.0.0.0/0"));

    assertThat(attributes(ARN)).containsEntry("open_to_world_ports", "[\"tcp/22\"]");
    assertThat(findingIds()).containsExactly("posture-security-group-open-to-world");
  }

  @Test
  void flatShapeRevokeRemovesARuleAuthorisedInTheNestedShape() {
    send(
        authorizeNested(22, "0.0.0.0/0", "sgr-0a11552a7d225f5c7"),
        flat("RevokeSecurityGroupIngress", 22, "0.0.0.0/0"));

    assertThat(attributes(ARN))
        .containsEntry("ingress_rules", "[]")
        .containsEntry("open_to_world_ports", "[]");
    assertThat(state(ARN).getFailingControls()).isEmpty();
  }

  @Test
  void nestedShapeRevokeRemovesOnlyThatRule() {
    send(
        flat("AuthorizeSecurityGroupIngress", 22, "0.0.0.0/0"),
        authorizeNested(443, "0.0.0.0/0", "sgr-1"),
        event("ec2", "RevokeSecurityGroupIngress")
            .request(
                """
                {"groupId": "%s", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                  "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}\
                """
                    .formatted(GROUP)));

    assertThat(attributes(ARN)).containsEntry("open_to_world_ports", "[\"tcp/443\"]");
  }

  @Test
  void anyCidrOfPrefixLengthZeroIsTheInternetComparedAsNetworks() {
    // 1.2.3.4/0 is the whole IPv4 space however it is spelled; revoking 0.0.0.0/0 removes it.
    send(flat("AuthorizeSecurityGroupIngress", 3389, "1.2.3.4/0"));
    assertThat(attributes(ARN))
        .containsEntry("open_to_world_ports", "[\"tcp/3389\"]")
        .containsEntry(
            "ingress_rules",
            "[{\"protocol\":\"tcp\",\"ports\":\"3389\",\"source\":\"0.0.0.0/0\"}]");

    send(flat("RevokeSecurityGroupIngress", 3389, "0.0.0.0/00"));
    assertThat(attributes(ARN)).containsEntry("open_to_world_ports", "[]");
  }

  @Test
  void ipv6RangeOfTheWholeSpaceOnAllProtocolsIsOpenToTheWorld() {
    send(
        event("ec2", "AuthorizeSecurityGroupIngress")
            .request(
                """
                {"groupId": "%s", "ipPermissions": {"items": [{"ipProtocol": "-1", "groups": {}, "ipRanges": {},
                  "ipv6Ranges": {"items": [{"cidrIpv6": "0:0:0:0:0:0:0:0/0"}]}, "prefixListIds": {}}]}}\
                """
                    .formatted(GROUP)));

    assertThat(attributes(ARN))
        .containsEntry("open_to_world_ports", "[\"all\"]")
        .containsEntry(
            "ingress_rules", "[{\"protocol\":\"all\",\"ports\":\"*\",\"source\":\"::/0\"}]");
    assertThat(findingIds()).containsExactly("posture-security-group-open-to-world");
  }

  @Test
  void ingressFromPrivateNetworksAndOtherGroupsIsNotOpenToTheWorld() {
    send(
        event("ec2", "AuthorizeSecurityGroupIngress")
            .request(
                """
                {"groupId": "%s", "ipPermissions": {"items": [
                  {"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432,
                   "ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]},
                   "groups": {"items": [{"groupId": "sg-0123456789abcdef0"}]}}]}}\
                """
                    .formatted(GROUP)));

    assertThat(attributes(ARN))
        .containsEntry("open_to_world_ports", "[]")
        .containsEntry(
            "ingress_rules",
            "[{\"protocol\":\"tcp\",\"ports\":\"5432\",\"source\":\"10.0.0.0/8\"},"
                + "{\"protocol\":\"tcp\",\"ports\":\"5432\",\"source\":\"sg-0123456789abcdef0\"}]");
    assertThat(findings).isEmpty();
  }

  @Test
  void revokeByRuleIdRemovesTheRuleThatIdWasAuthorisedAs() {
    send(
        authorizeNested(443, "0.0.0.0/0", "sgr-0bb31cddb2c27f401"),
        event("ec2", "RevokeSecurityGroupIngress")
            .request(
                """
                {"groupId": "%s",
                 "securityGroupRuleIds": {"items": [{"securityGroupRuleId": "sgr-0bb31cddb2c27f401"}]}}\
                """
                    .formatted(GROUP)));

    assertThat(attributes(ARN)).containsEntry("open_to_world_ports", "[]");
  }

  @Test
  void modifySecurityGroupRulesReplacesAKnownIngressRule() {
    send(authorizeNested(22, "10.0.0.0/8", "sgr-0a11552a7d225f5c7"));
    assertThat(findings).isEmpty();

    send(
        event("ec2", "ModifySecurityGroupRules")
            .request(
                """
                {"ModifySecurityGroupRulesRequest": {"GroupId": "%s", "SecurityGroupRule": {"tag": 1,
                  "SecurityGroupRuleId": "sgr-0a11552a7d225f5c7",
                  "SecurityGroupRule": {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"}}}}\
                """
                    .formatted(GROUP)));

    assertThat(attributes(ARN))
        .containsEntry(
            "ingress_rules", "[{\"protocol\":\"tcp\",\"ports\":\"22\",\"source\":\"0.0.0.0/0\"}]")
        .containsEntry("open_to_world_ports", "[\"tcp/22\"]");
    assertThat(findingIds()).containsExactly("posture-security-group-open-to-world");
  }

  @Test
  void deletedSecurityGroupFailsNothing() {
    send(
        flat("AuthorizeSecurityGroupIngress", 22, "0.0.0.0/0"),
        event("ec2", "DeleteSecurityGroup").request("{\"groupId\": \"" + GROUP + "\"}"));

    assertThat(state(ARN).getDeleted()).isTrue();
    assertThat(state(ARN).getFailingControls()).isEmpty();
  }
}
