package dev.tollgate.webhook.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedMcpConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void listsEachServerOnceAsAnHttpServerAtTheSidecarsGateway() throws Exception {
    assertThat(JSON.readTree(ManagedMcpConfig.json(List.of("github", "jira"))))
        .isEqualTo(
            JSON.readTree(
                """
                {"mcpServers": {
                  "github": {"type": "http", "url": "http://127.0.0.1:9440/mcp/github"},
                  "jira": {"type": "http", "url": "http://127.0.0.1:9440/mcp/jira"}
                }}
                """));
  }

  @Test
  void anIdentityWithoutMcpServersStillGetsTheFileWithNoneInIt() throws Exception {
    // The file's presence is what keeps every other MCP configuration out.
    assertThat(JSON.readTree(ManagedMcpConfig.json(List.of())))
        .isEqualTo(JSON.readTree("{\"mcpServers\": {}}"));
  }

  @Test
  void isTheSampleShippedWithTheSidecar() throws Exception {
    assertThat(JSON.readTree(ManagedMcpConfig.json(List.of())))
        .isEqualTo(
            JSON.readTree(
                Files.readString(
                    Path.of("../sidecar/src/main/resources/claude-code/managed-mcp.json"))));
  }

  @Test
  void aServerNameCannotReachOutsideTheGatewayPath() {
    for (String name : List.of("../admin", "a/b", "x?y", "", "under_score")) {
      assertThatThrownBy(() -> ManagedMcpConfig.json(List.of(name)))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
