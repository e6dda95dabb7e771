package dev.tollgate.sidecar.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ToolCallTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void annotatingMakesANewCallAndLeavesTheOriginalAlone() throws Exception {
    ToolCall call =
        new ToolCall(
            "c-1", "mcp", null, "mcp__db__query", JSON.readTree("{\"sql\":\"select 1\"}"), "rel");
    JsonNode annotations = JSON.readTree("{\"readOnlyHint\":true}");

    ToolCall annotated = call.withAnnotations(annotations);

    assertThat(annotated).isNotSameAs(call);
    assertThat(call.annotations()).isNull();
    assertThat(annotated.annotations()).isEqualTo(annotations);
    assertThat(annotated.argsDigest()).isEqualTo(call.argsDigest()).isNotNull();
    assertThat(annotated.correlationId()).isEqualTo("c-1");
    assertThat(annotated.sessionId()).isEmpty();
    assertThat(annotated.cwd()).isEqualTo("/");
  }

  @Test
  void redactsOncePerCall() throws Exception {
    ToolCall call =
        new ToolCall("c-2", "authzen", "s", "Bash", JSON.readTree("{\"command\":\"ls\"}"), "/w");
    AtomicInteger redactions = new AtomicInteger();

    Map<String, Object> first =
        call.redactedResource(() -> Map.of("n", redactions.incrementAndGet()));
    Map<String, Object> second =
        call.redactedResource(() -> Map.of("n", redactions.incrementAndGet()));

    assertThat(second).isSameAs(first);
    assertThat(redactions).hasValue(1);
  }
}
