package dev.tollgate.engine.model;

import dev.tollgate.engine.source.ObjectRef;
import java.util.List;
import java.util.Map;

/** An AgentIdentity's spec, typed and checked. */
public record IdentityDefinition(
    ObjectRef ref,
    Map<String, String> labels,
    LabelSelector selector,
    String serviceAccountName,
    Map<String, String> attributes,
    List<String> toolScopes,
    List<String> allowedPrincipals,
    boolean delegationRequired,
    Mode mode,
    int approvalTimeoutSeconds,
    List<String> defaultApprovers,
    AgentRuntime runtime) {

  public static final int DEFAULT_APPROVAL_TIMEOUT_SECONDS = 300;

  public IdentityDefinition {
    labels = Map.copyOf(labels);
    attributes = Map.copyOf(attributes);
    toolScopes = List.copyOf(toolScopes);
    allowedPrincipals = List.copyOf(allowedPrincipals);
    defaultApprovers = List.copyOf(defaultApprovers);
  }
}
