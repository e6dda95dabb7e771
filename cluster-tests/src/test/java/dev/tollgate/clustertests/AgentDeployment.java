package dev.tollgate.clustertests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.SidecarContract;
import dev.tollgate.testsupport.tools.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * examples/ applied as a platform team would, and a Deployment of the repo-coder agent: the pinned
 * Claude Code in the locally built agent image, in namespace {@code agents} labelled for injection,
 * acting for a developer it claims through the delegation annotation.
 */
final class AgentDeployment {

  private static final Logger LOG = Logger.getLogger(AgentDeployment.class.getName());

  /** examples/ namespace and the repo-coder identity (and its Deployment). */
  static final String AGENTS = "agents";

  static final String REPO_CODER = "repo-coder";
  static final String AGENT_CONTAINER = "agent";
  static final String SIDECAR_CONTAINER = "tollgate-sidecar";

  /** The value of the GitHub MCP credential Secret that examples/scopes.yaml names. */
  static final String MCP_TOKEN = "ghp_cluster_tests_not_a_real_token";

  /** The developer the agent works for: a member of group developers, which examples/ allow. */
  static final String PRINCIPAL = "dana";

  private final NodeCluster cluster;
  private final String image;
  private final String namespace;
  private final String name;

  private AgentDeployment(NodeCluster cluster, String image, String namespace, String name) {
    this.cluster = cluster;
    this.image = image;
    this.namespace = namespace;
    this.name = name;
  }

  /** Another agent Deployment, already applied, in the same image. */
  AgentDeployment sibling(String otherNamespace, String otherName) {
    return new AgentDeployment(cluster, image, otherNamespace, otherName);
  }

  static AgentDeployment deploy(NodeCluster cluster) {
    return deploy(cluster, null);
  }

  /**
   * examples/ applied, then {@code overrides} (manifests that replace some of them, or null), then
   * the repo-coder Deployment, Ready.
   */
  static AgentDeployment deploy(NodeCluster cluster, String overrides) {
    String image =
        Command.of(
                Duration.ofMinutes(1), cluster.repoRoot().resolve("bin/images").toString(), "list")
            .run()
            .expectOk()
            .lines()
            .map(line -> line.split(" ")[0])
            .filter(ref -> ref.startsWith("tollgate.local/agent:"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("bin/images list names no agent image"));
    AgentDeployment agent = new AgentDeployment(cluster, image, AGENTS, REPO_CODER);
    agent.applyExamples();
    if (overrides != null) {
      cluster.kubectlIn(overrides, "apply", "-f", "-").expectOk();
      cluster.awaitIdentityReady(AGENTS, REPO_CODER);
    }
    long start = System.nanoTime();
    agent.applyDeployment();
    agent.awaitReady();
    long millis = (System.nanoTime() - start) / 1_000_000;
    try {
      Files.writeString(
          cluster.dir().resolve("startup.txt"),
          "agent Deployment applied to a Ready pod (webhook, delegation proof, sidecar start): "
              + millis
              + " ms\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return agent;
  }

  private void applyExamples() {
    Path examples = cluster.repoRoot().resolve("examples");
    cluster.kubectl("apply", "-f", examples.resolve("namespace.yaml").toString()).expectOk();
    cluster
        .kubectl("label", "namespace", AGENTS, "tollgate.dev/injection=enabled", "--overwrite")
        .expectOk();
    List<String> files = new ArrayList<>(List.of("identities.yaml", "scopes.yaml"));
    try (Stream<Path> policies = Files.list(examples.resolve("policies"))) {
      policies.sorted().forEach(p -> files.add("policies/" + p.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String file : files) {
      cluster.kubectl("apply", "-f", examples.resolve(file).toString()).expectOk();
    }
    // Who may decide approvals in this namespace (examples/ name release-managers as approvers).
    cluster
        .kubectlIn(
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: repo-coder, namespace: agents}
            ---
            # The GitHub MCP server's credential (examples/scopes.yaml): mounted into the
            # sidecar only, which alone talks to that server.
            apiVersion: v1
            kind: Secret
            metadata: {name: github-mcp-token, namespace: agents}
            stringData: {token: %s}
            ---
            # The git remote's credential (examples/scopes.yaml, git-remotes): the sidecar's too.
            apiVersion: v1
            kind: Secret
            metadata: {name: github-git-token, namespace: agents}
            stringData: {token: ghp_cluster_tests_git_not_a_real_token}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: toolcallapproval-deciders, namespace: agents}
            rules:
              - apiGroups: [tollgate.dev]
                resources: [toolcallapprovals]
                verbs: [get, list, watch, update, patch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: toolcallapproval-deciders, namespace: agents}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: toolcallapproval-deciders}
            subjects:
              - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: release-managers}
              # RBAC lets developers decide too: the webhook's approver check is what refuses
              # one who is not among an approval's approvers.
              - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: developers}
            """
                .formatted(MCP_TOKEN),
            "apply",
            "-f",
            "-")
        .expectOk();
    cluster.awaitIdentityReady(AGENTS, REPO_CODER);
  }

  /**
   * The agent container runs as uid 1000 with nothing but its volumes writable. Its first act
   * records what the decision point answered on /readyz: a native sidecar with a startup probe is
   * Ready before the kubelet starts the next container.
   */
  private void applyDeployment() {
    String manifest =
        deployment(
            REPO_CODER,
            AGENTS,
            image,
            "tollgate.dev/on-behalf-of: " + PRINCIPAL,
            "tollgate.dev/on-behalf-of-groups: developers");
    // The webhook's first admissions run on a cold JVM; on a loaded two-core machine they can
    // outlast the API server's 5 s call timeout, which fails closed (the Deployment is refused).
    // Only that refusal is retried: apply is idempotent, and every other error fails the test.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Command.Result result = cluster.kubectlIn(manifest, "apply", "-f", "-");
    while (!result.ok() && webhookTimedOut(result) && System.nanoTime() < deadline) {
      LOG.info("the webhook did not answer in time (cold start); applying again");
      result = cluster.kubectlIn(manifest, "apply", "-f", "-");
    }
    result.expectOk();
  }

  private static boolean webhookTimedOut(Command.Result result) {
    return result.stderr().contains("failed calling webhook")
        && result.stderr().contains("context deadline exceeded");
  }

  /**
   * An agent Deployment: the agent image as uid 1000 with a read-only root file system and writable
   * /workspace, /home/agent and /tmp; it records the decision point's /readyz answer first thing,
   * then idles while tests exec into it. {@code annotations} go on the pod template.
   */
  static String deployment(String name, String namespace, String image, String... annotations) {
    StringBuilder podAnnotations = new StringBuilder("{}");
    if (annotations.length > 0) {
      podAnnotations = new StringBuilder();
      for (String annotation : annotations) {
        podAnnotations.append("\n        ").append(annotation);
      }
    }
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app.kubernetes.io/name: %1$s}}
          template:
            metadata:
              labels: {app.kubernetes.io/name: %1$s}
              annotations: %3$s
            spec:
              serviceAccountName: %1$s
              terminationGracePeriodSeconds: 2
              containers:
                - name: %4$s
                  image: %5$s
                  imagePullPolicy: Never
                  workingDir: /workspace
                  command: [/bin/bash, -c]
                  args:
                    - >-
                      curl -s --noproxy '*' -o /dev/null -w '%%{http_code}' http://127.0.0.1:%6$d/readyz
                      > /workspace/.sidecar-readyz-at-start;
                      exec sleep infinity
                  securityContext:
                    runAsUser: 1000
                    runAsGroup: 1000
                    runAsNonRoot: true
                    allowPrivilegeEscalation: false
                    readOnlyRootFilesystem: true
                    capabilities: {drop: [ALL]}
                  volumeMounts:
                    - {name: workspace, mountPath: /workspace}
                    - {name: home, mountPath: /home/agent}
                    - {name: tmp, mountPath: /tmp}
              volumes:
                - {name: workspace, emptyDir: {}}
                - {name: home, emptyDir: {}}
                - {name: tmp, emptyDir: {}}
        """
        .formatted(
            name, namespace, podAnnotations, AGENT_CONTAINER, image, SidecarContract.Ports.OPS);
  }

  /** Waits for the Deployment's rollout and a Ready pod (after a fault, say). */
  void awaitReady() {
    cluster
        .kubectl("rollout", "status", "deployment/" + name, "-n", namespace, "--timeout=180s")
        .expectOk();
    Awaitility.await("one Ready pod of " + namespace + "/" + name)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> readyPod() != null);
  }

  /** The Ready, not terminating, pod of the Deployment, or null. */
  String readyPod() {
    return findPod(true);
  }

  /**
   * The running, not terminating, pod of the Deployment, Ready or not (its sidecar may be
   * restarting).
   */
  String pod() {
    String pod = findPod(false);
    if (pod == null) {
      throw new AssertionError(
          "no running pod of "
              + namespace
              + "/"
              + name
              + ": "
              + cluster.kubectl("get", "pods", "-n", namespace, "-o", "wide").stdout());
    }
    return pod;
  }

  private String findPod(boolean mustBeReady) {
    for (JsonNode pod :
        cluster
            .json("get", "pods", "-n", namespace, "-l", "app.kubernetes.io/name=" + name)
            .path("items")) {
      boolean terminating = pod.path("metadata").has("deletionTimestamp");
      boolean running = pod.path("status").path("phase").asText().equals("Running");
      boolean ready = false;
      for (JsonNode condition : pod.path("status").path("conditions")) {
        if (condition.path("type").asText().equals("Ready")) {
          ready = condition.path("status").asText().equals("True");
        }
      }
      if (running && !terminating && (ready || !mustBeReady)) {
        return pod.path("metadata").path("name").asText();
      }
    }
    return null;
  }

  JsonNode podJson() {
    return cluster.json("get", "pod", pod(), "-n", namespace);
  }

  /** {@code kubectl logs} of the pod's decision point. */
  String sidecarLog() {
    return cluster.kubectl("logs", "-n", namespace, pod(), "-c", SIDECAR_CONTAINER).expectOk();
  }

  /** The audit records (JSON lines) in the decision point's log, in order. */
  List<JsonNode> auditRecords() {
    List<JsonNode> records = new ArrayList<>();
    for (String line : sidecarLog().lines().toList()) {
      if (line.startsWith("{")) {
        try {
          JsonNode record = NodeCluster.JSON.readTree(line);
          if (record.has("type")) {
            records.add(record);
          }
        } catch (IOException e) {
          // a log line that is not JSON: not an audit record
        }
      }
    }
    return records;
  }

  /** A command in the agent container, as the agent's user. */
  Command.Result exec(String... command) {
    return execIn(AGENT_CONTAINER, null, command);
  }

  Command.Result execIn(String container, String stdin, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", "-n", namespace, pod(), "-c", container));
    if (stdin != null) {
      args.add("-i");
    }
    args.add("--");
    args.addAll(List.of(command));
    return cluster.kubectlAs("admin", stdin, args.toArray(String[]::new));
  }

  String image() {
    return image;
  }

  NodeCluster cluster() {
    return cluster;
  }
}
