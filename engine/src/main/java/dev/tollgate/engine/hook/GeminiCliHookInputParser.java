package dev.tollgate.engine.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.hook.GeminiCliHookInput.CanonicalCall;
import dev.tollgate.engine.model.FieldRules;
import dev.tollgate.engine.model.McpToolName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads Gemini CLI's BeforeTool hook input (checked against {@code @google/gemini-cli} 0.61: {@code
 * session_id}, {@code transcript_path}, {@code cwd}, {@code hook_event_name}, {@code timestamp},
 * {@code tool_name}, {@code tool_input}, and for MCP tools {@code mcp_context}) and maps the call
 * onto the canonical tool names, so one ToolPolicy governs Claude Code and Gemini CLI alike.
 * Anything it cannot map safely is a {@link BadHookInputException}, which the caller answers with a
 * deny.
 */
public final class GeminiCliHookInputParser {

  /**
   * Canonical names no Gemini CLI tool may carry as its own: a tool of an extension called {@code
   * Bash} would otherwise be decided by the rules written for the shell.
   */
  private static final Set<String> CANONICAL =
      Set.of(
          "Bash",
          "Read",
          "Write",
          "Edit",
          "MultiEdit",
          "NotebookEdit",
          "Glob",
          "Grep",
          "WebFetch",
          "WebSearch",
          "Task",
          "Egress",
          "GitFetch",
          "GitPush");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GeminiCliHookInputParser() {}

  public static GeminiCliHookInput parse(JsonNode body) throws BadHookInputException {
    if (body == null || !body.isObject()) {
      throw new BadHookInputException("the hook input must be a JSON object");
    }
    String event = text(body, "hook_event_name");
    if (event == null) {
      throw new BadHookInputException("hook_event_name is required");
    }
    if (!GeminiCliHookInput.BEFORE_TOOL.equals(event)) {
      throw new BadHookInputException(
          "unsupported hook_event_name '" + event + "' (expected BeforeTool)");
    }
    String tool = text(body, "tool_name");
    if (tool == null || tool.isBlank()) {
      throw new BadHookInputException("tool_name is required");
    }
    if (tool.length() > FieldRules.MAX_TOOL_NAME_LENGTH) {
      throw new BadHookInputException(
          "tool_name is longer than " + FieldRules.MAX_TOOL_NAME_LENGTH + " characters");
    }
    JsonNode input = body.get("tool_input");
    if (input == null || input.isNull()) {
      input = NODES.objectNode();
    } else if (!input.isObject()) {
      throw new BadHookInputException("tool_input must be a JSON object");
    }
    String cwd = text(body, "cwd");
    List<CanonicalCall> calls = map(tool, input, body.get("mcp_context"), cwd);
    return new GeminiCliHookInput(event, text(body, "session_id"), cwd, tool, input, calls);
  }

  private static List<CanonicalCall> map(String tool, JsonNode in, JsonNode mcp, String cwd)
      throws BadHookInputException {
    return switch (tool) {
      case "run_shell_command" -> List.of(shell(in, cwd));
      case "read_file" -> List.of(call("Read", cwd, "file_path", required(in, tool, "file_path")));
      case "read_many_files" -> readMany(in, cwd);
      case "write_file" ->
          List.of(
              call(
                  "Write",
                  cwd,
                  "file_path",
                  required(in, tool, "file_path"),
                  "content",
                  optional(in, tool, "content")));
      case "replace", "edit" -> List.of(edit(tool, in, cwd));
      case "glob" ->
          List.of(
              call(
                  "Glob",
                  cwd,
                  "pattern",
                  required(in, tool, "pattern"),
                  "path",
                  optional(in, tool, "dir_path")));
      case "grep_search", "search_file_content", "grep" ->
          List.of(
              call(
                  "Grep",
                  cwd,
                  "pattern",
                  required(in, tool, "pattern"),
                  "path",
                  optional(in, tool, "dir_path"),
                  "glob",
                  firstOf(in, tool, "include_pattern", "include")));
      case "web_fetch" -> webFetch(in, cwd);
      case "google_web_search" ->
          List.of(call("WebSearch", cwd, "query", required(in, tool, "query")));
      default -> List.of(other(tool, in, mcp, cwd));
    };
  }

  /** The shell: {@code dir_path} is where the command runs, so it is the call's cwd. */
  private static CanonicalCall shell(JsonNode in, String cwd) throws BadHookInputException {
    ObjectNode args = NODES.objectNode();
    args.put("command", required(in, "run_shell_command", "command"));
    String description = optional(in, "run_shell_command", "description");
    if (description != null) {
      args.put("description", description);
    }
    if (in.path("is_background").asBoolean(false)) {
      args.put("run_in_background", true);
    }
    String dir = optional(in, "run_shell_command", "dir_path");
    return new CanonicalCall("Bash", args, dir == null ? cwd : resolve(cwd, dir));
  }

  /** Every path or glob of {@code include} (older releases: {@code paths}) is one Read. */
  private static List<CanonicalCall> readMany(JsonNode in, String cwd)
      throws BadHookInputException {
    JsonNode include = in.has("include") ? in.get("include") : in.get("paths");
    if (include == null || !include.isArray() || include.isEmpty()) {
      throw new BadHookInputException("read_many_files needs a non-empty include array");
    }
    List<CanonicalCall> calls = new ArrayList<>();
    for (JsonNode path : include) {
      if (!path.isTextual() || path.asText().isBlank()) {
        throw new BadHookInputException("read_many_files: every include entry must be a path");
      }
      calls.add(call("Read", cwd, "file_path", path.asText()));
    }
    return calls;
  }

  private static CanonicalCall edit(String tool, JsonNode in, String cwd)
      throws BadHookInputException {
    ObjectNode args = NODES.objectNode();
    args.put("file_path", required(in, tool, "file_path"));
    putIfPresent(args, "old_string", optional(in, tool, "old_string"));
    putIfPresent(args, "new_string", optional(in, tool, "new_string"));
    if (in.path("allow_multiple").asBoolean(false)) {
      args.put("replace_all", true);
    }
    return new CanonicalCall("Edit", args, cwd);
  }

  /**
   * Gemini CLI fetches every http(s) URL in the prompt (it splits the prompt at whitespace and
   * keeps the tokens containing {@code ://}, as its own parsePrompt does): each is one WebFetch. A
   * prompt without one still gets a decision, as a WebFetch without a URL.
   */
  private static List<CanonicalCall> webFetch(JsonNode in, String cwd)
      throws BadHookInputException {
    String prompt = required(in, "web_fetch", "prompt");
    List<CanonicalCall> calls = new ArrayList<>();
    for (String token : prompt.split("\\s+")) {
      if (token.contains("://")) {
        calls.add(call("WebFetch", cwd, "url", token, "prompt", prompt));
      }
    }
    if (calls.isEmpty()) {
      calls.add(call("WebFetch", cwd, "prompt", prompt));
    }
    return calls;
  }

  /**
   * MCP tools by the server and tool Gemini CLI names in {@code mcp_context} (its {@code tool_name}
   * joins them with a single {@code _}, which cannot be split back); any other tool as is.
   */
  private static CanonicalCall other(String tool, JsonNode in, JsonNode mcp, String cwd)
      throws BadHookInputException {
    if (mcp != null && !mcp.isNull()) {
      if (!mcp.isObject()) {
        throw new BadHookInputException("mcp_context must be a JSON object");
      }
      String server = optional(mcp, "mcp_context", "server_name");
      String upstream = optional(mcp, "mcp_context", "tool_name");
      if (server == null || server.isBlank() || upstream == null || upstream.isBlank()) {
        throw new BadHookInputException("mcp_context needs server_name and tool_name");
      }
      return new CanonicalCall(McpToolName.agentSide(server, upstream), in, cwd);
    }
    if (tool.startsWith("mcp_")) {
      throw new BadHookInputException(
          "MCP tool '" + tool + "' without mcp_context: its server cannot be told");
    }
    if (CANONICAL.contains(tool)) {
      throw new BadHookInputException(
          "a Gemini CLI tool may not carry the canonical name '" + tool + "'");
    }
    return new CanonicalCall(tool, in, cwd);
  }

  private static CanonicalCall call(String tool, String cwd, String... keyValues) {
    ObjectNode args = NODES.objectNode();
    for (int i = 0; i < keyValues.length; i += 2) {
      putIfPresent(args, keyValues[i], keyValues[i + 1]);
    }
    return new CanonicalCall(tool, args, cwd);
  }

  private static void putIfPresent(ObjectNode args, String key, String value) {
    if (value != null) {
      args.put(key, value);
    }
  }

  private static String resolve(String cwd, String dir) {
    if (dir.startsWith("/") || cwd == null) {
      return dir;
    }
    return cwd.endsWith("/") ? cwd + dir : cwd + "/" + dir;
  }

  private static String required(JsonNode in, String tool, String field)
      throws BadHookInputException {
    String value = optional(in, tool, field);
    if (value == null || value.isEmpty()) {
      throw new BadHookInputException(tool + " needs " + field);
    }
    return value;
  }

  private static String firstOf(JsonNode in, String tool, String first, String second)
      throws BadHookInputException {
    String value = optional(in, tool, first);
    return value != null ? value : optional(in, tool, second);
  }

  /** A string field, null when absent; any other type is refused rather than stringified. */
  private static String optional(JsonNode in, String tool, String field)
      throws BadHookInputException {
    JsonNode value = in.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadHookInputException(tool + ": " + field + " must be a string");
    }
    return value.asText();
  }

  private static String text(JsonNode body, String field) throws BadHookInputException {
    return optional(body, "the hook input", field);
  }
}
