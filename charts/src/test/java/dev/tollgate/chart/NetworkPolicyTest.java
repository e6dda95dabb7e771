package dev.tollgate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NetworkPolicies: off by default; when on, each selects its own component's pods, lets the API
 * server reach the webhook's HTTPS port from any address, lets only the configured peers reach the
 * metrics ports, and lets the pods out only to DNS and the API server's endpoint.
 */
class NetworkPolicyTest {

  private final Helm helm = new Helm(Helm.repoRoot());
  private final ChartRender render = new ChartRender(helm);

  private Rendered enabled() throws Exception {
    return render.template("-f", helm.chart().resolve("ci/network-policy-values.yaml").toString());
  }

  @Test
  void offByDefault() throws Exception {
    assertThat(render.template().all(NetworkPolicy.class)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"operator", "webhook"})
  void eachPolicySelectsItsOwnComponentsPodsOnly(String component) throws Exception {
    Rendered rendered = enabled();
    NetworkPolicy policy = rendered.one(NetworkPolicy.class, "tollgate-" + component);
    assertThat(policy.getMetadata().getNamespace()).isEqualTo(ChartTest.NAMESPACE);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    Map<String, String> selector = policy.getSpec().getPodSelector().getMatchLabels();
    assertThat(selector).containsEntry("app.kubernetes.io/component", component);
    String other = component.equals("operator") ? "webhook" : "operator";
    assertThat(podLabels(rendered, "tollgate-" + component)).containsAllEntriesOf(selector);
    assertThat(podLabels(rendered, "tollgate-" + other).entrySet().containsAll(selector.entrySet()))
        .as("the %s pods are not selected", other)
        .isFalse();
    // Every named port the policy lets in is one the pods declare.
    List<String> declared =
        ChartRender.container(rendered, "tollgate-" + component).getPorts().stream()
            .map(ContainerPort::getName)
            .toList();
    policy.getSpec().getIngress().stream()
        .flatMap(rule -> rule.getPorts().stream())
        .forEach(port -> assertThat(declared).contains(port.getPort().getStrVal()));
  }

  @Test
  void theApiServerReachesTheWebhookFromAnyAddressAndNothingElseIsOpenToAll() throws Exception {
    Rendered rendered = enabled();
    List<NetworkPolicyIngressRule> webhook =
        rendered.one(NetworkPolicy.class, "tollgate-webhook").getSpec().getIngress();
    assertThat(webhook).hasSize(2);
    NetworkPolicyIngressRule https = ruleForPort(webhook, "https");
    assertThat(https.getFrom())
        .as("no source restriction: the API server's varies")
        .isNullOrEmpty();
    assertThat(https.getPorts()).singleElement().satisfies(p -> tcp(p));
    NetworkPolicyIngressRule metrics = ruleForPort(webhook, "metrics");
    assertThat(metrics.getFrom()).singleElement().satisfies(this::isTheConfiguredScraper);

    List<NetworkPolicyIngressRule> operator =
        rendered.one(NetworkPolicy.class, "tollgate-operator").getSpec().getIngress();
    assertThat(operator)
        .as("nothing calls the operator but its scraper")
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("metrics"));
              assertThat(rule.getFrom()).singleElement().satisfies(this::isTheConfiguredScraper);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"operator", "webhook"})
  void egressGoesOnlyToDnsAndTheApiServersEndpoint(String component) throws Exception {
    List<NetworkPolicyEgressRule> egress =
        enabled().one(NetworkPolicy.class, "tollgate-" + component).getSpec().getEgress();
    assertThat(egress).hasSize(2);
    NetworkPolicyEgressRule dns = egress.get(0);
    assertThat(dns.getPorts())
        .extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
        .containsExactlyInAnyOrder("53/UDP", "53/TCP");
    assertThat(dns.getTo())
        .singleElement()
        .satisfies(
            peer ->
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system")));
    NetworkPolicyEgressRule apiServer = egress.get(1);
    assertThat(apiServer.getPorts())
        .extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
        .containsExactly("6443/TCP");
    assertThat(apiServer.getTo())
        .extracting(peer -> peer.getIpBlock().getCidr())
        .containsExactly("10.96.0.1/32", "172.18.0.2/32");
  }

  @Test
  void emptyListsMeanAnyAddressForDnsAndTheApiServerAndNoScraper() throws Exception {
    Rendered rendered =
        render.template(
            "--set", "networkPolicy.enabled=true",
            "--set", "networkPolicy.metricsFrom=null",
            "--set", "networkPolicy.dnsTo=null");
    NetworkPolicy webhook = rendered.one(NetworkPolicy.class, "tollgate-webhook");
    assertThat(webhook.getSpec().getIngress())
        .as("only the admission port")
        .singleElement()
        .satisfies(rule -> ruleForPort(List.of(rule), "https"));
    NetworkPolicy operator = rendered.one(NetworkPolicy.class, "tollgate-operator");
    assertThat(operator.getSpec().getIngress()).isNullOrEmpty();
    assertThat(operator.getSpec().getEgress())
        .allSatisfy(rule -> assertThat(rule.getTo()).isNullOrEmpty());
    assertThat(operator.getSpec().getEgress().get(1).getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(443, 6443);
  }

  private void isTheConfiguredScraper(NetworkPolicyPeer peer) {
    assertThat(peer.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", "observability"));
    assertThat(peer.getPodSelector().getMatchLabels())
        .containsExactly(Map.entry("app.kubernetes.io/name", "prometheus"));
  }

  private static NetworkPolicyIngressRule ruleForPort(
      List<NetworkPolicyIngressRule> rules, String port) {
    List<NetworkPolicyIngressRule> matching =
        rules.stream()
            .filter(r -> r.getPorts().stream().anyMatch(p -> port.equals(p.getPort().getStrVal())))
            .toList();
    assertThat(matching).as("one rule for port %s", port).hasSize(1);
    return matching.get(0);
  }

  private static void tcp(NetworkPolicyPort port) {
    assertThat(port.getProtocol()).isEqualTo("TCP");
  }

  private static Map<String, String> podLabels(Rendered rendered, String deployment) {
    return ChartRender.deployment(rendered, deployment)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getLabels();
  }
}
