package dev.tollgate.agenttests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.webhook.injection.ManagedSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Claude Code settings file the tests pass with {@code --settings}: the webhook's own {@link
 * ManagedSettings} output, with only what differs outside a pod put in through its parameters
 * (where the hook client lives, where the sidecar listens), so the wiring under test cannot drift
 * from what is injected.
 */
public final class HookSettings {

  public static final Path HOOK_CLIENT = RepoCoderBundle.REPO_ROOT.resolve("bin/tollgate-hook");

  /** The examples' approval timeout for repo-coder; sets the client deadline and hook timeout. */
  static final int APPROVAL_TIMEOUT_SECONDS = 300;

  private static final ObjectMapper JSON = new ObjectMapper();

  private HookSettings() {}

  public static Path write(Path file, String decisionUrl) throws IOException {
    return write(file, decisionUrl, HOOK_CLIENT, Map.of());
  }

  /**
   * The wiring for an identity whose approval timeout is {@code approvalTimeoutSeconds} and whose
   * MCP servers are {@code mcpServers} (the only ones Claude Code may then connect to).
   */
  public static Path write(
      Path file, String decisionUrl, int approvalTimeoutSeconds, List<String> mcpServers)
      throws IOException {
    return write(file, decisionUrl, HOOK_CLIENT, Map.of(), approvalTimeoutSeconds, mcpServers);
  }

  /**
   * @param envOverrides replaces entries of the settings' {@code env}: only the fault drills use
   *     it, e.g. to give the hook client a deadline a test can wait out
   */
  public static Path write(
      Path file, String decisionUrl, Path hookClient, Map<String, String> envOverrides)
      throws IOException {
    return write(file, decisionUrl, hookClient, envOverrides, APPROVAL_TIMEOUT_SECONDS, List.of());
  }

  private static Path write(
      Path file,
      String decisionUrl,
      Path hookClient,
      Map<String, String> envOverrides,
      int approvalTimeoutSeconds,
      List<String> mcpServers)
      throws IOException {
    ObjectNode settings =
        (ObjectNode)
            JSON.readTree(
                ManagedSettings.json(
                    approvalTimeoutSeconds, mcpServers, hookClient.toString(), decisionUrl));
    ObjectNode env = (ObjectNode) settings.get("env");
    envOverrides.forEach(env::put);
    Files.writeString(file, settings.toPrettyString());
    return file;
  }
}
