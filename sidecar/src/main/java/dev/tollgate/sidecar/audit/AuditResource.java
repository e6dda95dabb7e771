package dev.tollgate.sidecar.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource as an audit record keeps it. For a shell command: the command as given, the programs
 * it runs, whether it is opaque and why, and which programs get inline code; the full parse (every
 * command's arguments, paths, redirects) stays out of the record. It can be had again from the
 * command with {@code tollgate eval}, and redacting and writing it for every call cost a third of
 * the sidecar's throughput. Approvals show the full parse ({@code summary}).
 */
final class AuditResource {

  private static final Set<String> COMMAND_KEYS =
      Set.of("type", "command", "program", "programs", "opaque", "opaqueReasons");

  private AuditResource() {}

  static boolean isCommand(String tool) {
    return "Bash".equals(tool);
  }

  /** A shell call before it is decided: its command line as given. */
  static Map<String, Object> commandAsGiven(JsonNode args) {
    JsonNode command = args.get("command");
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("type", "command");
    resource.put("command", command != null && command.isTextual() ? command.asText() : "");
    return resource;
  }

  /** The audit's view of a derived resource. */
  static Map<String, Object> compact(Map<String, Object> resource) {
    if (!"command".equals(resource.get("type"))) {
      return resource;
    }
    Map<String, Object> compact = new LinkedHashMap<>();
    resource.forEach(
        (key, value) -> {
          if (COMMAND_KEYS.contains(key)) {
            compact.put(key, value);
          }
        });
    List<Object> inline = new ArrayList<>();
    if (resource.get("inlineCode") instanceof List<?> codes) {
      for (Object code : codes) {
        if (code instanceof Map<?, ?> map) {
          inline.add(map.get("program") + " (" + map.get("from") + ")");
        }
      }
    }
    compact.put("inlineCode", inline);
    return compact;
  }
}
