package dev.tollgate.sidecar.core;

import java.util.List;

/**
 * What the sidecar knows about the pod it guards, from the downward API: every decision is taken
 * for this pod, on behalf of this principal.
 *
 * @param name the agent pod's name; empty when unknown
 * @param namespace the agent pod's namespace; empty when unknown
 * @param principal on whose behalf the agent acts ({@code tollgate.dev/on-behalf-of}); may be empty
 * @param groups the principal's groups
 * @param agentHome the agent's home directory, for {@code ~} in paths
 */
public record PodContext(
    String name, String namespace, String principal, List<String> groups, String agentHome) {

  public PodContext {
    name = name == null ? "" : name;
    namespace = namespace == null ? "" : namespace;
    principal = principal == null ? "" : principal;
    groups = List.copyOf(groups);
  }

  /** Whether the pod can be named to the API server (approvals and events need both). */
  public boolean known() {
    return !name.isBlank() && !namespace.isBlank();
  }
}
