package dev.tollgate.sidecar.gate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.ConfigException;
import dev.tollgate.sidecar.SidecarConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitSettingsTest {

  @Test
  void defaultsPutMirrorsOnDiskAndCredentialsBesideTheMcpOnes() throws Exception {
    GitSettings git = SidecarConfig.from(Map.of(), new String[] {"--bundle", "/b.json"}).git();

    assertThat(git.mirrorDir()).isEqualTo(Path.of("/var/lib/tollgate/git"));
    assertThat(git.credentialsDir()).isEqualTo(Path.of("/var/run/tollgate/git"));
    assertThat(git.upstreamTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(git.detectSha1Collisions()).isTrue();
  }

  @Test
  void theJdksSha1IsAnExplicitChoiceAndAnythingElseStopsTheStart() throws Exception {
    assertThat(
            SidecarConfig.from(
                    Map.of("TOLLGATE_GIT_SHA1", "jdk"), new String[] {"--bundle", "/b.json"})
                .git()
                .detectSha1Collisions())
        .isFalse();
    assertThat(
            SidecarConfig.from(
                    Map.of("TOLLGATE_GIT_SHA1", "jdk"),
                    new String[] {"--bundle", "/b.json", "--git-sha1", "sha1dc"})
                .git()
                .detectSha1Collisions())
        .isTrue();
    assertThatThrownBy(
            () ->
                SidecarConfig.from(
                    Map.of(), new String[] {"--bundle", "/b.json", "--git-sha1", "jdkNative"}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOLLGATE_GIT_SHA1");
  }

  @Test
  void flagsWinOverVariables() throws Exception {
    GitSettings git =
        SidecarConfig.from(
                Map.of("TOLLGATE_GIT_MIRROR_DIR", "/data/a", "TOLLGATE_GIT_THREADS", "4"),
                new String[] {
                  "--bundle",
                  "/b.json",
                  "--git-mirror-dir",
                  "/data/b",
                  "--git-upstream-timeout-ms",
                  "5000"
                })
            .git();

    assertThat(git.mirrorDir()).isEqualTo(Path.of("/data/b"));
    assertThat(git.threads()).isEqualTo(4);
    assertThat(git.timeoutSeconds()).isEqualTo(5);
  }

  @Test
  void relativeDirectoriesAndTinyTimeoutsStopTheStart() {
    assertThatThrownBy(
            () ->
                SidecarConfig.from(
                    Map.of(),
                    new String[] {
                      "--git-mirror-dir", "mirrors", "--git-upstream-timeout-ms", "10"
                    }))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOLLGATE_GIT_MIRROR_DIR")
        .hasMessageContaining("TOLLGATE_GIT_UPSTREAM_TIMEOUT_MS");
  }
}
