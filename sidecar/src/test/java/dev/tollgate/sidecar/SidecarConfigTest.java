package dev.tollgate.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.kubernetes.KubernetesMode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarConfigTest {

  @Test
  void readsEnvironmentAndLetsFlagsWin() throws Exception {
    SidecarConfig config =
        SidecarConfig.from(
            Map.of(
                "TOLLGATE_BUNDLE",
                "/etc/tollgate/bundle/bundle.json",
                "TOLLGATE_LISTEN",
                "127.0.0.1:7000",
                "POD_NAME",
                "agent-7",
                "POD_NAMESPACE",
                "team-a",
                "TOLLGATE_PRINCIPAL",
                "user:alice",
                "TOLLGATE_GROUPS",
                "developers, oncall,"),
            new String[] {"--listen", "127.0.0.1:9441", "--threads=4"});

    assertThat(config.policy().bundle()).isEqualTo(Path.of("/etc/tollgate/bundle/bundle.json"));
    assertThat(config.server().port()).isEqualTo(9441);
    assertThat(config.server().threads()).isEqualTo(4);
    assertThat(config.pod().name()).isEqualTo("agent-7");
    assertThat(config.pod().namespace()).isEqualTo("team-a");
    assertThat(config.pod().principal()).isEqualTo("alice");
    assertThat(config.pod().groups()).containsExactly("developers", "oncall");
    assertThat(config.server().maxBodyBytes()).isEqualTo(1 << 20);
  }

  @Test
  void aMalformedDelegationProofOrKeysReferenceIsReportedByName() {
    assertThatThrownBy(
            () ->
                SidecarConfig.from(
                    Map.of(),
                    new String[] {
                      "--bundle", "b.json", "--delegation-proof", "v1.k1.forged",
                    }))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "--delegation-proof (TOLLGATE_DELEGATION_PROOF) is not a delegation proof (v1.<key id>.<signature>)",
                        "--delegation-keys (TOLLGATE_DELEGATION_KEYS) is required with a delegation proof, to verify it"));
    assertThatThrownBy(
            () ->
                SidecarConfig.from(
                    Map.of(),
                    new String[] {
                      "--bundle", "b.json", "--delegation-keys", "Tollgate-System/keys",
                    }))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--delegation-keys (TOLLGATE_DELEGATION_KEYS) must be NAMESPACE/NAME, got 'Tollgate-System/keys'"));
  }

  @Test
  void defaultsToTheDocumentedPortOnLoopback() throws Exception {
    SidecarConfig config = SidecarConfig.from(Map.of(), new String[] {"--bundle", "b.json"});
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.server().port()).isEqualTo(9440);
    assertThat(config.egress().enabled()).as("the egress gate is off unless asked for").isFalse();
    assertThat(config.egress().tlsPorts()).containsExactly(443);
  }

  @Test
  void reportsEveryBadSettingByName() {
    assertThatThrownBy(
            () ->
                SidecarConfig.from(
                    Map.of("TOLLGATE_THREADS", "lots"),
                    new String[] {
                      "--listen",
                      "0.0.0.0:9440",
                      "--reload-interval-ms",
                      "5",
                      "--events",
                      "maybe",
                      "--colour",
                      "red",
                      "--identity",
                      "Coder",
                      "--approvals",
                      "sometimes",
                      "--approval-lifetime-seconds",
                      "0",
                      "--egress-listen",
                      "0.0.0.0:9442",
                      "--egress-tls-ports",
                      "443,https",
                      "--bundle-watch",
                      "always",
                      "--log-level",
                      "chatty"
                    }))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "unknown option --colour (known: --agent-home, --approval-lifetime-seconds, --approvals, "
                            + "--audit-export-batch-size, --audit-export-buffer-size, --audit-export-ca-bundle, --audit-export-endpoint, "
                            + "--audit-export-flush-interval-ms, --audit-export-headers-dir, --audit-export-max-attempts, "
                            + "--audit-export-protocol, --audit-export-timeout-ms, --bundle, --bundle-watch, --delegation-keys, --delegation-proof, "
                            + "--egress-connect-timeout-ms, --egress-handshake-threads, --egress-handshake-timeout-ms, --egress-idle-timeout-ms, "
                            + "--egress-listen, --egress-max-bytes, --egress-max-duration-ms, --egress-max-tunnels, --egress-mode, --egress-relay-threads, "
                            + "--egress-tls-ports, --events, --git-credentials-dir, --git-max-pack-bytes, "
                            + "--git-mirror-dir, --git-sha1, --git-threads, --git-upstream-timeout-ms, --groups, --identity, --listen, "
                            + "--log-level, --max-body-bytes, --mcp-connect-timeout-ms, --mcp-credentials-dir, --mcp-denial, "
                            + "--mcp-max-request-bytes, --mcp-max-response-bytes, --mcp-other-methods, --mcp-read-timeout-ms, "
                            + "--mcp-threads, --namespace, --ops-listen, --pod, --principal, --reload-interval-ms, --threads)",
                        "--bundle (TOLLGATE_BUNDLE) is required: the bundle file to enforce",
                        "--listen (TOLLGATE_LISTEN) must be a loopback address (127.0.0.1, ::1 or localhost), got '0.0.0.0': the decision point is only for the agent in its own pod",
                        "--identity (TOLLGATE_IDENTITY) must be NAMESPACE/NAME, got 'Coder'",
                        "--reload-interval-ms (TOLLGATE_RELOAD_INTERVAL_MS) must be between 50 and 600000, got 5",
                        "--threads (TOLLGATE_THREADS) must be a whole number, got 'lots'",
                        "--events (TOLLGATE_EVENTS) must be auto, on or off, got 'maybe'",
                        "--approvals (TOLLGATE_APPROVALS) must be auto, on or off, got 'sometimes'",
                        "--log-level (TOLLGATE_LOG_LEVEL) must be one of trace, debug, info, warn, error, off, got 'chatty'",
                        "--approval-lifetime-seconds (TOLLGATE_APPROVAL_LIFETIME_SECONDS) must be between 1 and 604800, got 0",
                        "--egress-listen (TOLLGATE_EGRESS_LISTEN) must be a loopback address (127.0.0.1, ::1 or localhost), got '0.0.0.0': the agent reaches the proxy over lo, and nobody else may",
                        "--egress-tls-ports (TOLLGATE_EGRESS_TLS_PORTS) 'https' is not a port",
                        "--bundle-watch (TOLLGATE_BUNDLE_WATCH) must be auto, on or off, got 'always'"));
  }

  @Test
  void followingTheBundleConfigMapNeedsTheIdentity() throws Exception {
    assertThat(
            SidecarConfig.from(Map.of(), new String[] {"--bundle", "b.json"})
                .policy()
                .configMapWatch())
        .as("on in a cluster")
        .isEqualTo(KubernetesMode.AUTO);
    assertThatThrownBy(
            () ->
                SidecarConfig.from(
                    Map.of("TOLLGATE_BUNDLE_WATCH", "on"), new String[] {"--bundle", "b.json"}))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "--bundle-watch (TOLLGATE_BUNDLE_WATCH) is on, but which ConfigMap to follow comes from TOLLGATE_IDENTITY, which is not set"));
  }

  @Test
  void refusesAHostNameThatOnlyDnsCouldCallLoopback() {
    assertThatThrownBy(
            () ->
                SidecarConfig.from(
                    Map.of(), new String[] {"--bundle", "b", "--listen", "my-host:9440"}))
        .hasMessageContaining("must be a loopback address");
    assertThatThrownBy(
            () -> SidecarConfig.from(Map.of(), new String[] {"--bundle", "b", "--listen", "9440"}))
        .hasMessageContaining("must be HOST:PORT");
  }
}
