package dev.tollgate.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static final Map<String, String> FLAGS =
      Map.of("--port", "APP_PORT", "--mode", "APP_MODE", "--names", "APP_NAMES");

  @Test
  void flagsWinOverTheEnvironmentInBothSpellings() {
    Settings settings =
        new Settings(
            Map.of("APP_PORT", "80", "APP_MODE", "fast"),
            new String[] {"--port", "8080", "--names=a, b,"},
            FLAGS);
    assertThat(settings.number("APP_PORT", 1, 0, 65_535)).isEqualTo(8080);
    assertThat(settings.get("APP_MODE", "slow")).isEqualTo("fast");
    assertThat(settings.list("APP_NAMES", "")).containsExactly("a", "b");
    assertThat(settings.problems()).isEmpty();
  }

  @Test
  void collectsEveryProblemNamingFlagAndVariable() {
    Settings settings =
        new Settings(
            Map.of("APP_PORT", "http"),
            new String[] {"--colour", "red", "--mode", "warp", "--names"},
            FLAGS);
    assertThat(settings.number("APP_PORT", 1, 0, 65_535)).isEqualTo(1);
    assertThat(settings.choice("APP_MODE", "fast", List.of("fast", "slow"))).isEqualTo("fast");
    assertThat(settings.problems())
        .containsExactly(
            "unknown option --colour (known: --mode, --names, --port)",
            "--names needs a value",
            "--port (APP_PORT) must be a whole number, got 'http'",
            "--mode (APP_MODE) must be fast or slow, got 'warp'");
  }

  @Test
  void aliasesFillOnlyWhatIsUnset() {
    Settings settings =
        new Settings(Map.of("POD_NAME", "p-1"), new String[0], Map.of("--pod", "APP_POD"))
            .alias("APP_POD", "POD_NAME", Map.of("POD_NAME", "p-1"));
    assertThat(settings.get("APP_POD", "")).isEqualTo("p-1");
  }
}
