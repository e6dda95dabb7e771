package dev.tollgate.engine.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ArgsDigestTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ignoresKeyOrderAndWhitespaceAtEveryLevel() throws Exception {
    String a =
        ArgsDigest.of(JSON.readTree("{\"command\":\"git push\",\"opts\":{\"a\":1,\"b\":[1,2]}}"));
    String b =
        ArgsDigest.of(
            JSON.readTree("{ \"opts\" : {\"b\":[1, 2], \"a\":1}, \"command\":\"git push\" }"));
    assertThat(a).isEqualTo(b).matches("[0-9a-f]{64}");
  }

  @Test
  void changesWithAnyValue() throws Exception {
    String push = ArgsDigest.of(JSON.readTree("{\"command\":\"git push origin main\"}"));
    assertThat(ArgsDigest.of(JSON.readTree("{\"command\":\"git push origin main --force\"}")))
        .isNotEqualTo(push);
    assertThat(ArgsDigest.of(JSON.readTree("{\"command\":\"git push origin main\",\"timeout\":1}")))
        .isNotEqualTo(push);
    assertThat(ArgsDigest.of(JSON.readTree("{\"b\":[2,1]}")))
        .isNotEqualTo(ArgsDigest.of(JSON.readTree("{\"b\":[1,2]}")));
  }

  @Test
  void keysAndValuesCannotBeConfusedThroughEscaping() throws Exception {
    String one = ArgsDigest.of(JSON.readTree("{\"a\":\"b\\\",\\\"c\\\":\\\"d\"}"));
    String two = ArgsDigest.of(JSON.readTree("{\"a\":\"b\",\"c\":\"d\"}"));
    assertThat(one).isNotEqualTo(two);
  }
}
