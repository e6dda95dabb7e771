package dev.tollgate.sidecar.gate.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.SidecarFixture;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditEventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The egress gate end to end, with real sockets on loopback only: the sidecar runs in-process with
 * its egress listener, destinations are real server sockets, and names resolve through an injected
 * resolver (so a public-looking name can point at the metadata address).
 */
class EgressGateTest {

  private static final String POLICIES =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: AgentIdentity
      metadata: {name: coder, namespace: team-a}
      spec:
        serviceAccountName: coder
        mode: MODE
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
          - {host: "*.allowed.test", ports: PORTS}
          - {host: 127.0.0.1, ports: PORTS}
          - {host: api.approval.test, ports: PORTS}
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
          - name: loopback-names
            tools: [Egress]
            effect: Deny
            when: "resource.ipKind == 'loopback' && !(resource.host in ['good.allowed.test', '127.0.0.1'])"
            message: only the test destination may be on loopback
          - {name: ask, tools: [Egress], effect: RequireApproval, when: "resource.host == 'api.approval.test'"}
      """;

  private static final Map<String, String> DNS =
      Map.of(
          "good.allowed.test", "127.0.0.1",
          "sneaky.allowed.test", "127.0.0.1",
          "meta.allowed.test", "169.254.169.254",
          "ten.allowed.test", "10.1.2.3",
          "api.approval.test", "127.0.0.1",
          "outside.test", "127.0.0.1");

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private final Set<String> resolved = ConcurrentHashMap.newKeySet();
  private SidecarFixture sidecar;

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Peer peer(Peer.Behaviour behaviour) throws IOException {
    Peer peer = new Peer(behaviour);
    open.add(peer);
    return peer;
  }

  private void start(String mode, int tlsPort, int... ports) throws Exception {
    start(mode, "enforce", tlsPort, ports);
  }

  private void start(String mode, String egressMode, int tlsPort, int... ports) throws Exception {
    String portList =
        IntStream.of(ports).mapToObj(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    EgressResolver resolver =
        host -> {
          resolved.add(host);
          String ip = DNS.get(host);
          if (ip == null) {
            throw new UnknownHostException(host);
          }
          return List.of(InetAddress.getByName(ip));
        };
    sidecar =
        SidecarFixture.startWithResolver(
            dir,
            POLICIES.replace("MODE", mode).replace("PORTS", portList),
            resolver,
            "--egress-listen",
            "127.0.0.1:0",
            "--egress-handshake-timeout-ms",
            "800",
            "--egress-idle-timeout-ms",
            "800",
            "--egress-connect-timeout-ms",
            "1000",
            "--egress-tls-ports",
            String.valueOf(tlsPort),
            "--egress-mode",
            egressMode);
    open.add(sidecar);
  }

  private Socket proxy() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), sidecar.sidecar().egressPort());
    socket.setSoTimeout(10_000);
    open.add(socket);
    return socket;
  }

  private static String send(Socket socket, String request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return readHead(socket.getInputStream());
  }

  private static String readHead(InputStream in) throws IOException {
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

  private static String connect(Socket socket, String target) throws IOException {
    return send(socket, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
  }

  private List<AuditEvent> egressEvents() {
    return sidecar.auditEvents().stream().filter(e -> "egress".equals(e.source())).toList();
  }

  private List<AuditEvent> eventsFor(String host) {
    return egressEvents().stream().filter(e -> host.equals(e.resource().get("host"))).toList();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
  }

  private static byte[] clientHello(String serverName) throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine(serverName, 443);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(serverName)));
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  @Test
  void tunnelsToAnAllowedNameAndRelaysBothWays() throws Exception {
    Peer echo = peer(Peer::echo);
    start("Enforce", 1, echo.port());
    Socket socket = proxy();
    assertThat(connect(socket, "GOOD.allowed.test.:" + echo.port())).startsWith("HTTP/1.1 200");
    socket.getOutputStream().write("ping".getBytes());
    byte[] back = socket.getInputStream().readNBytes(4);
    assertThat(new String(back)).isEqualTo("ping");
    socket.close();
    await(
        () ->
            eventsFor("good.allowed.test").stream()
                .anyMatch(e -> e.type() == AuditEventType.CLOSED));
    List<AuditEvent> events = eventsFor("good.allowed.test");
    assertThat(events)
        .extracting(AuditEvent::type)
        .contains(AuditEventType.ATTEMPTED, AuditEventType.ALLOWED);
    AuditEvent decided =
        events.stream()
            .filter(e -> e.type() == AuditEventType.ALLOWED && !"".equals(e.resource().get("ip")))
            .findFirst()
            .orElseThrow();
    assertThat(decided.resource())
        .containsEntry("ip", "127.0.0.1")
        .containsEntry("ipKind", "loopback");
    assertThat(decided.tool()).isEqualTo("Egress");
    AuditEvent closed =
        events.stream().filter(e -> e.type() == AuditEventType.CLOSED).findFirst().orElseThrow();
    assertThat(closed.traffic().bytesSent()).isEqualTo(4);
    assertThat(closed.traffic().bytesReceived()).isEqualTo(4);
    assertThat(closed.traffic().end()).isEqualTo("eof");
  }

  @Test
  void deniesByNameAndByAddressWithA403AndNeverResolvesOutOfScopeNames() throws Exception {
    Peer echo = peer(Peer::echo);
    start("Enforce", 1, echo.port());
    String byName = connect(proxy(), "outside.test:" + echo.port());
    assertThat(byName).startsWith("HTTP/1.1 403").contains("X-Tollgate-Reason: OutOfScope");
    assertThat(resolved).doesNotContain("outside.test");
    String byAddress = connect(proxy(), "127.0.0.2:" + echo.port());
    assertThat(byAddress).startsWith("HTTP/1.1 403").contains("OutOfScope");
    String byPort = connect(proxy(), "good.allowed.test:1");
    assertThat(byPort).startsWith("HTTP/1.1 403").contains("OutOfScope");
    String literal = connect(proxy(), "127.0.0.1:" + echo.port());
    assertThat(literal).startsWith("HTTP/1.1 200");
    await(() -> echo.connections() == 1);
    assertThat(eventsFor("outside.test"))
        .extracting(AuditEvent::type)
        .containsExactly(AuditEventType.ATTEMPTED, AuditEventType.DENIED);
    // Counted by reason code, never by host.
    assertThat(sidecar.metrics().scrape())
        .contains("tollgate_egress_connections_total{outcome=\"denied\",reason=\"OutOfScope\"} 3.0")
        .doesNotContain("outside.test");
  }

  @Test
  void namesResolvingToInternalAddressesAreDeniedByRules() throws Exception {
    Peer echo = peer(Peer::echo);
    start("Enforce", 1, echo.port());
    Map<String, String> expected =
        Map.of(
            "meta.allowed.test", "team-a/net/internal",
            "ten.allowed.test", "team-a/net/internal",
            "sneaky.allowed.test", "team-a/net/loopback-names");
    for (Map.Entry<String, String> entry : expected.entrySet()) {
      String head = connect(proxy(), entry.getKey() + ":" + echo.port());
      assertThat(head).as(entry.getKey()).startsWith("HTTP/1.1 403").contains("RuleDenied");
      AuditEvent denied =
          eventsFor(entry.getKey()).stream()
              .filter(e -> e.type() == AuditEventType.DENIED)
              .findFirst()
              .orElseThrow();
      assertThat(denied.rules()).containsExactly(entry.getValue());
      assertThat(denied.resource().get("ip")).isEqualTo(DNS.get(entry.getKey()));
    }
    assertThat(echo.connections()).isZero();
    assertThat(
            eventsFor("meta.allowed.test").stream().filter(e -> e.type() == AuditEventType.DENIED))
        .allMatch(e -> "metadata".equals(e.resource().get("ipKind")));
  }

  @Test
  void approvalRequiredIsADenyAndAsksNobody() throws Exception {
    Peer echo = peer(Peer::echo);
    start("Enforce", 1, echo.port());
    String head = connect(proxy(), "api.approval.test:" + echo.port());
    assertThat(head).startsWith("HTTP/1.1 403").contains("ApprovalRequired");
    assertThat(egressEvents())
        .extracting(AuditEvent::type)
        .doesNotContain(AuditEventType.APPROVAL_REQUESTED);
    assertThat(echo.connections()).isZero();
  }

  @Test
  void checksTheTlsServerNameBeforeAByteGoesUpstream() throws Exception {
    List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
    Peer destination =
        peer(
            socket -> {
              ByteArrayOutputStream all = new ByteArrayOutputStream();
              socket.getInputStream().transferTo(all);
              received.add(all.toByteArray());
            });
    start("Enforce", destination.port(), destination.port());
    Socket good = proxy();
    assertThat(connect(good, "good.allowed.test:" + destination.port())).startsWith("HTTP/1.1 200");
    byte[] hello = clientHello("good.allowed.test");
    good.getOutputStream().write(hello);
    good.shutdownOutput();
    await(() -> received.size() == 1);
    assertThat(received.get(0)).isEqualTo(hello);

    Socket fronted = proxy();
    assertThat(connect(fronted, "good.allowed.test:" + destination.port()))
        .startsWith("HTTP/1.1 200");
    fronted.getOutputStream().write(clientHello("evil.example"));
    assertThat(fronted.getInputStream().read()).isEqualTo(-1);
    Socket notTls = proxy();
    assertThat(connect(notTls, "good.allowed.test:" + destination.port()))
        .startsWith("HTTP/1.1 200");
    notTls.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
    assertThat(notTls.getInputStream().read()).isEqualTo(-1);
    await(
        () ->
            eventsFor("good.allowed.test").stream()
                .filter(e -> e.type() == AuditEventType.CLOSED)
                .map(e -> e.traffic().end())
                .collect(Collectors.toSet())
                .containsAll(Set.of("sni-mismatch", "not-tls", "eof")));
    // The refused tunnels were connected, but not one byte went through them.
    assertThat(received).filteredOn(bytes -> bytes.length > 0).hasSize(1);
    assertThat(
            eventsFor("good.allowed.test").stream()
                .filter(e -> e.type() == AuditEventType.DENIED)
                .map(AuditEvent::message))
        .anyMatch(m -> m.contains("does not match the CONNECT host"));
    assertThat(sidecar.metrics().scrape())
        .contains(
            "tollgate_egress_connections_total{outcome=\"denied\",reason=\"SniMismatch\"} 1.0")
        .contains("tollgate_egress_connections_total{outcome=\"denied\",reason=\"NotTls\"} 1.0")
        .contains(
            "tollgate_egress_connections_total{outcome=\"allowed\",reason=\"RuleAllowed\"} 1.0");
  }

  @Test
  void largeDownloadThroughATunnelArrivesIntact() throws Exception {
    byte[] payload = new byte[48 << 20];
    new Random(7).nextBytes(payload);
    Peer source =
        peer(
            socket -> {
              socket.getOutputStream().write(payload);
              socket.shutdownOutput();
            });
    start("Enforce", 1, source.port());
    Socket socket = proxy();
    assertThat(connect(socket, "127.0.0.1:" + source.port())).startsWith("HTTP/1.1 200");
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    InputStream in = socket.getInputStream();
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
      total += n;
    }
    assertThat(total).isEqualTo(payload.length);
    assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
    socket.close();
    await(() -> eventsFor("127.0.0.1").stream().anyMatch(e -> e.type() == AuditEventType.CLOSED));
    AuditEvent closed =
        eventsFor("127.0.0.1").stream()
            .filter(e -> e.type() == AuditEventType.CLOSED)
            .findFirst()
            .orElseThrow();
    assertThat(closed.traffic().bytesReceived()).isEqualTo(payload.length);
  }

  @Test
  void stalledAgentsAndDestinationsAreTimedOut() throws Exception {
    Peer silent =
        peer(
            socket -> {
              socket.getInputStream().read();
            });
    start("Enforce", 1, silent.port());
    // An agent that says nothing gets 408 after the handshake timeout, and an audit line.
    Socket mute = proxy();
    long before = System.nanoTime();
    assertThat(readHead(mute.getInputStream())).startsWith("HTTP/1.1 408");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(5_000);
    // An agent that trickles its request is cut off by the set-up deadline.
    Socket trickle = proxy();
    OutputStream out = trickle.getOutputStream();
    before = System.nanoTime();
    boolean cut = false;
    for (int i = 0; i < 100 && !cut; i++) {
      try {
        out.write('G');
        out.flush();
        Thread.sleep(100);
      } catch (IOException e) {
        cut = true;
      }
    }
    assertThat(cut).as("the trickling agent was cut off").isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(6_000);
    // A tunnel where nobody speaks is closed after the idle timeout.
    Socket idle = proxy();
    assertThat(connect(idle, "127.0.0.1:" + silent.port())).startsWith("HTTP/1.1 200");
    assertThat(idle.getInputStream().read()).isEqualTo(-1);
    await(
        () ->
            eventsFor("127.0.0.1").stream()
                .anyMatch(
                    e ->
                        e.type() == AuditEventType.CLOSED
                            && e.traffic().end().equals("idle-timeout")));
    assertThat(
            egressEvents().stream()
                .filter(e -> e.type() == AuditEventType.DENIED)
                .map(AuditEvent::message))
        .anyMatch(m -> m.contains("no complete request head in time"));
  }

  @Test
  void manyTunnelsAtOnce() throws Exception {
    Peer echo = peer(Peer::echo);
    start("Enforce", 1, echo.port());
    ExecutorService clients = Executors.newFixedThreadPool(32);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int seed = i;
        results.add(
            clients.submit(
                () -> {
                  try (Socket socket =
                      new Socket(
                          InetAddress.getLoopbackAddress(), sidecar.sidecar().egressPort())) {
                    socket.setSoTimeout(10_000);
                    if (!connect(socket, "good.allowed.test:" + echo.port())
                        .startsWith("HTTP/1.1 200")) {
                      return false;
                    }
                    byte[] data = new byte[20_000];
                    new Random(seed).nextBytes(data);
                    socket.getOutputStream().write(data);
                    byte[] back = socket.getInputStream().readNBytes(data.length);
                    return Arrays.equals(data, back);
                  }
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      clients.shutdownNow();
      clients.awaitTermination(10, TimeUnit.SECONDS);
    }
    await(
        () ->
            egressEvents().stream().filter(e -> e.type() == AuditEventType.CLOSED).count() == 200);
  }

  @Test
  void malformedRequestsGetAClearRefusalAndAnAuditLine() throws Exception {
    Peer echo = peer(Peer::echo);
    start("Enforce", 1, echo.port());
    Map<String, String> requests =
        Map.of(
            "garbage\r\n\r\n",
            "bad request line",
            "CONNECT good.allowed.test HTTP/1.1\r\n\r\n",
            "CONNECT needs host:port",
            "CONNECT good.allowed.test:99999 HTTP/1.1\r\n\r\n",
            "port out of range",
            "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n",
            "not a proxy request",
            "GET http://user:pw@good.allowed.test/ HTTP/1.1\r\n\r\n",
            "userinfo",
            "GET https://good.allowed.test/ HTTP/1.1\r\n\r\n",
            "use CONNECT",
            "GET http://good.allowed.test/ HTTP/2.0\r\n\r\n",
            "unsupported HTTP version",
            "GET http://good.allowed.test/ HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
            "malformed header",
            "GET http://good.allowed.test/ HTTP/1.1\r\nX: " + "a".repeat(17_000) + "\r\n\r\n",
            "larger than 16 KiB",
            "CONNECT [fe80::1%25eth0]:443 HTTP/1.1\r\n\r\n",
            "BadRequest");
    for (Map.Entry<String, String> entry : requests.entrySet()) {
      Socket socket = proxy();
      String head = send(socket, entry.getKey());
      assertThat(head)
          .as(entry.getValue())
          .startsWith("HTTP/1.1 400")
          .contains("X-Tollgate-Reason: BadRequest");
      byte[] body = socket.getInputStream().readAllBytes();
      assertThat(new String(body, StandardCharsets.UTF_8) + head)
          .as(entry.getValue())
          .contains(entry.getValue());
    }
    await(
        () ->
            egressEvents().stream()
                    .filter(
                        e ->
                            e.type() == AuditEventType.DENIED && e.reasons().contains("BadRequest"))
                    .count()
                == requests.size());
    assertThat(echo.connections()).isZero();
    assertThat(sidecar.metrics().scrape())
        .contains(
            "tollgate_egress_connections_total{outcome=\"denied\",reason=\"BadRequest\"} 10.0");
  }

  @Test
  void forwardsPlainHttpInOriginFormWithoutProxyHeaders() throws Exception {
    Peer mirror = peer(Peer::httpMirror);
    start("Enforce", 1, mirror.port());
    for (String version : List.of("HTTP/1.1", "HTTP/1.0")) {
      Socket socket = proxy();
      String head =
          send(
              socket,
              "GET http://good.allowed.test:"
                  + mirror.port()
                  + "/path?q=1 "
                  + version
                  + "\r\nHost: evil.example\r\nProxy-Authorization: Basic c2VjcmV0\r\n"
                  + "Proxy-Connection: keep-alive\r\nAccept: */*\r\n\r\n");
      assertThat(head).startsWith("HTTP/1.1 200");
      String body = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(body)
          .startsWith("GET /path?q=1 " + version + "\r\n")
          .contains("Host: good.allowed.test:" + mirror.port())
          .contains("Accept: */*")
          .contains("Connection: close")
          .doesNotContain("evil.example", "Proxy-Authorization", "Proxy-Connection");
    }
    assertThat(eventsFor("good.allowed.test").get(0).resource()).containsEntry("scheme", "http");
  }

  @Test
  void auditModeLetsADeniedConnectionThroughAndSaysSo() throws Exception {
    Peer echo = peer(Peer::echo);
    start("Audit", 1, echo.port());
    Socket socket = proxy();
    assertThat(connect(socket, "outside.test:" + echo.port())).startsWith("HTTP/1.1 200");
    socket.getOutputStream().write("hi".getBytes());
    assertThat(new String(socket.getInputStream().readNBytes(2))).isEqualTo("hi");
    AuditEvent allowed =
        eventsFor("outside.test").stream()
            .filter(e -> e.type() == AuditEventType.ALLOWED)
            .findFirst()
            .orElseThrow();
    assertThat(allowed.decision()).isEqualTo("allow");
    assertThat(allowed.wouldDecide()).isEqualTo("deny");
    assertThat(allowed.reasons()).contains("OutOfScope");
  }

  @Test
  void egressAuditModeConnectsWhatEnforceWouldRefuseWhileOtherCallsStayEnforced() throws Exception {
    Peer echo = peer(Peer::echo);
    // The identity enforces; only its egress is in Audit (AgentIdentity spec.egress.mode).
    start("Enforce", "audit", 1, echo.port());
    Socket socket = proxy();
    assertThat(connect(socket, "outside.test:" + echo.port())).startsWith("HTTP/1.1 200");
    socket.getOutputStream().write("hi".getBytes());
    assertThat(new String(socket.getInputStream().readNBytes(2))).isEqualTo("hi");
    AuditEvent allowed =
        eventsFor("outside.test").stream()
            .filter(e -> e.type() == AuditEventType.ALLOWED)
            .findFirst()
            .orElseThrow();
    assertThat(allowed.decision()).isEqualTo("allow");
    assertThat(allowed.wouldDecide()).isEqualTo("deny");
    assertThat(allowed.reasons()).contains("OutOfScope");
  }
}
