package dev.tollgate.clustertests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.testsupport.tools.Command;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The egress gate in a real pod: an identity with {@code egress.mode: Enforce} gets the {@code
 * tollgate-egress-init} container (the sidecar image, iptables in it), whose rules leave the agent
 * container one way off the pod: the decision point's proxy. Servers on the node play the outside
 * world: one in the identity's ToolScope, one not, and a UDP port.
 */
@ExtendWith(NodeClusterExtension.class)
class EgressInPodIT {

  private static final String NAMESPACE = "egress-lab";
  private static final String NAME = "egress-coder";

  private static HttpServer inScope;
  private static HttpServer outOfScope;
  private static final AtomicInteger inScopeRequests = new AtomicInteger();
  private static final AtomicInteger outOfScopeRequests = new AtomicInteger();
  private static DatagramSocket udp;
  private static AgentDeployment agent;

  @BeforeAll
  static void deploy(NodeCluster cluster, AgentDeployment repoCoder) throws IOException {
    inScope = server(inScopeRequests);
    outOfScope = server(outOfScopeRequests);
    udp = new DatagramSocket(new InetSocketAddress(NodeCluster.nodeAddress(), 0));
    udp.setSoTimeout(3_000);
    cluster
        .kubectlIn(
            """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: %1$s
              labels: {tollgate.dev/injection: enabled}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: %2$s, namespace: %1$s}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AgentIdentity
            metadata: {name: %2$s, namespace: %1$s}
            spec:
              selector: {matchLabels: {app.kubernetes.io/name: %2$s}}
              serviceAccountName: %2$s
              toolScopes: [{name: lab-network}]
              egress: {mode: Enforce}
              mode: Enforce
              runtime: ClaudeCode
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ToolScope
            metadata: {name: lab-network, namespace: %1$s}
            spec:
              tools: [Bash]
              egress:
                - {host: "%3$s", ports: [%4$d]}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ToolPolicy
            metadata: {name: lab-network, namespace: %1$s}
            spec:
              agents: {names: [%2$s]}
              rules:
                - name: destinations-in-scope
                  tools: [Egress]
                  effect: Allow
            """
                .formatted(
                    NAMESPACE, NAME, NodeCluster.NODE_ADDRESS, inScope.getAddress().getPort()),
            "apply",
            "-f",
            "-")
        .expectOk();
    cluster.awaitIdentityReady(NAMESPACE, NAME);
    cluster
        .kubectlIn(
            AgentDeployment.deployment(NAME, NAMESPACE, repoCoder.image()), "apply", "-f", "-")
        .expectOk();
    agent = repoCoder.sibling(NAMESPACE, NAME);
    agent.awaitReady();
  }

  @AfterAll
  static void stop() {
    for (HttpServer server : new HttpServer[] {inScope, outOfScope}) {
      if (server != null) {
        server.stop(0);
      }
    }
    if (udp != null) {
      udp.close();
    }
  }

  @Test
  void theRuleInstallerRanFirstAsTheOnlyContainerWithNetworkCapabilities() {
    JsonNode pod = agent.podJson();
    JsonNode first = pod.path("spec").path("initContainers").get(0);
    assertThat(first.path("name").asText()).isEqualTo("tollgate-egress-init");
    assertThat(first.path("securityContext").path("capabilities").path("add").toString())
        .contains("NET_ADMIN");
    for (JsonNode status : pod.path("status").path("initContainerStatuses")) {
      if (status.path("name").asText().equals("tollgate-egress-init")) {
        assertThat(status.path("state").path("terminated").path("exitCode").asInt(-1)).isZero();
      }
    }
  }

  @Test
  void theDestinationInScopeIsReachedThroughTheProxy() {
    int before = inScopeRequests.get();
    Command.Result result =
        agent.exec(
            "curl", "-sS", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}", inScopeUrl());
    assertThat(result.stdout()).as(result.describe()).isEqualTo("200");
    assertThat(inScopeRequests.get()).isEqualTo(before + 1);
  }

  @Test
  void aDestinationInNoScopeIsRefusedByTheProxyAndSeesNothing() {
    Command.Result result =
        agent.exec(
            "curl",
            "-sS",
            "-m",
            "10",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "http://" + NodeCluster.NODE_ADDRESS + ":" + outOfScope.getAddress().getPort() + "/");
    assertThat(result.stdout()).as(result.describe()).isEqualTo("403");
    assertThat(outOfScopeRequests.get()).isZero();
  }

  @Test
  void aProgramThatIgnoresTheProxyVariablesDoesNotGetOut() {
    int before = inScopeRequests.get();
    // curl told to skip the proxy, and a Python socket: the rules reject both at the pod's edge.
    Command.Result curl = agent.exec("curl", "-sS", "-m", "10", "--noproxy", "*", inScopeUrl());
    assertThat(curl.exitCode()).as(curl.describe()).isNotZero();
    Command.Result python =
        agent.exec(
            "python3",
            "-c",
            "import socket; s = socket.create_connection(('"
                + NodeCluster.NODE_ADDRESS
                + "', "
                + inScope.getAddress().getPort()
                + "), timeout=5); print('connected')");
    assertThat(python.exitCode()).as(python.describe()).isNotZero();
    assertThat(python.stdout()).doesNotContain("connected");
    assertThat(inScopeRequests.get()).isEqualTo(before);
  }

  @Test
  void udpLeavesNothingEither() throws IOException {
    agent
        .exec(
            "python3",
            "-c",
            "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                + "[s.sendto(b'tollgate-udp-probe', ('"
                + NodeCluster.NODE_ADDRESS
                + "', "
                + udp.getLocalPort()
                + ")) for _ in range(3)]")
        .stdout();
    DatagramPacket packet = new DatagramPacket(new byte[64], 64);
    boolean received;
    try {
      udp.receive(packet);
      received = true;
    } catch (SocketTimeoutException e) {
      received = false;
    }
    assertThat(received)
        .as(
            "a datagram arrived: %s",
            new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
        .isFalse();
  }

  @Test
  void theLoopbackStaysOpenForTheAgentsOwnServers() {
    // A server of the agent's own on 127.0.0.1 (a test server, a dev server) and a client that
    // ignores proxies: lo is never gated.
    Command.Result result =
        agent.exec(
            "/bin/bash",
            "-c",
            "python3 -c \"import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET,"
                + " socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', 18080)); s.listen(1);"
                + " c, _ = s.accept(); c.sendall(b'hello from loopback'); c.close()\" &"
                + " for i in $(seq 50); do"
                + " if exec 3<>/dev/tcp/127.0.0.1/18080; then cat <&3; break; fi 2>/dev/null; sleep 0.1;"
                + " done; wait");
    assertThat(result.stdout()).as(result.describe()).contains("hello from loopback");
  }

  private static String inScopeUrl() {
    return "http://" + NodeCluster.NODE_ADDRESS + ":" + inScope.getAddress().getPort() + "/";
  }

  private static HttpServer server(AtomicInteger requests) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(NodeCluster.nodeAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = "outside\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }
}
