package io.vigil.sigma.event;

import static io.vigil.sigma.testing.SigmaRules.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.sigma.correlation.GroupKey;
import io.vigil.sigma.model.LoadResult;
import io.vigil.sigma.model.RuleSet;
import io.vigil.sigma.model.SigmaCorrelation;
import io.vigil.sigma.model.SigmaRule;
import io.vigil.sigma.parse.SigmaRuleLoader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivedFieldsTest {

  /** The user name in upper case: a field no event has, computed from one it has. */
  private static final DerivedField SHOUTED =
      new DerivedField() {
        @Override
        public String name() {
          return "vigil.shoutedUser";
        }

        @Override
        public List<Object> values(EventView event) {
          return event.values("userIdentity.userName").stream()
              .map(v -> (Object) String.valueOf(v).toUpperCase(Locale.ROOT))
              .toList();
        }
      };

  private static final SigmaRuleLoader LOADER =
      new SigmaRuleLoader(Map.of(), DerivedFields.of(SHOUTED));

  private static final String EVENT =
      """
      {"eventID": "e", "eventTime": "2024-01-01T00:00:00Z", "eventName": "ConsoleLogin",
       "eventSource": "signin.amazonaws.com",
       "userIdentity": {"userName": "alice"}, "requestParameters": {"userName": "ALICE"}}
      """;

  private static SigmaRule rule(String selection) {
    LoadResult result =
        LOADER.loadText(
            "d.yml",
            """
            title: Derived
            id: derived
            detection:
              selection:
                %s
              condition: selection
            """
                .formatted(selection));
    assertThat(result.errors()).isEmpty();
    return result.rules().get(0);
  }

  @Test
  void rulesComputeTheDerivedFieldsTheirLoaderWasGiven() {
    assertThat(rule("vigil.shoutedUser|cased: ALICE").matches(event(EVENT))).isTrue();
    assertThat(rule("vigil.shoutedUser|cased: alice").matches(event(EVENT))).isFalse();
    assertThat(rule("vigil.shoutedUser|exists: true").matches(event(EVENT))).isTrue();
    assertThat(
            rule("requestParameters.userName|fieldref|cased: vigil.shoutedUser")
                .matches(event(EVENT)))
        .isTrue();
    assertThat(rule("vigil.shoutedUser: ALICE").values(event(EVENT), "vigil.shoutedUser"))
        .containsExactly("ALICE");
  }

  @Test
  void anEventViewKnowsNoDerivedField() {
    assertThat(event(EVENT).values("vigil.shoutedUser")).isEmpty();
    DerivedFields fields = DerivedFields.of(SHOUTED);
    assertThat(fields.values(event(EVENT), FieldPath.of("vigil.shoutedUser")))
        .containsExactly("ALICE");
    assertThat(fields.values(event(EVENT), FieldPath.of("vigil.other"))).isEmpty();
    assertThat(fields.values(event(EVENT), FieldPath.of("userIdentity.userName")))
        .containsExactly("alice");
  }

  @Test
  void correlationsGroupByDerivedFields() {
    LoadResult loaded =
        LOADER.loadText(
            "c.yml",
            """
            title: Login
            id: login
            detection:
              selection:
                eventName: ConsoleLogin
              condition: selection
            ---
            title: Logins per user
            id: logins
            correlation:
              type: event_count
              rules: [login]
              group-by: [vigil.shoutedUser]
              timespan: 5m
              condition:
                gte: 2
            """);
    RuleSet rules = RuleSet.builder().add(loaded).build();
    assertThat(rules.loadErrors()).isEmpty();
    SigmaCorrelation correlation = rules.correlation("logins").orElseThrow();
    assertThat(GroupKey.of(correlation, rules.rule("login").orElseThrow(), event(EVENT)).values())
        .containsExactly("ALICE");
  }

  @Test
  void derivedFieldsAreInTheirNamespaceAndDistinct() {
    DerivedField outside =
        new DerivedField() {
          @Override
          public String name() {
            return "userIdentity.shouted";
          }

          @Override
          public List<Object> values(EventView event) {
            return List.of();
          }
        };
    assertThatThrownBy(() -> DerivedFields.of(outside))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace");
    assertThatThrownBy(() -> DerivedFields.of(SHOUTED, SHOUTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThat(DerivedFields.of(SHOUTED).names()).containsExactly("vigil.shoutedUser");
    assertThat(DerivedFields.none().names()).isEmpty();
  }
}
