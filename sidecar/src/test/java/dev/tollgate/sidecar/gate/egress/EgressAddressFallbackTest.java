package dev.tollgate.sidecar.gate.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name with several addresses through the real gate, on loopback only: 127.0.0.1, 127.0.0.2,
 * 127.0.0.3 and ::1 are distinct destinations on one port, some listening, some refusing, some
 * denied by a rule, and the injected resolver answers them in the order each test needs (as an
 * attacker's DNS could). Also checks the egress metrics in the sidecar's registry.
 */
class EgressAddressFallbackTest {

  private static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        mode: Enforce
        toolScopes: [{name: base}, {name: net}]
        approval: {defaultApprovers: ["user:lead"]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: base, namespace: team-a}
      spec: {tools: [Read]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolScope
      metadata: {name: net, namespace: team-a}
      spec:
        egress:
          - {host: "*.multi.test", ports: [PORT]}
      ---
      apiVersion: tollgate.dev/v1alpha1
      kind: ToolPolicy
      metadata: {name: net, namespace: team-a}
      spec:
        agents: {names: [coder]}
        rules:
          - {name: egress, tools: [Egress], effect: Allow}
          - name: internal
            tools: [Egress]
            effect: Deny
            when: "resource.ipKind in ['private', 'metadata', 'linkLocal']"
            message: the destination is an internal address
          - name: not-three
            tools: [Egress]
            effect: Deny
            when: "resource.ip == '127.0.0.3'"
            message: 127.0.0.3 is off limits
      """;

  private static final String METADATA = "169.254.169.254";

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<String, List<String>> dns = new ConcurrentHashMap<>();
  private SidecarFixture sidecar;
  private int port;

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /**
   * Echo destinations on one port at each of {@code addresses}; the port is chosen so that it is
   * free on all of them (and so on 127.0.0.1, which refuses unless listed).
   */
  private List<Peer> echoPeers(String... addresses) throws IOException {
    for (int tries = 0; tries < 20; tries++) {
      int candidate;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
        candidate = probe.getLocalPort();
      }
      List<Peer> peers = new ArrayList<>();
      try {
        for (String address : addresses) {
          peers.add(new Peer(InetAddress.getByName(address), candidate, Peer::echo));
        }
        port = candidate;
        open.addAll(peers);
        return peers;
      } catch (BindException e) {
        for (Peer peer : peers) {
          peer.close();
        }
      }
    }
    throw new IOException("no port free on all of the test's loopback addresses");
  }

  private void start() throws Exception {
    EgressResolver resolver =
        host -> {
          List<String> answer = dns.get(host);
          if (answer == null) {
            throw new UnknownHostException(host);
          }
          List<InetAddress> addresses = new ArrayList<>();
          for (String ip : answer) {
            addresses.add(InetAddress.getByName(ip));
          }
          return addresses;
        };
    sidecar =
        SidecarFixture.startWithResolver(
            dir,
            POLICIES.replace("PORT", String.valueOf(port)),
            resolver,
            "--egress-listen",
            "127.0.0.1:0",
            "--egress-connect-timeout-ms",
            "1000",
            "--egress-tls-ports",
            "1");
    open.add(sidecar);
  }

  private Socket proxy() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), sidecar.sidecar().egressPort());
    socket.setSoTimeout(10_000);
    open.add(socket);
    return socket;
  }

  private static String connect(Socket socket, String target) throws IOException {
    socket
        .getOutputStream()
        .write(
            ("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private String echoThrough(String host) throws IOException {
    Socket socket = proxy();
    String head = connect(socket, host + ":" + port);
    assertThat(head).startsWith("HTTP/1.1 200");
    socket.getOutputStream().write("ping".getBytes(StandardCharsets.ISO_8859_1));
    String back = new String(socket.getInputStream().readNBytes(4), StandardCharsets.ISO_8859_1);
    socket.close();
    return back;
  }

  private List<AuditEvent> eventsFor(String host) {
    return sidecar.auditEvents().stream()
        .filter(e -> "egress".equals(e.source()) && host.equals(e.resource().get("host")))
        .toList();
  }

  private List<Object> ipsOf(String host, AuditEventType type) {
    return eventsFor(host).stream()
        .filter(e -> e.type() == type && e.resource().containsKey("ip"))
        .map(e -> e.resource().get("ip"))
        .filter(ip -> !"".equals(ip))
        .toList();
  }

  private AuditEvent closedFor(String host) throws InterruptedException {
    await(() -> eventsFor(host).stream().anyMatch(e -> e.type() == AuditEventType.CLOSED));
    return eventsFor(host).stream()
        .filter(e -> e.type() == AuditEventType.CLOSED)
        .findFirst()
        .orElseThrow();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
  }

  /** The value of one sample of the Prometheus text, or -1 when it is absent. */
  private double sample(String nameAndLabels) {
    for (String line : sidecar.metrics().scrape().split("\n")) {
      if (line.startsWith(nameAndLabels + " ")) {
        return Double.parseDouble(line.substring(nameAndLabels.length() + 1).strip());
      }
    }
    return -1;
  }

  @Test
  void aRefusingFirstAddressFallsBackToTheSecondAndTheAuditNamesIt() throws Exception {
    echoPeers("127.0.0.2");
    dns.put("two.multi.test", List.of("127.0.0.1", "127.0.0.2"));
    start();
    assertThat(echoThrough("two.multi.test")).isEqualTo("ping");
    AuditEvent closed = closedFor("two.multi.test");
    assertThat(closed.resource()).containsEntry("ip", "127.0.0.2");
    assertThat(closed.traffic().end()).isEqualTo("eof");
    assertThat(ipsOf("two.multi.test", AuditEventType.ALLOWED))
        .containsExactly("127.0.0.1", "127.0.0.2");
    // Metrics: one allowed connection, its bytes each way, and no tunnel left open.
    assertThat(
            sample("tollgate_egress_connections_total{outcome=\"allowed\",reason=\"RuleAllowed\"}"))
        .isEqualTo(1);
    assertThat(sample("tollgate_egress_bytes_total{direction=\"upstream\"}")).isEqualTo(4);
    assertThat(sample("tollgate_egress_bytes_total{direction=\"downstream\"}")).isEqualTo(4);
    await(() -> sample("tollgate_egress_tunnels_open") == 0);
  }

  @Test
  void deniedAddressesAreSkippedAndNeverConnectedToThenIpv6IsUsed() throws Exception {
    List<Peer> peers = echoPeers("127.0.0.3", "::1");
    Peer deniedButListening = peers.get(0);
    dns.put("v6.multi.test", List.of(METADATA, "127.0.0.3", "::1"));
    start();
    assertThat(echoThrough("v6.multi.test")).isEqualTo("ping");
    assertThat(deniedButListening.connections()).isZero();
    assertThat(peers.get(1).connections()).isEqualTo(1);
    assertThat(ipsOf("v6.multi.test", AuditEventType.DENIED))
        .containsExactly(METADATA, "127.0.0.3");
    AuditEvent closed = closedFor("v6.multi.test");
    assertThat(closed.resource()).containsEntry("ip", "[::1]");
  }

  @Test
  void everyAddressDeniedIsA403WithTheFirstDenialAndNothingIsConnected() throws Exception {
    Peer deniedButListening = echoPeers("127.0.0.3").get(0);
    dns.put("denied.multi.test", List.of(METADATA, "127.0.0.3", "10.0.0.1"));
    start();
    String head = connect(proxy(), "denied.multi.test:" + port);
    assertThat(head)
        .startsWith("HTTP/1.1 403")
        .contains("X-Tollgate-Reason: RuleDenied")
        .contains("the destination is an internal address")
        .doesNotContain("off limits");
    assertThat(deniedButListening.connections()).isZero();
    assertThat(ipsOf("denied.multi.test", AuditEventType.DENIED))
        .containsExactly(METADATA, "127.0.0.3", "10.0.0.1");
    assertThat(eventsFor("denied.multi.test"))
        .extracting(AuditEvent::type)
        .doesNotContain(AuditEventType.CLOSED);
    assertThat(
            sample("tollgate_egress_connections_total{outcome=\"denied\",reason=\"RuleDenied\"}"))
        .isEqualTo(1);
  }

  @Test
  void aDeniedAddressAfterAnAllowedOneFailedDoesNotSlipThrough() throws Exception {
    // The attacker's order: an allowed address that refuses, then the metadata address, then a
    // denied address that would answer.
    Peer deniedButListening = echoPeers("127.0.0.3").get(0);
    dns.put("attack.multi.test", List.of("127.0.0.1", METADATA, "127.0.0.3"));
    start();
    String head = connect(proxy(), "attack.multi.test:" + port);
    assertThat(head).startsWith("HTTP/1.1 502").contains("ConnectFailed").contains("127.0.0.1");
    assertThat(deniedButListening.connections()).isZero();
    assertThat(ipsOf("attack.multi.test", AuditEventType.DENIED))
        .containsExactly(METADATA, "127.0.0.3");
    AuditEvent closed = closedFor("attack.multi.test");
    assertThat(closed.traffic().end()).isEqualTo("connect-failed");
    assertThat(closed.resource()).containsEntry("ip", "127.0.0.1");
  }

  @Test
  void twentyRefusingAddressesGiveA502NamingTheLastWithinTheBound() throws Exception {
    echoPeers("127.0.0.2");
    List<String> addresses = IntStream.rangeClosed(10, 29).mapToObj(i -> "127.0.0." + i).toList();
    dns.put("down.multi.test", addresses);
    start();
    long before = System.nanoTime();
    String head = connect(proxy(), "down.multi.test:" + port);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    assertThat(head)
        .startsWith("HTTP/1.1 502")
        .contains("X-Tollgate-Reason: ConnectFailed")
        .contains("127.0.0.29");
    assertThat(millis).isLessThan(3_000);
    assertThat(ipsOf("down.multi.test", AuditEventType.ALLOWED)).hasSize(20);
    assertThat(
            sample(
                "tollgate_egress_connections_total{outcome=\"failed\",reason=\"ConnectFailed\"}"))
        .isEqualTo(1);
  }

  /**
   * Listeners whose accept queue is full and never drained: Linux drops further SYNs, so a connect
   * to them hangs until its timeout, as to a blackholed address. Skipped where that cannot be made.
   */
  private void blackhole(List<String> addresses) throws IOException {
    for (String address : addresses) {
      InetAddress ip = InetAddress.getByName(address);
      ServerSocket full = new ServerSocket(port, 1, ip);
      open.add(full);
      boolean hangs = false;
      for (int i = 0; i < 8 && !hangs; i++) {
        Socket filler = new Socket();
        open.add(filler);
        try {
          filler.connect(new InetSocketAddress(ip, port), 200);
        } catch (SocketTimeoutException e) {
          hangs = true;
        }
      }
      assumeTrue(hangs, "cannot make " + address + " hang on this machine");
    }
  }

  @Test
  void twentyBlackholedAddressesAreGivenUpWithinOneConnectTimeout() throws Exception {
    echoPeers("127.0.0.2");
    List<String> addresses = IntStream.rangeClosed(10, 29).mapToObj(i -> "127.0.0." + i).toList();
    blackhole(addresses);
    dns.put("hang.multi.test", addresses);
    start();
    long before = System.nanoTime();
    String head = connect(proxy(), "hang.multi.test:" + port);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    assertThat(head).startsWith("HTTP/1.1 504").contains("ConnectTimeout");
    // The connect timeout is 1 s for all attempts together.
    assertThat(millis).isLessThan(2_500);
  }

  @Test
  void aBlackholedFirstAddressLeavesTimeForTheSecond() throws Exception {
    echoPeers("127.0.0.2");
    blackhole(List.of("127.0.0.10"));
    dns.put("slow.multi.test", List.of("127.0.0.10", "127.0.0.2"));
    start();
    assertThat(echoThrough("slow.multi.test")).isEqualTo("ping");
    assertThat(closedFor("slow.multi.test").resource()).containsEntry("ip", "127.0.0.2");
  }
}
