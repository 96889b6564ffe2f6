package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SerdeFactoryTest {

  @Test
  void withoutARegistryUrlValuesUseSingleObjectEncoding() {
    assertThat(SerdeFactory.fromSettings(Map.of())).isInstanceOf(SingleObjectSerdeFactory.class);
    assertThat(SerdeFactory.fromSettings(Map.of("schema.registry.url", " ")))
        .isInstanceOf(SingleObjectSerdeFactory.class);
  }

  @Test
  void withARegistryUrlValuesUseTheRegistry() {
    assertThat(SerdeFactory.fromSettings(Map.of("schema.registry.url", "http://registry:8081")))
        .isInstanceOf(RegistrySerdeFactory.class);
  }

  @Test
  void badRegistrySettingsNameTheKeyButNotTheSecret() {
    assertThatThrownBy(
            () ->
                SerdeFactory.fromSettings(
                    Map.of(
                        "schema.registry.url",
                        "http://r:8081",
                        "schema.registry.auto.register",
                        "maybe")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.auto.register");
    assertThatThrownBy(
            () ->
                SerdeFactory.fromSettings(
                    Map.of(
                        "schema.registry.url",
                        "ftp://r",
                        "schema.registry.basic.auth.user.info",
                        "u:s3cret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void subjectsFollowTopicNameStrategy() {
    assertThat(RegistrySerdeFactory.valueSubject("vigil.alerts")).isEqualTo("vigil.alerts-value");
  }
}
