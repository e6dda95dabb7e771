package dev.tollgate.webhook.injection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.GitRemote;
import dev.tollgate.api.v1alpha1.McpServer;
import dev.tollgate.api.v1alpha1.SecretKeyRef;
import dev.tollgate.api.v1alpha1.ToolScopeRef;
import dev.tollgate.webhook.admission.AdmissionController;
import dev.tollgate.webhook.admission.AdmissionResponses;
import dev.tollgate.webhook.delegation.DelegationCheck;
import dev.tollgate.webhook.delegation.DelegationResult;
import dev.tollgate.webhook.delegation.Owner;
import dev.tollgate.webhook.delegation.Principal;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code CREATE pods}: a pod that an AgentIdentity selects gets its decision point, or is refused
 * with the reason when it could slip past it (another service account, host networking, a shared
 * process namespace, a principal the identity may not act for).
 */
public final class PodInjectionController implements AdmissionController {

  private final ClusterState cluster;
  private final SidecarInjection injection;
  private final DelegationCheck delegation;
  private final Set<String> excludedNamespaces;

  /**
   * @param excludedNamespaces never intercepted ({@code kube-system} and Tollgate's own namespace)
   */
  public PodInjectionController(
      ClusterState cluster,
      SidecarInjection injection,
      DelegationCheck delegation,
      Set<String> excludedNamespaces) {
    this.cluster = cluster;
    this.injection = injection;
    this.delegation = delegation;
    this.excludedNamespaces = Set.copyOf(excludedNamespaces);
  }

  @Override
  public AdmissionResponse admit(AdmissionRequest request) {
    if (!"Pod".equals(request.getKind() == null ? null : request.getKind().getKind())
        || !"CREATE".equals(request.getOperation())
        || !(request.getObject() instanceof Pod pod)) {
      return AdmissionResponses.allow(request);
    }
    String namespace = request.getNamespace();
    if (namespace == null || excludedNamespaces.contains(namespace)) {
      return AdmissionResponses.allow(request);
    }
    Map<String, String> labels =
        pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    List<AgentIdentity> selecting =
        cluster.identities(namespace).stream()
            .filter(identity -> IdentitySelector.selects(identity, labels))
            .toList();
    if (selecting.isEmpty()) {
      return AdmissionResponses.allow(request);
    }
    if (selecting.size() > 1) {
      return AdmissionResponses.deny(
          request,
          403,
          "pod is selected by several AgentIdentities ("
              + String.join(
                  ", ", selecting.stream().map(i -> i.getMetadata().getName()).sorted().toList())
              + "); exactly one may select an agent pod");
    }
    AgentIdentity identity = selecting.get(0);
    String name = namespace + "/" + identity.getMetadata().getName();
    Optional<String> refusal = refusal(pod, identity, name);
    if (refusal.isPresent()) {
      return AdmissionResponses.deny(request, 403, refusal.get());
    }
    refusal = injection.refusal(identity);
    if (refusal.isPresent()) {
      return AdmissionResponses.deny(request, 403, refusal.get());
    }
    refusal = injection.refusal(pod);
    if (refusal.isPresent()) {
      return AdmissionResponses.deny(
          request, 403, "AgentIdentity " + name + " selects this pod, and its " + refusal.get());
    }
    DelegationResult proven;
    try {
      proven =
          delegation.forPod(
              namespace,
              pod.getMetadata().getAnnotations(),
              labels,
              controller(pod),
              request.getUserInfo());
    } catch (RuntimeException e) {
      return AdmissionResponses.deny(
          request, 403, "the delegation of this pod could not be checked: " + e.getMessage());
    }
    if (!proven.accepted()) {
      return AdmissionResponses.deny(request, 403, proven.refusal());
    }
    Principal principal = proven.principal().orElseThrow();
    Optional<String> delegationRefusal = principal.refusalFor(identity);
    if (delegationRefusal.isPresent()) {
      return AdmissionResponses.deny(request, 403, delegationRefusal.get());
    }
    String requestedBy =
        request.getUserInfo() == null || request.getUserInfo().getUsername() == null
            ? ""
            : request.getUserInfo().getUsername();
    String principalProof =
        principal.isNobody()
            ? ""
            : delegation
                .stamp(namespace, "AgentIdentity", identity.getMetadata().getName(), principal)
                .text();
    Pod injected =
        injection.inject(
            pod,
            identity,
            credentials(identity, namespace),
            mcpServers(identity, namespace),
            gitRemotes(identity, namespace),
            principal,
            principalProof,
            requestedBy);
    JsonNode before = Serialization.jsonMapper().valueToTree(pod);
    JsonNode after = Serialization.jsonMapper().valueToTree(injected);
    List<String> warnings = injection.warnings(identity);
    return warnings.isEmpty()
        ? AdmissionResponses.patch(request, JsonDiff.asJson(before, after))
        : AdmissionResponses.patch(request, JsonDiff.asJson(before, after), warnings);
  }

  /** The pod's controlling owner: only a controller's pods can carry a workload's proof. */
  private static Optional<Owner> controller(Pod pod) {
    return pod.getMetadata().getOwnerReferences() == null
        ? Optional.empty()
        : pod.getMetadata().getOwnerReferences().stream()
            .filter(ref -> Boolean.TRUE.equals(ref.getController()))
            .findFirst()
            .map(ref -> new Owner(ref.getKind(), ref.getName()));
  }

  private static Optional<String> refusal(Pod pod, AgentIdentity identity, String name) {
    String required = identity.getSpec().getServiceAccountName();
    String actual =
        pod.getSpec().getServiceAccountName() == null
                || pod.getSpec().getServiceAccountName().isEmpty()
            ? "default"
            : pod.getSpec().getServiceAccountName();
    if (!actual.equals(required)) {
      return Optional.of(
          "pod runs under service account "
              + actual
              + ", but AgentIdentity "
              + name
              + " selects it and requires service account "
              + required);
    }
    if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
      return Optional.of(
          "AgentIdentity "
              + name
              + " selects this pod, and agent pods may not use hostNetwork: "
              + "the decision point listens on the pod's loopback, which host networking shares with the node");
    }
    if (Boolean.TRUE.equals(pod.getSpec().getShareProcessNamespace())) {
      return Optional.of(
          "AgentIdentity "
              + name
              + " selects this pod, and agent pods may not share their process namespace: "
              + "the agent could read the decision point's credentials through /proc");
    }
    return Optional.empty();
  }

  /**
   * The names of the MCP servers of the identity's scopes, each once, in scope order: the only
   * servers the agent is given (at the sidecar's gateway). A scope that does not exist contributes
   * none.
   */
  private List<String> mcpServers(AgentIdentity identity, String namespace) {
    Set<String> names = new LinkedHashSet<>();
    for (McpServer server : servers(identity, namespace)) {
      names.add(server.getName());
    }
    return List.copyOf(names);
  }

  /** MCP credentials of the identity's scopes; a scope that does not exist contributes none. */
  private List<SidecarInjection.McpCredential> credentials(
      AgentIdentity identity, String namespace) {
    List<SidecarInjection.McpCredential> credentials = new ArrayList<>();
    for (McpServer server : servers(identity, namespace)) {
      if (server.getCredentialsSecretRef() != null
          && credentials.stream().noneMatch(c -> c.server().equals(server.getName()))) {
        credentials.add(
            new SidecarInjection.McpCredential(
                server.getName(),
                server.getCredentialsSecretRef().getName(),
                server.getCredentialsSecretRef().getKey()));
      }
    }
    return credentials;
  }

  /**
   * The git remotes of the identity's scopes, each name once, the first definition winning (the
   * operator refuses a bundle whose scopes define one name differently).
   */
  private List<GitInjection.Remote> gitRemotes(AgentIdentity identity, String namespace) {
    Map<String, GitInjection.Remote> remotes = new LinkedHashMap<>();
    for (ToolScopeRef ref : scopeRefs(identity)) {
      cluster
          .scope(namespace, ref.getName())
          .filter(scope -> scope.getSpec() != null && scope.getSpec().getGitRemotes() != null)
          .ifPresent(
              scope -> {
                for (GitRemote remote : scope.getSpec().getGitRemotes()) {
                  SecretKeyRef secret = remote.getCredentialsSecretRef();
                  remotes.putIfAbsent(
                      remote.getName(),
                      new GitInjection.Remote(
                          remote.getName(),
                          remote.getUrl(),
                          secret == null ? null : secret.getName(),
                          secret == null ? null : secret.getKey()));
                }
              });
    }
    return List.copyOf(remotes.values());
  }

  private static List<ToolScopeRef> scopeRefs(AgentIdentity identity) {
    return identity.getSpec().getToolScopes() == null
        ? List.of()
        : identity.getSpec().getToolScopes();
  }

  /** The MCP servers of the identity's scopes, in scope order, repeats included. */
  private List<McpServer> servers(AgentIdentity identity, String namespace) {
    List<McpServer> servers = new ArrayList<>();
    for (ToolScopeRef ref : scopeRefs(identity)) {
      cluster
          .scope(namespace, ref.getName())
          .filter(scope -> scope.getSpec() != null && scope.getSpec().getMcpServers() != null)
          .ifPresent(scope -> servers.addAll(scope.getSpec().getMcpServers()));
    }
    return servers;
  }
}
