package dev.tollgate.clustertests;

/**
 * A ToolPolicy for repo-coder that denies exactly {@code echo WORD}: applied with a new word, the
 * first decision that denies that word shows the change reached the sidecar.
 */
final class ProbePolicy {

  static final String NAME = "propagation-probe";

  private ProbePolicy() {}

  static String yaml(String word) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: ToolPolicy
        metadata: {name: %s, namespace: %s}
        spec:
          agents: {names: [%s]}
          rules:
            - name: probe
              tools: [Bash]
              when: resource.commands.exists(c, c.name == 'echo' && c.args.exists(a, a == '%s'))
              effect: Deny
              message: probe %s
        """
        .formatted(NAME, AgentDeployment.AGENTS, AgentDeployment.REPO_CODER, word, word);
  }

  static void apply(NodeCluster cluster, String word) {
    cluster.kubectlIn(yaml(word), "apply", "-f", "-").expectOk();
  }

  static void delete(NodeCluster cluster) {
    cluster
        .kubectl("delete", "toolpolicy", NAME, "-n", AgentDeployment.AGENTS, "--ignore-not-found")
        .expectOk();
  }
}
