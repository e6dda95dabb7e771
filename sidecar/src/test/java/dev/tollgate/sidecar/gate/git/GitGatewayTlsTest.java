package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.approval.ApprovalBroker;
import dev.tollgate.sidecar.approval.InMemoryApprovalStore;
import dev.tollgate.testsupport.GitHttpUpstream;
import dev.tollgate.testsupport.SelfSignedTls;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's TLS to an upstream whose certificate a private CA issued: trusted through the
 * remote's {@code caBundle} and nothing else. One HTTPS upstream is reached as three remotes: one
 * naming its CA, one trusting the JDK's default roots, one naming another CA.
 */
@Timeout(120)
class GitGatewayTlsTest {

  private static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        toolScopes: [{name: repos}]
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: repos, namespace: team-a}
      spec:
        gitRemotes:
          - {name: shop, url: "https://git.internal.test/acme/shop.git", credentialsSecretRef: {name: gh, key: token}}
          - {name: defaultroots, url: "https://git.internal.test/acme/a.git", credentialsSecretRef: {name: gh, key: token}}
          - {name: otherca, url: "https://git.internal.test/acme/b.git", credentialsSecretRef: {name: gh, key: token}}
          - {name: brokenca, url: "https://git.internal.test/acme/c.git", credentialsSecretRef: {name: gh, key: token}}
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
            when: resource.updates.all(u, u.kind == 'create')
            effect: Allow
      """;

  @TempDir Path dir;

  GitCli git;
  GitHttpUpstream upstream;
  SidecarFixture sidecar;
  Path upstreamRepo;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(GitHttpUpstream.available(), "git http-backend is installed");
    InetAddress loopback = InetAddress.getLoopbackAddress();
    SelfSignedTls tls = SelfSignedTls.forAddresses(dir.resolve("tls"), List.of(loopback));
    SelfSignedTls other = SelfSignedTls.forAddresses(dir.resolve("other-tls"), List.of(loopback));
    git = new GitCli(Files.createDirectories(dir.resolve("home")));
    upstream =
        GitHttpUpstream.https(Files.createDirectories(dir.resolve("upstream")), loopback, tls);
    upstreamRepo = upstream.create("shop");
    Path seed = Files.createDirectories(dir.resolve("seed"));
    git.ok(seed, "init", "-b", "main");
    Files.writeString(seed.resolve("README.md"), "shop\n");
    git.ok(seed, "add", ".");
    git.ok(seed, "commit", "-m", "first");
    git.ok(seed, "push", upstreamRepo.toString(), "main");
    Path credentials = Files.createDirectories(dir.resolve("credentials"));
    for (String remote : List.of("shop", "defaultroots", "otherca", "brokenca")) {
      Files.writeString(
          Files.createDirectories(credentials.resolve(remote)).resolve("token"),
          GitHttpUpstream.TOKEN);
    }
    Bundle compiled = BundleCodec.fromJson(SidecarFixture.bundle(POLICIES));
    List<Bundle.GitRemote> remotes =
        compiled.gitRemotes().stream()
            .map(
                r ->
                    new Bundle.GitRemote(
                        r.name(),
                        upstream.url("shop"),
                        r.credentialsSecretRef(),
                        r.scope(),
                        switch (r.name()) {
                          case "shop" -> tls.certificatePem();
                          case "otherca" -> other.certificatePem();
                          case "brokenca" ->
                              "-----BEGIN CERTIFICATE-----\nbm90\n-----END CERTIFICATE-----\n";
                          default -> null;
                        }))
            .toList();
    sidecar =
        SidecarFixture.startWithBundle(
            dir,
            BundleCodec.toJson(compiled.withGitRemotes(remotes)),
            new ApprovalBroker(
                new InMemoryApprovalStore("team-a"), Clock.systemUTC(), Duration.ofHours(1)),
            "--git-mirror-dir",
            dir.resolve("mirrors").toString(),
            "--git-credentials-dir",
            credentials.toString(),
            "--git-upstream-timeout-ms",
            "5000");
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private String gateway(String remote) {
    return sidecar.url() + "/git/" + remote + "/";
  }

  @Test
  void aRemoteNamingItsCaIsClonedAndPushedToOverTls() throws Exception {
    Path work = dir.resolve("work");
    git.ok(dir, "clone", gateway("shop"), work.toString());
    assertThat(work.resolve("README.md")).hasContent("shop");

    git.ok(work, "switch", "-c", "feature");
    Files.writeString(work.resolve("feature.txt"), "feature\n");
    git.ok(work, "add", ".");
    git.ok(work, "commit", "-m", "feature");
    git.ok(work, "push", "origin", "feature");

    assertThat(git.ok(upstreamRepo, "rev-parse", "refs/heads/feature"))
        .isEqualTo(git.ok(work, "rev-parse", "HEAD"));
  }

  @Test
  void withoutItsCaTheUpstreamIsRefusedWithTheTlsReason() throws Exception {
    GitCli.Run run = git.run(dir, "clone", gateway("defaultroots"), dir.resolve("a").toString());

    assertThat(run.exit()).isNotZero();
    assertThat(run.output())
        .contains("Tollgate: upstream unreachable")
        .containsIgnoringCase("cert");
    assertThat(upstream.authorizations).as("no credential was sent to an untrusted peer").isEmpty();
  }

  @Test
  void oneRemotesCaDoesNotVouchForAnotherCertificate() throws Exception {
    GitCli.Run run = git.run(dir, "clone", gateway("otherca"), dir.resolve("b").toString());

    assertThat(run.exit()).isNotZero();
    assertThat(run.output()).contains("Tollgate: upstream unreachable");
    assertThat(upstream.authorizations).isEmpty();
  }

  @Test
  void aCaBundleThatIsNoCertificateIsNamedInTheError() throws Exception {
    GitCli.Run run = git.run(dir, "clone", gateway("brokenca"), dir.resolve("c").toString());

    assertThat(run.exit()).isNotZero();
    assertThat(run.output()).contains("the caBundle of remote brokenca cannot be used");
  }
}
