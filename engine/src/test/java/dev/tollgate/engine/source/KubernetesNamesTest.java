package dev.tollgate.engine.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesNamesTest {

  @ParameterizedTest
  @CsvSource({
    "coder, true",
    "repo-coder.v2, true",
    "a, true",
    "My_Scope, false",
    "-coder, false",
    "coder., false",
    "a..b, false",
    "'', false"
  })
  void subdomainIsLowerCaseLabelsJoinedByDots(String name, boolean valid) {
    assertThat(KubernetesNames.isDnsSubdomain(name)).isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({
    "team-a, true",
    "a1, true",
    "team.a, false",
    "Team, false",
    "team-, false",
    "'', false"
  })
  void labelIsLowerCaseAlphanumericsWithInnerDashes(String name, boolean valid) {
    assertThat(KubernetesNames.isDnsLabel(name)).isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({
    "agents/repo-coder, true",
    "tollgate-system/tollgate-delegation-keys, true",
    "agents/repo.coder, true",
    "team.a/x, false",
    "agents/, false",
    "/repo-coder, false",
    "agents/Coder, false",
    "agents/a/b, false",
    "repo-coder, false",
    "'', false"
  })
  void namespacedNameIsALabelASlashAndASubdomain(String text, boolean valid) {
    assertThat(KubernetesNames.isNamespacedName(text)).isEqualTo(valid);
  }
}
