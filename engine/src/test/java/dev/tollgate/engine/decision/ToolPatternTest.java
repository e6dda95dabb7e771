package dev.tollgate.engine.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolPatternTest {

  @ParameterizedTest
  @CsvSource({
    "Read, Read, true",
    "Read, ReadFile, false",
    "Read, read, false",
    "*, anything, true",
    "*, '', true",
    "mcp__github__*, mcp__github__get_issue, true",
    "mcp__github__*, mcp__github__, true",
    "mcp__github__*, mcp__gitlab__get_issue, false",
    "mcp__*__get_*, mcp__jira__get_ticket, true",
    "mcp__*__get_*, mcp__jira__list_tickets, false",
    "*Edit, MultiEdit, true",
    "*Edit, NotebookEdit, true",
    "*Edit, Editor, false",
    "a*a, a, false",
    "a*a, aa, true",
    "a*b*c, abbc, true",
    "a*b*c, acb, false",
    "Web*, WebFetch, true",
  })
  void matchesWholeNamesWithStarAsTheOnlyWildcard(String pattern, String name, boolean expected) {
    assertThat(ToolPattern.of(pattern).matches(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"Read, true", "mcp__x__*, false", "*, false"})
  void knowsLiteralsFromWildcards(String pattern, boolean literal) {
    assertThat(ToolPattern.of(pattern).isLiteral()).isEqualTo(literal);
  }
}
