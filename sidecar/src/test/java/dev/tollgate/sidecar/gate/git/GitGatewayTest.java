package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fetches and clones through the git gateway, and what it answers when the upstream or the request
 * is wrong.
 */
class GitGatewayTest extends GitGatewayFixture {

  @Test
  void aCloneGetsTheUpstreamThroughTheMirrorWithTheSidecarsCredentialOnly() throws Exception {
    Path work = cloneShop("clone");

    assertThat(work.resolve("README.md")).hasContent("shop");
    assertThat(git.ok(work, "rev-parse", "HEAD")).isEqualTo(upstreamRef("main"));
    assertThat(upstream.authorizations)
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a).doesNotContain("agent-own-token"));
    assertThat(decided("GitFetch", AuditEventType.ALLOWED))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.source()).isEqualTo("git"));
    assertThat(Files.readString(work.resolve(".git/config"))).doesNotContain("upstream-secret");

    // A later fetch through the gateway sees what was pushed to the upstream meanwhile.
    Path other = dir.resolve("other");
    git.ok(dir, "clone", upstream.authenticatedUrl("shop"), other.toString());
    String moved = commit(other, "moved.txt");
    git.ok(other, "push", "origin", "main");
    git.ok(work, "pull", "--ff-only");
    assertThat(git.ok(work, "rev-parse", "HEAD")).isEqualTo(moved);
  }

  @Test
  void aDeniedFetchIsA403CarryingThePolicysReason() throws Exception {
    sidecar.close();
    String denying =
        POLICIES.replace(
            "{name: fetch, tools: [GitFetch], effect: Allow}",
            "{name: fetch, tools: [GitFetch], effect: Deny, message: no cloning today}");
    sidecar =
        SidecarFixture.startWithBundle(
            dir,
            bundle(denying, upstream.url("shop"), upstream.url("down"), upstream.url("junk")),
            null,
            "--git-mirror-dir",
            dir.resolve("mirrors").toString(),
            "--git-credentials-dir",
            dir.resolve("credentials").toString());

    upstream.authorizations.clear();
    GitCli.Run clone = git.run(dir, "clone", gateway("shop"), dir.resolve("denied").toString());

    assertThat(clone.exit()).isNotZero();
    assertThat(clone.output()).contains("Tollgate: no cloning today").contains("403");
    assertThat(upstream.authorizations).isEmpty();
  }

  @Test
  void pathsOtherThanTheSmartEndpointsAre404() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway("shop") + "objects/info/packs")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no git endpoint");
  }

  @Test
  void theUpstreamRefusesRequestsWithoutTheCredential() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(upstream.url("shop") + "/info/refs?service=git-upload-pack"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void anUpstreamThatHangsIsAClearErrorWithinTheTimeout() throws Exception {
    long start = System.nanoTime();
    GitCli.Run clone = git.run(dir, "clone", gateway("down"), dir.resolve("down").toString());

    assertThat(clone.exit()).isNotZero();
    assertThat(clone.output()).contains("Tollgate: upstream unreachable");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(sidecar.auditEvents())
        .anySatisfy(
            e -> {
              assertThat(e.tool()).isEqualTo("GitFetch");
              assertThat(e.type()).isEqualTo(AuditEventType.FAILED);
            });
  }

  @Test
  void anUpstreamAnsweringGarbageIsAClearError() throws Exception {
    GitCli.Run clone = git.run(dir, "clone", gateway("junk"), dir.resolve("junk").toString());

    assertThat(clone.exit()).isNotZero();
    assertThat(clone.output()).contains("Tollgate: upstream unreachable");
  }

  @Test
  void aRemoteNotInTheBundleIs404() throws Exception {
    GitCli.Run clone = git.run(dir, "clone", gateway("elsewhere"), dir.resolve("x").toString());

    assertThat(clone.exit()).isNotZero();
    assertThat(clone.output()).contains("no git remote named 'elsewhere'");
    assertThat(decided("GitFetch", AuditEventType.DENIED))
        .anySatisfy(e -> assertThat(e.reasons()).contains("OutOfScope"));
  }
}
