package dev.tollgate.engine.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.engine.model.GitRemoteDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The resource of a call through the git gateway. {@code GitFetch} (a fetch or clone): {@code
 * {type: "git", remote, url}}; {@code GitPush}: the same plus {@code updates}, one {@code {ref,
 * kind, oldId, newId}} per ref the push moves. The input is {@code {remote}} and, for a push,
 * {@code updates} as the gateway computed them against the upstream's history: {@code kind} is
 * {@code create}, {@code fastForward}, {@code force} or {@code delete}, never what the command line
 * said.
 *
 * <p>{@code url} is the bundle's upstream URL of the remote, filled in by the engine once the
 * remote is found in scope ({@link #withUrl}); an input {@code url} is not trusted. An input that
 * does not say exactly what moves (an unknown kind, an id that is no object id, a create whose old
 * id is not zero) makes the request bad: deciding on a guess would let a force push pass as
 * anything.
 */
final class GitResource {

  /** Kinds of ref update, as the gateway reports them and rules compare them. */
  static final Set<String> KINDS = Set.of("create", "fastForward", "force", "delete");

  /** At most this many ref updates per push; a push that moves more is refused as bad. */
  static final int MAX_UPDATES = 4096;

  private static final int MAX_REF_LENGTH = 1024;

  // SHA-1 (40) or SHA-256 (64) object ids, lower-case as git prints them.
  private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  // git check-ref-format's refusals: control characters, space, ~ ^ : ? * [ \, "..", "@{", "//",
  // a component starting with '.', an ending in '/', '.' or ".lock".
  private static final Pattern BAD_REF =
      Pattern.compile("[\\x00-\\x20\\x7f~^:?*\\[\\\\]|\\.\\.|@\\{|//|/\\.|\\.lock(/|$)|[/.]$");

  private GitResource() {}

  static Map<String, Object> of(String tool, JsonNode args) {
    String remote = ResourceDeriver.text(args, "remote").strip();
    if (remote.isEmpty()) {
      throw new InvalidToolInputException("tool_input.remote is required for " + tool);
    }
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("type", "git");
    resource.put("remote", remote);
    resource.put("url", "");
    if (tool.equals(GitRemoteDefinition.PUSH_TOOL)) {
      resource.put("updates", updates(args == null ? null : args.get("updates")));
    }
    return resource;
  }

  /** The resource with the remote's upstream URL from the bundle. */
  static Map<String, Object> withUrl(Map<String, Object> resource, String url) {
    Map<String, Object> copy = new LinkedHashMap<>(resource);
    copy.put("url", url);
    return copy;
  }

  private static List<Object> updates(JsonNode list) {
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new InvalidToolInputException(
          "tool_input.updates must be a non-empty list of {ref, kind, oldId, newId} for GitPush");
    }
    if (list.size() > MAX_UPDATES) {
      throw new InvalidToolInputException(
          "tool_input.updates lists " + list.size() + " ref updates, more than " + MAX_UPDATES);
    }
    List<Object> updates = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      updates.add(update(list.get(i), "tool_input.updates[" + i + "]"));
    }
    return Collections.unmodifiableList(updates);
  }

  private static Map<String, Object> update(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new InvalidToolInputException(path + " must be an object {ref, kind, oldId, newId}");
    }
    String ref = ResourceDeriver.text(node, "ref");
    if (!ref.startsWith("refs/") || ref.length() > MAX_REF_LENGTH || BAD_REF.matcher(ref).find()) {
      throw new InvalidToolInputException(path + ".ref '" + ref + "' is not a full ref name");
    }
    String kind = ResourceDeriver.text(node, "kind");
    if (!KINDS.contains(kind)) {
      throw new InvalidToolInputException(
          path + ".kind must be create, fastForward, force or delete, got '" + kind + "'");
    }
    String oldId = objectId(node, path, "oldId");
    String newId = objectId(node, path, "newId");
    if (oldId.length() != newId.length()) {
      throw new InvalidToolInputException(path + ": oldId and newId are of different hashes");
    }
    // The zero id is git's "no object": what a create moves from and a delete moves to. Any other
    // pairing would make the kind a claim the ids contradict.
    boolean oldZero = isZero(oldId);
    boolean newZero = isZero(newId);
    boolean consistent =
        switch (kind) {
          case "create" -> oldZero && !newZero;
          case "delete" -> !oldZero && newZero;
          default -> !oldZero && !newZero;
        };
    if (!consistent) {
      throw new InvalidToolInputException(
          path + ": kind " + kind + " does not match oldId " + oldId + " and newId " + newId);
    }
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("ref", ref);
    update.put("kind", kind);
    update.put("oldId", oldId);
    update.put("newId", newId);
    return Collections.unmodifiableMap(update);
  }

  private static String objectId(JsonNode node, String path, String field) {
    String id = ResourceDeriver.text(node, field);
    if (!OBJECT_ID.matcher(id).matches()) {
      throw new InvalidToolInputException(
          path
              + "."
              + field
              + " must be a 40 or 64 digit lower-case hex object id, got '"
              + id
              + "'");
    }
    return id;
  }

  private static boolean isZero(String id) {
    return id.chars().allMatch(c -> c == '0');
  }
}
