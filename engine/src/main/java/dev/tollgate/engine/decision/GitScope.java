package dev.tollgate.engine.decision;

import dev.tollgate.engine.bundle.Bundle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scope of tools {@code GitFetch} and {@code GitPush}: the git remotes the identity's
 * ToolScopes name. A call naming any other remote is out of scope; no remote at all means no git
 * gateway.
 */
final class GitScope {

  private final Map<String, String> urls = new HashMap<>();

  GitScope(List<Bundle.GitRemote> remotes) {
    remotes.forEach(remote -> urls.put(remote.name(), remote.url()));
  }

  /** The upstream URL of the remote named in the derived resource, empty when out of scope. */
  Optional<String> url(Map<String, Object> resource) {
    return Optional.ofNullable(urls.get((String) resource.get("remote")));
  }
}
