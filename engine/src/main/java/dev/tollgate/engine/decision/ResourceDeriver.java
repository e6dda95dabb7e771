package dev.tollgate.engine.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.model.EgressDefinition;
import dev.tollgate.engine.model.GitRemoteDefinition;
import dev.tollgate.engine.model.McpToolName;
import dev.tollgate.engine.path.FilePath;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Derives the {@code resource} a tool call touches from its name and input (docs/design.md §3): the
 * thing most policies are really about.
 */
public final class ResourceDeriver {

  private static final Set<String> FILE_TOOLS =
      Set.of("Read", "Edit", "MultiEdit", "Write", "NotebookEdit");
  private static final Set<String> SEARCH_TOOLS = Set.of("Grep", "Glob");

  private ResourceDeriver() {}

  /**
   * @param cwd the agent's working directory ("/" when unknown)
   * @param home the agent's home directory, for paths starting with {@code ~}
   */
  public static Map<String, Object> derive(String tool, JsonNode args, String cwd, String home) {
    return derive(tool, args, cwd, home, null);
  }

  /**
   * As {@link #derive(String, JsonNode, String, String)}; an MCP tool's resource also carries
   * {@code annotations}: the scalar (string, boolean, number) members of {@code annotations}, an
   * empty map when they are unknown, so {@code has(resource.annotations.readOnlyHint)} always
   * evaluates. They are the upstream server's hints, not facts: trust them no more than the server.
   * A resource read ({@code mcp__S__resource}) also carries its URI's parts (see {@link
   * ResourceUri}).
   */
  public static Map<String, Object> derive(
      String tool, JsonNode args, String cwd, String home, JsonNode annotations) {
    try {
      return deriveReadable(tool, args, cwd, home, annotations);
    } catch (InvalidToolInputException e) {
      // Callers that only describe a call (audit of an attempt) get a resource that says why;
      // the engine turns it into a BadRequest deny.
      return Map.of("type", INVALID, "problem", e.getMessage());
    }
  }

  /** The {@code type} of a resource derived from an input the tool would read otherwise. */
  static final String INVALID = "invalid";

  private static Map<String, Object> deriveReadable(
      String tool, JsonNode args, String cwd, String home, JsonNode annotations) {
    Map<String, Object> resource = new LinkedHashMap<>();
    if (FILE_TOOLS.contains(tool)) {
      String raw = text(args, "file_path");
      if (raw.isEmpty()) {
        raw = text(args, "notebook_path");
      }
      String path = raw.isEmpty() ? "" : FilePath.resolve(raw, cwd, home);
      resource.put("type", "file");
      resource.put("path", path);
      resource.put("paths", path.isEmpty() ? List.of() : List.of(path));
    } else if (SEARCH_TOOLS.contains(tool)) {
      resource.putAll(SearchReach.of(tool, args, cwd, home));
    } else if (tool.equals("Bash")) {
      resource.putAll(CommandResource.of(text(args, "command"), cwd, home));
    } else if (tool.equals("WebFetch")) {
      resource.putAll(UrlParts.parse(text(args, "url")));
    } else if (tool.equals(EgressDefinition.TOOL)) {
      resource.putAll(EgressResource.of(args));
    } else if (GitRemoteDefinition.isGitTool(tool)) {
      resource.putAll(GitResource.of(tool, args));
    } else if (McpToolName.parse(tool).isPresent()) {
      McpToolName mcp = McpToolName.parse(tool).get();
      resource.put("type", "mcp");
      resource.put("server", mcp.server());
      resource.put("tool", mcp.tool());
      resource.put("annotations", annotations(annotations));
      if (mcp.isResource()) {
        resource.putAll(ResourceUri.parse(text(args, "uri")));
      }
    } else {
      resource.put("type", "other");
    }
    return resource;
  }

  private static Map<String, Object> annotations(JsonNode annotations) {
    if (annotations == null || !annotations.isObject() || annotations.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> values = new LinkedHashMap<>();
    annotations
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode value = field.getValue();
              if (value.isTextual() || value.isBoolean() || value.isNumber()) {
                values.put(field.getKey(), CelValues.of(value));
              }
            });
    return Collections.unmodifiableMap(values);
  }

  /**
   * A string argument, empty when absent. Any other JSON type is refused: the tool would read a
   * path or command the resource cannot show, so the request is bad rather than decided on "".
   */
  static String text(JsonNode args, String field) {
    JsonNode value = args == null ? null : args.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw new InvalidToolInputException(
          "tool_input."
              + field
              + " must be a string, not "
              + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return value.asText();
  }
}
