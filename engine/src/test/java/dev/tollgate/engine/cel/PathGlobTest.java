package dev.tollgate.engine.cel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code path.mayMatchName(name)}: every glob spelling of a secret's name is seen. */
class PathGlobTest {

  @ParameterizedTest(name = "{0} may name {1}: {2}")
  @CsvSource({
    "/workspace/.env, .env, true",
    "/workspace/.e*, .env, true",
    "/workspace/.en?, .env, true",
    "/workspace/.[e]nv, .env, true",
    "/workspace/.[!x]nv, .env, true",
    "'/workspace/{a,.env}', .env, true",
    "/workspace/.env*, .env, true",
    "/workspace/src/.e\\nv, .env, true",
    "/root/.ss*/id_rsa, .ssh, true",
    "/root/.s?h, .ssh, true",
    "**/.env, .env, true",
    "/workspace/*, .env, false",
    "/workspace/**/*.py, .ssh, false",
    "/workspace/e*, .env, false",
    "/workspace/.envrc, .env, false",
    "/workspace/x.env, .env, false",
    "/workspace/.e[, .env, false",
    "/workspace/.e{, .env, true",
  })
  void globsThatMayNameAFile(String path, String name, boolean expected) {
    assertThat(PathGlob.mayMatchName(path, name)).isEqualTo(expected);
  }
}
