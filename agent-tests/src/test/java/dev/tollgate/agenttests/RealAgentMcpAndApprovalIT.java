package dev.tollgate.agenttests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agenttests.model.ScriptedModel;
import dev.tollgate.agenttests.model.ToolCall;
import dev.tollgate.agenttests.model.ToolResult;
import dev.tollgate.api.ApprovalMarks;
import dev.tollgate.api.v1alpha1.ApprovalDecision;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code with the two doors that need more than the hook: an MCP server reached
 * through the sidecar's gateway (the official TypeScript SDK server of the sidecar's own tests as
 * the upstream), and a call held by the sidecar until a human approves it (a ToolCallApproval in an
 * API server: Fabric8's mock, in CRUD mode, in this JVM, reached by the sidecar process through a
 * kubeconfig). This class runs the pinned Claude Code; {@link ClaudeCodeLatestMcpAndApprovalIT} the
 * newest.
 */
@Timeout(180)
class RealAgentMcpAndApprovalIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICIES = "/policies/mcp-and-approval.yaml";

  /** spec.approval.timeoutSeconds of the identity in {@link #POLICIES}. */
  private static final int APPROVAL_TIMEOUT_SECONDS = 60;

  private static final String SERVER = "upstream";
  private static final String TOKEN = "agent-it-upstream-token-5c1e";
  private static final String ECHO = "mcp__upstream__echo";
  private static final String DELETE_REPO = "mcp__upstream__delete_repo";
  private static final String NAMESPACE = "agents";

  /** The mock API server logs every request at INFO; its failures still show. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  @TempDir Path root;

  /** The Claude Code binary under test. */
  Path binary() {
    return ClaudeCode.BINARY;
  }

  @Test
  void anAllowedMcpToolRunsThroughTheGatewayAndADeniedOneNeverReachesTheUpstream()
      throws Exception {
    String allowed = "toolu_11_mcp_echo";
    String denied = "toolu_12_mcp_delete_repo";
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    Path credentials = Files.createDirectories(root.resolve("credentials").resolve(SERVER));
    Files.writeString(credentials.resolve("token"), TOKEN + "\n");
    try (Upstream upstream = Upstream.start(root, TOKEN);
        ScriptedModel model =
            new ScriptedModel(
                List.of(
                    ToolCall.of(allowed, ECHO, Map.of("text", "hello through the gateway")),
                    ToolCall.of(denied, DELETE_REPO, Map.of("repo", "acme/prod"))))) {
      Path bundle = Files.writeString(root.resolve("bundle.json"), bundleJson(upstream.url()));
      ClaudeCode.Run run;
      List<JsonNode> events;
      String sidecarLog;
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              bundle,
              root,
              "/readyz",
              "--mcp-credentials-dir",
              credentials.getParent().toString())) {
        Path settings =
            HookSettings.write(
                root.resolve("settings.json"),
                sidecar.url(),
                APPROVAL_TIMEOUT_SECONDS,
                List.of(SERVER));
        ObjectNode mcpConfig = JSON.createObjectNode();
        mcpConfig
            .putObject("mcpServers")
            .putObject(SERVER)
            .put("type", "http")
            .put("url", sidecar.url() + "/mcp/" + SERVER);
        Path mcpFile = Files.writeString(root.resolve("mcp.json"), mcpConfig.toPrettyString());
        run =
            ClaudeCode.run(
                binary(),
                workspace,
                root.resolve("home"),
                settings,
                model.baseUrl(),
                Map.of(),
                List.of(ECHO, DELETE_REPO),
                List.of("--strict-mcp-config", "--mcp-config", mcpFile.toString()));
        sidecar.stop(); // every audit line is on disk before it is read
        events = sidecar.audit();
        sidecarLog = sidecar.log();
      }
      String context =
          run.describe()
              + "\naudit: "
              + events
              + "\nsidecar log: "
              + sidecarLog
              + "\nupstream: "
              + upstream.requests();

      assertThat(run.exitCode()).as(context).isZero();
      assertThat(model.servedCalls()).as(context).containsExactly(allowed, denied);

      // The allowed call reached the upstream, with the sidecar's credential, and its answer the
      // model.
      ToolResult echoed = model.resultFor(allowed);
      assertThat(echoed.isError()).as("%s", echoed).isFalse();
      assertThat(echoed.content())
          .isEqualTo("hello through the gateway"); // what the upstream's echo answered
      assertThat(upstream.calledTools()).as(context).containsExactly("echo");
      assertThat(upstream.requests())
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.path("auth").asBoolean()).as(r.toString()).isTrue());

      // The denied one never left the pod: the model got Tollgate's reason as an error. (2.1.197
      // hands the model the reason alone; newer releases put "PreToolUse:<tool> hook error: "
      // before it.)
      ToolResult refused = model.resultFor(denied);
      assertThat(refused.isError()).as("%s", refused).isTrue();
      assertThat(refused.content())
          .contains("Tollgate: production repositories are never deleted by agents");
      assertThat(upstream.requests().toString())
          .doesNotContain("delete_repo")
          .doesNotContain("acme/prod");
      assertThat(run.permissionDenials()).as(context).containsExactly(denied);

      // The audit: Claude Code runs the PreToolUse hook for MCP tools too, so each call is decided
      // at the hook (correlated by tool_use_id); the allowed one is decided again by the gateway
      // (source mcp, correlated by its JSON-RPC id) and that is where it executed.
      AuditTrail audit = new AuditTrail(events);
      assertThat(audit.types(allowed))
          .as(context)
          .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");
      assertThat(audit.events(allowed))
          .allSatisfy(e -> assertThat(e.path("source").asText()).isEqualTo("claude-code-hook"));
      assertThat(audit.types(denied))
          .as(context)
          .containsExactly("tool_call.attempted", "tool_call.denied");
      assertThat(audit.event(denied, "tool_call.denied").path("rules").toString())
          .contains("agents/it-rules/never-delete-production");
      List<JsonNode> gateway =
          events.stream().filter(e -> e.path("source").asText().equals("mcp")).toList();
      assertThat(gateway)
          .as(context)
          .extracting(e -> e.path("type").asText())
          .containsExactly("tool_call.attempted", "tool_call.allowed", "tool_call.executed");
      // Not linked by id (JSON-RPC id vs tool_use_id, MCP session vs Claude Code session), but the
      // same call.
      String digest = audit.event(allowed, "tool_call.allowed").path("argsDigest").asText();
      assertThat(gateway)
          .allSatisfy(
              e -> {
                assertThat(e.path("tool").asText()).isEqualTo(ECHO);
                assertThat(e.path("argsDigest").asText()).isEqualTo(digest);
                assertThat(e.path("correlationId").asText()).matches("[0-9]+");
              });
      assertThat(events.toString()).doesNotContain(TOKEN);
    }
  }

  @Test
  void aCallHeldForApprovalRunsOnceAliceApprovesIt() throws Exception {
    String marker = "toolu_21_bash_marker";
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    api.init(InetAddress.getLoopbackAddress(), 0);
    AtomicBoolean stop = new AtomicBoolean();
    try (KubernetesClient client = api.createClient();
        ScriptedModel model =
            new ScriptedModel(
                List.of(
                    ToolCall.of(
                        marker,
                        "Bash",
                        Map.of("command", "touch approved.marker", "description", "mark"))))) {
      Path kubeconfig =
          Files.writeString(
              root.resolve("kubeconfig"),
              """
          apiVersion: v1
          kind: Config
          clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
          users: [{name: it, user: {token: agent-it-token}}]
          contexts: [{name: mock, context: {cluster: mock, user: it, namespace: %s}}]
          current-context: mock
          """
                  .formatted(api.getPort(), NAMESPACE));
      Path bundle =
          Files.writeString(root.resolve("bundle.json"), bundleJson("http://127.0.0.1:9/unused"));
      ClaudeCode.Run run;
      List<JsonNode> events;
      String sidecarLog;
      CompletableFuture<String> approver;
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              bundle,
              root,
              "/readyz",
              Map.of("KUBECONFIG", kubeconfig.toString()),
              "--approvals",
              "on")) {
        Path settings =
            HookSettings.write(
                root.resolve("settings.json"), sidecar.url(), APPROVAL_TIMEOUT_SECONDS, List.of());
        // Alice, as the webhook would let her: the decision plus the decidedBy stamp.
        approver = CompletableFuture.supplyAsync(() -> approveFirst(client, stop));
        run =
            ClaudeCode.run(
                binary(), workspace, root.resolve("home"), settings, model.baseUrl(), Map.of());
        sidecar.stop();
        events = sidecar.audit();
        sidecarLog = sidecar.log();
      } finally {
        stop.set(true);
      }
      String context = run.describe() + "\naudit: " + events + "\nsidecar log: " + sidecarLog;
      String approvalName = approver.get(5, TimeUnit.SECONDS);

      assertThat(run.exitCode()).as(context).isZero();
      assertThat(workspace.resolve("approved.marker")).as(context).exists();
      ToolResult result = model.resultFor(marker);
      assertThat(result.isError()).as("%s", result).isFalse();
      assertThat(run.permissionDenials()).isEmpty();

      AuditTrail audit = new AuditTrail(events);
      assertThat(audit.types(marker))
          .as(context)
          .containsExactly(
              "tool_call.attempted",
              "tool_call.approval_requested",
              "tool_call.approved",
              "tool_call.executed");
      assertThat(audit.event(marker, "tool_call.approved").toString())
          .contains(approvalName)
          .contains("alice");

      ToolCallApproval approval =
          client
              .resources(ToolCallApproval.class)
              .inNamespace(NAMESPACE)
              .withName(approvalName)
              .get();
      assertThat(approval.getSpec().getTool()).isEqualTo("Bash");
      assertThat(approval.getSpec().getPod()).isEqualTo("repo-coder-0");
      assertThat(approval.getSpec().getApprovers()).containsExactly("user:alice");
      assertThat(approval.getSpec().getRequestedBy()).isEqualTo("user:alice");
      assertThat(approval.getMetadata().getAnnotations())
          .containsEntry(ApprovalMarks.CONSUMED_BY, marker);
    } finally {
      api.destroy();
    }
  }

  /** Waits for the sidecar's ToolCallApproval, approves it as alice, and returns its name. */
  static String approveFirst(KubernetesClient client, AtomicBoolean stop) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!stop.get() && System.nanoTime() < deadline) {
      List<ToolCallApproval> approvals =
          client.resources(ToolCallApproval.class).inNamespace(NAMESPACE).list().getItems();
      if (!approvals.isEmpty()) {
        String name = approvals.get(0).getMetadata().getName();
        client
            .resources(ToolCallApproval.class)
            .inNamespace(NAMESPACE)
            .withName(name)
            .edit(
                a -> {
                  a.getSpec().setDecision(ApprovalDecision.APPROVED);
                  a.getSpec().setDecidedBy("alice");
                  a.getSpec().setReason("marker ok");
                  return a;
                });
        return name;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("the sidecar never created a ToolCallApproval");
  }

  /**
   * The test policy set, compiled by the engine for agents/repo-coder as the operator would publish
   * it.
   */
  static String bundleJson(String upstreamUrl) throws IOException {
    String yaml;
    try (InputStream in = RealAgentMcpAndApprovalIT.class.getResourceAsStream(POLICIES)) {
      yaml =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("UPSTREAM_URL", upstreamUrl);
    }
    List<ManifestLoader.Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    new ManifestLoader().readText(yaml, POLICIES, documents, problems);
    assertThat(problems).isEmpty();
    Compilation compilation =
        new BundleCompiler()
            .compile(
                PolicySet.fromDocuments(documents, "default"),
                new ObjectRef(Kind.AGENT_IDENTITY, NAMESPACE, "repo-coder"));
    assertThat(compilation.problems()).isEmpty();
    return BundleCodec.toJson(compilation.bundle().orElseThrow());
  }

  /**
   * The sidecar module's upstream MCP server ({@code sidecar/src/test/mcp/server.mjs}, the official
   * TypeScript SDK), installed with {@code npm ci} from its lock file into this module's target and
   * run as a process on an ephemeral loopback port; it logs every request it receives.
   */
  static final class Upstream implements AutoCloseable {

    private static final Path SOURCE = RepoCoderBundle.REPO_ROOT.resolve("sidecar/src/test/mcp");
    private static final Path WORK =
        RepoCoderBundle.REPO_ROOT.resolve("agent-tests/target/mcp-upstream");

    private final Process process;
    private final int port;
    private final Path log;

    private Upstream(Process process, int port, Path log) {
      this.process = process;
      this.port = port;
      this.log = log;
    }

    static Upstream start(Path dir, String token) throws Exception {
      install();
      Path log = Files.createTempFile(dir, "upstream-", ".jsonl");
      Path err = dir.resolve("upstream.err");
      Process process =
          new ProcessBuilder("node", "server.mjs", "--log", log.toString(), "--token", token)
              .directory(WORK.toFile())
              .redirectError(err.toFile())
              .start();
      try {
        CompletableFuture<String> first =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                  } catch (IOException e) {
                    return null;
                  }
                });
        String line = first.get(30, TimeUnit.SECONDS);
        if (line == null) {
          throw new IOException("the upstream MCP server did not start: " + Files.readString(err));
        }
        return new Upstream(process, JSON.readTree(line).path("port").asInt(), log);
      } catch (Exception e) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw e;
      }
    }

    private static synchronized void install() throws IOException, InterruptedException {
      Files.createDirectories(WORK);
      for (String file : List.of("package.json", "package-lock.json", "server.mjs")) {
        Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
      Path marker = WORK.resolve("node_modules/.tollgate-lock");
      String lock = Files.readString(SOURCE.resolve("package-lock.json"));
      if (Files.exists(marker) && Files.readString(marker).equals(lock)) {
        return;
      }
      Process npm =
          new ProcessBuilder(
                  "npm",
                  "ci",
                  "--ignore-scripts",
                  "--no-audit",
                  "--no-fund",
                  "--prefer-offline",
                  "--loglevel=error")
              .directory(WORK.toFile())
              .redirectErrorStream(true)
              .redirectOutput(WORK.resolve("npm-ci.log").toFile())
              .start();
      if (!npm.waitFor(300, TimeUnit.SECONDS)) {
        npm.destroyForcibly();
        npm.waitFor(5, TimeUnit.SECONDS);
        throw new IOException("npm ci of the upstream MCP server took longer than 300 s");
      }
      if (npm.exitValue() != 0) {
        throw new IOException(
            "npm ci of the upstream MCP server failed: "
                + Files.readString(WORK.resolve("npm-ci.log")));
      }
      Files.writeString(marker, lock);
    }

    String url() {
      return "http://127.0.0.1:" + port + "/mcp";
    }

    List<JsonNode> requests() throws IOException {
      List<JsonNode> entries = new ArrayList<>();
      for (String line : Files.readAllLines(log)) {
        if (!line.isBlank()) {
          entries.add(JSON.readTree(line));
        }
      }
      return entries;
    }

    /** Every tool name that reached the upstream in a tools/call. */
    List<String> calledTools() throws IOException {
      List<String> tools = new ArrayList<>();
      requests().forEach(entry -> entry.path("tools").forEach(tool -> tools.add(tool.asText())));
      return tools;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
