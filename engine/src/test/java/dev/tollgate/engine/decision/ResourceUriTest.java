package dev.tollgate.engine.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A resource read's URI, as policies see it: escapes and dot segments cannot hide the path. */
class ResourceUriTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, Object> derive(String tool, String args) throws Exception {
    return ResourceDeriver.derive(tool, JSON.readTree(args), "/", "/root");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "file:///workspace/notes.md|file|/workspace/notes.md",
        "file:///workspace/../etc/passwd|file|/etc/passwd",
        "file:///workspace/%2e%2e/etc/passwd|file|/etc/passwd",
        "file:///workspace/%2E%2E%2Fetc%2Fpasswd|file|/etc/passwd",
        "FILE:///workspace/./a//b|file|/workspace/a/b",
        "file:/etc/passwd|file|/etc/passwd",
        "file://localhost/etc/passwd|file|/etc/passwd",
        "file:///workspace\\..\\etc\\passwd|file|/etc/passwd",
        "repo://octo/hello/contents/README.md?ref=main|repo|/hello/contents/README.md",
        "file:///work space/{name}|file|/work space/{name}",
      })
  void theDecodedNormalizedPathIsWhatPoliciesSee(String uri, String scheme, String path)
      throws Exception {
    Map<String, Object> resource =
        derive("mcp__files__resource", JSON.writeValueAsString(Map.of("uri", uri)));
    assertThat(resource)
        .containsEntry("type", "mcp")
        .containsEntry("server", "files")
        .containsEntry("tool", "resource")
        .containsEntry("uri", uri)
        .containsEntry("scheme", scheme)
        .containsEntry("path", path);
  }

  @Test
  void aBrokenEscapeOrAUriThatIsNoStringIsABadRequest() throws Exception {
    assertThat(derive("mcp__files__resource", "{\"uri\":\"file:///a/%zz\"}"))
        .containsEntry("type", "invalid");
    assertThat(derive("mcp__files__resource", "{\"uri\":[\"file:///a\"]}"))
        .containsEntry("type", "invalid");
  }

  @Test
  void otherMcpToolsAndPromptsKeepTheirShape() throws Exception {
    assertThat(derive("mcp__files__read", "{\"uri\":\"file:///etc/passwd\"}"))
        .doesNotContainKey("uri");
    assertThat(derive("mcp__files__prompt", "{\"name\":\"review\",\"arguments\":{}}"))
        .containsOnlyKeys("type", "server", "tool", "annotations");
  }
}
