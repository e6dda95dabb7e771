package dev.tollgate.sidecar.authz;

import java.util.List;

/**
 * What the sidecar knows about the pod it guards, from the downward API: every decision is taken
 * for this pod, on behalf of this principal.
 */
public record PodContext(String pod, String namespace, String principal, List<String> groups, String agentHome) {

  public PodContext {
    pod = pod == null ? "" : pod;
    namespace = namespace == null ? "" : namespace;
    principal = principal == null ? "" : principal;
    groups = List.copyOf(groups);
  }
}
