package dev.tollgate.sidecar.gate.git;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.engine.model.GitRemoteDefinition;
import dev.tollgate.sidecar.core.ToolCall;
import java.util.List;
import java.util.UUID;

/** The tool calls the git gateway decides: {@code GitFetch {remote}} and {@code GitPush}. */
final class GitCalls {

  /** The door's name in the audit ({@code source}). */
  static final String SOURCE = "git";

  private static final ObjectMapper JSON = new ObjectMapper();

  private GitCalls() {}

  /** A fetch, clone or ref advertisement of {@code remote}. */
  static ToolCall fetch(String remote) {
    ObjectNode args = JSON.createObjectNode().put("remote", remote);
    return call(GitRemoteDefinition.FETCH_TOOL, args);
  }

  /** A push of {@code changes} to {@code remote}: the approval binds to exactly these. */
  static ToolCall push(String remote, List<RefChange> changes) {
    ObjectNode args = JSON.createObjectNode().put("remote", remote);
    ArrayNode updates = args.putArray("updates");
    for (RefChange change : changes) {
      updates
          .addObject()
          .put("ref", change.ref())
          .put("kind", change.kind())
          .put("oldId", change.oldId().name())
          .put("newId", change.newId().name());
    }
    return call(GitRemoteDefinition.PUSH_TOOL, args);
  }

  private static ToolCall call(String tool, ObjectNode args) {
    return new ToolCall("git-" + UUID.randomUUID(), SOURCE, "", tool, args, "/");
  }
}
