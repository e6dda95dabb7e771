package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.policy.BundleLoader;
import dev.tollgate.sidecar.policy.BundleSource;
import dev.tollgate.sidecar.policy.PolicyState;
import dev.tollgate.sidecar.policy.ReloadListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of the file and the ConfigMap wins, and when the enforced bundle stops being ready. */
class BundleLoaderTest {

  private static final BundleSource FILE = BundleSource.file(Path.of("/etc/tollgate/bundle.json"));
  private static final BundleSource CONFIG_MAP =
      BundleSource.configMap("team-a", "tollgate-bundle-coder");
  private static final byte[] ENFORCE = bytes(policies("Enforce"));
  private static final byte[] AUDIT = bytes(policies("Audit"));
  private static final byte[] RELAXED =
      bytes(
          SidecarFixture.bundle(
              SidecarFixture.POLICIES
                  .replace("MODE", "Enforce")
                  .replace("resource.program == 'rm'", "resource.program == 'shred'")));

  private final PolicyState state = new PolicyState();
  private final List<String> reloads = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final BundleLoader loader =
      new BundleLoader(
          "team-a/coder",
          state,
          new ReloadListener() {
            @Override
            public void reloaded(String revision, BundleSource source) {
              reloads.add(revision + " from " + source.kind());
            }

            @Override
            public void reloadFailed(String reason) {
              failures.add(reason);
            }
          });

  @Test
  void theFileAtStartThenTheNewerConfigMap() {
    loader.offer(FILE, ENFORCE);
    String fromFile = revision();
    loader.offer(CONFIG_MAP, RELAXED);

    assertThat(revision()).isNotEqualTo(fromFile);
    assertThat(reloads).containsExactly(fromFile + " from FILE", revision() + " from CONFIG_MAP");
    assertThat(state.ready()).isTrue();
  }

  @Test
  void aLaggingFileDoesNotRevertWhatTheConfigMapDelivered() {
    loader.offer(FILE, ENFORCE);
    loader.offer(CONFIG_MAP, RELAXED);
    String fromApi = revision();

    // The kubelet's copy catches up through versions the watch already passed (or coalesced away).
    loader.offer(FILE, AUDIT);
    loader.offer(FILE, ENFORCE);
    loader.offer(FILE, RELAXED);

    assertThat(revision()).isEqualTo(fromApi);
    assertThat(reloads).hasSize(2);
    assertThat(failures).isEmpty();
  }

  @Test
  void identicalContentIsNotReloaded() {
    loader.offer(FILE, ENFORCE);
    loader.offer(CONFIG_MAP, ENFORCE.clone());
    loader.offer(CONFIG_MAP, ENFORCE.clone());

    assertThat(reloads).hasSize(1);
  }

  @Test
  void aDeletedConfigMapKeepsTheBundleButIsNotReadyUntilItReturns() {
    loader.offer(FILE, ENFORCE);
    loader.offer(CONFIG_MAP, RELAXED);
    String kept = revision();

    loader.withdraw(CONFIG_MAP, "ConfigMap team-a/tollgate-bundle-coder was deleted");

    assertThat(state.ready()).isFalse();
    assertThat(revision()).as("the last bundle still decides").isEqualTo(kept);
    assertThat(state.problem())
        .isEqualTo(
            "ConfigMap team-a/tollgate-bundle-coder was deleted (keeping revision " + kept + ")");
    loader.offer(FILE, ENFORCE);
    assertThat(state.ready()).as("the file does not stand in for the API").isFalse();

    loader.offer(CONFIG_MAP, RELAXED);
    assertThat(state.ready()).isTrue();
    assertThat(state.problem()).isEmpty();
    assertThat(revision()).isEqualTo(kept);
  }

  @Test
  void aBundleOfAnotherIdentityFromTheConfigMapIsRefused() {
    loader.offer(FILE, ENFORCE);
    String kept = revision();

    loader.offer(
        CONFIG_MAP,
        bytes(
            SidecarFixture.bundle(
                SidecarFixture.POLICIES.replace("MODE", "Enforce").replace("coder", "reviewer"),
                "reviewer")));

    assertThat(revision()).isEqualTo(kept);
    assertThat(state.problem())
        .contains("bundle is for AgentIdentity team-a/reviewer, this sidecar enforces team-a/coder")
        .contains("refused from ConfigMap team-a/tollgate-bundle-coder");
    assertThat(state.ready()).as("a refused bundle only warns, as from the file").isTrue();
  }

  @Test
  void aVanishedFileIsNotReadyWhileTheFileIsTheSource() {
    loader.offer(FILE, ENFORCE);
    loader.withdraw(FILE, "bundle file /etc/tollgate/bundle.json does not exist");

    assertThat(state.ready()).isFalse();
    assertThat(state.engine()).isPresent();

    loader.offer(FILE, ENFORCE);
    assertThat(state.ready()).isTrue();
  }

  @Test
  void aVanishedFileDoesNotMatterWhileTheConfigMapIsFollowed() {
    loader.offer(FILE, ENFORCE);
    loader.offer(CONFIG_MAP, ENFORCE);
    loader.withdraw(FILE, "bundle file /etc/tollgate/bundle.json does not exist");

    assertThat(state.ready()).isTrue();
  }

  @Test
  void whenTheWatchStopsTheFilesLatestContentTakesOver() {
    loader.offer(FILE, ENFORCE);
    loader.offer(CONFIG_MAP, AUDIT);
    loader.offer(FILE, RELAXED);
    String relaxed = revisionOf(RELAXED);

    loader.configMapWatchStopped("forbidden");

    assertThat(revision()).isEqualTo(relaxed);
    assertThat(reloads).last().isEqualTo(relaxed + " from FILE");
  }

  private String revision() {
    return state.engine().orElseThrow().revision();
  }

  private static String revisionOf(byte[] bundle) {
    PolicyState scratch = new PolicyState();
    new BundleLoader(
            "",
            scratch,
            new ReloadListener() {
              @Override
              public void reloaded(String revision, BundleSource source) {}

              @Override
              public void reloadFailed(String reason) {}
            })
        .offer(FILE, bundle);
    return scratch.engine().orElseThrow().revision();
  }

  private static String policies(String mode) {
    return SidecarFixture.bundle(SidecarFixture.POLICIES.replace("MODE", mode));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
