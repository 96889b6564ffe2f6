package io.vigil.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.config.VigilConfig;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdvertisedHostTest {

  private static VigilConfig config(Map<String, String> flags) {
    return VigilConfig.load(Optional.empty(), Map.of(), flags);
  }

  @Test
  void theAdvertisedHostWinsOverTheBindAddress() {
    assertThat(
            VigilRuntime.advertisedHost(
                config(
                    Map.of(
                        "http.advertised.host",
                        "vigil-streams-1.vigil-streams",
                        "http.host",
                        "10.1.2.3"))))
        .isEqualTo("vigil-streams-1.vigil-streams");
  }

  @Test
  void aSpecificBindAddressIsAdvertisedAsItIs() {
    assertThat(VigilRuntime.advertisedHost(config(Map.of("http.host", "10.1.2.3"))))
        .isEqualTo("10.1.2.3");
  }

  @Test
  void bindingEveryAddressAdvertisesThisMachinesName() throws Exception {
    assertThat(VigilRuntime.advertisedHost(config(Map.of())))
        .isEqualTo(InetAddress.getLocalHost().getHostName());
  }
}
