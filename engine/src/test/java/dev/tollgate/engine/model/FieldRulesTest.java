package dev.tollgate.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldRulesTest {

  @ParameterizedTest
  @CsvSource({
    "user:alice@example.com, true",
    "group:platform-admins, true",
    "user:a, true",
    "'user:alice smith', true",
    "user:, false",
    "'user: alice', false",
    "'group:\talice', false",
    "team:x, false",
    "alice, false",
    "User:alice, false",
    "'user:alice\n', false",
  })
  void principalIsUserOrGroupWithANameThatDoesNotStartBlank(String principal, boolean valid) {
    assertThat(Pattern.compile(FieldRules.PRINCIPAL).matcher(principal).matches()).isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({
    "Bash, true",
    "mcp__github__*, true",
    "*, true",
    "'', false",
    "'Bash(git *)', false",
    "Read Write, false",
  })
  void toolPatternIsToolNameCharactersAndStar(String pattern, boolean valid) {
    assertThat(Pattern.compile(FieldRules.TOOL_PATTERN).matcher(pattern).matches())
        .isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({"256, true", "257, false"})
  void toolPatternIsAtMostTheLongestToolName(int length, boolean valid) {
    assertThat(Pattern.compile(FieldRules.TOOL_PATTERN).matcher("a".repeat(length)).matches())
        .isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({"github, true", "git-hub2, true", "git_hub, false", "-github, false", "'', false"})
  void mcpServerNameHasNoUnderscoreSoTheAgentSideNameSplits(String name, boolean valid) {
    assertThat(Pattern.compile(FieldRules.MCP_SERVER_NAME).matcher(name).matches())
        .isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({
    "no-force-push, true",
    "a, true",
    "Deny-All, false",
    "-a, false",
    "a-, false",
    "a.b, false"
  })
  void ruleNameIsADnsLabel(String name, boolean valid) {
    assertThat(Pattern.compile(FieldRules.RULE_NAME).matcher(name).matches()).isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({"63, true", "64, false"})
  void ruleNameIsAtMost63Characters(int length, boolean valid) {
    assertThat(Pattern.compile(FieldRules.RULE_NAME).matcher("a".repeat(length)).matches())
        .isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({
    "https://mcp.example.com, true",
    "http://10.0.0.1:8080/mcp, true",
    "ftp://example.com, false",
    "HTTPS://example.com, false",
    "https://, false"
  })
  void httpUrlNeedsALowerCaseHttpScheme(String url, boolean valid) {
    assertThat(Pattern.compile(FieldRules.HTTP_URL).matcher(url).matches()).isEqualTo(valid);
  }
}
