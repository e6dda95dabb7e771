package dev.tollgate.benchmarks.webhook;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.webhook.injection.ClusterState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;

/**
 * The pod-injection fixture of the webhook tests, copied here so that the benchmark does not
 * depend on test classes: the cluster objects of {@code webhook/src/test/resources/injection/cluster.yaml}
 * and the pod CREATE review of {@code pod-create-review.json}, with the uid made a parameter.
 */
final class WebhookFixture {

  /** What the webhook's informers would hold: the identity (with the operator's status) and its scopes. */
  static final String CLUSTER_YAML = """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: repo-coder, namespace: agents}
      spec:
        selector: {matchLabels: {app.kubernetes.io/name: repo-coder}}
        serviceAccountName: repo-coder
        toolScopes: [{name: builtins}, {name: github-readonly}]
        delegation: {required: true, allowedPrincipals: ["group:developers", "user:alice"]}
        approval: {timeoutSeconds: 300, defaultApprovers: ["group:release-managers"]}
      status:
        bundle: {configMap: tollgate-bundle-repo-coder, revision: cc6efdd47e8f8772}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: builtins, namespace: agents}
      spec: {tools: [Read, Edit, Bash]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: github-readonly, namespace: agents}
      spec:
        mcpServers:
          - name: github
            url: https://api.githubcopilot.com/mcp/
            tools: ["get_*"]
            credentialsSecretRef: {name: github-mcp-token, key: token}
      """;

  /** The uid of the original fixture; {@link #review(String)} replaces it. */
  static final String FIXTURE_UID = "705ab4f5-6393-11e8-b7cc-42010a800002";

  static final String REVIEW_JSON = """
      {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
          "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
          "kind": {"group": "", "version": "v1", "kind": "Pod"},
          "resource": {"group": "", "version": "v1", "resource": "pods"},
          "namespace": "agents",
          "operation": "CREATE",
          "userInfo": {"username": "bob", "uid": "u-42", "groups": ["developers", "system:authenticated"]},
          "object": {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
              "generateName": "repo-coder-",
              "namespace": "agents",
              "labels": {"app.kubernetes.io/name": "repo-coder"},
              "annotations": {"tollgate.dev/requested-by": "someone-else-forged-this"}
            },
            "spec": {
              "serviceAccountName": "repo-coder",
              "containers": [
                {
                  "name": "claude",
                  "image": "registry.example/claude-code:2.1.197",
                  "args": ["-p", "fix the failing test"],
                  "env": [{"name": "TOLLGATE_URL", "value": "http://evil.example:80"}],
                  "volumeMounts": [{"name": "workspace", "mountPath": "/workspace"}]
                }
              ],
              "volumes": [{"name": "workspace", "emptyDir": {}}]
            }
          },
          "dryRun": false
        }
      }
      """;

  private static final String BEFORE_UID = REVIEW_JSON.substring(0, REVIEW_JSON.indexOf(FIXTURE_UID));
  private static final String AFTER_UID = REVIEW_JSON.substring(REVIEW_JSON.indexOf(FIXTURE_UID) + FIXTURE_UID.length());

  private WebhookFixture() {}

  /** The pod CREATE review with another uid (the API server sends a new one per request). */
  static String review(String uid) {
    return BEFORE_UID + uid + AFTER_UID;
  }

  /** The cluster as the informers would hold it, read from {@link #CLUSTER_YAML} once. */
  @SuppressWarnings("unchecked")
  static ClusterState clusterState() {
    Object loaded = Serialization.unmarshal(CLUSTER_YAML);
    List<HasMetadata> objects = loaded instanceof List<?> list ? (List<HasMetadata>) list : List.of((HasMetadata) loaded);
    List<AgentIdentity> identities = objects.stream().filter(AgentIdentity.class::isInstance).map(AgentIdentity.class::cast).toList();
    List<ToolScope> scopes = objects.stream().filter(ToolScope.class::isInstance).map(ToolScope.class::cast).toList();
    if (identities.size() != 1 || scopes.size() != 2) {
      throw new IllegalStateException("fixture YAML did not load as 1 AgentIdentity and 2 ToolScopes: " + objects);
    }
    return new ClusterState() {
      @Override
      public List<AgentIdentity> identities(String namespace) {
        return identities.stream().filter(i -> namespace.equals(i.getMetadata().getNamespace())).toList();
      }

      @Override
      public Optional<ToolScope> scope(String namespace, String name) {
        return scopes.stream()
            .filter(s -> namespace.equals(s.getMetadata().getNamespace()) && name.equals(s.getMetadata().getName()))
            .findFirst();
      }
    };
  }
}
