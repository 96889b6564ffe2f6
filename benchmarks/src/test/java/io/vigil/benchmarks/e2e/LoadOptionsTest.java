package io.vigil.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

  @Test
  void theIssuesCommandLineIsReadAsWritten() {
    LoadOptions options =
        LoadOptions.parse(
            new String[] {
              "--rate", "5000", "--seconds", "60", "--set", "streams.commit.interval=100ms"
            });

    assertThat(options.rate()).isEqualTo(5000);
    assertThat(options.seconds()).isEqualTo(60);
    assertThat(options.sets()).containsExactly("streams.commit.interval=100ms");
    assertThat(options.bootstrapServers()).isEqualTo(Optional.empty());
    assertThat(options.jvmArgs()).isEqualTo(List.of());
  }

  @Test
  void aValueThatIsNotANumberIsRefusedNamingItsOption() {
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rate", "fast"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rate takes a whole number, not 'fast'");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--markers", "some"}))
        .hasMessage("--markers takes a number, not 'some'");
  }

  @Test
  void markersMustBeAboveZeroAndAtMostTheRate() {
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rate", "10", "--markers", "NaN"}))
        .hasMessageStartingWith("--markers must be above 0 and at most --rate (10)");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rate", "10", "--markers", "11"}))
        .hasMessageStartingWith("--markers must be above 0");
    assertThat(
            LoadOptions.parse(new String[] {"--rate", "10", "--markers", "10"}).markersPerSecond())
        .isEqualTo(10.0);
  }

  @Test
  void aNegativeOrMissingValueIsRefused() {
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--seconds", "0"}))
        .hasMessage("--seconds must be above 0, not 0");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--drain", "-1"}))
        .hasMessage("--drain must not be negative, not -1");
    assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rate"}))
        .hasMessageStartingWith("--rate needs a value");
  }

  @Test
  void helpDescribesEveryOptionOfTheUsage() {
    assertThat(LoadOptions.asksForHelp(new String[] {"--rate", "10", "--help"})).isTrue();
    assertThat(LoadOptions.asksForHelp(new String[] {"--rate", "10"})).isFalse();
    java.util.regex.Matcher flag =
        java.util.regex.Pattern.compile("\\[(--[a-z-]+)").matcher(LoadOptions.USAGE);
    int flags = 0;
    while (flag.find()) {
      flags++;
      assertThat(LoadOptions.HELP).containsPattern("\n\\s+" + flag.group(1) + " ");
    }
    assertThat(flags).isEqualTo(11);
    LoadOptions defaults = LoadOptions.parse(new String[0]);
    assertThat(LoadOptions.HELP)
        .contains("per second (" + defaults.rate() + ")")
        .contains("measured part (" + defaults.seconds() + ")")
        .contains("caught up (" + defaults.warmupSeconds() + ")")
        .contains("among them (" + Math.round(defaults.markersPerSecond()) + ")")
        .contains("milliseconds (" + defaults.unitMillis() + ")")
        .contains("publishing (" + defaults.drainSeconds() + ")")
        .contains("every S (" + defaults.inboxEverySeconds() + ")")
        .contains("(" + defaults.vigilJar() + ")");
  }
}
