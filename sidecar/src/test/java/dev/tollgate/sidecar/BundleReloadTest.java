package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload as Kubernetes delivers ConfigMap updates, and fail-closed behaviour without a bundle.
 */
class BundleReloadTest {

  private static final String HOOK = "/v1/hooks/claude-code";
  private static final String RM =
      SidecarFixture.preToolUse("Bash", "{\"command\":\"rm -rf build\"}", "t-rm");
  private static final String LS =
      SidecarFixture.preToolUse("Bash", "{\"command\":\"ls\"}", "t-ls");

  @TempDir Path dir;

  @Test
  void withoutABundleEveryCallIsDeniedAndNotReadyUntilOneArrives() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.startWithoutBundle(dir)) {
      var ready = sidecar.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("does not exist");
      JsonNode answer = sidecar.postJson(HOOK, LS);
      assertThat(answer.at("/hookSpecificOutput/permissionDecision").asText()).isEqualTo("deny");
      assertThat(answer.at("/hookSpecificOutput/permissionDecisionReason").asText())
          .contains("NoBundle");
      assertThat(sidecar.events.get(1).reasons()).containsExactly("NoBundle");

      Files.writeString(
          sidecar.bundleFile,
          SidecarFixture.bundle(SidecarFixture.POLICIES.replace("MODE", "Enforce")));
      sidecar.sidecar.checkBundle();

      assertThat(sidecar.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(decision(sidecar, LS)).isEqualTo("allow");
    }
  }

  @Test
  void goodThenBadThenGood() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Enforce")) {
      String first = revision(sidecar);
      assertThat(decision(sidecar, RM)).isEqualTo("deny");

      Files.writeString(
          sidecar.bundleFile, "{\"schema\": \"tollgate.dev/bundle/v1\", \"truncated\"");
      sidecar.sidecar.checkBundle();

      assertThat(revision(sidecar)).isEqualTo(first);
      assertThat(decision(sidecar, RM)).as("the last good bundle stays in force").isEqualTo("deny");
      assertThat(sidecar.get("/readyz").body())
          .contains("invalid bundle")
          .contains("keeping revision " + first);
      assertThat(sidecar.get("/metrics").body())
          .contains("tollgate_bundle_reload_failures_total 1.0");

      String relaxed =
          SidecarFixture.POLICIES
              .replace("MODE", "Enforce")
              .replace(
                  "{name: no-rm, tools: [Bash], when: \"resource.program == 'rm'\", effect: Deny, message: \"rm is not allowed\"}",
                  "{name: no-sudo, tools: [Bash], when: \"resource.program == 'sudo'\", effect: Deny}");
      Files.writeString(sidecar.bundleFile, SidecarFixture.bundle(relaxed));
      sidecar.sidecar.checkBundle();

      assertThat(revision(sidecar)).isNotEqualTo(first);
      assertThat(decision(sidecar, RM)).isEqualTo("allow");
      assertThat(sidecar.get("/readyz").body()).doesNotContain("warning");
      assertThat(sidecar.get("/metrics").body()).contains("tollgate_bundle_reloads_total 2.0");
    }
  }

  @Test
  void aVanishedFileKeepsItsBundleButIsNotReadyUntilItReturns() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Enforce")) {
      String kept = revision(sidecar);
      String content = Files.readString(sidecar.bundleFile);
      Files.delete(sidecar.bundleFile);
      sidecar.sidecar.checkBundle();

      var ready = sidecar.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .contains("does not exist")
          .contains("keeping revision " + kept)
          .contains("\"bundleRevision\":\"" + kept + "\"");
      assertThat(decision(sidecar, RM)).as("the last bundle still decides").isEqualTo("deny");

      Files.writeString(sidecar.bundleFile, content);
      sidecar.sidecar.checkBundle();
      assertThat(sidecar.get("/readyz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aTamperedBundleIsRefused() throws Exception {
    try (SidecarFixture sidecar = SidecarFixture.start(dir, "Enforce")) {
      String json =
          Files.readString(sidecar.bundleFile)
              .replace("resource.program == 'rm'", "resource.program == 'nothing'");
      Files.writeString(sidecar.bundleFile, json);
      sidecar.sidecar.checkBundle();
      assertThat(decision(sidecar, RM)).isEqualTo("deny");
      assertThat(sidecar.get("/readyz").body()).contains("does not match its content");
    }
  }

  @Test
  void followsAConfigMapStyleSymlinkSwap() throws Exception {
    // Kubernetes mounts bundle.json -> ..data/bundle.json, ..data -> ..<timestamp>/, and swaps
    // ..data.
    Path mount = dir.resolve("mount");
    Files.createDirectories(mount.resolve("..v1"));
    Files.writeString(
        mount.resolve("..v1/bundle.json"),
        SidecarFixture.bundle(SidecarFixture.POLICIES.replace("MODE", "Enforce")));
    Files.createSymbolicLink(mount.resolve("..data"), Path.of("..v1"));
    Files.createSymbolicLink(mount.resolve("bundle.json"), Path.of("..data/bundle.json"));
    try (var mounted = new MountedSidecar(mount.resolve("bundle.json"))) {
      assertThat(decision(mounted.fixture, RM)).isEqualTo("deny");

      Files.createDirectories(mount.resolve("..v2"));
      Files.writeString(
          mount.resolve("..v2/bundle.json"),
          SidecarFixture.bundle(SidecarFixture.POLICIES.replace("MODE", "Audit")));
      Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..v2"));
      Files.move(
          mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
      mounted.fixture.sidecar.checkBundle();

      assertThat(decision(mounted.fixture, RM)).as("Audit mode after the swap").isEqualTo("allow");
    }
  }

  @Test
  void aBundleForAnotherIdentityIsNotEnforced() throws Exception {
    Files.createDirectories(dir);
    try (SidecarFixture sidecar =
        SidecarFixture.start(dir, "Enforce", "--identity", "team-a/reviewer")) {
      assertThat(sidecar.get("/readyz").statusCode()).isEqualTo(503);
      assertThat(sidecar.get("/readyz").body())
          .contains(
              "bundle is for AgentIdentity team-a/coder, this sidecar enforces team-a/reviewer");
      assertThat(decision(sidecar, LS)).isEqualTo("deny");
    }
  }

  private static String decision(SidecarFixture sidecar, String body) throws Exception {
    return sidecar.postJson(HOOK, body).at("/hookSpecificOutput/permissionDecision").asText();
  }

  private static String revision(SidecarFixture sidecar) throws Exception {
    return SidecarFixture.JSON
        .readTree(sidecar.get("/readyz").body())
        .path("bundleRevision")
        .asText();
  }

  /** A fixture whose --bundle points at a path prepared by the test. */
  private static final class MountedSidecar implements AutoCloseable {
    final SidecarFixture fixture;

    MountedSidecar(Path bundle) throws Exception {
      fixture = SidecarFixture.startAt(bundle);
    }

    @Override
    public void close() {
      fixture.close();
    }
  }
}
