package dev.tollgate.engine.hook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Gemini CLI BeforeTool hook input, with the call(s) it stands for under the canonical (Claude
 * Code) tool names every policy is written against. One Gemini call can be several canonical calls
 * ({@code read_many_files} reads each of its paths, {@code web_fetch} fetches each URL of its
 * prompt): it may run only if every one of them is allowed.
 *
 * @param toolName the tool as Gemini CLI named it ({@code run_shell_command}, {@code
 *     mcp_github_create_issue})
 * @param toolInput its arguments as Gemini CLI handed them over
 * @param calls the canonical calls, never empty
 */
public record GeminiCliHookInput(
    String hookEventName,
    String sessionId,
    String cwd,
    String toolName,
    JsonNode toolInput,
    List<CanonicalCall> calls) {

  public static final String BEFORE_TOOL = "BeforeTool";

  /** The client name policies see as {@code context.runtime}. */
  public static final String RUNTIME = "GeminiCli";

  public GeminiCliHookInput {
    calls = List.copyOf(calls);
  }

  /**
   * One canonical call.
   *
   * @param cwd where it runs: the session's directory, or the shell command's {@code dir_path}
   */
  public record CanonicalCall(String tool, JsonNode input, String cwd) {}
}
