package dev.tollgate.sidecar.gate.git;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.InMemoryApprovalStore;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import dev.tollgate.testsupport.GitHttpUpstream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git gateway with real components on loopback: git's own http-backend as the upstream, which
 * demands the credential only the sidecar holds, and the real git client as the agent. The fixture
 * of {@link GitGatewayTest} (fetches, errors) and {@link GitPushTest} (pushes).
 */
@Timeout(180)
abstract class GitGatewayFixture {

  static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: repos}]
        approval: {timeoutSeconds: 60, defaultApprovers: ["user:lead"]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: repos, namespace: team-a}
      spec:
        gitRemotes:
          - {name: shop, url: "https://git.example.test/acme/shop.git", credentialsSecretRef: {name: gh, key: token}}
          - {name: down, url: "https://git.example.test/acme/down.git"}
          - {name: junk, url: "https://git.example.test/acme/junk.git"}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: git, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: fetch, tools: [GitFetch], effect: Allow}
          - name: new-branches
            tools: [GitPush]
            when: resource.updates.all(u, u.kind == 'create' && u.ref.startsWith('refs/heads/'))
            effect: Allow
          - name: main-needs-approval
            tools: [GitPush]
            when: resource.updates.exists(u, u.kind == 'fastForward' && u.ref == 'refs/heads/main')
            effect: RequireApproval
          - name: no-force
            tools: [GitPush]
            when: resource.updates.exists(u, u.kind == 'force')
            effect: Deny
            message: force pushes are not allowed
          - name: no-delete
            tools: [GitPush]
            when: resource.updates.exists(u, u.kind == 'delete')
            effect: Deny
            message: deleting remote refs is not allowed
      """;

  @TempDir Path dir;

  final InMemoryApprovalStore approvals = new InMemoryApprovalStore("team-a");
  GitCli git;
  GitHttpUpstream upstream;
  ServerSocket silent;
  HttpServer garbage;
  SidecarFixture sidecar;
  Path upstreamRepo;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(GitHttpUpstream.available(), "git http-backend is installed");
    Path home = Files.createDirectories(dir.resolve("home"));
    git = new GitCli(home);
    upstream = new GitHttpUpstream(Files.createDirectories(dir.resolve("upstream")));
    upstreamRepo = upstream.create("shop");
    Path seed = Files.createDirectories(dir.resolve("seed"));
    git.ok(seed, "init", "-b", "main");
    Files.writeString(seed.resolve("README.md"), "shop\n");
    git.ok(seed, "add", ".");
    git.ok(seed, "commit", "-m", "first");
    git.ok(seed, "branch", "old-feature");
    git.ok(seed, "push", upstream.authenticatedUrl("shop"), "main", "old-feature");
    // A port that accepts connections and never answers: an upstream that hangs.
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Path credentials = Files.createDirectories(dir.resolve("credentials/shop"));
    Files.writeString(credentials.resolve("token"), GitHttpUpstream.TOKEN + "\n");
    sidecar =
        SidecarFixture.startWithBundle(
            dir,
            bundle(
                POLICIES,
                upstream.url("shop"),
                "http://127.0.0.1:" + silent.getLocalPort(),
                garbageUrl()),
            new ApprovalBroker(approvals, Clock.systemUTC(), Duration.ofHours(1)),
            "--git-mirror-dir",
            dir.resolve("mirrors").toString(),
            "--git-credentials-dir",
            dir.resolve("credentials").toString(),
            "--git-upstream-timeout-ms",
            "2000");
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (silent != null) {
      silent.close();
    }
    if (garbage != null) {
      garbage.stop(0);
    }
  }

  /** The compiled bundle with the remotes pointed at loopback (the CRD admits https only). */
  static String bundle(String policies, String shopUrl, String downUrl, String garbageUrl)
      throws Exception {
    Bundle compiled = BundleCodec.fromJson(SidecarFixture.bundle(policies));
    List<Bundle.GitRemote> remotes =
        compiled.gitRemotes().stream()
            .map(
                r ->
                    new Bundle.GitRemote(
                        r.name(),
                        switch (r.name()) {
                          case "shop" -> shopUrl;
                          case "down" -> downUrl;
                          default -> garbageUrl;
                        },
                        r.credentialsSecretRef(),
                        r.scope()))
            .toList();
    return BundleCodec.toJson(compiled.withGitRemotes(remotes));
  }

  /** An HTTP server that answers every request with a 200 that is no git protocol at all. */
  String garbageUrl() throws Exception {
    garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    garbage.createContext(
        "/",
        exchange -> {
          byte[] body = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    garbage.start();
    return "http://127.0.0.1:" + garbage.getAddress().getPort() + "/junk.git";
  }

  String gateway(String remote) {
    return sidecar.url() + "/git/" + remote + "/";
  }

  String upstreamRef(String ref) throws Exception {
    return git.ok(upstreamRepo, "rev-parse", "--verify", "-q", ref);
  }

  /** A clone through the gateway, with the agent's own (bogus) Authorization on every request. */
  Path cloneShop(String name) throws Exception {
    Path work = dir.resolve(name);
    git.ok(
        dir,
        "-c",
        "http.extraHeader=Authorization: Bearer agent-own-token",
        "clone",
        gateway("shop"),
        work.toString());
    return work;
  }

  String commit(Path work, String file) throws Exception {
    Files.writeString(work.resolve(file), file + "\n");
    git.ok(work, "add", file);
    git.ok(work, "commit", "-m", "add " + file);
    return git.ok(work, "rev-parse", "HEAD");
  }

  /** The shop remote's bare mirror in the sidecar's mirror directory. */
  Path shopMirror() throws Exception {
    try (Stream<Path> mirrors = Files.list(dir.resolve("mirrors"))) {
      return mirrors
          .filter(p -> p.getFileName().toString().startsWith("shop-"))
          .findFirst()
          .orElseThrow();
    }
  }

  boolean mirrorHolds(String id) throws Exception {
    return git.run(dir, "--git-dir", shopMirror().toString(), "cat-file", "-e", id + "^{commit}")
            .exit()
        == 0;
  }

  /** What is left in the push quarantines. */
  List<Path> quarantined() throws Exception {
    Path quarantines = dir.resolve("mirrors/quarantine");
    if (!Files.isDirectory(quarantines)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(quarantines)) {
      return entries.toList();
    }
  }

  List<AuditEvent> decided(String tool, AuditEventType type) {
    return sidecar.auditEvents().stream()
        .filter(e -> tool.equals(e.tool()) && e.type() == type)
        .toList();
  }
}
