package dev.tollgate.sidecar.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real rule installer in a real network namespace: a "pod" namespace and a "peer" namespace
 * joined by a veth pair with IPv4 and IPv6 addresses. The installer runs in the pod namespace as
 * the injected init container would (root with NET_ADMIN and NET_RAW only); then processes under
 * the agent's user (1000) and the decision point's (65100) try the network. Needs root, {@code ip}
 * (iproute2), {@code setpriv} (util-linux), iptables and python3: on Debian {@code apt-get install
 * iproute2 iptables util-linux python3}. Without them the test is skipped and says why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EgressRuleInstallerNetnsTest {

  private static final String SIDECAR_UID = "65100";
  private static final String AGENT_UID = "1000";
  private static final String POD_V4 = "10.231.77.1";
  private static final String PEER_V4 = "10.231.77.2";
  private static final String POD_V6 = "fd00:7467:77::1";
  private static final String PEER_V6 = "fd00:7467:77::2";
  private static final String PEER_TCP_PORT = "8080";
  private static final String PEER_UDP_PORT = "53";
  private static final String POD_LOOPBACK_PORT = "9440";
  private static final String POD_AGENT_SERVER_PORT = "8081";

  private final String suffix = Long.toString(ProcessHandle.current().pid() % 100_000);
  private final String pod = "tg-egress-pod-" + suffix;
  private final String peer = "tg-egress-peer-" + suffix;
  private final List<Process> servers = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();
  private Path work;
  private Path probe;
  private Path udpLog;

  @BeforeAll
  void namespacesJoinedByAVethPair() throws Exception {
    assumeTrue(
        "0".equals(output("id", "-u").strip()),
        "needs root to create network namespaces (skipped: not root)");
    for (String tool : List.of("/usr/bin/python3", "/usr/bin/setpriv")) {
      assumeTrue(Files.isExecutable(Path.of(tool)), "needs " + tool + " (skipped: missing)");
    }
    assumeTrue(
        run("ip", "netns", "list") == 0, "needs `ip netns` (iproute2) (skipped: not available)");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/iptables-restore"))
            || Files.isExecutable(Path.of("/usr/sbin/iptables-nft-restore")),
        "needs iptables (skipped: no iptables-restore)");

    work = Files.createTempDirectory("tg-egress");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    probe = work.resolve("probe.py");
    try (InputStream script = getClass().getResourceAsStream("/egress/probe.py")) {
      Files.copy(script, probe, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwxr-xr-x"));
    udpLog = work.resolve("udp.log");

    ok("ip", "netns", "add", pod);
    namespaces.add(pod);
    ok("ip", "netns", "add", peer);
    namespaces.add(peer);
    String podLink = "tgp" + suffix;
    String peerLink = "tgq" + suffix;
    ok("ip", "link", "add", podLink, "type", "veth", "peer", "name", peerLink);
    ok("ip", "link", "set", podLink, "netns", pod);
    ok("ip", "link", "set", peerLink, "netns", peer);
    address(pod, podLink, POD_V4 + "/24", POD_V6 + "/64");
    address(peer, peerLink, PEER_V4 + "/24", PEER_V6 + "/64");

    server(peer, "0", "tcp-server", "::", PEER_TCP_PORT);
    server(peer, "0", "udp-server", PEER_UDP_PORT, udpLog.toString());
    server(pod, "0", "tcp-server", "127.0.0.1", POD_LOOPBACK_PORT);
    server(pod, "0", "tcp-server", "::1", POD_LOOPBACK_PORT);
    server(pod, AGENT_UID, "tcp-server", "::", POD_AGENT_SERVER_PORT);

    // Before any rule: the agent user reaches the peer, so every refusal below is the rules'.
    assertThat(client(AGENT_UID, "tcp-connect", PEER_V4, PEER_TCP_PORT)).isEqualTo("connected");
    assertThat(client(AGENT_UID, "tcp-connect", PEER_V6, PEER_TCP_PORT)).isEqualTo("connected");
    assertThat(client(AGENT_UID, "udp-send", PEER_V4, PEER_UDP_PORT)).isEqualTo("reply");

    installRules();
  }

  @AfterAll
  void stopEverythingAndDeleteTheNamespaces() throws Exception {
    for (Process server : servers) {
      server.destroy();
      if (!server.waitFor(5, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    for (String namespace : namespaces) {
      run("ip", "netns", "del", namespace);
    }
    if (work != null) {
      try (var files = Files.walk(work)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(work);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {PEER_V4, PEER_V6})
  void theAgentUsersTcpConnectIsRefused(String target) throws Exception {
    assertThat(client(AGENT_UID, "tcp-connect", target, PEER_TCP_PORT)).isEqualTo("refused");
  }

  @ParameterizedTest
  @ValueSource(strings = {PEER_V4, PEER_V6})
  void theAgentUsersUdpAndDnsNeverReachThePeer(String target) throws Exception {
    long before = udpDatagrams();
    assertThat(client(AGENT_UID, "udp-send", target, PEER_UDP_PORT)).isIn("refused", "denied");
    assertThat(client(AGENT_UID, "dns-query", target, PEER_UDP_PORT)).isIn("refused", "denied");
    assertThat(udpDatagrams()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {PEER_V4, PEER_V6})
  void theSidecarUserStillConnectsAndResolves(String target) throws Exception {
    assertThat(client(SIDECAR_UID, "tcp-connect", target, PEER_TCP_PORT)).isEqualTo("connected");
    long before = udpDatagrams();
    assertThat(client(SIDECAR_UID, "dns-query", target, PEER_UDP_PORT)).isEqualTo("reply");
    assertThat(udpDatagrams()).isEqualTo(before + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1", POD_V4})
  void theAgentUserStillReachesThePodOverLoopback(String address) throws Exception {
    String port = address.equals(POD_V4) ? POD_AGENT_SERVER_PORT : POD_LOOPBACK_PORT;
    assertThat(client(AGENT_UID, "tcp-connect", address, port)).isEqualTo("connected");
  }

  @ParameterizedTest
  @ValueSource(strings = {POD_V4, POD_V6})
  void connectionsMadeToThePodStillGetReplies(String address) throws Exception {
    // The kubelet's probe of an agent container's port, or a Service: the server runs as the agent.
    assertThat(peerClient("tcp-connect", address, POD_AGENT_SERVER_PORT)).isEqualTo("connected");
    // A closed port answers with the kernel's reset, which no socket owns.
    assertThat(peerClient("tcp-connect", address, "8099")).isEqualTo("refused");
  }

  @Test
  void runningTheInstallerAgainChangesNothing() throws Exception {
    String before = rules();
    installRules();
    assertThat(rules()).isEqualTo(before);
    assertThat(before.lines().filter(EgressRules.JUMP::equals)).hasSize(2);
  }

  private void installRules() throws Exception {
    String out = install(pod, "+net_admin,+net_raw", false);
    assertThat(out).contains("tollgate-egress-init: iptables").contains("ip6tables");
  }

  @Test
  void aNamespaceWithLegacyRulesGetsLegacyRulesUnderAReadOnlyRoot() throws Exception {
    String legacy = "tg-egress-leg-" + suffix;
    ok("ip", "netns", "add", legacy);
    namespaces.add(legacy);
    // What a CNI or mesh init container using the legacy backend would have left.
    ok(
        "ip",
        "netns",
        "exec",
        legacy,
        "/usr/sbin/iptables-legacy",
        "-A",
        "INPUT",
        "-i",
        "lo",
        "-j",
        "ACCEPT");
    String out = install(legacy, "+net_admin,+net_raw", true);
    assertThat(out)
        .contains("iptables (legacy) installed")
        .contains("ip6tables (legacy) installed");
    assertThat(output("ip", "netns", "exec", legacy, "/usr/sbin/iptables-legacy-save"))
        .contains(EgressRules.JUMP);
    assertThat(output("ip", "netns", "exec", legacy, "/usr/sbin/iptables-nft-save"))
        .doesNotContain(EgressRules.CHAIN);
  }

  @Test
  void nfTablesNeedsNetAdminAlone() throws Exception {
    String nft = "tg-egress-nft-" + suffix;
    ok("ip", "netns", "add", nft);
    namespaces.add(nft);
    String out = install(nft, "+net_admin", true);
    assertThat(out).contains("iptables (nft) installed").contains("ip6tables (nft) installed");
  }

  /**
   * Runs the real installer's main in {@code namespace} as root with every capability dropped but
   * {@code capabilities}, optionally with the root filesystem read-only (a mount namespace of its
   * own), as the injected container runs; returns its output after checking it succeeded.
   */
  private String install(String namespace, String capabilities, boolean readOnlyRoot)
      throws Exception {
    String classpath = System.getProperty("java.class.path");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    // The injected container's /tmp volume: legacy iptables-restore -w fails without a lock file.
    Path lockDir = Files.createDirectories(work.resolve("run"));
    if (readOnlyRoot) {
      command.addAll(
          List.of(
              "/usr/bin/unshare",
              "--mount",
              "--propagation",
              "private",
              "/bin/sh",
              "-c",
              "mount -o remount,bind,ro / && mount -t tmpfs -o size=1m tmpfs "
                  + lockDir
                  + " && exec \"$0\" \"$@\""));
    }
    command.addAll(
        List.of(
            "/usr/bin/setpriv",
            "--bounding-set=-all," + capabilities,
            "--inh-caps=-all," + capabilities,
            java,
            "-cp",
            classpath,
            EgressRuleInstaller.class.getName(),
            SIDECAR_UID));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .put(EgressRuleInstaller.LOCK_FILE_ENV, lockDir.resolve("xtables.lock").toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  /** Both families' rules as the chosen backend shows them (whichever it is, both are listed). */
  private String rules() throws Exception {
    StringBuilder all = new StringBuilder();
    for (String tool : List.of("iptables", "ip6tables")) {
      for (String backend : List.of("-nft", "-legacy")) {
        Path binary = Path.of("/usr/sbin/" + tool + backend + "-save");
        if (Files.isExecutable(binary)) {
          all.append(
              output("ip", "netns", "exec", pod, binary.toString(), "-t", "filter")
                  .lines()
                  .filter(line -> line.startsWith("-A"))
                  .reduce("", (a, b) -> a + b + "\n"));
        }
      }
    }
    return all.toString();
  }

  private void address(String namespace, String link, String v4, String v6) throws Exception {
    ok("ip", "-n", namespace, "link", "set", "lo", "up");
    ok("ip", "-n", namespace, "addr", "add", v4, "dev", link);
    ok("ip", "-n", namespace, "addr", "add", v6, "dev", link, "nodad");
    ok("ip", "-n", namespace, "link", "set", link, "up");
  }

  private void server(String namespace, String uid, String... args) throws Exception {
    List<String> command = new ArrayList<>(asUser(namespace, uid));
    command.addAll(List.of("/usr/bin/python3", probe.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    servers.add(process);
    byte[] line = new byte[10];
    int read = process.getInputStream().readNBytes(line, 0, line.length);
    assertThat(new String(line, 0, read, StandardCharsets.UTF_8))
        .as("server %s", List.of(args))
        .isEqualTo("listening\n");
  }

  private String client(String uid, String... args) throws Exception {
    List<String> command = new ArrayList<>(asUser(pod, uid));
    command.addAll(List.of("/usr/bin/python3", probe.toString()));
    command.addAll(List.of(args));
    return output(command.toArray(String[]::new)).strip();
  }

  private String peerClient(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("ip", "netns", "exec", peer, "/usr/bin/python3", probe.toString()));
    command.addAll(List.of(args));
    return output(command.toArray(String[]::new)).strip();
  }

  private static List<String> asUser(String namespace, String uid) {
    return List.of(
        "ip",
        "netns",
        "exec",
        namespace,
        "/usr/bin/setpriv",
        "--reuid=" + uid,
        "--regid=" + uid,
        "--clear-groups");
  }

  private long udpDatagrams() throws IOException {
    return Files.exists(udpLog) ? Files.readAllLines(udpLog).size() : 0;
  }

  private static void ok(String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(30, TimeUnit.SECONDS);
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
  }

  private static int run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(discard()).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  private static ProcessBuilder.Redirect discard() {
    return ProcessBuilder.Redirect.DISCARD;
  }

  private static String output(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return out;
  }
}
