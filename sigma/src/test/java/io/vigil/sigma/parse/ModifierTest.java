package io.vigil.sigma.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sigma.parse.Modifier.Role;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModifierTest {

  @Test
  void everyModifierIsNamedInErrorMessagesOnce() {
    assertThat(Modifier.known())
        .isEqualTo(
            "contains, startswith, endswith, all, cased, re, i, m, s, cidr, exists, gt, gte, lt,"
                + " lte, base64, base64offset, windash, utf16le, utf16be, utf16, wide, expand,"
                + " fieldref");
  }

  @Test
  void spellingsAreCaseInsensitiveAndTheRegexFlagsHaveLongOnes() {
    assertThat(Modifier.named("ContAins")).contains(Modifier.CONTAINS);
    assertThat(Modifier.named("ignorecase")).contains(Modifier.IGNORECASE);
    assertThat(Modifier.named("I")).contains(Modifier.IGNORECASE);
    assertThat(Modifier.named("multiline")).contains(Modifier.MULTILINE);
    assertThat(Modifier.named("dotall")).contains(Modifier.DOTALL);
    assertThat(Modifier.named("contians")).isEmpty();
  }

  @Test
  void rolesGroupTheModifiersThatCombineAlike() {
    assertThat(withRole(Role.TYPE))
        .containsExactlyInAnyOrder(
            Modifier.RE,
            Modifier.CIDR,
            Modifier.EXISTS,
            Modifier.GT,
            Modifier.GTE,
            Modifier.LT,
            Modifier.LTE);
    assertThat(withRole(Role.REFERENCE)).containsExactly(Modifier.FIELDREF);
    assertThat(withRole(Role.POSITION))
        .containsExactlyInAnyOrder(Modifier.CONTAINS, Modifier.STARTSWITH, Modifier.ENDSWITH);
    assertThat(withRole(Role.REGEX_FLAG))
        .containsExactlyInAnyOrder(Modifier.IGNORECASE, Modifier.MULTILINE, Modifier.DOTALL);
    assertThat(withRole(Role.ENCODING))
        .containsExactlyInAnyOrder(
            Modifier.BASE64,
            Modifier.BASE64OFFSET,
            Modifier.WINDASH,
            Modifier.UTF16LE,
            Modifier.UTF16BE,
            Modifier.UTF16,
            Modifier.WIDE);
    assertThat(withRole(Role.OPTION))
        .containsExactlyInAnyOrder(Modifier.ALL, Modifier.CASED, Modifier.EXPAND);
    assertThat(EnumSet.allOf(Modifier.class).stream().filter(Modifier::isKind))
        .containsExactlyInAnyOrderElementsOf(
            EnumSet.of(
                Modifier.RE,
                Modifier.CIDR,
                Modifier.EXISTS,
                Modifier.GT,
                Modifier.GTE,
                Modifier.LT,
                Modifier.LTE,
                Modifier.FIELDREF));
  }

  private static Set<Modifier> withRole(Role role) {
    return Arrays.stream(Modifier.values())
        .filter(m -> m.role() == role)
        .collect(Collectors.toSet());
  }
}
