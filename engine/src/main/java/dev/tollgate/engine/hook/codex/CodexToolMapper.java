package dev.tollgate.engine.hook.codex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.hook.BadHookInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Codex's tools onto the canonical names. Codex 0.169 already names its shell tool {@code Bash} in
 * hook inputs (with the command as one string); the other names are those of its function tools,
 * which older and newer releases hand to hooks as they are. A tool this does not know keeps its
 * name, so the identity's ToolScopes decide it (and a tool in no scope is denied).
 */
final class CodexToolMapper {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The names Codex's shell tools have had: all of them run a command. */
  private static final Set<String> SHELL_TOOLS =
      Set.of("Bash", "shell", "shell_command", "exec_command", "local_shell", "container.exec");

  private CodexToolMapper() {}

  static List<CanonicalCall> map(String tool, JsonNode input) throws BadHookInputException {
    if (SHELL_TOOLS.contains(tool)) {
      return shell(tool, input);
    }
    return switch (tool) {
      case "apply_patch" -> patch(patchText(input));
      case "view_image", "read_file" -> List.of(file("Read", tool, input, "path", "file_path"));
      case "list_dir" -> List.of(glob(input));
      case "grep_files" -> List.of(grep(input));
      case "web_search" -> List.of(new CanonicalCall("WebSearch", input.deepCopy()));
      // mcp__<server>__<tool> already, and everything else as-is.
      default -> List.of(new CanonicalCall(tool, input.deepCopy()));
    };
  }

  private static List<CanonicalCall> shell(String tool, JsonNode input)
      throws BadHookInputException {
    JsonNode command = input.has("command") ? input.get("command") : input.get("cmd");
    if (command != null && command.isArray()) {
      List<String> argv = new ArrayList<>();
      for (JsonNode word : command) {
        if (!word.isTextual()) {
          throw new BadHookInputException(
              tool + ": every word of the command argv must be a string");
        }
        argv.add(word.asText());
      }
      if (argv.isEmpty()) {
        throw new BadHookInputException(tool + ": the command argv is empty");
      }
      Optional<ApplyPatch.Invocation> patch = ApplyPatch.inArgv(argv);
      return patch.isPresent() ? patch(patch.get()) : List.of(bash(ArgvCommand.toCommand(argv)));
    }
    if (command == null || !command.isTextual() || command.asText().isBlank()) {
      throw new BadHookInputException(
          tool + ": tool_input.command must be a non-empty string or argv");
    }
    Optional<ApplyPatch.Invocation> patch = ApplyPatch.inCommand(command.asText());
    return patch.isPresent() ? patch(patch.get()) : List.of(bash(command.asText()));
  }

  private static CanonicalCall bash(String command) {
    ObjectNode args = NODES.objectNode();
    args.put("command", command);
    return new CanonicalCall("Bash", args);
  }

  private static ApplyPatch.Invocation patchText(JsonNode input) throws BadHookInputException {
    for (String field : List.of("command", "input", "patch")) {
      JsonNode value = input.get(field);
      if (value != null && value.isTextual()) {
        Optional<ApplyPatch.Invocation> heredoc = ApplyPatch.inCommand(value.asText());
        return heredoc.orElse(new ApplyPatch.Invocation(null, value.asText()));
      }
    }
    throw new BadHookInputException("apply_patch: tool_input carries no patch text");
  }

  /**
   * One call per file: Write for an added file (and a move's destination), Edit for an update,
   * Write of nothing for a delete. The patch runs only if every one of them is allowed.
   */
  private static List<CanonicalCall> patch(ApplyPatch.Invocation invocation)
      throws BadHookInputException {
    List<CanonicalCall> calls = new ArrayList<>();
    for (PatchChange change : ApplyPatch.changes(invocation.patch())) {
      String path = under(invocation.directory(), change.path());
      switch (change.kind()) {
        case ADD -> calls.add(write(path, change.added(), false));
        case DELETE -> calls.add(write(path, "", true));
        case UPDATE -> {
          ObjectNode edit = NODES.objectNode();
          edit.put("file_path", path);
          edit.put("old_string", change.removed());
          edit.put("new_string", change.added());
          calls.add(new CanonicalCall("Edit", edit));
          if (change.moveTo() != null) {
            calls.add(write(under(invocation.directory(), change.moveTo()), change.added(), false));
          }
        }
      }
    }
    return calls;
  }

  private static CanonicalCall write(String path, String content, boolean delete) {
    ObjectNode write = NODES.objectNode();
    write.put("file_path", path);
    write.put("content", content);
    if (delete) {
      write.put("delete", true);
    }
    return new CanonicalCall("Write", write);
  }

  /** A patch path under the directory a {@code cd DIR &&} prefix named (absolute paths stay). */
  private static String under(String directory, String path) {
    if (directory == null || path.startsWith("/")) {
      return path;
    }
    return directory.endsWith("/") ? directory + path : directory + "/" + path;
  }

  private static CanonicalCall file(String canonical, String tool, JsonNode input, String... fields)
      throws BadHookInputException {
    for (String field : fields) {
      JsonNode value = input.get(field);
      if (value != null && value.isTextual() && !value.asText().isEmpty()) {
        ObjectNode args = input.deepCopy();
        args.put("file_path", value.asText());
        return new CanonicalCall(canonical, args);
      }
    }
    throw new BadHookInputException(
        tool + ": tool_input names no file (" + String.join(", ", fields) + ")");
  }

  private static CanonicalCall glob(JsonNode input) {
    ObjectNode args = NODES.objectNode();
    JsonNode dir = input.has("dir_path") ? input.get("dir_path") : input.get("path");
    if (dir != null && dir.isTextual()) {
      args.put("path", dir.asText());
    }
    args.put("pattern", "*");
    return new CanonicalCall("Glob", args);
  }

  private static CanonicalCall grep(JsonNode input) {
    ObjectNode args = input.deepCopy();
    return new CanonicalCall("Grep", args);
  }
}
